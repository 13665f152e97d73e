#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "data/csv.h"
#include "data/profile.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "testlib.h"

static char *tmpdir;

static int
setup(void **state)
{
	(void)state;
	tmpdir = testlib_tmpdir("prof");
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

static char *
write_str(const char *name, const char *data)
{
	return write_file(name, data, strlen(data));
}

static cJSON *
profile_one(const char *path, int threads)
{
	profile_opts o = {NULL, NULL, threads, 0};
	ak_err e = { 0 };
	cJSON *p = profile_files(&path, 1, &o, &e);

	if (!p)
		fail_msg("profiling %s: %s", path, e.msg);
	return p;
}

static const cJSON *
file_at(const cJSON *p, int i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p, "files"), i);
}

static const cJSON *
col_named(const cJSON *file, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(file, "columns"))
		if (strcmp(json_str(c, "name", ""), name) == 0)
			return c;
	fail_msg("no column %s", name);
	return NULL;
}

static double
num_at(const cJSON *o, const char *path)
{
	char *copy = xstrdup(path), *save = NULL, *tok;
	const cJSON *cur = o;

	for (tok = strtok_r(copy, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
		cur = cJSON_IsArray(cur) ? cJSON_GetArrayItem(cur, atoi(tok)) : cJSON_GetObjectItemCaseSensitive(cur, tok);
	free(copy);
	if (!cJSON_IsNumber(cur))
		fail_msg("%s is not a number", path);
	return cur->valuedouble;
}

static int
bool_at(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static void
assert_close(double got, double want, double rel)
{
	if (fabs(got - want) > rel * fmax(1, fabs(want)))
		fail_msg("got %.17g, want %.17g", got, want);
}

/* ---- statistics against the pandas oracle ---- */

static void
test_stats_oracle(void **state)
{
	static const char *const qkeys[] = {"p01", "p05", "p25", "p50", "p75", "p95", "p99"};
	char *csv = xasprintf("%s/tests/fixtures/profile/stats.csv", ABS_TOP_SRCDIR);
	char *exp_path = xasprintf("%s/tests/fixtures/profile/stats_expected.json", ABS_TOP_SRCDIR);
	ak_err e = { 0 };
	cJSON *want = jsonfile_load(exp_path, &e), *p = profile_one(csv, 0);
	const cJSON *f = file_at(p, 0), *wc;
	int q;

	(void)state;
	assert_non_null(want);
	assert_int_equal((int)num_at(f, "rows"), (int)num_at(want, "rows"));
	cJSON_ArrayForEach(wc, cJSON_GetObjectItemCaseSensitive(want, "columns")) {
		const cJSON *c = col_named(f, wc->string);
		const cJSON *top = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(c, "top"), 0);

		assert_int_equal((int)num_at(c, "missing"), (int)num_at(wc, "missing"));
		assert_int_equal((int)num_at(c, "distinct"), (int)num_at(wc, "distinct"));
		assert_true(bool_at(c, "distinct_exact"));
		assert_int_equal((int)num_at(c, "length.min"), (int)num_at(wc, "len_min"));
		assert_int_equal((int)num_at(c, "length.max"), (int)num_at(wc, "len_max"));
		assert_close(num_at(c, "length.mean"), num_at(wc, "len_mean"), 1e-12);
		if (bool_at(wc, "top_unique")) {
			assert_string_equal(json_str(top, "value", ""), json_str(wc, "top_value", ""));
			assert_int_equal((int)num_at(top, "count"), (int)num_at(wc, "top_count"));
		}
		if (!cJSON_GetObjectItemCaseSensitive(wc, "mean"))
			continue;
		assert_close(num_at(c, "min"), num_at(wc, "min"), 1e-12);
		assert_close(num_at(c, "max"), num_at(wc, "max"), 1e-12);
		assert_close(num_at(c, "mean"), num_at(wc, "mean"), 1e-12);
		assert_close(num_at(c, "std"), num_at(wc, "std"), 1e-10);
		assert_true(bool_at(c, "quantiles_exact"));
		for (q = 0; q < 7; q++) {
			const cJSON *wq = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(wc, "quantiles"), q);
			const cJSON *got = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(c, "quantiles"), qkeys[q]);

			assert_close(got->valuedouble, wq->valuedouble, 1e-12);
		}
	}
	assert_string_equal(json_str(col_named(f, "id"), "type", ""), "id");
	assert_string_equal(json_str(col_named(f, "age"), "type", ""), "integer");
	assert_string_equal(json_str(col_named(f, "income"), "type", ""), "float");
	assert_string_equal(json_str(col_named(f, "score"), "type", ""), "float");
	assert_string_equal(json_str(col_named(f, "city"), "type", ""), "categorical");
	assert_string_equal(json_str(col_named(f, "comment"), "type", ""), "text");
	assert_string_equal(json_str(col_named(f, "zip"), "type", ""), "categorical");
	assert_int_equal((int)num_at(col_named(f, "zip"), "leading_zero_values"), 3000);
	assert_string_equal(json_str(col_named(f, "joined"), "type", ""), "date");
	assert_string_equal(json_str(col_named(f, "active"), "type", ""), "boolean");
	assert_string_equal(json_str(col_named(f, "label"), "type", ""), "integer");
	cJSON_Delete(want);
	cJSON_Delete(p);
	free(csv);
	free(exp_path);
}

