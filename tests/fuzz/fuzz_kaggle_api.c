/* libFuzzer target for the Kaggle API's replies: whatever the bytes,
 * every parser either fails with a message or gives items whose strings
 * are bounded, pages hold at most KAGGLE_API_MAX_ITEMS, and an error reply
 * becomes one line without control characters. Built and run by
 * ci-fuzz.sh. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kaggle/api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_str(const char *s, size_t max)
{
	if (!s || strlen(s) > max)
		abort();
}

static void
check_failed(int rc, const ak_err *e)
{
	if (rc != 0 && (rc != -1 || !e->msg[0]))
		abort();
}

static void
check_competition(const kaggle_competition *c)
{
	check_str(c->slug, KAGGLE_API_MAX_NAME);
	check_str(c->ref, KAGGLE_API_MAX_OPAQUE);
	check_str(c->url, KAGGLE_API_MAX_OPAQUE);
	check_str(c->title, KAGGLE_API_MAX_NAME);
	check_str(c->description, KAGGLE_API_MAX_TEXT);
	check_str(c->organization_name, KAGGLE_API_MAX_NAME);
	check_str(c->category, KAGGLE_API_MAX_NAME);
	check_str(c->reward, KAGGLE_API_MAX_NAME);
	check_str(c->evaluation_metric, KAGGLE_API_MAX_NAME);
}

static void
check_submission(const kaggle_submission *s)
{
	check_str(s->description, KAGGLE_API_MAX_TEXT);
	check_str(s->error_description, KAGGLE_API_MAX_TEXT);
	check_str(s->file_name, KAGGLE_API_MAX_NAME);
	check_str(s->team_name, KAGGLE_API_MAX_NAME);
	check_str(s->submitted_by, KAGGLE_API_MAX_NAME);
	check_str(s->url, KAGGLE_API_MAX_OPAQUE);
	if (s->status > KAGGLE_SUBMISSION_ERROR)
		abort();
}

static void
fuzz_competitions(const char *body, size_t len)
{
	kaggle_competition c;
	kaggle_competition_page p;
	ak_err e = { 0 };
	size_t i;

	if (kaggle_api_parse_competition(body, len, &c, &e) == 0) {
		check_competition(&c);
		kaggle_api_competition_free(&c);
	}
	check_failed(kaggle_api_parse_competition_page(body, len, &p, &e), &e);
	if (p.count > KAGGLE_API_MAX_ITEMS)
		abort();
	for (i = 0; i < p.count; i++)
		check_competition(&p.items[i]);
	kaggle_api_competition_page_free(&p);
}

static void
fuzz_files_and_upload(const char *body, size_t len)
{
	kaggle_data_file_page d;
	kaggle_upload_ticket t;
	kaggle_created_submission c;
	kaggle_submission_limits l;
	ak_err e = { 0 };
	size_t i;

	check_failed(kaggle_api_parse_data_file_page(body, len, &d, &e), &e);
	for (i = 0; i < d.count; i++) {
		check_str(d.items[i].name, KAGGLE_API_MAX_NAME);
		check_str(d.items[i].description, KAGGLE_API_MAX_TEXT);
		check_str(d.items[i].url, KAGGLE_API_MAX_OPAQUE);
	}
	kaggle_api_data_file_page_free(&d);
	if (kaggle_api_parse_upload_ticket(body, len, &t, &e) == 0) {
		check_str(t.token, KAGGLE_API_MAX_OPAQUE);
		check_str(t.create_url, KAGGLE_API_MAX_OPAQUE);
		if (!*t.token || !*t.create_url)
			abort();
		kaggle_api_upload_ticket_free(&t);
	} else if (t.token || t.create_url || !e.msg[0]) {
		abort();
	}
	if (kaggle_api_parse_created_submission(body, len, &c, &e) == 0) {
		check_str(c.message, KAGGLE_API_MAX_TEXT);
		kaggle_api_created_submission_free(&c);
	}
	check_failed(kaggle_api_parse_submission_limits(body, len, &l, &e), &e);
}

static void
fuzz_submissions(const char *body, size_t len)
{
	kaggle_submission s;
	kaggle_submission_page p;
	kaggle_leaderboard_page l;
	ak_err e = { 0 };
	size_t i;

	if (kaggle_api_parse_submission(body, len, &s, &e) == 0) {
		check_submission(&s);
		kaggle_api_submission_free(&s);
	}
	check_failed(kaggle_api_parse_submission_page(body, len, &p, &e), &e);
	for (i = 0; i < p.count; i++)
		check_submission(&p.items[i]);
	kaggle_api_submission_page_free(&p);
	check_failed(kaggle_api_parse_leaderboard_page(body, len, 40, &l, &e), &e);
	for (i = 0; i < l.count; i++) {
		check_str(l.items[i].team_name, KAGGLE_API_MAX_NAME);
		if (l.items[i].rank != 41 + (long long)i)
			abort();
	}
	kaggle_api_leaderboard_page_free(&l);
}

/* The first byte picks the status and the method, the rest is the body. */
static void
fuzz_error(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 201, 204, 302, 400, 401, 403, 404, 409, 429, 500, 503, 0, 101 };
	static const char *const methods[] = { "ListCompetitions", "DownloadDataFiles", "CreateSubmission",
		"GetLeaderboard", "Unknown", NULL };
	const unsigned char *p;
	ak_err e = { 0 };
	int rc;

	if (size == 0)
		return;
	rc = kaggle_api_error(statuses[data[0] % (sizeof(statuses) / sizeof(statuses[0]))], (const char *)data + 1,
		size - 1, data[0] & 0x80 ? NULL : "titanic", methods[(data[0] >> 4) % 6],
		data[0] & 0x40 ? NULL : "~/.kaggle/kaggle.json", &e);
	check_failed(rc, &e);
	for (p = (const unsigned char *)e.msg; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
}

