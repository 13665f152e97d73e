#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/table.h"

/* The table as printed at a width, in a string the caller frees. */
static char *
printed(const table *t, int width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	table_print(t, f, width);
	fclose(f);
	return buf;
}

static int
newlines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void
test_aligned(void **state)
{
	static const char *const head[] = { "slug", "teams", "entered" };
	static const char *const r1[] = { "titanic", "15000", "yes" };
	static const char *const r2[] = { "a", "7", NULL };
	static const int right[] = { 0, 1, 0 };
	table *t = table_new(3, head, right, 0);
	char *out;

	(void)state;
	table_add(t, r1);
	table_add(t, r2);
	out = printed(t, 0);
	assert_string_equal(out, "slug     teams  entered\n"
				 "titanic  15000  yes\n"
				 "a            7  \n");
	free(out);
	table_free(t);
}

static void
test_flexible_column_gives_way(void **state)
{
	static const char *const head[] = { "name", "size" };
	static const char *const r1[] = { "a-very-long-competition-name-indeed", "12" };
	table *t = table_new(2, head, NULL, 0);
	char *out;

	(void)state;
	table_add(t, r1);
	out = printed(t, 20);
	/* 20 columns: the name gets what the size (4, its header) and the gap
	 * leave, 14: 13 characters and the mark */
	assert_non_null(strstr(out, "a-very-long-c"));
	assert_null(strstr(out, "a-very-long-co"));
	assert_non_null(strstr(out, "  12\n"));
	free(out);
	table_free(t);
}

static void
test_cells_are_made_safe(void **state)
{
	static const char *const head[] = { "title" };
	static const char *const r1[] = { "Evil\033[2J\033]0;pwned\007\r\nFAKE LINE" };
	table *t = table_new(1, head, NULL, -1);
	char *out;

	(void)state;
	table_add(t, r1);
	out = printed(t, 0);
	assert_null(strchr(out, '\033'));
	assert_null(strchr(out, '\007'));
	assert_null(strchr(out, '\r'));
	/* one line per row: the forged line stayed on its row */
	assert_int_equal(newlines(out), 2);
	free(out);
	table_free(t);
}

static void
test_wide_characters_take_two_columns(void **state)
{
	static const char *const head[] = { "team", "score" };
	static const char *const r1[] = { "\xe6\x97\xa5\xe6\x9c\xac", "1" };   /* two CJK characters */
	static const char *const r2[] = { "abcd", "2" };
	table *t = table_new(2, head, NULL, -1);
	char *out;

	(void)state;
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		skip();
	table_add(t, r1);
	table_add(t, r2);
	out = printed(t, 0);
	/* both rows put their score at the same column */
	assert_non_null(strstr(out, "\xe6\x97\xa5\xe6\x9c\xac  1\n"));
	assert_non_null(strstr(out, "abcd  2\n"));
	free(out);
	table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aligned),
		cmocka_unit_test(test_flexible_column_gives_way),
		cmocka_unit_test(test_cells_are_made_safe),
		cmocka_unit_test(test_wide_characters_take_two_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
