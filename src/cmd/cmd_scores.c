#include "config.h"

#include "cmd/cmd.h"
#include "cmd/table.h"
#include "kaggle/api.h"
#include "kaggle/client.h"
#include "kaggle/url.h"
#include "util/termsafe.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* submissions and leaderboard: what Kaggle scored, without a workspace. */

#define SCORES_MAX_PAGES 50

typedef struct scores_args {
	char slug[KAGGLE_SLUG_MAX + 1];
	long top;
	int json;
} scores_args;

static int
scores_parse(const char *name, int argc, char **argv, scores_args *a, int with_top)
{
	const char *arg = NULL;
	int i;

	a->top = 20;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			a->json = 1;
		} else if (with_top && strcmp(argv[i], "--top") == 0) {
			char *end;

			if (i + 1 >= argc)
				return cmd_usage_error(name, "--top needs a number");
			a->top = strtol(argv[++i], &end, 10);
			if (*end || a->top < 1 || a->top > 10000)
				return cmd_usage_error(name, "--top takes a number from 1 to 10000, not '%s'", argv[i]);
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cmd_usage_error(name, "unknown option '%s'", argv[i]);
		} else if (arg) {
			return cmd_usage_error(name, "unexpected argument '%s'", argv[i]);
		} else {
			arg = argv[i];
		}
	}
	if (!arg)
		return cmd_usage_error(name, "which competition? say autokaggle %s SLUG", name);
	return cmd_slug_arg(name, arg, a->slug);
}

static void
scores_score(int has, double v, char *buf, size_t n)
{
	if (has)
		snprintf(buf, n, "%.5f", v);
	else
		snprintf(buf, n, "-");
}

static void
scores_print_json(cJSON *arr)
{
	char *text = cJSON_Print(arr);

	printf("%s\n", text);
	free(text);
}

/* ---- submissions ---- */

static const char *const sub_status[] = { "pending", "complete", "error" };

static void
submissions_add(table *t, cJSON *arr, const kaggle_submission *s)
{
	char when[TIMEFMT_ISO_LEN], pub[32], priv[32];
	const char *row[5];
	cJSON *o = cJSON_CreateObject();

	timefmt_iso_utc(s->date, when);
	scores_score(s->has_public_score, s->public_score, pub, sizeof(pub));
	scores_score(s->has_private_score, s->private_score, priv, sizeof(priv));
	row[0] = when;
	row[1] = sub_status[s->status];
	row[2] = pub;
	row[3] = priv;
	/* Kaggle's reason for an ERROR is where users look for it. */
	row[4] = s->status == KAGGLE_SUBMISSION_ERROR && *s->error_description ? s->error_description : s->description;
	table_add(t, row);
	cJSON_AddNumberToObject(o, "ref", (double)s->ref);
	cJSON_AddStringToObject(o, "date", when);
	cJSON_AddStringToObject(o, "status", sub_status[s->status]);
	cJSON_AddStringToObject(o, "description", s->description);
	cJSON_AddStringToObject(o, "fileName", s->file_name);
	if (s->has_public_score)
		cJSON_AddNumberToObject(o, "publicScore", s->public_score);
	else
		cJSON_AddNullToObject(o, "publicScore");
	if (s->has_private_score)
		cJSON_AddNumberToObject(o, "privateScore", s->private_score);
	else
		cJSON_AddNullToObject(o, "privateScore");
	if (*s->error_description)
		cJSON_AddStringToObject(o, "errorDescription", s->error_description);
	cJSON_AddItemToArray(arr, o);
}

static int
submissions_main(cmd_ctx *cx, int argc, char **argv)
{
	static const char *const head[] = { "date", "status", "public", "private", "description" };
	static const int right[] = { 0, 0, 1, 1, 0 };
	scores_args a = { 0 };
	kaggle_client *c;
	table *t;
	cJSON *arr;
	char *token = NULL;
	loop *l;
	int code = scores_parse("submissions", argc, argv, &a, 0), pages = 0;
	ak_err e = { 0 };

	(void)cx;
	if (code != CMD_EXIT_OK || !(c = cmd_kaggle_open(&l, &code)))
		return code;
	t = table_new(5, head, right, 4);
	arr = cJSON_CreateArray();
	do {
		char *body = kaggle_api_list_submissions_body(a.slug, 100, token), *reply;
		kaggle_submission_page p;
		size_t len = 0, i;

		reply = kaggle_client_call(c, "ListSubmissions", body, a.slug, &len, &e);
		free(body);
		free(token);
		token = NULL;
		if (!reply || kaggle_api_parse_submission_page(reply, len, &p, &e) < 0) {
			free(reply);
			code = cmd_fail(&e, CMD_EXIT_FAILED);
			break;
		}
		free(reply);
		for (i = 0; i < p.count; i++)
			submissions_add(t, arr, &p.items[i]);
		if (*p.next_page_token && ++pages < SCORES_MAX_PAGES)
			token = xstrdup(p.next_page_token);
		kaggle_api_submission_page_free(&p);
	} while (token);
	if (code == CMD_EXIT_OK && a.json)
		scores_print_json(arr);
	else if (code == CMD_EXIT_OK && cJSON_GetArraySize(arr) == 0)
		printf("no submissions to %s yet\n", a.slug);
	else if (code == CMD_EXIT_OK)
		table_print(t, stdout, table_width(stdout));
	cJSON_Delete(arr);
	table_free(t);
	cmd_kaggle_close(c, l);
	return code;
}

