#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "data/csv.h"
#include "util/xalloc.h"
#include "testlib.h"

static char *tmpdir;

static int
setup(void **state)
{
	(void)state;
	tmpdir = testlib_tmpdir("csv");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	testlib_rmtree(tmpdir);
	free(tmpdir);
	return 0;
}

static char *
write_file(const char *name, const void *data, size_t len)
{
	char *path = testlib_path(tmpdir, name);

	testlib_write_bytes(path, data, len);
	return path;
}

/* Reads every record and renders it as "line:f1|f2|...\n" for comparison. */
static char *
render(const char *path)
{
	csv_reader *r;
	csv_record rec;
	ak_err e = { 0 };
	char *out = xstrdup("");
	size_t i, j;
	int k;

	r = csv_open(path, &e);
	assert_non_null(r);
	while ((k = csv_next(r, &rec, &e)) == 1) {
		char *line = xasprintf("%s%ld:", out, rec.line);

		free(out);
		out = line;
		for (i = 0; i < rec.nfields; i++) {
			size_t n = strlen(out);

			out = xrealloc(out, n + rec.lens[i] + 3);
			for (j = 0; j < rec.lens[i]; j++)
				out[n++] = rec.fields[i][j] ? rec.fields[i][j] : '0';
			assert_int_equal(rec.fields[i][rec.lens[i]], 0);
			if (i + 1 < rec.nfields)
				out[n++] = '|';
			out[n] = 0;
		}
		strcat(out, "\n");
	}
	assert_int_equal(k, 0);
	csv_close(r);
	return out;
}

static void
check(const char *name, const char *data, size_t len, const char *want)
{
	char *path = write_file(name, data, len);
	char *got = render(path);

	assert_string_equal(got, want);
	free(got);
	free(path);
}

#define CHECK(name, lit, want) check(name, lit, sizeof(lit) - 1, want)

static void
test_plain_and_crlf(void **state)
{
	(void)state;
	CHECK("a.csv", "id,x\n1,2\n3,4\n", "1:id|x\n2:1|2\n3:3|4\n");
	CHECK("b.csv", "\xef\xbb\xbfid,x\r\n1,2\r\n3,4", "1:id|x\n2:1|2\n3:3|4\n");
	CHECK("c.csv", "id,x\r1,2\r3,4\r", "1:id|x\n2:1|2\n3:3|4\n");
}

static void
test_quotes(void **state)
{
	(void)state;
	CHECK("q.csv", "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"crlf\r\nin\"\nlast,\"\"\n",
	      "1:a|b\n2:x,y|say \"hi\"\n3:two\nlines|crlf\r\nin\n6:last|\n");
	/* an unterminated quote runs to the end instead of failing */
	CHECK("u.csv", "a\n\"open,never closed\n", "1:a\n2:open,never closed\n\n");
	/* stray bytes after a closing quote are kept */
	CHECK("s.csv", "a\n\"x\"y,z\n", "1:a\n2:xy|z\n");
}

static void
test_blank_ragged_empty(void **state)
{
	(void)state;
	CHECK("e.csv", "", "");
	CHECK("h.csv", "a,b,c\n", "1:a|b|c\n");
	CHECK("r.csv", "a,b\n\n1\n1,2,3\n\r\n\"\"\n", "1:a|b\n3:1\n4:1|2|3\n6:\n");
	CHECK("n.csv", "a,b\nx\0y,z\n", "1:a|b\n2:x0y|z\n");
}

static void
test_delimiters(void **state)
{
	char *path;
	csv_reader *r;
	ak_err e;

	(void)state;
	CHECK("t.txt", "a\tb;c\n1\t2;3\n4\t5;6\n", "1:a|b;c\n2:1|2;3\n3:4|5;6\n");
	CHECK("s.txt", "a;b,c\n1;2,5\n4;5\n", "1:a|b,c\n2:1|2,5\n3:4|5\n");
	CHECK("p.txt", "a|b\n\"x|y\"|2\n", "1:a|b\n2:x|y|2\n");
	CHECK("one.csv", "only\n1\n2\n", "1:only\n2:1\n3:2\n");
	assert_int_equal(csv_sniff_delimiter("a,b;c\n1,2;3\n", 12, 1), ',');
	assert_int_equal(csv_sniff_delimiter("x", 1, 1), ',');
	path = write_file("tab.tsv", "a b\n1 2\n", 8);
	r = csv_open(path, &e);
	assert_non_null(r);
	assert_int_equal(csv_delimiter(r), '\t');
	csv_close(r);
	free(path);
}