/* Hand-computed: 1, 2, 3, 4 and 10 give mean 4, sample std sqrt(12.5),
 * median 3, 25 % at 2, 75 % at 4, 1 % at 1.04 (linear interpolation). */
static void
test_stats_by_hand(void **state)
{
	char *path = write_str("hand.csv", "x,d,t\n1,2020-01-01,a\n2,2020-01-03,b\n3,,a\n4,2020-01-05,\n10,2020-01-02,a\n");
	cJSON *p = profile_one(path, 1);
	const cJSON *f = file_at(p, 0), *x = col_named(f, "x"), *d = col_named(f, "d"), *t = col_named(f, "t");

	(void)state;
	assert_close(num_at(x, "mean"), 4, 1e-15);
	assert_close(num_at(x, "std"), sqrt(12.5), 1e-15);
	assert_close(num_at(x, "quantiles.p50"), 3, 1e-15);
	assert_close(num_at(x, "quantiles.p25"), 2, 1e-15);
	assert_close(num_at(x, "quantiles.p75"), 4, 1e-15);
	assert_close(num_at(x, "quantiles.p01"), 1.04, 1e-12);
	assert_int_equal((int)num_at(x, "histogram.counts.0"), 1);
	assert_string_equal(json_str(d, "type", ""), "date");
	assert_string_equal(json_str(d, "min", ""), "2020-01-01");
	assert_string_equal(json_str(d, "max", ""), "2020-01-05");
	assert_int_equal((int)num_at(d, "missing"), 1);
	assert_int_equal((int)num_at(t, "missing"), 1);
	assert_int_equal((int)num_at(t, "distinct"), 2);
	assert_string_equal(json_str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(t, "top"), 0), "value", ""), "a");
	cJSON_Delete(p);
	free(path);
}

/* ---- type inference on tricky columns ---- */

static void
test_types(void **state)
{
	strbuf sb = {0};
	cJSON *p;
	const cJSON *f;
	char *path;
	int i;

	(void)state;
	strbuf_addstr(&sb, "row_id,code,sci,negzero,withnan,mixdate,stamp,mixed,email,phone,empty,flt_int,big\n");
	for (i = 0; i < 200; i++) {
		strbuf_addf(&sb, "%d,%05d,%de%d,%s,%s,%s,2021-03-%02dT10:%02d:00Z,%s,user%d@mail.com,+1 555 010 %04d,,%d.0,%d\n",
			    i + 1, i, i % 7, i % 3, i % 2 ? "-0" : "5", i % 5 ? "1.5" : "NaN",
			    i % 2 ? "2020-01-02" : "2020-01-02 12:00:00", i % 28 + 1, i % 60,
			    i % 3 ? "12" : "twelve", i, i, i % 4, (i * 37) % 101);
	}
	path = write_file("types.csv", sb.buf, sb.len);
	p = profile_one(path, 0);
	f = file_at(p, 0);
	assert_string_equal(json_str(col_named(f, "row_id"), "type", ""), "id");
	assert_string_equal(json_str(col_named(f, "code"), "type", ""), "id");	/* 00000..00199, unique */
	assert_string_equal(json_str(col_named(f, "sci"), "type", ""), "float");
	assert_string_equal(json_str(col_named(f, "negzero"), "type", ""), "integer");
	assert_string_equal(json_str(col_named(f, "withnan"), "type", ""), "float");
	assert_int_equal((int)num_at(col_named(f, "withnan"), "missing"), 40);
	assert_string_equal(json_str(col_named(f, "mixdate"), "type", ""), "datetime");
	assert_string_equal(json_str(col_named(f, "stamp"), "type", ""), "datetime");
	assert_string_equal(json_str(col_named(f, "mixed"), "type", ""), "categorical");
	assert_string_equal(json_str(col_named(f, "email"), "pii", ""), "email");
	assert_string_equal(json_str(col_named(f, "phone"), "pii", ""), "phone");
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(col_named(f, "email"), "samples"),
					       0)->valuestring,
			    "u***@***.com");
	assert_int_equal((int)num_at(col_named(f, "empty"), "missing"), 200);
	assert_true(bool_at(col_named(f, "flt_int"), "integer_valued"));
	assert_string_equal(json_str(col_named(f, "big"), "type", ""), "integer");
	cJSON_Delete(p);
	free(path);
	strbuf_free(&sb);
}

/* ---- robustness ---- */

static const cJSON *
problems(const cJSON *f)
{
	return cJSON_GetObjectItemCaseSensitive(f, "problems");
}

