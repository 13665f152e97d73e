#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaggle/api.h"
#include "util/redact.h"
#include "util/xalloc.h"

/* Compares JSON by meaning (keys, types, values), not by whitespace;
 * takes body. */
static void
assert_body(char *body, const char *expected)
{
	cJSON *a = cJSON_Parse(body), *b = cJSON_Parse(expected);

	assert_non_null(a);
	assert_non_null(b);
	if (!cJSON_Compare(a, b, 1))
		fail_msg("body %s, expected %s", body, expected);
	cJSON_Delete(a);
	cJSON_Delete(b);
	free(body);
}

static void
test_url(void **state)
{
	char *u;

	(void)state;
	u = kaggle_api_url(KAGGLE_API_ENDPOINT, KAGGLE_API_COMPETITIONS, "ListCompetitions");
	assert_string_equal(u, "https://api.kaggle.com/v1/competitions.CompetitionApiService/ListCompetitions");
	free(u);
	u = kaggle_api_url("http://localhost:8080/api/v1", KAGGLE_API_COMPETITIONS, "GetLeaderboard");
	assert_string_equal(u, "http://localhost:8080/api/v1/competitions.CompetitionApiService/GetLeaderboard");
	free(u);
}

static void
test_list_competitions_body(void **state)
{
	kaggle_api_list_query q = { 0 };
	ak_err e = { 0 };

	(void)state;
	assert_body(kaggle_api_list_competitions_body(&q, &e),
		"{\"group\":\"COMPETITION_LIST_TAB_EVERYTHING\",\"category\":\"HOST_SEGMENT_UNSPECIFIED\","
		"\"sortBy\":\"COMPETITION_SORT_BY_BEST\",\"search\":\"\"}");
	q.search = "house";
	q.page = 2;
	q.page_token = "abc";
	q.page_size = 5;
	assert_body(kaggle_api_list_competitions_body(&q, &e),
		"{\"group\":\"COMPETITION_LIST_TAB_EVERYTHING\",\"category\":\"HOST_SEGMENT_UNSPECIFIED\","
		"\"sortBy\":\"COMPETITION_SORT_BY_BEST\",\"search\":\"house\",\"page\":2,\"pageToken\":\"abc\","
		"\"pageSize\":5}");
	memset(&q, 0, sizeof(q));
	q.group = "entered";
	q.category = "Getting-Started";
	q.sort_by = "earliest-deadline";
	assert_body(kaggle_api_list_competitions_body(&q, &e),
		"{\"group\":\"COMPETITION_LIST_TAB_ENTERED\",\"category\":\"HOST_SEGMENT_GETTING_STARTED\","
		"\"sortBy\":\"COMPETITION_SORT_BY_EARLIEST_DEADLINE\",\"search\":\"\"}");
	q.category = "all";
	q.sort_by = "recently-created";
	q.group = "unlaunched-community";
	assert_body(kaggle_api_list_competitions_body(&q, &e),
		"{\"group\":\"COMPETITION_LIST_TAB_UNLAUNCHED_COMMUNITY\",\"category\":\"HOST_SEGMENT_UNSPECIFIED\","
		"\"sortBy\":\"COMPETITION_SORT_BY_RECENTLY_CREATED\",\"search\":\"\"}");
}

static void
test_list_competitions_unknown_words(void **state)
{
	kaggle_api_list_query q = { 0 };
	ak_err e = { 0 };

	(void)state;
	q.category = "kaggle-days";
	assert_null(kaggle_api_list_competitions_body(&q, &e));
	assert_int_equal(err_kind_of(&e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "'kaggle-days'"));
	assert_non_null(strstr(e.msg, "all, featured, research, recruitment, getting-started, masters, playground, "
				      "community, analytics"));
	q.category = NULL;
	q.sort_by = "newest";
	assert_null(kaggle_api_list_competitions_body(&q, &e));
	assert_non_null(strstr(e.msg, "best, grouped, prize, earliest-deadline, latest-deadline, number-of-teams, "
				      "relevance, recently-created"));
	q.sort_by = NULL;
	q.group = "mine";
	assert_null(kaggle_api_list_competitions_body(&q, &e));
	assert_non_null(strstr(e.msg, "everything, general, entered"));
}

static void
test_competition_bodies(void **state)
{
	(void)state;
	assert_body(kaggle_api_get_competition_body("titanic"), "{\"competitionName\":\"titanic\"}");
	assert_body(kaggle_api_download_data_files_body("titanic"), "{\"competitionName\":\"titanic\"}");
	assert_body(kaggle_api_get_submission_limits_body("titanic"), "{\"competitionName\":\"titanic\"}");
	assert_body(kaggle_api_download_data_file_body("titanic", "train.csv"),
		"{\"competitionName\":\"titanic\",\"fileName\":\"train.csv\"}");
	assert_body(kaggle_api_get_submission_body(56073536), "{\"ref\":56073536}");
}

static void
test_paged_bodies(void **state)
{
	(void)state;
	assert_body(kaggle_api_list_data_files_body("titanic", 20, "tok"),
		"{\"competitionName\":\"titanic\",\"pageSize\":20,\"pageToken\":\"tok\"}");
	assert_body(kaggle_api_list_data_files_body("titanic", 0, ""), "{\"competitionName\":\"titanic\"}");
	assert_body(kaggle_api_list_submissions_body("titanic", 0, NULL), "{\"competitionName\":\"titanic\"}");
	assert_body(kaggle_api_list_submissions_body("titanic", 50, "n2"),
		"{\"competitionName\":\"titanic\",\"pageSize\":50,\"pageToken\":\"n2\"}");
	assert_body(kaggle_api_get_leaderboard_body("titanic", 50, "..."),
		"{\"competitionName\":\"titanic\",\"pageSize\":50,\"pageToken\":\"...\"}");
	assert_body(kaggle_api_get_leaderboard_body("titanic", 0, NULL), "{\"competitionName\":\"titanic\"}");
}