const cmd cmd_submissions = {
	"submissions", submissions_main, CMD_WS_NONE, "submissions SLUG [--json]",
	"List your submissions to a competition and their scores.",
	"Newest first: date, status (pending, complete, error), public and private\n"
	"score when Kaggle shows them, and the description, or Kaggle's reason\n"
	"for a submission it could not score.\n\n"
	"  --json          the submissions as a JSON array\n\n",
};

/* ---- leaderboard ---- */

static int
leaderboard_fetch(kaggle_client *c, const scores_args *a, table *t, cJSON *arr, ak_err *e)
{
	char *token = NULL;
	long long have = 0;
	int pages = 0;

	do {
		char *body = kaggle_api_get_leaderboard_body(a->slug, 50, token), *reply;
		kaggle_leaderboard_page p;
		size_t len = 0, i;

		reply = kaggle_client_call(c, "GetLeaderboard", body, a->slug, &len, e);
		free(body);
		free(token);
		token = NULL;
		if (!reply || kaggle_api_parse_leaderboard_page(reply, len, have, &p, e) < 0) {
			free(reply);
			return -1;
		}
		free(reply);
		for (i = 0; i < p.count && have < a->top; i++, have++) {
			const kaggle_leaderboard_entry *x = &p.items[i];
			char rank[24], score[32], when[TIMEFMT_ISO_LEN];
			const char *row[4] = { rank, x->team_name, score, when };
			cJSON *o = cJSON_CreateObject();

			snprintf(rank, sizeof(rank), "%lld", x->rank);
			scores_score(x->has_score, x->score, score, sizeof(score));
			timefmt_iso_utc(x->submission_date, when);
			table_add(t, row);
			cJSON_AddNumberToObject(o, "rank", (double)x->rank);
			cJSON_AddNumberToObject(o, "teamId", (double)x->team_id);
			cJSON_AddStringToObject(o, "teamName", x->team_name);
			if (x->has_score)
				cJSON_AddNumberToObject(o, "score", x->score);
			else
				cJSON_AddNullToObject(o, "score");
			cJSON_AddStringToObject(o, "submissionDate", when);
			cJSON_AddItemToArray(arr, o);
		}
		if (*p.next_page_token && have < a->top && ++pages < SCORES_MAX_PAGES)
			token = xstrdup(p.next_page_token);
		kaggle_api_leaderboard_page_free(&p);
	} while (token);
	return 0;
}

/* The user's own rank, which the competition's metadata carries. */
static long long
leaderboard_my_rank(kaggle_client *c, const char *slug)
{
	char *body = kaggle_api_get_competition_body(slug), *reply;
	kaggle_competition k = { 0 };
	long long rank = 0;
	size_t len = 0;
	ak_err e = { 0 };

	reply = kaggle_client_call(c, "GetCompetition", body, slug, &len, &e);
	free(body);
	if (reply && kaggle_api_parse_competition(reply, len, &k, &e) == 0) {
		rank = k.user_rank;
		kaggle_api_competition_free(&k);
	}
	free(reply);
	return rank;
}

static int
leaderboard_main(cmd_ctx *cx, int argc, char **argv)
{
	static const char *const head[] = { "rank", "team", "score", "date" };
	static const int right[] = { 1, 0, 1, 0 };
	scores_args a = { 0 };
	kaggle_client *c;
	table *t;
	cJSON *arr;
	loop *l;
	long long mine;
	int code = scores_parse("leaderboard", argc, argv, &a, 1);
	ak_err e = { 0 };

	(void)cx;
	if (code != CMD_EXIT_OK || !(c = cmd_kaggle_open(&l, &code)))
		return code;
	t = table_new(4, head, right, 1);
	arr = cJSON_CreateArray();
	if (leaderboard_fetch(c, &a, t, arr, &e) < 0) {
		code = cmd_fail(&e, CMD_EXIT_FAILED);
	} else {
		mine = leaderboard_my_rank(c, a.slug);
		if (a.json) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddItemToObject(o, "entries", arr);
			if (mine > 0)
				cJSON_AddNumberToObject(o, "yourRank", (double)mine);
			else
				cJSON_AddNullToObject(o, "yourRank");
			arr = o;
			scores_print_json(o);
		} else {
			table_print(t, stdout, table_width(stdout));
			if (mine > 0)
				printf("your rank: %lld\n", mine);
		}
	}
	cJSON_Delete(arr);
	table_free(t);
	cmd_kaggle_close(c, l);
	return code;
}

const cmd cmd_leaderboard = {
	"leaderboard", leaderboard_main, CMD_WS_NONE, "leaderboard SLUG [--top N] [--json]",
	"Show a competition's public leaderboard.",
	"The top N teams (default 20) of the public leaderboard: rank, team, score,\n"
	"date; then your own rank when you have one.\n\n"
	"  --top N         how many teams (1 to 10000)\n"
	"  --json          {\"entries\": [...], \"yourRank\": N or null}\n\n",
};