static void
test_quotes_crlf_bom(void **state)
{
	char *path = write_str("q.csv", "\xef\xbb\xbf" "a,b,c\r\n\"x,1\",\"he said \"\"hi\"\"\",\"two\r\nlines\"\r\n"
					"y,2,\"\"\r\n\"\",3,z\r\n");
	cJSON *p = profile_one(path, 0);
	const cJSON *f = file_at(p, 0), *d = cJSON_GetObjectItemCaseSensitive(f, "dialect");

	(void)state;
	assert_int_equal((int)num_at(f, "rows"), 3);
	assert_true(bool_at(d, "bom"));
	assert_string_equal(json_str(d, "line_ending", ""), "CRLF");
	assert_string_equal(json_str(col_named(f, "a"), "name", ""), "a");
	assert_int_equal((int)num_at(col_named(f, "a"), "missing"), 1);
	assert_int_equal((int)num_at(col_named(f, "b"), "length.max"), 12);	/* he said "hi" */
	assert_int_equal((int)num_at(col_named(f, "c"), "length.max"), 10);	/* two\r\nlines */
	assert_int_equal((int)num_at(problems(f), "ragged_rows"), 0);
	cJSON_Delete(p);
	free(path);
}

static void
test_ragged_blank_empty(void **state)
{
	char *ragged = write_str("r.csv", "a,b\n1,2\n\n3\n4,5,6\n7,8\n");
	char *empty = write_str("e.csv", "");
	char *hdr = write_str("h.csv", "a,b,c\n");
	char *cr = write_str("cr.csv", "a,b\r1,2\r3,4\r");
	char *noeol = write_str("n.csv", "a,b\n1,2\n3,");
	cJSON *p = profile_one(ragged, 0);
	const cJSON *f = file_at(p, 0);

	(void)state;
	assert_int_equal((int)num_at(f, "rows"), 4);
	assert_int_equal((int)num_at(problems(f), "ragged_rows"), 2);
	assert_int_equal((int)num_at(problems(f), "short_rows"), 1);
	assert_int_equal((int)num_at(problems(f), "first_ragged_line"), 4);
	assert_int_equal((int)num_at(problems(f), "blank_lines"), 1);
	assert_int_equal((int)num_at(col_named(f, "b"), "missing"), 1);
	cJSON_Delete(p);
	p = profile_one(empty, 0);
	f = file_at(p, 0);
	assert_int_equal((int)num_at(f, "rows"), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(f, "columns")), 0);
	assert_null(cJSON_GetObjectItemCaseSensitive(p, "target")->valuestring);
	cJSON_Delete(p);
	p = profile_one(hdr, 0);
	f = file_at(p, 0);
	assert_int_equal((int)num_at(f, "rows"), 0);
	assert_int_equal((int)num_at(f, "column_count"), 3);
	assert_int_equal((int)num_at(col_named(f, "c"), "distinct"), 0);
	cJSON_Delete(p);
	p = profile_one(cr, 0);
	f = file_at(p, 0);
	assert_int_equal((int)num_at(f, "rows"), 2);
	assert_string_equal(json_str(cJSON_GetObjectItemCaseSensitive(f, "dialect"), "line_ending", ""), "CR");
	assert_close(num_at(col_named(f, "b"), "mean"), 3, 0);
	cJSON_Delete(p);
	p = profile_one(noeol, 0);
	f = file_at(p, 0);
	assert_int_equal((int)num_at(f, "rows"), 2);
	assert_int_equal((int)num_at(col_named(f, "b"), "missing"), 1);
	cJSON_Delete(p);
	free(ragged);
	free(empty);
	free(hdr);
	free(cr);
	free(noeol);
}

static void
test_encoding_problems(void **state)
{
	static const char data[] = "a,b\nok,1\nbad\xff\xfe,2\nnul\0x,3\n\"open,4\n5,6\n";
	char *path = write_file("enc.csv", data, sizeof(data) - 1);
	cJSON *p = profile_one(path, 0);
	const cJSON *f = file_at(p, 0), *pr = problems(f);
	char *json = cJSON_PrintUnformatted(p);

	(void)state;
	assert_int_equal((int)num_at(pr, "invalid_utf8"), 2);
	assert_int_equal((int)num_at(pr, "first_invalid_utf8_line"), 3);
	assert_int_equal((int)num_at(pr, "nul_bytes"), 1);
	assert_int_equal((int)num_at(pr, "first_nul_line"), 4);
	assert_true(bool_at(pr, "unterminated_quote"));
	assert_int_equal((int)num_at(f, "rows"), 4);
	assert_string_equal(json_str(cJSON_GetObjectItemCaseSensitive(f, "dialect"), "encoding", ""),
			    "utf-8 with errors");
	/* the JSON stays valid UTF-8 */
	assert_non_null(strstr(json, "bad\xef\xbf\xbd\xef\xbf\xbd"));
	free(json);
	cJSON_Delete(p);
	free(path);
}

static void
test_long_field(void **state)
{
	size_t n = 3u << 20, i;
	char *data = xmalloc(n + 64), *path;
	cJSON *p;
	const cJSON *f;
	size_t len = 0;

	(void)state;
	len += (size_t)sprintf(data, "k,v\n1,\"");
	for (i = 0; i < n - 100; i++)
		data[len++] = i % 1000 == 999 ? '\n' : 'x';
	len += (size_t)sprintf(data + len, "\"\n2,short\n");
	path = write_file("long.csv", data, len);
	p = profile_one(path, 2);
	f = file_at(p, 0);
	assert_int_equal((int)num_at(f, "rows"), 2);
	assert_int_equal((int)num_at(problems(f), "long_fields"), 1);
	assert_int_equal((int)num_at(col_named(f, "v"), "length.max"), (int)(n - 100));
	assert_int_equal((int)num_at(col_named(f, "k"), "max"), 2);
	cJSON_Delete(p);
	free(path);
	free(data);
}

