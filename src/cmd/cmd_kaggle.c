#include "config.h"

#include "cmd/cmd.h"
#include "cmd/table.h"
#include "kaggle/api.h"
#include "kaggle/cache.h"
#include "kaggle/client.h"
#include "kaggle/url.h"
#include "util/termsafe.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* competitions, files, download: the Kaggle listings and the data cache,
 * without a workspace. */

#define KAGGLE_PAGE 20

static void
kaggle_day(time_t t, char out[16])
{
	struct tm tm;

	if (!t || !gmtime_r(&t, &tm))
		snprintf(out, 16, "-");
	else
		strftime(out, 16, "%Y-%m-%d", &tm);
}

/* ---- competitions ---- */

typedef struct list_args {
	kaggle_api_list_query q;
	int page, json;
} list_args;

static int
list_parse(int argc, char **argv, list_args *a)
{
	int i;

	a->page = 1;
	for (i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char **dst = strcmp(o, "--category") == 0 ? &a->q.category
			: strcmp(o, "--sort") == 0 ? &a->q.sort_by
			: strcmp(o, "--group") == 0 ? &a->q.group : NULL;

		if (dst || strcmp(o, "--page") == 0) {
			if (i + 1 >= argc)
				return cmd_usage_error("competitions", "%s needs a value", o);
			if (dst) {
				*dst = argv[++i];
			} else {
				char *end;
				long n = strtol(argv[++i], &end, 10);

				if (*end || n < 1 || n > 1000)
					return cmd_usage_error("competitions", "--page takes a number from 1 to 1000, not '%s'", argv[i]);
				a->page = (int)n;
			}
		} else if (strcmp(o, "--json") == 0) {
			a->json = 1;
		} else if (o[0] == '-' && o[1]) {
			return cmd_usage_error("competitions", "unknown option '%s'", o);
		} else if (a->q.search) {
			return cmd_usage_error("competitions", "unexpected argument '%s' (one SEARCH text; quote it when it has spaces)", o);
		} else {
			a->q.search = o;
		}
	}
	return CMD_EXIT_OK;
}

/* The words given are known ones, before any credentials are looked for. */
static int
list_check(const kaggle_api_list_query *q, ak_err *e)
{
	char *body = kaggle_api_list_competitions_body(q, e);

	if (!body)
		return -1;
	free(body);
	return 0;
}

static cJSON *
list_json_item(const kaggle_competition *k)
{
	cJSON *o = cJSON_CreateObject();
	char when[TIMEFMT_ISO_LEN];

	cJSON_AddStringToObject(o, "slug", k->slug);
	cJSON_AddStringToObject(o, "title", k->title);
	cJSON_AddStringToObject(o, "url", k->url);
	cJSON_AddStringToObject(o, "category", k->category);
	cJSON_AddStringToObject(o, "reward", k->reward);
	if (k->deadline) {
		timefmt_iso_utc(k->deadline, when);
		cJSON_AddStringToObject(o, "deadline", when);
	} else {
		cJSON_AddNullToObject(o, "deadline");
	}
	cJSON_AddNumberToObject(o, "teamCount", (double)k->team_count);
	cJSON_AddBoolToObject(o, "userHasEntered", k->user_has_entered);
	cJSON_AddNumberToObject(o, "maxDailySubmissions", k->max_daily_submissions);
	cJSON_AddStringToObject(o, "evaluationMetric", k->evaluation_metric);
	cJSON_AddBoolToObject(o, "isKernelsSubmissionsOnly", k->is_kernels_submissions_only);
	return o;
}

static void
list_print(const kaggle_competition_page *p, int json)
{
	static const char *const head[] = { "slug", "deadline", "category", "reward", "teams", "entered" };
	static const int right[] = { 0, 0, 0, 0, 1, 0 };
	table *t;
	size_t i;

	if (json) {
		cJSON *arr = cJSON_CreateArray();
		char *text;

		for (i = 0; i < p->count; i++)
			cJSON_AddItemToArray(arr, list_json_item(&p->items[i]));
		text = cJSON_Print(arr);
		printf("%s\n", text);
		free(text);
		cJSON_Delete(arr);
		return;
	}
	if (p->count == 0) {
		printf("no competitions match\n");
		return;
	}
	t = table_new(6, head, right, 0);
	for (i = 0; i < p->count; i++) {
		const kaggle_competition *k = &p->items[i];
		char day[16], teams[24];
		const char *row[6];

		kaggle_day(k->deadline, day);
		snprintf(teams, sizeof(teams), "%lld", k->team_count);
		row[0] = k->slug;
		row[1] = day;
		row[2] = k->category;
		row[3] = k->reward;
		row[4] = teams;
		row[5] = k->user_has_entered ? "yes" : "no";
		table_add(t, row);
	}
	table_print(t, stdout, table_width(stdout));
	table_free(t);
}

