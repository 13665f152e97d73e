#include "config.h"

#include "cmd/cmd.h"
#include "kaggle/api.h"
#include "kaggle/cache.h"
#include "kaggle/client.h"
#include "kaggle/competition.h"
#include "kaggle/url.h"
#include "util/jsonfile.h"
#include "util/redact.h"
#include "util/termsafe.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* `__kaggle meta SLUG OUT` and `__kaggle data SLUG`: the children META and
 * DATA start for a competition on Kaggle. What they print goes to the
 * stage's log; the last line is the error a failure shows. */

/* competition.json with Kaggle's own field names, as a local
 * competition.json has them, bounded and cleaned by competition_parse. */
static cJSON *
child_competition_json(const kaggle_competition *k, const char *slug, ak_err *e)
{
	cJSON *o = cJSON_CreateObject(), *clean;
	char when[TIMEFMT_ISO_LEN], *text, *rules = kaggle_rules_url(slug);

	cJSON_AddStringToObject(o, "ref", slug);
	cJSON_AddStringToObject(o, "title", *k->title ? k->title : slug);
	cJSON_AddStringToObject(o, "url", k->url);
	cJSON_AddStringToObject(o, "description", k->description);
	cJSON_AddStringToObject(o, "category", k->category);
	cJSON_AddStringToObject(o, "reward", k->reward);
	cJSON_AddStringToObject(o, "evaluationMetric", k->evaluation_metric);
	if (k->deadline) {
		timefmt_iso_utc(k->deadline, when);
		cJSON_AddStringToObject(o, "deadline", when);
	}
	cJSON_AddNumberToObject(o, "teamCount", (double)k->team_count);
	cJSON_AddNumberToObject(o, "maxDailySubmissions", k->max_daily_submissions);
	cJSON_AddNumberToObject(o, "maxTeamSize", k->max_team_size);
	cJSON_AddBoolToObject(o, "userHasEntered", k->user_has_entered);
	cJSON_AddBoolToObject(o, "isKernelsSubmissionsOnly", k->is_kernels_submissions_only);
	cJSON_AddBoolToObject(o, "submissionsDisabled", k->submissions_disabled);
	cJSON_AddStringToObject(o, "rulesUrl", rules);
	text = cJSON_PrintUnformatted(o);
	clean = competition_parse(text, strlen(text), "Kaggle's reply", e);
	free(text);
	free(rules);
	cJSON_Delete(o);
	return clean;
}

/* GetCompetition; where the server has no such method, the competition as
 * ListCompetitions finds it by its slug (specs/kaggle-api.md §3.2). */
static int
child_get_competition(kaggle_client *c, const char *slug, kaggle_competition *out, ak_err *e)
{
	char *body = kaggle_api_get_competition_body(slug), *reply;
	kaggle_api_list_query q = { .search = slug };
	kaggle_competition_page page = { 0 };
	size_t len = 0, i;
	int rc = -1;

	reply = kaggle_client_call(c, "GetCompetition", body, slug, &len, e);
	free(body);
	if (reply) {
		rc = kaggle_api_parse_competition(reply, len, out, e);
		free(reply);
		return rc;
	}
	if (err_kind_of(e) != ERR_SERVER && err_kind_of(e) != ERR_NOT_FOUND)
		return -1;
	body = kaggle_api_list_competitions_body(&q, e);
	reply = body ? kaggle_client_call(c, "ListCompetitions", body, slug, &len, e) : NULL;
	free(body);
	if (!reply || kaggle_api_parse_competition_page(reply, len, &page, e) < 0) {
		free(reply);
		return -1;
	}
	free(reply);
	for (i = 0; i < page.count && rc < 0; i++) {
		if (strcmp(page.items[i].slug, slug) == 0) {
			*out = page.items[i];
			memset(&page.items[i], 0, sizeof(page.items[i]));
			rc = 0;
		}
	}
	kaggle_api_competition_page_free(&page);
	if (rc < 0)
		err_kind_set(e, ERR_NOT_FOUND, "Kaggle has no competition '%s': find its name with 'autokaggle competitions SEARCH'", slug);
	return rc;
}