static void
test_compressed(void **state)
{
	char *gzpath = xasprintf("%s/train.csv.gz", tmpdir), *zpath = xasprintf("%s/data.zip", tmpdir);
	const char *body = "id,v\n1,a\n2,b\n3,a\n";
	gzFile gz = gzopen(gzpath, "wb");
	zip_t *z;
	int err = 0;
	cJSON *p;
	const cJSON *f;

	(void)state;
	gzputs(gz, body);
	gzclose(gz);
	z = zip_open(zpath, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	assert_true(zip_file_add(z, "inner/train.csv", zip_source_buffer(z, body, strlen(body), 0), 0) >= 0);
	assert_int_equal(zip_close(z), 0);
	p = profile_one(gzpath, 0);
	f = file_at(p, 0);
	assert_string_equal(json_str(f, "compression", ""), "gzip");
	assert_string_equal(json_str(f, "role", ""), "train");
	assert_int_equal((int)num_at(f, "rows"), 3);
	assert_int_equal((int)num_at(f, "uncompressed_bytes"), (int)strlen(body));
	cJSON_Delete(p);
	p = profile_one(zpath, 0);
	f = file_at(p, 0);
	assert_string_equal(json_str(f, "compression", ""), "zip");
	assert_string_equal(json_str(f, "member", ""), "inner/train.csv");
	assert_int_equal((int)num_at(col_named(f, "v"), "distinct"), 2);
	cJSON_Delete(p);
	free(gzpath);
	free(zpath);
}

/* ---- the fast scanner against the reference reader ---- */

typedef struct colref {
	uint64_t missing, len_sum, len_max;
} colref;

/* A few MiB of random records with quotes, delimiters, doubled quotes,
 * CRLF and newlines in fields, so that records and fields straddle the
 * scanner's 1 MiB chunks; the profile must agree with csv_next. */
static void
test_scanner_matches_reader(void **state)
{
	static const char alpha[] = "ab,\"\n\r; 1.";
	strbuf sb = {0};
	unsigned seed = 4242;
	colref ref[4] = {{0}};
	csv_reader *r;
	csv_record rec;
	ak_err e = { 0 };
	uint64_t rows = 0;
	char *path, *json1, *json2;
	cJSON *p1, *p2;
	int i, c, k;

	(void)state;
	strbuf_addstr(&sb, "c0,c1,c2,c3\r\n");
	for (i = 0; sb.len < (5u << 20); i++) {
		for (c = 0; c < 4; c++) {
			int len = (int)((seed = seed * 1103515245 + 12345) >> 16) % (i % 501 == 0 ? 5000 : 14);
			int quoted = c == 3 || (seed >> 8) % 3 == 0;

			if (quoted)
				strbuf_addch(&sb, '"');
			for (k = 0; k < len; k++) {
				char ch = alpha[((seed = seed * 1103515245 + 12345) >> 16) % (sizeof(alpha) - 1)];

				if (!quoted && (ch == ',' || ch == '"' || ch == '\n' || ch == '\r'))
					ch = 'q';
				if (ch == '"')
					strbuf_addch(&sb, '"');
				strbuf_addch(&sb, ch);
			}
			if (quoted)
				strbuf_addch(&sb, '"');
			strbuf_addstr(&sb, c < 3 ? "," : (i % 2 ? "\r\n" : "\n"));
		}
	}
	path = write_file("scan.csv", sb.buf, sb.len);
	r = csv_open(path, &e);
	assert_non_null(r);
	assert_int_equal(csv_next(r, &rec, &e), 1);
	while ((k = csv_next(r, &rec, &e)) == 1) {
		rows++;
		for (c = 0; c < 4; c++) {
			size_t n = rec.lens[c];

			if (n == 0 || (n == 2 && memcmp(rec.fields[c], "NA", 2) == 0)) {
				ref[c].missing++;
				continue;
			}
			ref[c].len_sum += n;
			if (n > ref[c].len_max)
				ref[c].len_max = n;
		}
	}
	assert_int_equal(k, 0);
	csv_close(r);
	p1 = profile_one(path, 1);
	p2 = profile_one(path, 2);
	assert_int_equal((uint64_t)num_at(file_at(p1, 0), "rows"), rows);
	assert_int_equal((int)num_at(problems(file_at(p1, 0)), "ragged_rows"), 0);
	for (c = 0; c < 4; c++) {
		char name[4] = {'c', (char)('0' + c), 0, 0};
		const cJSON *col = col_named(file_at(p1, 0), name);
		uint64_t nonmiss = rows - ref[c].missing;

		assert_int_equal((uint64_t)num_at(col, "missing"), ref[c].missing);
		assert_int_equal((uint64_t)num_at(col, "length.max"), ref[c].len_max);
		assert_close(num_at(col, "length.mean"), (double)ref[c].len_sum / (double)nonmiss, 1e-12);
	}
	/* two threads split the columns, never the results */
	json1 = cJSON_PrintUnformatted(p1);
	json2 = cJSON_PrintUnformatted(p2);
	assert_string_equal(json1, json2);
	free(json1);
	free(json2);
	cJSON_Delete(p1);
	cJSON_Delete(p2);
	free(path);
	strbuf_free(&sb);
}

/* ---- bounded sketches on a larger file ---- */

static void
test_large_distinct_and_quantiles(void **state)
{
	size_t n = 300000, i;
	strbuf sb = {0};
	char *path;
	cJSON *p;
	const cJSON *f, *c;
	double est;

	(void)state;
	strbuf_addstr(&sb, "exact65536,over,uniq,val\n");
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "k%zu,k%zu,%zu,%.6f\n", i % 65536, i % 65537, (i * 2654435761u) % 1000003,
			    (double)((i * 7919) % n) / (double)n);
	path = write_file("large.csv", sb.buf, sb.len);
	p = profile_one(path, 2);
	f = file_at(p, 0);
	c = col_named(f, "exact65536");
	assert_true(bool_at(c, "distinct_exact"));
	assert_int_equal((int)num_at(c, "distinct"), 65536);
	c = col_named(f, "over");
	assert_false(bool_at(c, "distinct_exact"));
	assert_true(fabs(num_at(c, "distinct") - 65537) < 0.01 * 65537);
	c = col_named(f, "uniq");
	est = num_at(c, "distinct");
	assert_true(fabs(est - (double)n) < 0.01 * (double)n);
	/* val is a permutation of i/n: the q quantile is q itself */
	c = col_named(f, "val");
	assert_true(fabs(num_at(c, "quantiles.p05") - 0.05) < 0.005);
	assert_true(fabs(num_at(c, "quantiles.p50") - 0.50) < 0.005);
	assert_true(fabs(num_at(c, "quantiles.p99") - 0.99) < 0.005);
	assert_close(num_at(c, "mean"), (double)(n - 1) / 2 / (double)n, 1e-6);
	cJSON_Delete(p);
	free(path);
	strbuf_free(&sb);
}