static int
competitions_main(cmd_ctx *cx, int argc, char **argv)
{
	list_args a = { 0 };
	kaggle_competition_page page = { 0 };
	kaggle_client *c;
	char *token = NULL;
	loop *l;
	int code = list_parse(argc, argv, &a), n;
	ak_err e = { 0 };

	(void)cx;
	if (code != CMD_EXIT_OK)
		return code;
	a.q.page_size = KAGGLE_PAGE;
	if (list_check(&a.q, &e) < 0)
		return cmd_usage_error("competitions", "%s", e.msg);
	c = cmd_kaggle_open(&l, &code);
	if (!c)
		return code;
	/* --page N follows the page tokens N - 1 times. */
	for (n = 1; n <= a.page; n++) {
		char *body, *reply;
		size_t len = 0;

		a.q.page_token = token;
		body = kaggle_api_list_competitions_body(&a.q, &e);
		reply = kaggle_client_call(c, "ListCompetitions", body, NULL, &len, &e);
		free(body);
		kaggle_api_competition_page_free(&page);
		memset(&page, 0, sizeof(page));
		if (!reply || kaggle_api_parse_competition_page(reply, len, &page, &e) < 0) {
			free(reply);
			code = cmd_fail(&e, CMD_EXIT_FAILED);
			goto out;
		}
		free(reply);
		free(token);
		token = *page.next_page_token ? xstrdup(page.next_page_token) : NULL;
		if (!token && n < a.page) {
			kaggle_api_competition_page_free(&page);
			memset(&page, 0, sizeof(page));
			page.next_page_token = xstrdup("");
			break;
		}
	}
	list_print(&page, a.json);
	code = CMD_EXIT_OK;
out:
	kaggle_api_competition_page_free(&page);
	free(token);
	cmd_kaggle_close(c, l);
	return code;
}

const cmd cmd_competitions = {
	"competitions", competitions_main, CMD_WS_NONE,
	"competitions [SEARCH] [--category C] [--sort S] [--group G] [--page N] [--json]",
	"List Kaggle competitions.",
	"A table of the competitions Kaggle lists (slug, deadline, category, reward,\n"
	"teams, whether you entered), 20 a page, fitted to the terminal's width.\n\n"
	"  SEARCH          words to look for in the titles\n"
	"  --category C    featured, research, recruitment, getting-started, masters,\n"
	"                  playground, community, analytics or all (the default)\n"
	"  --sort S        best (the default), grouped, prize, earliest-deadline,\n"
	"                  latest-deadline, number-of-teams, relevance, recently-created\n"
	"  --group G       everything (the default), general, entered, community,\n"
	"                  hosted, unlaunched, unlaunched-community\n"
	"  --page N        the Nth page (default 1)\n"
	"  --json          the competitions as a JSON array\n\n",
};

/* ---- files ---- */