static void
test_submission_bodies(void **state)
{
	(void)state;
	assert_body(kaggle_api_start_submission_upload_body("titanic", "/runs/r1/output/submission.csv", 3258,
			    1751364000),
		"{\"competitionName\":\"titanic\",\"contentLength\":3258,\"lastModifiedEpochSeconds\":1751364000,"
		"\"fileName\":\"submission.csv\"}");
	assert_body(kaggle_api_start_submission_upload_body("titanic", "s.csv", 0, 0),
		"{\"competitionName\":\"titanic\",\"fileName\":\"s.csv\"}");
	assert_body(kaggle_api_create_submission_body("titanic", "<token>", "first try"),
		"{\"competitionName\":\"titanic\",\"blobFileTokens\":\"<token>\",\"submissionDescription\":\"first try\"}");
	assert_body(kaggle_api_create_submission_body("titanic", "t", ""),
		"{\"competitionName\":\"titanic\",\"blobFileTokens\":\"t\",\"submissionDescription\":\"\"}");
	assert_body(kaggle_api_create_submission_body("titanic", "t", NULL),
		"{\"competitionName\":\"titanic\",\"blobFileTokens\":\"t\"}");
}

static void
test_slug_from_ref(void **state)
{
	static const char *const cases[][2] = {
		{ "https://www.kaggle.com/competitions/titanic", "titanic" },
		{ "https://www.kaggle.com/competitions/home-credit-credit-risk-model-stability",
			"home-credit-credit-risk-model-stability" },
		{ "https://kaggle.com/competitions/titanic/data", "titanic" },
		{ "https://www.kaggle.com/c/titanic", "titanic" },
		{ "www.kaggle.com/competitions/titanic/overview/evaluation", "titanic" },
		{ "http://www.kaggle.com/c/house-prices/", "house-prices" },
		{ "https://www.kaggle.com/competitions/titanic?select=train.csv", "titanic" },
		{ "https://www.kaggle.com/competitions/titanic#rules", "titanic" },
		{ "titanic", "titanic" },
		{ "playground-series-s5e7", "playground-series-s5e7" },
		{ "https://www.kaggle.com/", "" },
		{ "Titanic", "" },
		{ "https://www.kaggle.com/code/alice/my-kernel", "" },
		{ "https://www.kaggle.com/titanic", "" },
		{ "c/titanic", "" },
		{ "/competitions/titanic", "" },
		{ "ti tanic", "" },
		{ "", "" },
		{ "https://www.kaggle.com/competitions/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "" },
	};
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = kaggle_api_slug_from_ref(cases[i][0]);
		if (strcmp(s, cases[i][1]) != 0)
			fail_msg("%s gave '%s', expected '%s'", cases[i][0], s, cases[i][1]);
		free(s);
	}
	s = kaggle_api_slug_from_ref(NULL);
	assert_string_equal(s, "");
	free(s);
}

static void
test_enum_value(void **state)
{
	static const char *const kernel[] = { "QUEUED", "RUNNING", "COMPLETE", "ERROR", "CANCEL_REQUESTED",
		"CANCEL_ACKNOWLEDGED", "NEW_SCRIPT" };
	const char *prefix = "KERNEL_WORKER_STATUS_";

	(void)state;
	assert_int_equal(kaggle_api_enum_value("COMPLETE", prefix, kernel, 7, -1), 2);
	assert_int_equal(kaggle_api_enum_value("complete", prefix, kernel, 7, -1), 2);
	assert_int_equal(kaggle_api_enum_value("KERNEL_WORKER_STATUS_ERROR", prefix, kernel, 7, -1), 3);
	assert_int_equal(kaggle_api_enum_value("kernel_worker_status_running", prefix, kernel, 7, -1), 1);
	assert_int_equal(kaggle_api_enum_value("cancelAcknowledged", prefix, kernel, 7, -1), 5);
	assert_int_equal(kaggle_api_enum_value("CancelRequested", prefix, kernel, 7, -1), 4);
	assert_int_equal(kaggle_api_enum_value("6", prefix, kernel, 7, -1), 6);
	assert_int_equal(kaggle_api_enum_value("7", prefix, kernel, 7, -1), -1);
	assert_int_equal(kaggle_api_enum_value("-1", prefix, kernel, 7, -1), -1);
	assert_int_equal(kaggle_api_enum_value("DONE", prefix, kernel, 7, -1), -1);
	assert_int_equal(kaggle_api_enum_value("", prefix, kernel, 7, -1), -1);
	assert_int_equal(kaggle_api_enum_value(NULL, prefix, kernel, 7, -1), -1);
	assert_int_equal(kaggle_api_enum_value("COMPLETEX", prefix, kernel, 7, -1), -1);
}

#define LIST_REPLY                                                                                        \
	"{\"competitions\":[{\"id\":3136,\"ref\":\"https://www.kaggle.com/competitions/titanic\","          \
	"\"title\":\"Titanic - Machine Learning from Disaster\",\"url\":\"https://www.kaggle.com/competitions/titanic\"," \
	"\"category\":\"Getting Started\",\"reward\":\"Knowledge\",\"deadline\":\"2030-01-01T00:00:00Z\","  \
	"\"teamCount\":15000,\"userHasEntered\":true,\"maxDailySubmissions\":10,"                            \
	"\"evaluationMetric\":\"Categorization Accuracy\"}],\"nextPageToken\":\"CAE\"}"