static void
child_meta_report(const kaggle_competition *k)
{
	char when[TIMEFMT_ISO_LEN];
	double days = k->deadline ? difftime(k->deadline, time(NULL)) / 86400.0 : 0;

	termsafe_fputs(*k->title ? k->title : k->slug, TERMSAFE_LINE, stdout);
	printf("\n");
	if (k->deadline) {
		timefmt_iso_utc(k->deadline, when);
		if (days >= 0)
			printf("deadline      %s (%.0f days left)\n", when, days);
		else
			printf("deadline      %s (ended)\n", when);
	}
	printf("metric        ");
	termsafe_fputs(*k->evaluation_metric ? k->evaluation_metric : "(not given)", TERMSAFE_LINE, stdout);
	printf("\nreward        ");
	termsafe_fputs(*k->reward ? k->reward : "-", TERMSAFE_LINE, stdout);
	printf("\nteams         %lld\n", k->team_count);
	printf("submissions   %d a day%s\n", k->max_daily_submissions,
		k->is_kernels_submissions_only ? ", through notebooks only" : "");
	printf("entered       %s\n", k->user_has_entered ? "yes" :
		"no: join the competition and accept its rules on kaggle.com before downloading");
}

static int
child_meta(kaggle_client *c, const char *slug, const char *out, ak_err *e)
{
	kaggle_competition k = { 0 };
	cJSON *comp;
	int rc;

	if (child_get_competition(c, slug, &k, e) < 0)
		return -1;
	child_meta_report(&k);
	comp = child_competition_json(&k, slug, e);
	kaggle_api_competition_free(&k);
	if (!comp)
		return -1;
	rc = jsonfile_save(out, comp, e);
	cJSON_Delete(comp);
	return rc;
}

static int
child_data(kaggle_client *c, const char *slug, ak_err *e)
{
	kaggle_cache_result r = { 0 };

	if (kaggle_cache_fetch(c, slug, 0, &r, e) < 0)
		return -1;
	printf("%d file%s, %.1f MB in ", r.files, r.files == 1 ? "" : "s", (double)r.bytes / 1e6);
	termsafe_fputs(r.data_dir, TERMSAFE_LINE, stdout);
	printf(" (%s)\n", r.downloaded ? "downloaded" : "cached, unchanged on Kaggle");
	kaggle_cache_result_clean(&r);
	return 0;
}

int
cmd_kaggle_child(int argc, char **argv)
{
	kaggle_client *c;
	loop *l;
	ak_err e = { 0 };
	int rc = -1;

	if (argc < 3 || (strcmp(argv[1], "meta") == 0 && argc != 4) ||
	    (strcmp(argv[1], "data") == 0 && argc != 3)) {
		fprintf(stderr, "usage: __kaggle meta SLUG OUT | __kaggle data SLUG\n");
		return CMD_EXIT_USAGE;
	}
	redact_add_from_env();
	setvbuf(stdout, NULL, _IOLBF, 0);
	l = loop_new();
	c = l ? kaggle_client_open(l, &e) : NULL;
	if (!l)
		err_set(&e, "cannot start the event loop");
	else if (c && strcmp(argv[1], "meta") == 0)
		rc = child_meta(c, argv[2], argv[3], &e);
	else if (c && strcmp(argv[1], "data") == 0)
		rc = child_data(c, argv[2], &e);
	else if (c)
		err_set(&e, "unknown __kaggle step '%s'", argv[1]);
	if (rc < 0) {
		char *clean = redact_string(e.msg);

		fflush(stdout);
		fprintf(stderr, "%s\n", clean);
		free(clean);
	}
	kaggle_client_close(c);
	if (l)
		loop_free(l);
	return rc < 0 ? err_exit_code(&e, CMD_EXIT_FAILED) : CMD_EXIT_OK;
}
