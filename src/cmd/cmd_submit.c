#include "config.h"

#include "cmd/cmd.h"
#include "pipeline/submit_gate.h"
#include "kaggle/api.h"
#include "kaggle/client.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/jsonfile.h"
#include "util/termsafe.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* submit: a run's validated submission.csv to Kaggle, after the pre-flight
 * checks (submit_gate.c), then with --wait its public score. */

#define SUBMIT_WAIT_MAX_S (30 * 60)

typedef struct submit_args {
	const char *run, *message;
	int wait, force, check;
} submit_args;

static int
submit_parse(int argc, char **argv, submit_args *a)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (strcmp(o, "-m") == 0 || strcmp(o, "--message") == 0) {
			if (i + 1 >= argc)
				return cmd_usage_error("submit", "%s needs the message", o);
			a->message = argv[++i];
		} else if (strncmp(o, "--message=", 10) == 0) {
			a->message = o + 10;
		} else if (strcmp(o, "--wait") == 0) {
			a->wait = 1;
		} else if (strcmp(o, "--force") == 0) {
			a->force = 1;
		} else if (strcmp(o, "--check") == 0) {
			a->check = 1;
		} else if (o[0] == '-' && o[1]) {
			return cmd_usage_error("submit", "unknown option '%s'", o);
		} else if (a->run) {
			return cmd_usage_error("submit", "unexpected argument '%s'", o);
		} else {
			a->run = o;
		}
	}
	if (!a->run)
		return cmd_usage_error("submit", "which run? say autokaggle submit RUN (or last)");
	return CMD_EXIT_OK;
}

/* The three steps of the spec's §3.6: a ticket, the bytes, the submission. */
static int
submit_upload(kaggle_client *c, const char *slug, const char *path, const char *message, long long *ref,
	ak_err *e)
{
	kaggle_upload_ticket t = { 0 };
	kaggle_created_submission cs = { 0 };
	struct stat st;
	char *body, *reply;
	size_t len = 0;
	int rc = -1;

	if (stat(path, &st) < 0)
		return err_sys(e, "cannot read %s", path);
	body = kaggle_api_start_submission_upload_body(slug, path, (long long)st.st_size, (long long)st.st_mtime);
	reply = kaggle_client_call(c, "StartSubmissionUpload", body, slug, &len, e);
	free(body);
	if (!reply || kaggle_api_parse_upload_ticket(reply, len, &t, e) < 0)
		goto out;
	free(reply);
	reply = NULL;
	if (kaggle_client_put(c, t.create_url, path, e) < 0)
		goto out;
	body = kaggle_api_create_submission_body(slug, t.token, message);
	reply = kaggle_client_call(c, "CreateSubmission", body, slug, &len, e);
	free(body);
	if (!reply || kaggle_api_parse_created_submission(reply, len, &cs, e) < 0)
		goto out;
	termsafe_fputs(cs.message, TERMSAFE_LINE, stdout);
	putchar('\n');
	*ref = cs.ref;
	rc = 0;
out:
	free(reply);
	kaggle_api_upload_ticket_free(&t);
	kaggle_api_created_submission_free(&cs);
	return rc;
}

/* A kernels-only competition takes the kernel version's submission.csv
 * (§3.6, CreateCodeSubmission). */
static int
submit_kernel(kaggle_client *c, const submit_gate *g, const char *message, long long *ref, ak_err *e)
{
	kaggle_created_submission cs = { 0 };
	char *body = kaggle_api_create_code_submission_body(g->slug, g->kernel_owner, g->kernel_slug,
		g->kernel_version, "submission.csv", message), *reply;
	size_t len = 0;
	int rc = -1;

	reply = kaggle_client_call(c, "CreateCodeSubmission", body, g->slug, &len, e);
	free(body);
	if (reply && kaggle_api_parse_created_submission(reply, len, &cs, e) == 0) {
		termsafe_fputs(cs.message, TERMSAFE_LINE, stdout);
		putchar('\n');
		*ref = cs.ref;
		rc = 0;
	}
	free(reply);
	kaggle_api_created_submission_free(&cs);
	return rc;
}

/* Polls the submission until Kaggle scores it or refuses it, backing off
 * from 2 s to 30 s. 1 scored or failed (sub updated), 0 still pending
 * when the wait ended, -1 error. */
static int
submit_wait(kaggle_client *c, loop *l, store_submission *sub, ak_err *e)
{
	double start = loop_now(), delay = 2;

	for (;;) {
		char *body = kaggle_api_get_submission_body(sub->ref), *reply;
		kaggle_submission ks = { 0 };
		size_t len = 0;

		reply = kaggle_client_call(c, "GetSubmission", body, sub->slug, &len, e);
		free(body);
		if (!reply || kaggle_api_parse_submission(reply, len, &ks, e) < 0) {
			free(reply);
			return -1;
		}
		free(reply);
		if (ks.status != KAGGLE_SUBMISSION_PENDING) {
			free(sub->status);
			sub->status = xstrdup(ks.status == KAGGLE_SUBMISSION_COMPLETE ? "complete" : "error");
			free(sub->error);
			sub->error = xstrdup(ks.error_description);
			sub->public_score = ks.has_public_score ? ks.public_score : NAN;
			kaggle_api_submission_free(&ks);
			return 1;
		}
		kaggle_api_submission_free(&ks);
		if (loop_now() - start + delay > SUBMIT_WAIT_MAX_S)
			return 0;
		fprintf(stderr, "autokaggle: waiting for the score (checking again in %.0f s)\n", delay);
		loop_run_once(l, (int)(delay * 1000));
		delay = delay * 2 > 30 ? 30 : delay * 2;
	}
}

