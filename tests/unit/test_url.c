#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaggle/url.h"

/* Every form of the spec's §5, and what ListCompetitions puts in `ref`. */
static const struct {
	const char *text;
	const char *slug;
} competition_refs[] = {
	{ "titanic", "titanic" },
	{ "home-credit-credit-risk-model-stability", "home-credit-credit-risk-model-stability" },
	{ "2024-ai-challenge", "2024-ai-challenge" },
	{ "https://www.kaggle.com/competitions/titanic", "titanic" },
	{ "https://kaggle.com/competitions/titanic", "titanic" },
	{ "http://www.kaggle.com/competitions/titanic", "titanic" },
	{ "http://kaggle.com/c/titanic", "titanic" },
	{ "https://www.kaggle.com/c/titanic", "titanic" },
	{ "www.kaggle.com/competitions/titanic", "titanic" },
	{ "kaggle.com/c/titanic", "titanic" },
	{ "HTTPS://WWW.KAGGLE.COM/competitions/titanic", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/overview", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/overview/evaluation", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/overview/evaluation/", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/data", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/data?select=train.csv", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/code", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/discussion", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/discussion/123456", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/leaderboard", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/leaderboard?tab=public#top", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/rules", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/submissions", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/submit", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/team", "titanic" },
	{ "https://www.kaggle.com/c/titanic/data", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic?utm_source=x&a=%20b", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic#description", "titanic" },
	{ "https://www.kaggle.com/competitions/titanic/#", "titanic" },
	{ "https://www.kaggle.com:443/competitions/titanic", "titanic" },
	{ "https://www.kaggle.com/competitions/Titanic", "titanic" },
	{ "https://www.kaggle.com/Competitions/titanic/Data", "titanic" },
	{ "  https://www.kaggle.com/competitions/titanic\n", "titanic" },
	{ " titanic ", "titanic" },
	{ "https://www.kaggle.com/competitions/home-credit-credit-risk-model-stability",
	  "home-credit-credit-risk-model-stability" },
};

/* Not Kaggle references at all: the caller takes them for local paths. */
static const char *const local_paths[] = {
	".", "..", "~", "~/comp", "./titanic", "../data/titanic", "/srv/data/titanic", "data/titanic",
	"titanic.zip", "Titanic", "my_data", "-titanic", "données",
	"https://example.com/competitions/titanic", "https://evil-kaggle.com/competitions/titanic",
	"https://kaggle.com.evil.net/competitions/titanic", "kaggle.com.evil.net/c/titanic",
	"https://www.kaggle.co/competitions/titanic", "evil-kaggle.com/c/titanic",
	"file://localhost/titanic", "https://www.kaggle.com.evil.net:443/c/titanic",
};

/* kaggle.com addresses that name no competition, and hostile ones. */
static const char *const refused[] = {
	"",
	"   ",
	"https://www.kaggle.com",
	"https://www.kaggle.com/",
	"kaggle.com",
	"https://www.kaggle.com/competitions",
	"https://www.kaggle.com/competitions/",
	"https://www.kaggle.com/c/",
	"https://www.kaggle.com/datasets/alice/titanic",
	"https://www.kaggle.com/code/alice/titanic-eda",
	"https://www.kaggle.com/titanic",
	"https://www.kaggle.com/competitions/titanic/models",
	"https://www.kaggle.com/competitions/titanic/data/train.csv",
	"https://www.kaggle.com/competitions/titanic/overview/a/b",
	"https://www.kaggle.com/competitions/../datasets",
	"https://www.kaggle.com/competitions/titanic/../../datasets/x",
	"https://www.kaggle.com/competitions/./titanic",
	"https://www.kaggle.com/competitions//titanic",
	"https://www.kaggle.com/competitions/%74itanic",
	"https://www.kaggle.com/competitions/titanic%2F..%2F",
	"https://www.kaggle.com/competitions/titanic\\..\\x",
	"https://kaggle.com\\@evil.net/c/titanic",
	"https://www.kaggle.com/competitions/tit_anic",
	"https://www.kaggle.com/competitions/tit anic",
	"https://www.kaggle.com/competitions/-titanic",
	"https://www.kaggle.com/competitions/titanic;rm -rf",
	"https://www.kaggle.com/competitions/tit\xc3\xa4nic",
	"https://www.kaggle.com/competitions/tita\nnic",
	"https://www.kaggle.com/competitions/tita\x1b[2Jnic",
	"titanic\x7f",
	"https://user@www.kaggle.com/competitions/titanic",
	"https://user:pass@kaggle.com/c/titanic",
	"https://kaggle.com@evil.net/competitions/titanic",
	"https://www.kaggle.com:evil/c/titanic",
	"https://www.kaggle.com:/c/titanic",
	"user@kaggle.com/c/titanic",
	"ftp://www.kaggle.com/competitions/titanic",
	"javascript://kaggle.com/c/titanic",
	"https://www.kaggle.com/competitions/titanic/data/1/2/3/4/5/6/7/8/9",
};