static void
test_competition_page(void **state)
{
	kaggle_competition_page p;
	kaggle_competition *c;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(kaggle_api_parse_competition_page(LIST_REPLY, strlen(LIST_REPLY), &p, &e), 0);
	assert_int_equal(p.count, 1);
	assert_string_equal(p.next_page_token, "CAE");
	c = &p.items[0];
	assert_int_equal(c->id, 3136);
	assert_string_equal(c->slug, "titanic");
	assert_string_equal(c->ref, "https://www.kaggle.com/competitions/titanic");
	assert_string_equal(c->title, "Titanic - Machine Learning from Disaster");
	assert_string_equal(c->category, "Getting Started");
	assert_string_equal(c->reward, "Knowledge");
	assert_string_equal(c->evaluation_metric, "Categorization Accuracy");
	assert_int_equal(c->deadline, 1893456000);
	assert_int_equal(c->team_count, 15000);
	assert_true(c->user_has_entered);
	assert_int_equal(c->max_daily_submissions, 10);
	assert_string_equal(c->description, "");
	assert_int_equal(c->max_team_size, 0);
	assert_int_equal(c->enabled_date, 0);
	assert_false(c->submissions_disabled);
	kaggle_api_competition_page_free(&p);
}

static void
test_competition_one(void **state)
{
	static const char body[] =
		"{\"id\":\"3136\",\"ref\":\"\",\"url\":\"https://www.kaggle.com/c/titanic\",\"title\":42,"
		"\"description\":null,\"maxTeamSize\":5,\"userRank\":12,\"isKernelsSubmissionsOnly\":\"true\","
		"\"submissionsDisabled\":false,\"enabledDate\":\"2012-09-28T21:13:33.55Z\","
		"\"mergerDeadline\":\"2030-01-01T00:00:00.123456789Z\",\"newEntrantDeadline\":\"soon\","
		"\"teamCount\":1e300,\"tags\":[{\"ref\":\"x\"}],\"unknown\":{\"a\":[1]}}";
	kaggle_competition c;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(kaggle_api_parse_competition(body, strlen(body), &c, &e), 0);
	assert_int_equal(c.id, 3136);
	assert_string_equal(c.slug, "titanic");
	assert_string_equal(c.title, "");
	assert_string_equal(c.description, "");
	assert_int_equal(c.max_team_size, 5);
	assert_int_equal(c.user_rank, 12);
	assert_true(c.is_kernels_submissions_only);
	assert_false(c.submissions_disabled);
	assert_int_equal(c.enabled_date, 1348866813);
	assert_int_equal(c.merger_deadline, 1893456000);
	assert_int_equal(c.new_entrant_deadline, 0);
	assert_int_equal(c.team_count, 0);
	kaggle_api_competition_free(&c);
}

static void
test_unreadable_replies(void **state)
{
	static const char *const bodies[] = { "", "[1,2]", "{\"competitions\":[{\"id\":1}", "<html>502</html>",
		"null", "\"x\"" };
	kaggle_competition_page p;
	kaggle_submission s;
	kaggle_upload_ticket t;
	ak_err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		memset(&e, 0, sizeof(e));
		assert_int_equal(kaggle_api_parse_competition_page(bodies[i], strlen(bodies[i]), &p, &e), -1);
		assert_int_equal(err_kind_of(&e), ERR_SERVER);
		assert_non_null(strstr(e.msg, "Kaggle sent a reply autokaggle cannot read (truncated or not JSON)"));
		assert_null(p.items);
		assert_int_equal(kaggle_api_parse_submission(bodies[i], strlen(bodies[i]), &s, &e), -1);
	}
	assert_int_equal(kaggle_api_parse_competition_page(NULL, 0, &p, &e), -1);
	assert_int_equal(kaggle_api_parse_upload_ticket("{\"token\":\"t\"}", 13, &t, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_SERVER);
	assert_null(t.token);
}

static void
test_wrong_types_are_defaults(void **state)
{
	static const char body[] = "{\"competitions\":{\"id\":1},\"nextPageToken\":7}";
	static const char mixed[] = "{\"competitions\":[1,\"x\",null,{\"title\":\"ok\"},[]],\"nextPageToken\":null}";
	kaggle_competition_page p;
	kaggle_submission_page sp;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(kaggle_api_parse_competition_page(body, strlen(body), &p, &e), 0);
	assert_int_equal(p.count, 0);
	assert_string_equal(p.next_page_token, "");
	kaggle_api_competition_page_free(&p);
	assert_int_equal(kaggle_api_parse_competition_page(mixed, strlen(mixed), &p, &e), 0);
	assert_int_equal(p.count, 1);
	assert_string_equal(p.items[0].title, "ok");
	assert_string_equal(p.items[0].slug, "");
	kaggle_api_competition_page_free(&p);
	assert_int_equal(kaggle_api_parse_submission_page("{}", 2, &sp, &e), 0);
	assert_int_equal(sp.count, 0);
	assert_null(sp.items);
	kaggle_api_submission_page_free(&sp);
}

static char *
huge_reply(const char *before, size_t n, const char *after)
{
	size_t a = strlen(before), b = strlen(after);
	char *s = xmalloc(a + n + b + 1);

	memcpy(s, before, a);
	memset(s + a, 'x', n);
	memcpy(s + a + n, after, b + 1);
	return s;
}