static int
files_main(cmd_ctx *cx, int argc, char **argv)
{
	static const char *const head[] = { "name", "size", "created" };
	static const int right[] = { 0, 1, 0 };
	char slug[KAGGLE_SLUG_MAX + 1], *token = NULL;
	const char *arg = NULL;
	kaggle_client *c;
	cJSON *arr = cJSON_CreateArray();
	table *t = table_new(3, head, right, 0);
	loop *l = NULL;
	int json = 0, code = CMD_EXIT_OK, i, pages = 0;
	ak_err e = { 0 };

	(void)cx;
	for (i = 1; i < argc && code == CMD_EXIT_OK; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (argv[i][0] == '-' && argv[i][1])
			code = cmd_usage_error("files", "unknown option '%s'", argv[i]);
		else if (arg)
			code = cmd_usage_error("files", "unexpected argument '%s'", argv[i]);
		else
			arg = argv[i];
	}
	if (code == CMD_EXIT_OK && !arg)
		code = cmd_usage_error("files", "which competition? say autokaggle files SLUG");
	if (code == CMD_EXIT_OK)
		code = cmd_slug_arg("files", arg, slug);
	c = code == CMD_EXIT_OK ? cmd_kaggle_open(&l, &code) : NULL;
	while (c) {
		char *body = kaggle_api_list_data_files_body(slug, 200, token), *reply;
		kaggle_data_file_page p;
		size_t len = 0, k;

		reply = kaggle_client_call(c, "ListDataFiles", body, slug, &len, &e);
		free(body);
		if (!reply || kaggle_api_parse_data_file_page(reply, len, &p, &e) < 0) {
			free(reply);
			code = cmd_fail(&e, CMD_EXIT_FAILED);
			break;
		}
		free(reply);
		for (k = 0; k < p.count; k++) {
			const kaggle_data_file *f = &p.items[k];
			char size[32], day[16];
			const char *row[3] = { f->name, size, day };
			cJSON *o = cJSON_CreateObject();

			snprintf(size, sizeof(size), "%lld", f->total_bytes);
			kaggle_day(f->creation_date, day);
			table_add(t, row);
			cJSON_AddStringToObject(o, "name", f->name);
			cJSON_AddNumberToObject(o, "totalBytes", (double)f->total_bytes);
			cJSON_AddStringToObject(o, "creationDate", day);
			cJSON_AddItemToArray(arr, o);
		}
		free(token);
		token = *p.next_page_token && ++pages < 1000 ? xstrdup(p.next_page_token) : NULL;
		kaggle_api_data_file_page_free(&p);
		if (!token)
			break;
	}
	if (c && code == CMD_EXIT_OK) {
		if (json) {
			char *text = cJSON_Print(arr);

			printf("%s\n", text);
			free(text);
		} else {
			table_print(t, stdout, table_width(stdout));
		}
	}
	if (c)
		cmd_kaggle_close(c, l);
	free(token);
	table_free(t);
	cJSON_Delete(arr);
	return code;
}

const cmd cmd_files = {
	"files", files_main, CMD_WS_NONE, "files SLUG [--json]",
	"List a competition's data files.",
	"The files Kaggle lists for the competition (name, size in bytes, date).\n"
	"SLUG may also be the competition's URL.\n\n"
	"  --json          the files as a JSON array\n\n",
};

/* ---- download ---- */

static int
download_main(cmd_ctx *cx, int argc, char **argv)
{
	char slug[KAGGLE_SLUG_MAX + 1];
	const char *arg = NULL;
	kaggle_cache_result r = { 0 };
	kaggle_client *c;
	loop *l;
	int force = 0, code = CMD_EXIT_OK, i;
	ak_err e = { 0 };

	(void)cx;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (argv[i][0] == '-' && argv[i][1])
			return cmd_usage_error("download", "unknown option '%s'", argv[i]);
		else if (arg)
			return cmd_usage_error("download", "unexpected argument '%s'", argv[i]);
		else
			arg = argv[i];
	}
	if (!arg)
		return cmd_usage_error("download", "which competition? say autokaggle download SLUG");
	code = cmd_slug_arg("download", arg, slug);
	if (code != CMD_EXIT_OK)
		return code;
	c = cmd_kaggle_open(&l, &code);
	if (!c)
		return code;
	if (kaggle_cache_fetch(c, slug, force, &r, &e) < 0) {
		code = cmd_fail(&e, CMD_EXIT_FAILED);
	} else {
		printf("%s: %d file%s, %.1f MB in ", slug, r.files, r.files == 1 ? "" : "s", (double)r.bytes / 1e6);
		termsafe_fputs(r.data_dir, TERMSAFE_LINE, stdout);
		if (r.downloaded)
			printf(" (downloaded: %.1f MB in %.2f s, extracted in %.2f s)\n", (double)r.zip_bytes / 1e6,
				r.download_s, r.extract_s);
		else
			printf(" (already up to date)\n");
	}
	kaggle_cache_result_clean(&r);
	cmd_kaggle_close(c, l);
	return code;
}

const cmd cmd_download = {
	"download", download_main, CMD_WS_NONE, "download SLUG [--force]",
	"Download a competition's data into the cache.",
	"Downloads and extracts the competition's data into\n"
	"$XDG_CACHE_HOME/autokaggle/competitions/SLUG/data (~/.cache when unset),\n"
	"shared by every run. Data already there that matches what Kaggle lists\n"
	"(names and sizes) is not downloaded again; an interrupted download resumes.\n\n"
	"  --force         download and extract again whatever is cached\n\n",
};