static void
test_gzip(void **state)
{
	char *path = xasprintf("%s/g.csv.gz", tmpdir);
	gzFile gz = gzopen(path, "wb");
	char *got;

	(void)state;
	assert_non_null(gz);
	gzputs(gz, "id,v\n1,\"a\nb\"\n2,c\n");
	gzclose(gz);
	got = render(path);
	assert_string_equal(got, "1:id|v\n2:1|a\nb\n4:2|c\n");
	free(got);
	free(path);
}

static void
make_zip(const char *path, const char *const *names, size_t n, const char *body)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	size_t i;

	assert_non_null(z);
	for (i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(z, body, strlen(body), 0);

		assert_non_null(s);
		assert_true(zip_file_add(z, names[i], s, ZIP_FL_OVERWRITE) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
}

static void
test_zip(void **state)
{
	static const char *const one[] = {"__MACOSX/._train.csv", "data/train.csv"};
	static const char *const two[] = {"train.csv", "test.csv"};
	char *path = xasprintf("%s/z.zip", tmpdir);
	ak_err e = { 0 };
	char *got;

	(void)state;
	make_zip(path, one, 2, "a;b\n1;2\n");
	got = render(path);
	assert_string_equal(got, "1:a|b\n2:1|2\n");
	free(got);
	make_zip(path, two, 2, "a\n1\n");
	assert_null(csv_open(path, &e));
	assert_non_null(strstr(e.msg, "2 files"));
	free(path);
}

static void
test_errors(void **state)
{
	char *path = xasprintf("%s/missing.csv", tmpdir);
	ak_err e = { 0 };
	csv_reader *r;
	csv_record rec;
	unsigned char junk[64];
	size_t i;
	char *bad;

	(void)state;
	assert_null(csv_open(path, &e));
	assert_non_null(strstr(e.msg, "missing.csv"));
	assert_null(csv_open(tmpdir, &e));
	assert_non_null(strstr(e.msg, "directory"));
	free(path);
	/* a gzip header followed by garbage reports corruption, not a crash */
	junk[0] = 0x1f;
	junk[1] = 0x8b;
	for (i = 2; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 37);
	bad = write_file("bad.csv.gz", junk, sizeof(junk));
	r = csv_open(bad, &e);
	if (r) {
		assert_int_equal(csv_next(r, &rec, &e), -1);
		assert_non_null(strstr(e.msg, "gzip"));
		csv_close(r);
	}
	free(bad);
}

/* Random records with every special byte, written with RFC 4180 quoting
 * in sizes that straddle the reader's buffers, must read back exactly. */
static void
test_roundtrip_random(void **state)
{
	static const char alphabet[] = "ab,\"\n\r;x\t 1";
	size_t cap = 0, len = 0, want_cap = 0, want_len = 0;
	char *data = NULL, *want = NULL, *path, *got;
	unsigned seed = 12345;
	long line = 1;
	int rec, f, i;

	(void)state;
	for (rec = 0; rec < 3000; rec++) {
		char hdr[32];
		int nf = 1 + rec % 4;
		long lines_in = 0;
		snprintf(hdr, sizeof(hdr), "%ld:", line);
		want = xgrow(want, &want_cap, want_len + strlen(hdr) + 1, 1);
		memcpy(want + want_len, hdr, strlen(hdr));
		want_len += strlen(hdr);
		for (f = 0; f < nf; f++) {
			int flen = (int)((seed = seed * 1103515245 + 12345) >> 16) % (rec % 97 == 0 ? 3000 : 12);

			data = xgrow(data, &cap, len + 2 * (size_t)flen + 8, 1);
			want = xgrow(want, &want_cap, want_len + (size_t)flen + 8, 1);
			data[len++] = '"';
			for (i = 0; i < flen; i++) {
				char c = alphabet[((seed = seed * 1103515245 + 12345) >> 16) % (sizeof(alphabet) - 1)];

				if (c == '\r')
					c = '\n';
				if (c == '"')
					data[len++] = '"';
				if (c == '\n')
					lines_in++;
				data[len++] = c;
				want[want_len++] = c;
			}
			data[len++] = '"';
			data[len++] = f + 1 < nf ? ',' : '\n';
			if (f + 1 < nf)
				want[want_len++] = '|';
		}
		want[want_len++] = '\n';
		line += 1 + lines_in;
	}
	want = xgrow(want, &want_cap, want_len + 1, 1);
	want[want_len] = 0;
	path = write_file("rt.csv", data, len);
	got = render(path);
	assert_int_equal(strlen(got), want_len);
	assert_string_equal(got, want);
	free(got);
	free(path);
	free(data);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_crlf),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_blank_ragged_empty),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_zip),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_roundtrip_random),
	};

	return cmocka_run_group_tests_name("csv", tests, setup, teardown);
}