/* Hundreds of columns in a small budget: the sketches shrink and distinct
 * counts become estimates, close to the truth. */
static void
test_budget_splits_across_columns(void **state)
{
	profile_opts o = {NULL, NULL, 2, 256u << 10};
	strbuf sb = {0};
	ak_err e = { 0 };
	const char *paths[1];
	const cJSON *f, *c;
	cJSON *p;
	int row, col;

	(void)state;
	for (col = 0; col < 200; col++)
		strbuf_addf(&sb, "%sc%d", col ? "," : "", col);
	strbuf_addch(&sb, '\n');
	for (row = 0; row < 3000; row++)
		for (col = 0; col < 200; col++)
			strbuf_addf(&sb, "v%d%c", (row * 31 + col) % 2500, col < 199 ? ',' : '\n');
	paths[0] = write_file("wide.csv", sb.buf, sb.len);
	p = profile_files(paths, 1, &o, &e);
	assert_non_null(p);
	f = file_at(p, 0);
	assert_int_equal((int)num_at(f, "column_count"), 200);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(f, "columns")) {
		assert_false(bool_at(c, "distinct_exact"));
		assert_true(fabs(num_at(c, "distinct") - 2500) < 0.15 * 2500);
		assert_int_equal((int)num_at(c, "missing"), 0);
	}
	cJSON_Delete(p);
	free((char *)paths[0]);
	strbuf_free(&sb);
}

/* ---- target, id and task across files ---- */

static cJSON *
profile_set(const char *const *names, const char *const *bodies, size_t n, const char *target, const char *id)
{
	const char **paths = xcalloc(n, sizeof(*paths));
	profile_opts o = {target, id, 0, 0};
	ak_err e = { 0 };
	cJSON *p;
	size_t i;

	for (i = 0; i < n; i++)
		paths[i] = write_str(names[i], bodies[i]);
	p = profile_files(paths, n, &o, &e);
	if (!p)
		fail_msg("%s", e.msg);
	for (i = 0; i < n; i++)
		free((char *)paths[i]);
	free(paths);
	return p;
}

static char *
make_rows(const char *header, int n, const char *fmt_kind)
{
	strbuf sb = {0};
	int i;

	strbuf_addstr(&sb, header);
	for (i = 0; i < n; i++) {
		if (!strcmp(fmt_kind, "binary"))
			strbuf_addf(&sb, "%d,%d.5,%s,%d\n", i + 1, i % 17, i % 3 ? "x" : "y", i % 4 == 0);
		else if (!strcmp(fmt_kind, "multi"))
			strbuf_addf(&sb, "%d,%d.5,%s,%s\n", i + 1, i % 17, i % 3 ? "x" : "y",
				    i % 10 == 9 ? "" : (const char *[]){"cat", "dog", "bird"}[i % 3]);
		else if (!strcmp(fmt_kind, "numclass"))
			strbuf_addf(&sb, "%d,%d.5,%s,%d\n", i + 1, i % 17, i % 3 ? "x" : "y", (i % 11) + 1);
		else if (!strcmp(fmt_kind, "regr"))
			strbuf_addf(&sb, "%d,%d.5,%s,%.3f\n", i + 1, i % 17, i % 3 ? "x" : "y", i * 1.37);
		else
			strbuf_addf(&sb, "%d,%d.5,%s\n", i + 1001, i % 17, i % 3 ? "x" : "y");
	}
	return strbuf_detach(&sb);
}