static void
test_huge_strings_are_bounded(void **state)
{
	kaggle_competition c;
	kaggle_data_file_page d;
	ak_err e = { 0 };
	char *body;

	(void)state;
	body = huge_reply("{\"title\":\"", 1 << 20, "\",\"description\":\"short\"}");
	assert_int_equal(kaggle_api_parse_competition(body, strlen(body), &c, &e), 0);
	assert_true(strlen(c.title) <= KAGGLE_API_MAX_NAME);
	assert_non_null(strstr(c.title, "\xe2\x80\xa6"));
	assert_string_equal(c.description, "short");
	kaggle_api_competition_free(&c);
	free(body);
	body = huge_reply("{\"description\":\"", 1 << 20, "\",\"ref\":\"titanic\"}");
	assert_int_equal(kaggle_api_parse_competition(body, strlen(body), &c, &e), 0);
	assert_true(strlen(c.description) <= KAGGLE_API_MAX_TEXT);
	assert_string_equal(c.slug, "titanic");
	kaggle_api_competition_free(&c);
	free(body);
	body = huge_reply("{\"files\":[{\"name\":\"a.csv\",\"url\":\"http://x/", 1 << 16, "\"}],\"nextPageToken\":\"\"}");
	assert_int_equal(kaggle_api_parse_data_file_page(body, strlen(body), &d, &e), 0);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.items[0].url, "");
	kaggle_api_data_file_page_free(&d);
	free(body);
}

static void
test_many_items_are_bounded(void **state)
{
	size_t n = KAGGLE_API_MAX_ITEMS + 50, i;
	char *body = xmalloc(32 + n * 3), *p = body;
	kaggle_leaderboard_page l;
	ak_err e = { 0 };

	(void)state;
	p += sprintf(p, "{\"submissions\":[");
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s{}", i ? "," : "");
	sprintf(p, "]}");
	assert_int_equal(kaggle_api_parse_leaderboard_page(body, strlen(body), 0, &l, &e), 0);
	assert_int_equal(l.count, KAGGLE_API_MAX_ITEMS);
	kaggle_api_leaderboard_page_free(&l);
	free(body);
}

static void
test_data_files(void **state)
{
	static const char body[] =
		"{\"files\":[{\"ref\":\"train.csv\",\"name\":\"train.csv\",\"description\":\"\",\"totalBytes\":61194,"
		"\"url\":\"https://example/train\",\"creationDate\":\"2018-04-09T05:33:22Z\"},{\"name\":\"sub/test.csv\"}],"
		"\"nextPageToken\":\"\",\"childrenFetchTimeMs\":3}";
	kaggle_data_file_page p;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(kaggle_api_parse_data_file_page(body, strlen(body), &p, &e), 0);
	assert_int_equal(p.count, 2);
	assert_string_equal(p.items[0].name, "train.csv");
	assert_int_equal(p.items[0].total_bytes, 61194);
	assert_string_equal(p.items[0].url, "https://example/train");
	assert_int_equal(p.items[0].creation_date, 1523252002);
	assert_string_equal(p.items[1].name, "sub/test.csv");
	assert_int_equal(p.items[1].total_bytes, 0);
	assert_string_equal(p.next_page_token, "");
	kaggle_api_data_file_page_free(&p);
}

static void
test_upload_and_create(void **state)
{
	static const char ticket[] = "{\"token\":\"blob-123\",\"createUrl\":\"http://localhost/upload?id=9\"}";
	static const char created[] =
		"{\"message\":\"Successfully submitted to Titanic - Machine Learning from Disaster\",\"ref\":56073536}";
	kaggle_upload_ticket t;
	kaggle_created_submission c;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(kaggle_api_parse_upload_ticket(ticket, strlen(ticket), &t, &e), 0);
	assert_string_equal(t.token, "blob-123");
	assert_string_equal(t.create_url, "http://localhost/upload?id=9");
	kaggle_api_upload_ticket_free(&t);
	assert_int_equal(kaggle_api_parse_created_submission(created, strlen(created), &c, &e), 0);
	assert_string_equal(c.message, "Successfully submitted to Titanic - Machine Learning from Disaster");
	assert_int_equal(c.ref, 56073536);
	kaggle_api_created_submission_free(&c);
}

static void
test_submissions(void **state)
{
	static const char body[] =
		"{\"submissions\":["
		" {\"ref\":424243,\"date\":\"2025-07-01T11:00:00Z\",\"description\":\"bad\",\"fileName\":\"s.csv\","
		"  \"status\":\"ERROR\",\"errorDescription\":\"Evaluation Exception: Submission must have 418 rows\"},"
		" {\"ref\":424242,\"date\":\"2025-07-01T10:00:00.123Z\",\"description\":\"first try\",\"fileName\":\"submission.csv\","
		"  \"totalBytes\":3258,\"publicScore\":\"0.77511\",\"status\":\"COMPLETE\",\"submittedBy\":\"alice\",\"teamName\":\"alice\"}],"
		" \"nextPageToken\":\"\"}";
	kaggle_submission_page p;
	kaggle_submission *s;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(kaggle_api_parse_submission_page(body, strlen(body), &p, &e), 0);
	assert_int_equal(p.count, 2);
	s = &p.items[0];
	assert_int_equal(s->ref, 424243);
	assert_int_equal(s->status, KAGGLE_SUBMISSION_ERROR);
	assert_string_equal(s->error_description, "Evaluation Exception: Submission must have 418 rows");
	assert_false(s->has_public_score);
	assert_false(s->has_private_score);
	assert_int_equal(s->date, 1751367600);
	s = &p.items[1];
	assert_int_equal(s->ref, 424242);
	assert_int_equal(s->date, 1751364000);
	assert_int_equal(s->status, KAGGLE_SUBMISSION_COMPLETE);
	assert_true(s->has_public_score);
	assert_true(s->public_score > 0.775109 && s->public_score < 0.775111);
	assert_false(s->has_private_score);
	assert_int_equal(s->total_bytes, 3258);
	assert_string_equal(s->submitted_by, "alice");
	assert_string_equal(s->team_name, "alice");
	assert_string_equal(s->file_name, "submission.csv");
	kaggle_api_submission_page_free(&p);
}

