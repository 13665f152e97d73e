#include "config.h"

#include "cmd/cmd.h"
#include "kaggle/url.h"
#include "pipeline/reindex.h"
#include "pipeline/runopts.h"
#include "util/fs.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

store *
cmd_open_store(cmd_ctx *c, store_mode mode)
{
	reindex_report rep;
	ak_err e;
	store *db;

	if (!c->create_workspace && !fs_is_dir(c->workspace)) {
		termsafe_error("no workspace at %s: nothing has run there; start a run with "
			"autokaggle run DIR, or point --workspace (or AUTOKAGGLE_WORKSPACE) at an existing one",
			c->workspace);
		return NULL;
	}
	db = store_open(c->workspace, mode, &e);
	if (db && store_is_new(db) && reindex_workspace(db, 0, 0, &rep, &e) < 0) {
		store_close(db);
		db = NULL;
	}
	if (!db) {
		termsafe_error("%s", e.msg);
		return NULL;
	}
	if (store_fallback_note(db))
		termsafe_error("note: the database cannot be used (%s); showing what the run directories say",
			store_fallback_note(db));
	return db;
}

int
cmd_require_run_dir(const store_run *r)
{
	if (fs_is_dir(r->dir))
		return CMD_EXIT_OK;
	termsafe_error("the directory of run %s is missing (%s): it was deleted or moved; "
		"autokaggle reindex drops it from the index", r->id, r->dir);
	return CMD_EXIT_INPUT;
}

int
cmd_find_run(store *db, const char *arg, store_run *out)
{
	store_run *runs = NULL;
	size_t n = 0, i, hits = 0, hit = 0;
	ak_err e;

	if (store_run_list(db, &runs, &n, &e) < 0) {
		termsafe_error("%s", e.msg);
		return CMD_EXIT_WORKSPACE;
	}
	if (strcmp(arg, "last") == 0 && n > 0) {
		hits = 1;
	} else {
		for (i = 0; i < n; i++) {
			if (strcmp(runs[i].id, arg) == 0) {
				hits = 1;
				hit = i;
				break;
			}
			if (strncmp(runs[i].id, arg, strlen(arg)) == 0 && hits++ == 0)
				hit = i;
		}
	}
	if (hits != 1) {
		if (hits == 0)
			termsafe_error("no run '%s' in this workspace: see autokaggle list", arg);
		else
			termsafe_error("'%s' matches %zu runs: give more of the id", arg, hits);
		store_run_list_free(runs, n);
		return CMD_EXIT_INPUT;
	}
	*out = runs[hit];
	memset(&runs[hit], 0, sizeof(runs[hit]));
	store_run_list_free(runs, n);
	return CMD_EXIT_OK;
}

static int
cmd_usage_error_plain(const char *msg)
{
	termsafe_error("%s", msg);
	fprintf(stderr, "Try 'autokaggle --help'.\n");
	return CMD_EXIT_USAGE;
}

int
cmd_usage_error(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "autokaggle %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'autokaggle %s --help'.\n", name);
	return CMD_EXIT_USAGE;
}

int
cmd_fail(const ak_err *e, int fallback)
{
	const char *fix = err_fix_to_append(e);

	if (err_kind_of(e) == ERR_USAGE)
		return cmd_usage_error_plain(e->msg);
	termsafe_error("%s%s%s", e->msg, fix ? ": " : "", fix ? fix : "");
	return err_exit_code(e, fallback);
}

int
cmd_slug_arg(const char *name, const char *arg, char slug[KAGGLE_SLUG_MAX + 1])
{
	ak_err e = { 0 };
	int rc = kaggle_slug_parse(arg, slug, KAGGLE_SLUG_MAX + 1, &e);

	if (rc < 0)
		return cmd_usage_error(name, "%s", e.msg);
	if (rc == 0)
		return cmd_usage_error(name, "'%s' is not a competition's slug or URL (say titanic, or https://www.kaggle.com/competitions/titanic)", arg);
	return CMD_EXIT_OK;
}

kaggle_client *
cmd_kaggle_open(loop **l, int *code)
{
	kaggle_client *c;
	ak_err e = { 0 };

	*l = loop_new();
	if (!*l) {
		termsafe_error("cannot start the event loop: out of file descriptors?");
		*code = CMD_EXIT_FAILED;
		return NULL;
	}
	c = kaggle_client_open(*l, &e);
	if (!c) {
		*code = cmd_fail(&e, CMD_EXIT_FAILED);
		loop_free(*l);
		*l = NULL;
	}
	return c;
}

void
cmd_kaggle_close(kaggle_client *c, loop *l)
{
	kaggle_client_close(c);
	if (l)
		loop_free(l);
}

void
cmd_print_help(const cmd *c)
{
	printf("Usage: autokaggle %s\n%s\n\n%s", c->synopsis, c->summary, c->help);
	if (strstr(c->synopsis, "RUN OPTIONS")) {
		runopts_print_help(stdout);
		putchar('\n');
	}
	printf("Global options: --workspace DIR, --headless, --theme NAME, --colors MODE, --no-mouse, --ascii, --help, --version.\n");
}

int
cmd_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	return 0;
}