static void
submit_report(const store_submission *sub)
{
	if (strcmp(sub->status, "complete") == 0) {
		printf("public score: ");
		if (isnan(sub->public_score))
			printf("hidden");
		else
			printf("%.6g", sub->public_score);
		if (!isnan(sub->cv))
			printf("   local CV: %.6g", sub->cv);
		putchar('\n');
	} else if (strcmp(sub->status, "error") == 0) {
		printf("Kaggle could not score it: ");
		termsafe_fputs(*sub->error ? sub->error : "(no reason given)", TERMSAFE_LINE, stdout);
		putchar('\n');
	} else {
		printf("not scored yet: autokaggle submissions %s shows it when it is\n", sub->slug);
	}
}

static int
submit_run(cmd_ctx *cx, const submit_args *a)
{
	store_run r = { 0 };
	submit_gate g = { 0 };
	store_submission sub = { 0 };
	kaggle_client *c = NULL;
	loop *l = NULL;
	store *db = cmd_open_store(cx, STORE_WRITE);
	ak_err e = { 0 };
	int code;

	if (!db)
		return CMD_EXIT_WORKSPACE;
	code = cmd_find_run(db, a->run, &r);
	if (code == CMD_EXIT_OK)
		code = cmd_require_run_dir(&r);
	if (code == CMD_EXIT_OK && submit_gate_load(&g, &r, &e) < 0)
		code = cmd_fail(&e, CMD_EXIT_INPUT);
	if (code != CMD_EXIT_OK)
		goto out;
	c = cmd_kaggle_open(&l, &code);
	if (!c)
		goto out;
	if (submit_gate_check(&g, c, db, a->force, stdout, &e) < 0) {
		code = cmd_fail(&e, CMD_EXIT_FAILED);
		goto out;
	}
	if (a->check) {
		printf("the checks pass: autokaggle submit %s submits it\n", r.id);
		goto out;
	}
	sub.run_id = r.id;
	sub.slug = g.slug;
	sub.time = timefmt_wall_now();
	sub.message = xstrdup(a->message ? a->message : "autokaggle run");
	sub.file_sha256 = g.file_sha256;
	sub.code_fp = g.code_fp;
	sub.cv = r.cv_score;
	sub.public_score = NAN;
	sub.status = xstrdup("pending");
	sub.error = xstrdup("");
	if ((g.kernels_only ? submit_kernel(c, &g, sub.message, &sub.ref, &e)
			    : submit_upload(c, g.slug, g.path, sub.message, &sub.ref, &e)) < 0) {
		code = cmd_fail(&e, CMD_EXIT_FAILED);
		goto out;
	}
	if (store_submission_add(db, &sub, &e) < 0 || submit_gate_record(&g, &sub, &e) < 0)
		termsafe_error("warning: submitted, but not recorded: %s", e.msg);
	if (a->wait) {
		int scored = submit_wait(c, l, &sub, &e);

		if (scored < 0) {
			code = cmd_fail(&e, CMD_EXIT_FAILED);
			goto out;
		}
		if (scored && (store_submission_update(db, &sub, &e) < 0 || submit_gate_record(&g, &sub, &e) < 0))
			termsafe_error("warning: the score is not recorded: %s", e.msg);
	}
	submit_report(&sub);
	code = a->wait && strcmp(sub.status, "error") == 0 ? CMD_EXIT_FAILED : CMD_EXIT_OK;
out:
	free(sub.message);
	free(sub.status);
	free(sub.error);
	cmd_kaggle_close(c, l);
	submit_gate_clean(&g);
	store_run_free(&r);
	store_close(db);
	return code;
}

static int
submit_main(cmd_ctx *cx, int argc, char **argv)
{
	submit_args a = { 0 };
	int code = submit_parse(argc, argv, &a);

	return code == CMD_EXIT_OK ? submit_run(cx, &a) : code;
}

const cmd cmd_submit = {
	"submit", submit_main, CMD_WS_EXISTS, "submit RUN [-m MESSAGE] [--wait] [--force] [--check]",
	"Submit a run's validated submission.csv to its Kaggle competition.",
	"Before a daily submission is spent, submit checks and shows: that VALIDATE\n"
	"passed for this very file (its SHA-256); the submissions used today against\n"
	"the competition's daily limit; whether the same file or the same code was\n"
	"submitted before, with its public score; and this run's CV against the best\n"
	"CV submitted so far. A failing check refuses with its reason. Then the file\n"
	"is uploaded and the submission recorded in the workspace and run.json. A\n"
	"competition that takes notebooks only gets the kernel version the run\n"
	"pushed with --executor kaggle, whose output the file is.\n\n"
	"  -m, --message M   the submission's description (default: autokaggle run)\n"
	"  --wait            wait (backing off, at most 30 minutes) for the public\n"
	"                    score and print it beside the run's local CV\n"
	"  --force           submit despite every check but the validation\n"
	"  --check           run the checks only and submit nothing (exit 1 when\n"
	"                    one fails); the workbench's s shows them before asking\n\n",
};