static void
test_every_form_gives_the_slug(void **state)
{
	char slug[KAGGLE_SLUG_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(competition_refs) / sizeof(competition_refs[0]); i++) {
		ak_err e = { 0 };
		int rc = kaggle_slug_parse(competition_refs[i].text, slug, sizeof(slug), &e);

		if (rc != 1)
			fail_msg("'%s': rc %d, %s", competition_refs[i].text, rc, e.msg);
		assert_string_equal(slug, competition_refs[i].slug);
	}
}

/* Parses each text of a table expecting rc `want`; a refusal must be an
 * input error that shows the accepted forms. */
static void
expect_all(const char *const *texts, size_t n, int want)
{
	char slug[KAGGLE_SLUG_MAX + 1];
	size_t i;

	for (i = 0; i < n; i++) {
		ak_err e = { 0 };
		int rc = kaggle_slug_parse(texts[i], slug, sizeof(slug), &e);

		if (rc != want)
			fail_msg("'%s': rc %d, %s", texts[i], rc, rc == 1 ? slug : e.msg);
		if (want != -1)
			continue;
		assert_int_equal(err_kind_of(&e), ERR_INPUT);
		assert_non_null(strstr(e.msg, "https://www.kaggle.com/competitions/SLUG"));
		/* the quoted input never carries a control character to the terminal */
		assert_null(strchr(e.msg, '\n'));
		assert_null(strchr(e.msg, '\x1b'));
	}
}

static void
test_other_text_is_left_to_the_caller(void **state)
{
	(void)state;
	expect_all(local_paths, sizeof(local_paths) / sizeof(local_paths[0]), 0);
}

static void
test_hostile_and_empty_references_are_refused(void **state)
{
	(void)state;
	expect_all(refused, sizeof(refused) / sizeof(refused[0]), -1);
}

static void
test_slug_length_is_bounded(void **state)
{
	char slug[KAGGLE_SLUG_MAX + 1], text[512], small[8];
	ak_err e = { 0 };

	(void)state;
	memset(text, 'a', KAGGLE_SLUG_MAX);
	text[KAGGLE_SLUG_MAX] = '\0';
	assert_int_equal(kaggle_slug_parse(text, slug, sizeof(slug), &e), 1);
	assert_int_equal(strlen(slug), KAGGLE_SLUG_MAX);
	strcpy(text + KAGGLE_SLUG_MAX, "a");
	assert_int_equal(kaggle_slug_parse(text, slug, sizeof(slug), &e), -1);
	assert_non_null(strstr(e.msg, "longer"));
	/* the quoted input is cut, so the message stays readable */
	assert_true(strlen(e.msg) < 400);
	snprintf(text, sizeof(text), "https://www.kaggle.com/c/%0*d", KAGGLE_SLUG_MAX + 1, 7);
	assert_int_equal(kaggle_slug_parse(text, slug, sizeof(slug), &e), -1);
	/* a smaller buffer is a smaller limit, never an overflow */
	assert_int_equal(kaggle_slug_parse("titanic", small, sizeof(small), &e), 1);
	assert_string_equal(small, "titanic");
	assert_int_equal(kaggle_slug_parse("titanic2", small, sizeof(small), &e), -1);
}

static void
test_null_error_is_allowed(void **state)
{
	char slug[KAGGLE_SLUG_MAX + 1];

	(void)state;
	assert_int_equal(kaggle_slug_parse("https://www.kaggle.com/", slug, sizeof(slug), NULL), -1);
	assert_int_equal(kaggle_slug_parse(NULL, slug, sizeof(slug), NULL), -1);
}

static const struct {
	const char *text;
	const char *owner;
	const char *slug;
	int version;
} kernel_refs[] = {
	{ "alice/titanic-eda", "alice", "titanic-eda", 0 },
	{ "alice/titanic-eda/3", "alice", "titanic-eda", 3 },
	{ "Alice/Titanic-EDA", "alice", "titanic-eda", 0 },
	{ "https://www.kaggle.com/code/alice/titanic-eda", "alice", "titanic-eda", 0 },
	{ "https://kaggle.com/code/alice/titanic-eda/", "alice", "titanic-eda", 0 },
	{ "www.kaggle.com/code/alice/titanic-eda/notebook", "alice", "titanic-eda", 0 },
	{ "https://www.kaggle.com/code/alice/titanic-eda/edit?scriptVersionId=99", "alice", "titanic-eda", 0 },
	{ "https://www.kaggle.com/code/alice/titanic-eda/log#end", "alice", "titanic-eda", 0 },
	{ "https://www.kaggle.com/code/alice/titanic-eda/output", "alice", "titanic-eda", 0 },
	{ "https://www.kaggle.com/alice/titanic-eda", "alice", "titanic-eda", 0 },
	{ " alice/titanic-eda\n", "alice", "titanic-eda", 0 },
};