static const char *
class_value(const cJSON *p, int i)
{
	return json_str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p, "classes"), i), "value", "");
}

static void
test_inference_binary_with_sample(void **state)
{
	const char *names[] = {"train.csv", "test.csv", "sample_submission.csv"};
	char *train = make_rows("id,f,g,target\n", 400, "binary"), *test = make_rows("id,f,g\n", 100, "none");
	const char *bodies[] = {train, test, "id,target\n1001,0\n1002,0\n"};
	cJSON *p = profile_set(names, bodies, 3, NULL, NULL);
	const cJSON *sub = cJSON_GetObjectItemCaseSensitive(p, "submission");

	(void)state;
	assert_string_equal(json_str(p, "target", ""), "target");
	assert_string_equal(json_str(p, "id", ""), "id");
	assert_string_equal(json_str(p, "task", ""), "binary");
	assert_string_equal(json_str(sub, "format", ""), "label");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "classes")), 2);
	assert_string_equal(class_value(p, 0), "0");
	assert_int_equal((int)num_at(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p, "classes"), 1), "count"),
			 100);
	assert_close(num_at(p, "class_balance.minority_fraction"), 0.25, 1e-12);
	assert_string_equal(json_str(file_at(p, 2), "role", ""), "sample_submission");
	cJSON_Delete(p);
	free(train);
	free(test);
}

static void
test_inference_multiclass_and_numeric_classes(void **state)
{
	const char *names[] = {"train.csv", "test.csv"};
	char *train = make_rows("id,f,g,animal\n", 300, "multi"), *test = make_rows("id,f,g\n", 50, "none");
	char *train2 = make_rows("id,f,g,grade\n", 330, "numclass");
	const char *bodies[] = {train, test};
	const char *bodies2[] = {train2, test};
	cJSON *p = profile_set(names, bodies, 2, NULL, NULL);

	(void)state;
	/* no sample: the train column absent from test; missing is no class */
	assert_string_equal(json_str(p, "target", ""), "animal");
	assert_string_equal(json_str(p, "task", ""), "multiclass");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "classes")), 3);
	assert_string_equal(class_value(p, 0), "bird");
	assert_string_equal(class_value(p, 2), "dog");
	assert_string_equal(json_str(p, "id", ""), "id");
	cJSON_Delete(p);
	p = profile_set(names, bodies2, 2, NULL, NULL);
	assert_string_equal(json_str(p, "task", ""), "multiclass");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "classes")), 11);
	/* numeric classes sort as numbers: 1, 2, ..., 9, 10, 11 */
	assert_string_equal(class_value(p, 8), "9");
	assert_string_equal(class_value(p, 9), "10");
	cJSON_Delete(p);
	free(train);
	free(train2);
	free(test);
}

static void
test_inference_regression_and_overrides(void **state)
{
	const char *names[] = {"train.csv", "test.csv"};
	char *train = make_rows("id,f,g,price\n", 300, "regr"), *test = make_rows("id,f,g\n", 50, "none");
	const char *bodies[] = {train, test};
	cJSON *p = profile_set(names, bodies, 2, NULL, NULL);

	(void)state;
	assert_string_equal(json_str(p, "target", ""), "price");
	assert_string_equal(json_str(p, "task", ""), "regression");
	assert_null(cJSON_GetObjectItemCaseSensitive(p, "classes"));
	cJSON_Delete(p);
	p = profile_set(names, bodies, 2, "g", "f");
	assert_string_equal(json_str(p, "target", ""), "g");
	assert_string_equal(json_str(p, "id", ""), "f");
	assert_string_equal(json_str(p, "task", ""), "binary");
	cJSON_Delete(p);
	free(train);
	free(test);
}

static void
test_inference_proba_columns(void **state)
{
	const char *names[] = {"train.csv", "test.csv", "sampleSubmission.csv"};
	char *train = make_rows("id,f,g,animal\n", 300, "multi"), *test = make_rows("id,f,g\n", 50, "none");
	const char *bodies[] = {train, test, "id,bird,cat,dog\n1001,0.3,0.3,0.4\n"};
	cJSON *p = profile_set(names, bodies, 3, NULL, NULL);
	const cJSON *sub = cJSON_GetObjectItemCaseSensitive(p, "submission");

	(void)state;
	assert_string_equal(json_str(sub, "format", ""), "proba_columns");
	assert_string_equal(json_str(p, "target", ""), "animal");
	assert_string_equal(json_str(p, "id", ""), "id");
	assert_string_equal(json_str(p, "task", ""), "multiclass");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sub, "columns")), 4);
	cJSON_Delete(p);
	free(train);
	free(test);
}