static void
test_submission_status_lenient(void **state)
{
	static const char *const cases[][2] = {
		{ "{\"ref\":1}", "0" },
		{ "{\"status\":\"complete\"}", "1" },
		{ "{\"status\":\"SUBMISSION_STATUS_ERROR\"}", "2" },
		{ "{\"status\":\"Pending\"}", "0" },
		{ "{\"status\":1}", "1" },
		{ "{\"status\":\"2\"}", "2" },
		{ "{\"status\":9}", "0" },
		{ "{\"status\":\"weird\"}", "0" },
		{ "{\"status\":[\"COMPLETE\"]}", "0" },
	};
	kaggle_submission s;
	ak_err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(kaggle_api_parse_submission(cases[i][0], strlen(cases[i][0]), &s, &e), 0);
		if ((int)s.status != atoi(cases[i][1]))
			fail_msg("%s gave status %d", cases[i][0], (int)s.status);
		kaggle_api_submission_free(&s);
	}
}

static void
test_scores(void **state)
{
	static const char body[] = "{\"publicScore\":0.5,\"privateScore\":\"\"}";
	static const char bad[] = "{\"publicScore\":\"0.5x\",\"privateScore\":\"nan\"}";
	static const char neg[] = "{\"publicScore\":\"-1.25e2\",\"privateScore\":\"1e999\"}";
	kaggle_submission s;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(kaggle_api_parse_submission(body, strlen(body), &s, &e), 0);
	assert_true(s.has_public_score);
	assert_true(s.public_score == 0.5);
	assert_false(s.has_private_score);
	kaggle_api_submission_free(&s);
	assert_int_equal(kaggle_api_parse_submission(bad, strlen(bad), &s, &e), 0);
	assert_false(s.has_public_score);
	assert_false(s.has_private_score);
	kaggle_api_submission_free(&s);
	assert_int_equal(kaggle_api_parse_submission(neg, strlen(neg), &s, &e), 0);
	assert_true(s.has_public_score);
	assert_true(s.public_score == -125.0);
	assert_false(s.has_private_score);
	kaggle_api_submission_free(&s);
}

static void
test_limits(void **state)
{
	static const char body[] = "{\"numToday\":3,\"numTotal\":40,\"numAllowedNow\":7,\"limitedByTotal\":true}";
	kaggle_submission_limits l;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(kaggle_api_parse_submission_limits(body, strlen(body), &l, &e), 0);
	assert_int_equal(l.num_today, 3);
	assert_int_equal(l.num_total, 40);
	assert_int_equal(l.num_allowed_now, 7);
	assert_true(l.limited_by_total);
	assert_int_equal(kaggle_api_parse_submission_limits("{\"numToday\":1e12}", 17, &l, &e), 0);
	assert_int_equal(l.num_today, 0);
	assert_int_equal(l.num_allowed_now, 0);
}

static void
test_leaderboard(void **state)
{
	static const char body[] =
		"{\"submissions\":[{\"teamId\":1,\"teamName\":\"Top Team\",\"submissionDate\":\"2025-06-01T00:00:00Z\","
		"\"score\":\"1.00000\"},{\"teamId\":7,\"teamName\":\"Second\",\"score\":\"\"}],\"nextPageToken\":\"p3\"}";
	kaggle_leaderboard_page p;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(kaggle_api_parse_leaderboard_page(body, strlen(body), 100, &p, &e), 0);
	assert_int_equal(p.count, 2);
	assert_int_equal(p.items[0].rank, 101);
	assert_int_equal(p.items[0].team_id, 1);
	assert_string_equal(p.items[0].team_name, "Top Team");
	assert_int_equal(p.items[0].submission_date, 1748736000);
	assert_true(p.items[0].has_score);
	assert_true(p.items[0].score == 1.0);
	assert_int_equal(p.items[1].rank, 102);
	assert_false(p.items[1].has_score);
	assert_string_equal(p.next_page_token, "p3");
	kaggle_api_leaderboard_page_free(&p);
}

static int
api_error(long status, const char *body, const char *slug, const char *method, ak_err *e)
{
	memset(e, 0, sizeof(*e));
	return kaggle_api_error(status, body, body ? strlen(body) : 0, slug, method, "~/.kaggle/kaggle.json", e);
}

static void
test_error_none(void **state)
{
	ak_err e;

	(void)state;
	assert_int_equal(api_error(200, LIST_REPLY, NULL, "ListCompetitions", &e), 0);
	assert_int_equal(api_error(200, "{}", "titanic", "GetSubmissionLimits", &e), 0);
	assert_int_equal(api_error(200, "{\"code\":200,\"message\":\"ok\"}", "titanic", "GetCompetition", &e), 0);
	assert_int_equal(api_error(302, "", "titanic", "DownloadDataFiles", &e), 0);
	assert_int_equal(api_error(200, NULL, "titanic", "DownloadLeaderboard", &e), 0);
	assert_int_equal(e.msg[0], '\0');
}