static const char *const kernel_refused[] = {
	"",
	"alice",
	"titanic-eda",
	"/alice/titanic-eda",
	"alice/titanic-eda/latest",
	"alice/titanic-eda/0",
	"alice/titanic-eda/1234567890",
	"alice/titanic-eda/3/4",
	"alice//titanic-eda",
	"alice/../titanic-eda",
	"alice/titanic_eda",
	"alice/titanic-eda?x",
	"al%69ce/titanic-eda",
	"alice/tit\x1b" "anic",
	"https://www.kaggle.com/code/alice",
	"https://www.kaggle.com/code/alice/titanic-eda/data",
	"https://www.kaggle.com/code/alice/titanic-eda/edit/run/1",
	"https://www.kaggle.com/competitions/titanic",
	"https://www.kaggle.com/datasets/alice",
	"https://www.kaggle.com/c/titanic",
	"https://www.kaggle.com/alice/titanic-eda/notebook",
	"https://example.com/code/alice/titanic-eda",
	"https://user@www.kaggle.com/code/alice/titanic-eda",
	"https://www.kaggle.com/code/alice/%2e%2e",
};

static void
test_kernel_refs(void **state)
{
	char owner[KAGGLE_SLUG_MAX + 1], slug[KAGGLE_SLUG_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(kernel_refs) / sizeof(kernel_refs[0]); i++) {
		ak_err e = { 0 };
		int version = -1;

		if (kaggle_kernel_ref_parse(kernel_refs[i].text, owner, sizeof(owner), slug, sizeof(slug), &version,
			    &e) != 0)
			fail_msg("'%s': %s", kernel_refs[i].text, e.msg);
		assert_string_equal(owner, kernel_refs[i].owner);
		assert_string_equal(slug, kernel_refs[i].slug);
		assert_int_equal(version, kernel_refs[i].version);
	}
	assert_int_equal(kaggle_kernel_ref_parse("alice/eda/2", owner, sizeof(owner), slug, sizeof(slug), NULL, NULL),
		0);
}

static void
test_kernel_refs_refused(void **state)
{
	char owner[KAGGLE_SLUG_MAX + 1], slug[KAGGLE_SLUG_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(kernel_refused) / sizeof(kernel_refused[0]); i++) {
		ak_err e = { 0 };
		int version = -1;

		if (kaggle_kernel_ref_parse(kernel_refused[i], owner, sizeof(owner), slug, sizeof(slug), &version, &e) !=
			-1)
			fail_msg("'%s' accepted as %s/%s", kernel_refused[i], owner, slug);
		assert_int_equal(err_kind_of(&e), ERR_INPUT);
		assert_non_null(strstr(e.msg, "OWNER/SLUG"));
		assert_int_equal(version, -1);
	}
}

static void
test_page_urls(void **state)
{
	char *u;

	(void)state;
	u = kaggle_rules_url("titanic");
	assert_string_equal(u, "https://www.kaggle.com/competitions/titanic/rules");
	free(u);
	u = kaggle_competition_url("titanic");
	assert_string_equal(u, "https://www.kaggle.com/competitions/titanic");
	free(u);
}

static void
test_kernel_slug_for_run(void **state)
{
	static const char *const cases[][3] = {
		{ "titanic", "20261203-101010-titanic", "titanic-autokaggle-20261203-101010" },
		{ "titanic", "20261203-101010-mine", "titanic-autokaggle-20261203-101010-mine" },
		{ "House_Prices--2", "R_1", "house-prices-2-autokaggle-r-1" },
		{ "a-very-long-competition-name-that-goes-on-and-on-and-on", "20261203-101010",
		  "a-very-long-competition-name-autokaggle-20261203-101010" },
		{ "", "20261203-101010", "autokaggle-20261203-101010" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *k = kaggle_kernel_slug_for_run(cases[i][0], cases[i][1]);

		if (strlen(k) > KAGGLE_KERNEL_SLUG_MAX || strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(k))
			fail_msg("%s: '%s' is not a kernel slug", cases[i][0], k);
		if (i != 3)
			assert_string_equal(k, cases[i][2]);
		else
			assert_non_null(strstr(k, "-autokaggle-20261203-101010"));
		free(k);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_form_gives_the_slug),
		cmocka_unit_test(test_kernel_slug_for_run),
		cmocka_unit_test(test_other_text_is_left_to_the_caller),
		cmocka_unit_test(test_hostile_and_empty_references_are_refused),
		cmocka_unit_test(test_slug_length_is_bounded),
		cmocka_unit_test(test_null_error_is_allowed),
		cmocka_unit_test(test_kernel_refs),
		cmocka_unit_test(test_kernel_refs_refused),
		cmocka_unit_test(test_page_urls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