static void
test_drift_and_time(void **state)
{
	const char *names[] = {"train.csv", "test.csv"};
	strbuf tr = {0}, te = {0};
	cJSON *p;
	const cJSON *d, *shifted = NULL, *stable = NULL, *cat = NULL, *t;
	int i;

	(void)state;
	strbuf_addstr(&tr, "id,day,stable,shifted,color,y\n");
	strbuf_addstr(&te, "id,day,stable,shifted,color\n");
	for (i = 0; i < 2000; i++) {
		strbuf_addf(&tr, "%d,2020-01-%02d,%d,%d,%s,%d\n", i, i % 28 + 1, i % 100, i % 100,
			    i % 2 ? "red" : "blue", i % 2);
		strbuf_addf(&te, "%d,2020-02-%02d,%d,%d,%s\n", i + 5000, i % 28 + 1, (i * 7) % 100, 50 + i % 100,
			    i % 3 ? "red" : "green");
	}
	{
		const char *bodies[] = {tr.buf, te.buf};

		p = profile_set(names, bodies, 2, NULL, NULL);
	}
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(p, "drift")) {
		if (!strcmp(json_str(d, "column", ""), "shifted"))
			shifted = d;
		if (!strcmp(json_str(d, "column", ""), "stable"))
			stable = d;
		if (!strcmp(json_str(d, "column", ""), "color"))
			cat = d;
	}
	assert_non_null(shifted);
	assert_non_null(stable);
	assert_non_null(cat);
	assert_true(num_at(stable, "psi") < 0.01);
	assert_true(num_at(stable, "ks") < 0.02);
	assert_true(num_at(shifted, "psi") > 0.25);
	assert_close(num_at(shifted, "ks"), 0.5, 0.01);
	assert_string_equal(json_str(shifted, "level", ""), "high");
	assert_int_equal((int)num_at(cat, "test_only_values"), 1);
	assert_int_equal((int)num_at(cat, "test_only_rows"), 667);
	t = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p, "time_columns"), 0);
	assert_string_equal(json_str(t, "column", ""), "day");
	assert_true(bool_at(t, "test_after_train"));
	assert_string_equal(json_str(p, "split_hint", ""), "time");
	cJSON_Delete(p);
	strbuf_free(&tr);
	strbuf_free(&te);
}

/* A file that ends in an open quote: its last value is empty once
 * unquoted, the first value of the chunk's arena (found by fuzzing: it
 * was copied to a null arena). */
static void
test_ends_in_open_quote(void **state)
{
	char *path = write_str("openq.csv", "x\n\"");
	cJSON *p = profile_one(path, 1);
	const cJSON *f = file_at(p, 0);

	(void)state;
	assert_int_equal((int)num_at(f, "rows"), 1);
	assert_true(bool_at(problems(f), "unterminated_quote"));
	assert_int_equal((int)num_at(col_named(f, "x"), "missing"), 1);
	cJSON_Delete(p);
	free(path);
}

/* ---- the JSON written a column at a time ---- */

/* profile_write()'s JSON and table, in strings. */
static int
written(const char *const *paths, size_t n, const profile_opts *o, char **json, char **table)
{
	size_t jn, tn;
	FILE *jf = open_memstream(json, &jn), *tf = open_memstream(table, &tn);
	ak_err e = { 0 };
	int rc;

	assert_non_null(jf);
	assert_non_null(tf);
	rc = profile_write(paths, n, o, jf, tf, &e);
	assert_int_equal(fclose(jf), 0);
	assert_int_equal(fclose(tf), 0);
	return rc;
}

/* The streamed text is the tree's text: cJSON_Print's layout, byte for
 * byte, on files that exercise every part of the profile. */
static void
check_written_matches_tree(const char *const *paths, size_t n, const profile_opts *o)
{
	ak_err e = { 0 };
	cJSON *p = profile_files(paths, n, o, &e);
	char *tree, *json, *table, *tree_table;
	size_t len;
	FILE *tf;

	if (!p)
		fail_msg("%s", e.msg);
	tree = cJSON_Print(p);
	tf = open_memstream(&tree_table, &len);
	profile_print_table(tf, p);
	fclose(tf);
	assert_int_equal(written(paths, n, o, &json, &table), 0);
	assert_int_equal(strlen(json), strlen(tree) + 1);
	assert_memory_equal(json, tree, strlen(tree));
	assert_int_equal(json[strlen(tree)], '\n');
	assert_string_equal(table, tree_table);
	free(tree);
	free(tree_table);
	free(json);
	free(table);
	cJSON_Delete(p);
}