static void
test_error_unreadable(void **state)
{
	ak_err e;

	(void)state;
	assert_int_equal(api_error(200, "{\"competitions\":[", NULL, "ListCompetitions", &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_SERVER);
	assert_non_null(strstr(e.msg, "Kaggle sent a reply autokaggle cannot read (truncated or not JSON)"));
	assert_int_equal(api_error(200, "", "titanic", "GetCompetition", &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_SERVER);
	assert_int_equal(api_error(200, "[]", "titanic", "GetCompetition", &e), -1);
	assert_int_equal(api_error(0, NULL, "titanic", "GetCompetition", &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_NETWORK);
}

static void
test_error_auth(void **state)
{
	ak_err e;

	(void)state;
	redact_reset();
	redact_add_secret("0123456789abcdef0123456789abcdef");
	assert_int_equal(api_error(401,
				 "{\"code\":401,\"message\":\"Unauthenticated: key 0123456789abcdef0123456789abcdef\"}",
				 NULL, "ListCompetitions", &e),
		-1);
	assert_int_equal(err_kind_of(&e), ERR_AUTH);
	assert_non_null(strstr(e.msg, "Kaggle refused the credentials from ~/.kaggle/kaggle.json (401: Unauthenticated"));
	assert_non_null(strstr(e.msg, "https://www.kaggle.com/settings"));
	assert_null(strstr(e.msg, "0123456789abcdef"));
	assert_non_null(strstr(e.msg, "[REDACTED]"));
	redact_reset();
	memset(&e, 0, sizeof(e));
	assert_int_equal(kaggle_api_error(401, "", 0, "titanic", "GetCompetition", NULL, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_AUTH);
	assert_non_null(strstr(e.msg, "(401)"));
}

static void
test_error_rules(void **state)
{
	ak_err e;

	(void)state;
	assert_int_equal(api_error(403,
				 "{\"code\": 403, \"message\": \"You must accept this competition\\u0027s rules before "
				 "you\\u0027ll be able to download files.\"}",
				 "titanic", "DownloadDataFiles", &e),
		-1);
	assert_int_equal(err_kind_of(&e), ERR_FORBIDDEN);
	assert_non_null(strstr(e.msg, "You must accept this competition's rules"));
	assert_non_null(strstr(e.msg, "https://www.kaggle.com/competitions/titanic/rules"));
	assert_non_null(strstr(e.msg, "accept them on the website (the API cannot)"));
	/* the same under HTTP 200, as the SDK treats it */
	assert_int_equal(api_error(200, "{\"code\":403,\"message\":\"You must accept the rules\"}", "titanic",
				 "CreateSubmission", &e),
		-1);
	assert_int_equal(err_kind_of(&e), ERR_FORBIDDEN);
	assert_non_null(strstr(e.msg, "/competitions/titanic/rules"));
	/* a bare 403 on a download is the rules too */
	assert_int_equal(api_error(403, "", "titanic", "DownloadDataFile", &e), -1);
	assert_non_null(strstr(e.msg, "(the API cannot)"));
}

static void
test_error_not_joined(void **state)
{
	ak_err e;

	(void)state;
	assert_int_equal(api_error(403, "{\"code\":403,\"message\":\"Permission 'competitions.get' was denied\"}",
				 "titanik", "GetCompetition", &e),
		-1);
	assert_int_equal(err_kind_of(&e), ERR_FORBIDDEN);
	assert_non_null(strstr(e.msg, "Permission 'competitions.get' was denied"));
	assert_non_null(strstr(e.msg, "not joined titanik, or its name is mistyped"));
	assert_null(strstr(e.msg, "the API cannot"));
	assert_int_equal(api_error(403,
				 "{\"code\":403,\"message\":\"Permission 'competitions.participate' was denied\"}",
				 "titanic", "CreateSubmission", &e),
		-1);
	assert_non_null(strstr(e.msg, "submitting to titanic"));
	assert_non_null(strstr(e.msg, "not joined titanic"));
	assert_int_equal(api_error(403, "{}", NULL, "ListCompetitions", &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_FORBIDDEN);
}

static void
test_error_kinds(void **state)
{
	static const struct {
		long status;
		const char *body, *method;
		enum err_kind kind;
		const char *want;
	} cases[] = {
		{ 404, "{\"code\":404,\"message\":\"NotFound\"}", "GetCompetition", ERR_NOT_FOUND,
			"(404: NotFound)" },
		{ 404, "", "DownloadDataFile", ERR_NOT_FOUND, "autokaggle competitions SEARCH" },
		{ 429, "{\"error\":{\"code\":429,\"message\":\"Too many requests\",\"status\":\"RESOURCE_EXHAUSTED\"}}",
			"DownloadDataFiles", ERR_RATE_LIMITED, "(429 RESOURCE_EXHAUSTED: Too many requests)" },
		{ 200, "{\"error\":{\"code\":429,\"message\":\"Too many requests\",\"status\":\"RESOURCE_EXHAUSTED\"}}",
			"ListCompetitions", ERR_RATE_LIMITED, "wait a few minutes" },
		{ 200, "{\"error\":{\"message\":\"gone\",\"status\":\"NOT_FOUND\"}}", "GetCompetition", ERR_NOT_FOUND,
			"gone" },
		{ 500, "{\"code\":500,\"message\":\"An internal server error occurred\"}", "ListSubmissions", ERR_SERVER,
			"An internal server error occurred" },
		{ 503, "<html>busy</html>", "GetLeaderboard", ERR_SERVER, "HTTP 503" },
		{ 400, "{\"code\":400,\"message\":\"Bad Request\"}", "CreateSubmission", ERR_INPUT, "Bad Request" },
		{ 409, "", "SomethingNew", ERR_INPUT, "calling SomethingNew for titanic" },
		{ 429, "{\"error\":{\"code\":429,\"status\":\"BAD\\r\\u001b[2J\"}}", "ListCompetitions",
			ERR_RATE_LIMITED, "(429)" },
		{ 101, "", "GetCompetition", ERR_SERVER, "cannot read" },
	};
	size_t i;
	ak_err e;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(api_error(cases[i].status, cases[i].body, "titanic", cases[i].method, &e), -1);
		if (err_kind_of(&e) != cases[i].kind || !strstr(e.msg, cases[i].want))
			fail_msg("case %zu: kind %d, message %s", i, (int)err_kind_of(&e), e.msg);
	}
}

static void
test_error_message_is_clean_and_short(void **state)
{
	char *body = huge_reply("{\"code\":500,\"message\":\"\\u001b[2J\\r\\nFAKE", 100000, "\"}");
	ak_err e;

	(void)state;
	assert_int_equal(api_error(500, body, "titanic", "ListDataFiles", &e), -1);
	assert_null(strchr(e.msg, '\033'));
	assert_null(strchr(e.msg, '\n'));
	assert_null(strchr(e.msg, '\r'));
	assert_true(strlen(e.msg) < 400);
	assert_non_null(strstr(e.msg, "FAKE"));
	free(body);
}


static void
test_kernel_bodies(void **state)
{
	kaggle_kernel_push p = {
		.id = "alice/titanic-autokaggle-20261203-101010", .title = "titanic-autokaggle-20261203-101010",
		.text = "{\"cells\":[]}", .notebook = 1, .competition = "titanic", .is_private = 1,
	};

	(void)state;
	assert_body(kaggle_api_save_kernel_body(&p),
		"{\"slug\":\"alice/titanic-autokaggle-20261203-101010\",\"newTitle\":\"titanic-autokaggle-20261203-101010\","
		"\"text\":\"{\\\"cells\\\":[]}\",\"language\":\"python\",\"kernelType\":\"notebook\","
		"\"competitionDataSources\":[\"titanic\"],\"isPrivate\":true,\"enableGpu\":false,"
		"\"enableInternet\":false,\"enableTpu\":false}");
	p.notebook = 0;
	p.enable_gpu = p.enable_internet = 1;
	p.competition = NULL;
	assert_body(kaggle_api_save_kernel_body(&p),
		"{\"slug\":\"alice/titanic-autokaggle-20261203-101010\",\"newTitle\":\"titanic-autokaggle-20261203-101010\","
		"\"text\":\"{\\\"cells\\\":[]}\",\"language\":\"python\",\"kernelType\":\"script\","
		"\"competitionDataSources\":[],\"isPrivate\":true,\"enableGpu\":true,"
		"\"enableInternet\":true,\"enableTpu\":false}");
	assert_body(kaggle_api_kernel_status_body("alice", "k-slug"), "{\"userName\":\"alice\",\"kernelSlug\":\"k-slug\"}");
	assert_body(kaggle_api_kernel_output_body("alice", "k-slug", 20, "tok"),
		"{\"userName\":\"alice\",\"kernelSlug\":\"k-slug\",\"pageToken\":\"tok\",\"pageSize\":20}");
	assert_body(kaggle_api_create_code_submission_body("titanic", "alice", "k-slug", 3, "submission.csv", "hi"),
		"{\"competitionName\":\"titanic\",\"kernelOwner\":\"alice\",\"kernelSlug\":\"k-slug\","
		"\"kernelVersion\":3,\"fileName\":\"submission.csv\",\"submissionDescription\":\"hi\"}");
	assert_body(kaggle_api_introspect_token_body("KGAT_x"), "{\"token\":\"KGAT_x\"}");
}

static void
test_kernel_pushed(void **state)
{
	const char *ok = "{\"ref\":\"/code/alice/k\",\"url\":\"https://www.kaggle.com/code/alice/k\",\"versionNumber\":3,"
		"\"kernelId\":99,\"invalidDatasetSources\":[\"bob/gone\"],\"invalidCompetitionSources\":[\"nope\"]}";
	const char *refused = "{\"error\":\"Notebook not found\"}";
	kaggle_kernel_pushed p;
	ak_err e;

	(void)state;
	assert_int_equal(kaggle_api_parse_kernel_pushed(ok, strlen(ok), &p, &e), 0);
	assert_string_equal(p.url, "https://www.kaggle.com/code/alice/k");
	assert_int_equal(p.version, 3);
	assert_int_equal(p.kernel_id, 99);
	assert_string_equal(p.error, "");
	assert_string_equal(p.invalid[0], "competition: nope");
	assert_string_equal(p.invalid[1], "dataset: bob/gone");
	assert_null(p.invalid[2]);
	kaggle_api_kernel_pushed_free(&p);
	assert_int_equal(kaggle_api_parse_kernel_pushed(refused, strlen(refused), &p, &e), 0);
	assert_string_equal(p.error, "Notebook not found");
	assert_int_equal(p.version, 0);
	assert_null(p.invalid[0]);
	kaggle_api_kernel_pushed_free(&p);
	assert_int_equal(kaggle_api_parse_kernel_pushed("[1]", 3, &p, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_SERVER);
}

static void
test_kernel_status(void **state)
{
	static const struct {
		const char *body;
		kaggle_kernel_status want;
	} cases[] = {
		{ "{}", KAGGLE_KERNEL_QUEUED },
		{ "{\"status\":\"RUNNING\"}", KAGGLE_KERNEL_RUNNING },
		{ "{\"status\":\"complete\"}", KAGGLE_KERNEL_COMPLETE },
		{ "{\"status\":\"KERNEL_WORKER_STATUS_ERROR\",\"failureMessage\":\"boom\"}", KAGGLE_KERNEL_ERROR },
		{ "{\"status\":\"cancelAcknowledged\"}", KAGGLE_KERNEL_CANCEL_ACKNOWLEDGED },
		{ "{\"status\":2}", KAGGLE_KERNEL_COMPLETE },
		{ "{\"status\":99}", KAGGLE_KERNEL_QUEUED },
	};
	kaggle_kernel_session k;
	ak_err e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(kaggle_api_parse_kernel_session(cases[i].body, strlen(cases[i].body), &k, &e), 0);
		if (k.status != cases[i].want)
			fail_msg("%s: status %d, want %d", cases[i].body, (int)k.status, (int)cases[i].want);
		if (i == 3)
			assert_string_equal(k.failure_message, "boom");
		kaggle_api_kernel_session_free(&k);
	}
	assert_true(kaggle_api_kernel_status_final(KAGGLE_KERNEL_ERROR));
	assert_false(kaggle_api_kernel_status_final(KAGGLE_KERNEL_CANCEL_REQUESTED));
	assert_string_equal(kaggle_api_kernel_status_name(KAGGLE_KERNEL_NEW_SCRIPT), "NEW_SCRIPT");
}

static void
test_kernel_output(void **state)
{
	const char *body = "{\"files\":[{\"url\":\"https://storage/x?sig=1\",\"fileName\":\"output/metrics.json\"},"
		"{\"fileName\":\"a.csv\"},7],\"log\":\"[{\\\"stream_name\\\":\\\"stdout\\\",\\\"time\\\":0.5,"
		"\\\"data\\\":\\\"fit\\\\n\\\"},{\\\"stream_name\\\":\\\"stderr\\\",\\\"time\\\":1,\\\"data\\\":\\\"warn\\\\n\\\"}]\","
		"\"nextPageToken\":\"p2\"}";
	kaggle_kernel_output o;
	char *text;
	ak_err e;

	(void)state;
	assert_int_equal(kaggle_api_parse_kernel_output(body, strlen(body), &o, &e), 0);
	assert_int_equal(o.count, 2);
	assert_string_equal(o.items[0].file_name, "output/metrics.json");
	assert_string_equal(o.items[0].url, "https://storage/x?sig=1");
	assert_string_equal(o.items[1].url, "");
	assert_string_equal(o.next_page_token, "p2");
	text = kaggle_api_kernel_log_text(o.log);
	assert_string_equal(text, "fit\nwarn\n");
	free(text);
	kaggle_api_kernel_output_free(&o);
	text = kaggle_api_kernel_log_text("plain text log\n");
	assert_string_equal(text, "plain text log\n");
	free(text);
}

static void
test_token_user(void **state)
{
	const char *active = "{\"active\":true,\"username\":\"alice\"}", *inactive = "{\"active\":false,\"username\":\"alice\"}";
	char *user;
	ak_err e;

	(void)state;
	assert_int_equal(kaggle_api_parse_token_user(active, strlen(active), &user, &e), 0);
	assert_string_equal(user, "alice");
	free(user);
	assert_int_equal(kaggle_api_parse_token_user(inactive, strlen(inactive), &user, &e), 0);
	assert_string_equal(user, "");
	free(user);
}

static void
test_error_kernel(void **state)
{
	ak_err e;

	(void)state;
	assert_int_equal(kaggle_api_error(403, "{\"code\":403,\"message\":\"Permission 'kernels.edit' was denied\"}", 60,
				 "bob/k", "SaveKernel", NULL, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_FORBIDDEN);
	assert_non_null(strstr(e.msg, "pushing the kernel bob/k"));
	assert_non_null(strstr(e.msg, "belongs to another account"));
	assert_null(strstr(e.msg, "rules"));
	assert_int_equal(kaggle_api_error(404, "{\"code\":404,\"message\":\"NotFound\"}", 34, "alice/k",
				 "GetKernelSessionStatus", NULL, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_NOT_FOUND);
	assert_non_null(strstr(e.msg, "no such kernel"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_list_competitions_body),
		cmocka_unit_test(test_list_competitions_unknown_words),
		cmocka_unit_test(test_competition_bodies),
		cmocka_unit_test(test_paged_bodies),
		cmocka_unit_test(test_submission_bodies),
		cmocka_unit_test(test_slug_from_ref),
		cmocka_unit_test(test_enum_value),
		cmocka_unit_test(test_competition_page),
		cmocka_unit_test(test_competition_one),
		cmocka_unit_test(test_unreadable_replies),
		cmocka_unit_test(test_wrong_types_are_defaults),
		cmocka_unit_test(test_huge_strings_are_bounded),
		cmocka_unit_test(test_many_items_are_bounded),
		cmocka_unit_test(test_data_files),
		cmocka_unit_test(test_upload_and_create),
		cmocka_unit_test(test_submissions),
		cmocka_unit_test(test_submission_status_lenient),
		cmocka_unit_test(test_scores),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_leaderboard),
		cmocka_unit_test(test_error_none),
		cmocka_unit_test(test_error_unreadable),
		cmocka_unit_test(test_error_auth),
		cmocka_unit_test(test_error_rules),
		cmocka_unit_test(test_error_not_joined),
		cmocka_unit_test(test_error_kinds),
		cmocka_unit_test(test_error_message_is_clean_and_short),
		cmocka_unit_test(test_kernel_bodies),
		cmocka_unit_test(test_kernel_pushed),
		cmocka_unit_test(test_kernel_status),
		cmocka_unit_test(test_kernel_output),
		cmocka_unit_test(test_token_user),
		cmocka_unit_test(test_error_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