static void
fuzz_kernels(const char *body, size_t len)
{
	kaggle_kernel_pushed p;
	kaggle_kernel_session k;
	kaggle_kernel_output o;
	ak_err e = { 0 };
	char *user, **s, *text;
	size_t i;

	if (kaggle_api_parse_kernel_pushed(body, len, &p, &e) == 0) {
		check_str(p.url, KAGGLE_API_MAX_OPAQUE);
		check_str(p.error, KAGGLE_API_MAX_NAME);
		for (s = p.invalid; *s; s++)
			check_str(*s, KAGGLE_API_MAX_NAME + 16);
		kaggle_api_kernel_pushed_free(&p);
	}
	if (kaggle_api_parse_kernel_session(body, len, &k, &e) == 0) {
		if ((int)k.status < 0 || k.status > KAGGLE_KERNEL_NEW_SCRIPT)
			abort();
		check_str(k.failure_message, KAGGLE_API_MAX_TEXT);
		kaggle_api_kernel_session_free(&k);
	}
	check_failed(kaggle_api_parse_kernel_output(body, len, &o, &e), &e);
	if (o.count > KAGGLE_API_MAX_ITEMS)
		abort();
	for (i = 0; i < o.count; i++) {
		check_str(o.items[i].file_name, KAGGLE_API_MAX_NAME);
		check_str(o.items[i].url, KAGGLE_API_MAX_OPAQUE);
	}
	if (o.log) {
		text = kaggle_api_kernel_log_text(o.log);
		free(text);
	}
	kaggle_api_kernel_output_free(&o);
	if (kaggle_api_parse_token_user(body, len, &user, &e) == 0) {
		check_str(user, KAGGLE_API_MAX_NAME);
		free(user);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;

	fuzz_competitions(body, size);
	fuzz_files_and_upload(body, size);
	fuzz_submissions(body, size);
	fuzz_kernels(body, size);
	fuzz_error(data, size);
	return 0;
}