static void
test_written_json_is_the_tree(void **state)
{
	char *stats = xasprintf("%s/tests/fixtures/profile/stats.csv", ABS_TOP_SRCDIR);
	char *train = make_rows("id,x,c,y\n", 300, "multi"), *test = make_rows("id,x,c\n", 100, "test");
	const char *trio[3], *one[1], *none[1] = {"/nonexistent/train.csv"};
	profile_opts o = {NULL, NULL, 1, 0}, wide = {NULL, NULL, 2, 64u << 10};
	strbuf sb = {0};
	char *json, *table;
	int i;

	(void)state;
	one[0] = stats;
	check_written_matches_tree(one, 1, &o);
	trio[0] = write_str("train.csv", train);
	trio[1] = write_str("test.csv", test);
	trio[2] = write_str("sample_submission.csv", "id,y\n1001,cat\n1002,dog\n");
	check_written_matches_tree(trio, 3, &o);
	/* odd strings, problems and warnings, many columns in a small budget */
	strbuf_addstr(&sb, "\xef\xbb\xbfna\"me,\"tab\tbed\",x\r\n");
	for (i = 0; i < 500; i++)
		strbuf_addf(&sb, "\"q\"\"%d\nline\",\xff\xfe%d,%s\r\n", i, i % 7, i % 5 ? "a\\b" : "");
	strbuf_addstr(&sb, "short\r\n\"open");
	one[0] = write_file("odd.csv", sb.buf, sb.len);
	check_written_matches_tree(one, 1, &o);
	free((char *)one[0]);
	one[0] = write_str("empty.csv", "");
	check_written_matches_tree(one, 1, &o);
	free((char *)one[0]);
	strbuf_reset(&sb);
	for (i = 0; i < 300; i++)
		strbuf_addf(&sb, "%sc%d", i ? "," : "", i);
	strbuf_addch(&sb, '\n');
	for (i = 0; i < 300 * 40; i++)
		strbuf_addf(&sb, "%d%c", (i * 7) % 13, i % 300 == 299 ? '\n' : ',');
	one[0] = write_file("wide.csv", sb.buf, sb.len);
	check_written_matches_tree(one, 1, &wide);
	free((char *)one[0]);
	/* a file that cannot be read: nothing is written */
	assert_int_equal(written(none, 1, &o, &json, &table), -1);
	assert_string_equal(json, "");
	assert_string_equal(table, "");
	free(json);
	free(table);
	for (i = 0; i < 3; i++)
		free((char *)trio[i]);
	free(stats);
	free(train);
	free(test);
	strbuf_free(&sb);
}

/* ---- the command ---- */

static int
run_cmd(const char *const *args, int n, char **out)
{
	char *argv[16], *tmp = xasprintf("%s/cmd.out", tmpdir);
	int saved = dup(1), fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600), rc, errfd = dup(2), null;
	size_t len;
	int i;

	for (i = 0; i < n; i++)
		argv[i] = (char *)args[i];
	argv[n] = NULL;
	fflush(stdout);
	dup2(fd, 1);
	null = open("/dev/null", O_WRONLY);
	dup2(null, 2);
	rc = profile_cmd(n, argv);
	fflush(stdout);
	dup2(saved, 1);
	dup2(errfd, 2);
	close(saved);
	close(errfd);
	close(fd);
	close(null);
	*out = fs_read_file(tmp, &len, NULL);
	assert_non_null(*out);
	free(tmp);
	return rc;
}

static void
test_cmd(void **state)
{
	char *csv = write_str("train.csv", "id,x,y\n1,2,a\n2,3,b\n"), *out;
	const char *no_args[] = {"profile"};
	const char *bad_opt[] = {"profile", "--bogus", csv};
	const char *help[] = {"profile", "--help"};
	const char *missing[] = {"profile", "/nonexistent/train.csv"};
	const char *json[] = {"profile", csv, "--json", "--target", "y"};
	const char *table[] = {"profile", csv};
	cJSON *p;

	(void)state;
	assert_int_equal(run_cmd(no_args, 1, &out), 2);
	free(out);
	assert_int_equal(run_cmd(bad_opt, 3, &out), 2);
	free(out);
	assert_int_equal(run_cmd(help, 2, &out), 0);
	assert_non_null(strstr(out, "usage: autokaggle profile"));
	free(out);
	assert_int_equal(run_cmd(missing, 2, &out), PROFILE_EXIT_INPUT);
	free(out);
	assert_int_equal(run_cmd(json, 5, &out), 0);
	p = cJSON_Parse(out);
	assert_non_null(p);
	assert_string_equal(json_str(p, "target", ""), "y");
	assert_int_equal((int)num_at(p, "version"), 1);
	cJSON_Delete(p);
	free(out);
	assert_int_equal(run_cmd(table, 2, &out), 0);
	assert_non_null(strstr(out, "train.csv [train]: 2 rows x 3 columns"));
	free(out);
	free(csv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_oracle),
		cmocka_unit_test(test_stats_by_hand),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_quotes_crlf_bom),
		cmocka_unit_test(test_ragged_blank_empty),
		cmocka_unit_test(test_encoding_problems),
		cmocka_unit_test(test_long_field),
		cmocka_unit_test(test_compressed),
		cmocka_unit_test(test_scanner_matches_reader),
		cmocka_unit_test(test_large_distinct_and_quantiles),
		cmocka_unit_test(test_budget_splits_across_columns),
		cmocka_unit_test(test_inference_binary_with_sample),
		cmocka_unit_test(test_inference_multiclass_and_numeric_classes),
		cmocka_unit_test(test_inference_regression_and_overrides),
		cmocka_unit_test(test_inference_proba_columns),
		cmocka_unit_test(test_drift_and_time),
		cmocka_unit_test(test_ends_in_open_quote),
		cmocka_unit_test(test_written_json_is_the_tree),
		cmocka_unit_test(test_cmd),
	};

	return cmocka_run_group_tests_name("profile", tests, setup, teardown);
}
