#include "config.h"

#include "data/profile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/colstat.h"
#include "data/infer.h"
#include "data/scan.h"
#include "data/xfile.h"
#include "util/xalloc.h"

#define TOP_VALUES 10

static const char *const q_keys[COLSUM_NQ] = {"p01", "p05", "p25", "p50", "p75", "p95", "p99"};

static void
add_clean_string(cJSON *o, const char *key, const char *s, size_t n, int mask)
{
	char *v = mask ? infer_display(s, n) : infer_clean(s, n);

	cJSON_AddStringToObject(o, key, v);
	free(v);
}

static void
add_histogram(cJSON *o, const colsum *c, int times)
{
	cJSON *h = cJSON_AddObjectToObject(o, "histogram");
	cJSON *edges = cJSON_AddArrayToObject(h, "edges"), *counts = cJSON_AddArrayToObject(h, "counts");
	int b;

	for (b = 0; b <= c->nbins; b++) {
		if (times) {
			char buf[40];

			infer_format_time(c->edges[b], c->type == COL_DATETIME, buf, sizeof(buf));
			cJSON_AddItemToArray(edges, cJSON_CreateString(buf));
		} else {
			cJSON_AddItemToArray(edges, cJSON_CreateNumber(c->edges[b]));
		}
	}
	for (b = 0; b < c->nbins; b++)
		cJSON_AddItemToArray(counts, cJSON_CreateNumber((double)c->bins[b]));
	cJSON_AddBoolToObject(h, "exact", c->q_exact);
}

static void
add_numbers(cJSON *o, const colsum *c)
{
	cJSON *q = cJSON_CreateObject();
	int i;

	cJSON_AddNumberToObject(o, "min", c->min);
	cJSON_AddNumberToObject(o, "max", c->max);
	cJSON_AddNumberToObject(o, "mean", c->mean);
	cJSON_AddNumberToObject(o, "std", c->std);
	cJSON_AddNumberToObject(o, "zeros", (double)c->zeros);
	cJSON_AddNumberToObject(o, "negatives", (double)c->negatives);
	cJSON_AddBoolToObject(o, "integer_valued", c->integral);
	for (i = 0; i < COLSUM_NQ; i++)
		cJSON_AddNumberToObject(q, q_keys[i], c->q[i]);
	cJSON_AddItemToObject(o, "quantiles", q);
	cJSON_AddBoolToObject(o, "quantiles_exact", c->q_exact);
	add_histogram(o, c, 0);
}

static void
add_times(cJSON *o, const colsum *c)
{
	int dt = c->type == COL_DATETIME, i;
	cJSON *q = cJSON_CreateObject();

	infer_json_time(o, "min", c->min, dt);
	infer_json_time(o, "max", c->max, dt);
	infer_json_time(o, "mean", c->mean, dt);
	cJSON_AddNumberToObject(o, "span_days", (c->max - c->min) / 86400.0);
	for (i = 0; i < COLSUM_NQ; i++)
		infer_json_time(q, q_keys[i], c->q[i], dt);
	cJSON_AddItemToObject(o, "quantiles", q);
	cJSON_AddBoolToObject(o, "quantiles_exact", c->q_exact);
	add_histogram(o, c, 1);
}

static void
add_top(cJSON *o, const colsum *c)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "top");
	size_t i;

	for (i = 0; i < c->nvals && i < TOP_VALUES; i++) {
		cJSON *v;

		if (c->type == COL_ID && c->vals[i].count < 2)
			break;
		v = cJSON_CreateObject();
		add_clean_string(v, "value", c->vals[i].s, c->vals[i].n, 1);
		cJSON_AddNumberToObject(v, "count", (double)c->vals[i].count);
		cJSON_AddItemToArray(arr, v);
	}
	cJSON_AddBoolToObject(o, "top_exact", c->counts_exact);
	if (!c->counts_exact)
		cJSON_AddNumberToObject(o, "top_count_error", (double)c->count_error);
}

static void
add_kinds(cJSON *o, const colsum *c)
{
	cJSON *k = cJSON_AddObjectToObject(o, "type_counts");
	int i;

	for (i = 0; i < INFER_NKINDS; i++)
		if (c->kinds[i])
			cJSON_AddNumberToObject(k, infer_kind_name((enum infer_kind)i), (double)c->kinds[i]);
	if (c->leading_zero)
		cJSON_AddNumberToObject(o, "leading_zero_values", (double)c->leading_zero);
	if (c->infinite)
		cJSON_AddNumberToObject(o, "infinite_values", (double)c->infinite);
	if (c->long_values)
		cJSON_AddNumberToObject(o, "truncated_long_values", (double)c->long_values);
}

static cJSON *
column_json(const colsum *c, size_t index)
{
	cJSON *o = cJSON_CreateObject(), *len, *samples;
	uint64_t nonmiss = c->values - c->missing;
	size_t i;

	cJSON_AddStringToObject(o, "name", c->name);
	cJSON_AddNumberToObject(o, "index", (double)index);
	cJSON_AddStringToObject(o, "type", colsum_type_name(c->type));
	cJSON_AddNumberToObject(o, "missing", (double)c->missing);
	cJSON_AddNumberToObject(o, "missing_fraction", c->values ? (double)c->missing / (double)c->values : 0);
	cJSON_AddNumberToObject(o, "distinct", (double)c->distinct);
	cJSON_AddBoolToObject(o, "distinct_exact", c->distinct_exact);
	if (!c->distinct_exact)
		cJSON_AddNumberToObject(o, "distinct_rel_error", c->distinct_error);
	cJSON_AddBoolToObject(o, "unique", c->distinct_exact && nonmiss > 0 && c->distinct == nonmiss);
	add_kinds(o, c);
	if (c->numclass == 1 && (c->type == COL_INTEGER || c->type == COL_FLOAT || c->type == COL_ID))
		add_numbers(o, c);
	else if (c->numclass == 2 && (c->type == COL_DATE || c->type == COL_DATETIME))
		add_times(o, c);
	add_top(o, c);
	len = cJSON_AddObjectToObject(o, "length");
	cJSON_AddNumberToObject(len, "min", (double)c->len_min);
	cJSON_AddNumberToObject(len, "max", (double)c->len_max);
	cJSON_AddNumberToObject(len, "mean", c->len_mean);
	if (c->pii_kind != INFER_PII_NONE)
		cJSON_AddStringToObject(o, "pii", infer_pii_name(c->pii_kind));
	else
		cJSON_AddNullToObject(o, "pii");
	samples = cJSON_AddArrayToObject(o, "samples");
	for (i = 0; i < c->nsamples; i++) {
		char *s = infer_display(c->samples[i], strlen(c->samples[i]));

		cJSON_AddItemToArray(samples, cJSON_CreateString(s));
		free(s);
	}
	return o;
}

static void
add_line(cJSON *o, const char *key, long line)
{
	if (line > 0)
		cJSON_AddNumberToObject(o, key, (double)line);
	else
		cJSON_AddNullToObject(o, key);
}

static void
warnf(cJSON *arr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warnf(cJSON *arr, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cJSON_AddItemToArray(arr, cJSON_CreateString(buf));
}

static void
add_problems(cJSON *o, const scan_result *r)
{
	cJSON *p = cJSON_AddObjectToObject(o, "problems"), *w = cJSON_AddArrayToObject(o, "warnings");

	cJSON_AddNumberToObject(p, "ragged_rows", (double)r->ragged_rows);
	cJSON_AddNumberToObject(p, "short_rows", (double)r->short_rows);
	cJSON_AddNumberToObject(p, "long_rows", (double)r->long_rows);
	add_line(p, "first_ragged_line", r->first_ragged_line);
	cJSON_AddNumberToObject(p, "blank_lines", (double)r->blank_lines);
	cJSON_AddNumberToObject(p, "invalid_utf8", (double)r->invalid_utf8);
	add_line(p, "first_invalid_utf8_line", r->first_invalid_utf8_line);
	cJSON_AddNumberToObject(p, "nul_bytes", (double)r->nul_bytes);
	add_line(p, "first_nul_line", r->first_nul_line);
	cJSON_AddBoolToObject(p, "unterminated_quote", r->unterminated_quote);
	cJSON_AddNumberToObject(p, "long_fields", (double)r->long_fields);
	if (r->ragged_rows)
		warnf(w, "%llu rows have a different number of fields than the header (first at line %ld): "
		      "%llu short, %llu long",
		      (unsigned long long)r->ragged_rows, r->first_ragged_line,
		      (unsigned long long)r->short_rows, (unsigned long long)r->long_rows);
	if (r->invalid_utf8)
		warnf(w, "%llu invalid UTF-8 sequences (first at line %ld): the file may be in another encoding",
		      (unsigned long long)r->invalid_utf8, r->first_invalid_utf8_line);
	if (r->nul_bytes)
		warnf(w, "%llu NUL bytes (first at line %ld)", (unsigned long long)r->nul_bytes, r->first_nul_line);
	if (r->unterminated_quote)
		warnf(w, "a quoted field is never closed: the rest of the file was read as one value");
	if (r->long_fields)
		warnf(w, "%llu fields longer than 1 MiB were profiled from their first MiB",
		      (unsigned long long)r->long_fields);
	if (r->ncols == 0)
		warnf(w, "the file is empty");
	else if (r->rows == 0)
		warnf(w, "the file has a header but no data rows");
}

/* A file's members but its columns. */
static cJSON *
file_head_json(const scan_result *r, enum xfile_role role)
{
	cJSON *o = cJSON_CreateObject(), *d;
	const char *base = strrchr(r->path, '/');
	char delim[2] = {r->delimiter, 0};

	add_clean_string(o, "path", r->path, strlen(r->path), 0);
	base = base ? base + 1 : r->path;
	add_clean_string(o, "name", base, strlen(base), 0);
	cJSON_AddStringToObject(o, "role", xfile_role_name(role));
	cJSON_AddNumberToObject(o, "bytes", (double)r->disk_bytes);
	cJSON_AddNumberToObject(o, "uncompressed_bytes", (double)r->bytes);
	cJSON_AddStringToObject(o, "compression", r->compression);
	if (r->member)
		add_clean_string(o, "member", r->member, strlen(r->member), 0);
	cJSON_AddNumberToObject(o, "rows", (double)r->rows);
	cJSON_AddNumberToObject(o, "column_count", (double)r->ncols);
	d = cJSON_AddObjectToObject(o, "dialect");
	cJSON_AddStringToObject(d, "delimiter", delim);
	cJSON_AddStringToObject(d, "quote", "\"");
	cJSON_AddBoolToObject(d, "header", r->header);
	cJSON_AddStringToObject(d, "line_ending", r->line_ending ? r->line_ending : "none");
	cJSON_AddBoolToObject(d, "bom", r->bom);
	cJSON_AddStringToObject(d, "encoding", r->invalid_utf8 || r->nul_bytes ? "utf-8 with errors" : "utf-8");
	add_problems(o, r);
	return o;
}

/* The files, scanned: what the profile is made of. */
typedef struct scanned {
	scan_result **scans;
	enum xfile_role *roles;
	size_t n;
} scanned;

static void
scanned_free(scanned *sc)
{
	size_t i;

	for (i = 0; i < sc->n; i++)
		scan_result_free(sc->scans[i]);
	free(sc->scans);
	free(sc->roles);
}

/* Every file is read before anything is written: the JSON says what the
 * files say together, and a file that cannot be read leaves no output. */
static int
scan_all(const char *const *paths, size_t n, const profile_opts *o, scanned *sc, ak_err *e)
{
	scan_opts so = {o ? o->threads : 0, o ? o->mem_budget : 0};

	sc->scans = xcalloc(n + 1, sizeof(*sc->scans));
	sc->roles = xcalloc(n + 1, sizeof(*sc->roles));
	for (sc->n = 0; sc->n < n; sc->n++) {
		sc->scans[sc->n] = scan_file(paths[sc->n], &so, e);
		if (!sc->scans[sc->n]) {
			scanned_free(sc);
			return -1;
		}
		sc->roles[sc->n] = xfile_role_of(paths[sc->n]);
	}
	return 0;
}

/* "target", "id", "task" and the rest, added to root. */
static void
add_cross(cJSON *root, const scanned *sc, const profile_opts *o)
{
	xfile_input in = {sc->scans, sc->roles, sc->n, o ? o->target : NULL, o ? o->id : NULL};

	xfile_infer(root, &in);
}

cJSON *
profile_files(const char *const *paths, size_t n, const profile_opts *o, ak_err *e)
{
	cJSON *root, *files;
	scanned sc;
	size_t i, c;

	if (scan_all(paths, n, o, &sc, e) < 0)
		return NULL;
	root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "version", 1);
	files = cJSON_AddArrayToObject(root, "files");
	for (i = 0; i < n; i++) {
		const scan_result *r = sc.scans[i];
		cJSON *f = file_head_json(r, sc.roles[i]), *cols = cJSON_AddArrayToObject(f, "columns");

		for (c = 0; c < r->ncols; c++)
			cJSON_AddItemToArray(cols, column_json(r->cols[c], c));
		cJSON_AddItemToArray(files, f);
	}
	add_cross(root, &sc, o);
	scanned_free(&sc);
	return root;
}

/* ---- the same JSON, written a column at a time ----
 *
 * cJSON_Print's layout: an object's members one a line, indented by its
 * depth in tabs, "key":<tab>value, a comma before each line break but the
 * last; an array's elements on the line, after ", ". The members of
 * the root sit 1 tab in, those of a file 3, those of a column 5. */

static void
put_tabs(FILE *f, int n)
{
	while (n-- > 0)
		putc('\t', f);
}

/* A value printed by cJSON_Print on its own, as it reads depth levels
 * further in: each of its line breaks is structural (strings escape
 * theirs), and takes depth more tabs. */
static void
put_value(FILE *f, const cJSON *v, int depth)
{
	char *text = cJSON_Print(v), *p = text, *nl;

	while ((nl = strchr(p, '\n'))) {
		fwrite(p, 1, (size_t)(nl - p) + 1, f);
		put_tabs(f, depth);
		p = nl + 1;
	}
	fputs(p, f);
	free(text);
}

/* A member of an object whose members are depth tabs in. */
static void
put_member(FILE *f, const cJSON *item, int depth)
{
	cJSON *key = cJSON_CreateString(item->string);
	char *k = cJSON_PrintUnformatted(key);

	put_tabs(f, depth);
	fputs(k, f);
	fputs(":\t", f);
	put_value(f, item, depth);
	free(k);
	cJSON_Delete(key);
}

static void
put_file(FILE *json, FILE *table, const scan_result *r, enum xfile_role role)
{
	cJSON *head = file_head_json(r, role), *it;
	size_t c;

	if (json) {
		fputs("{\n", json);
		cJSON_ArrayForEach(it, head) {
			put_member(json, it, 3);
			fputs(",\n", json);
		}
		put_tabs(json, 3);
		fputs("\"columns\":\t[", json);
	}
	if (table)
		profile_table_file(table, head);
	for (c = 0; c < r->ncols; c++) {
		cJSON *col = column_json(r->cols[c], c);

		if (json && c)
			fputs(", ", json);
		if (json)
			put_value(json, col, 4);
		if (table)
			profile_table_column(table, col, (double)r->rows);
		cJSON_Delete(col);
	}
	if (json) {
		fputs("]\n", json);
		put_tabs(json, 2);
		putc('}', json);
	}
	if (table)
		putc('\n', table);
	cJSON_Delete(head);
}

int
profile_write(const char *const *paths, size_t n, const profile_opts *o, FILE *json, FILE *table, ak_err *e)
{
	cJSON *head, *cross, *it;
	scanned sc;
	size_t i;

	if (scan_all(paths, n, o, &sc, e) < 0)
		return -1;
	head = cJSON_CreateObject();
	cJSON_AddNumberToObject(head, "version", 1);
	cross = cJSON_CreateObject();
	add_cross(cross, &sc, o);
	if (json) {
		fputs("{\n", json);
		put_member(json, head->child, 1);
		fputs(",\n\t\"files\":\t[", json);
	}
	for (i = 0; i < n; i++) {
		if (json && i)
			fputs(", ", json);
		put_file(json, table, sc.scans[i], sc.roles[i]);
	}
	if (json) {
		fputs(cross->child ? "],\n" : "]\n", json);
		cJSON_ArrayForEach(it, cross) {
			put_member(json, it, 1);
			fputs(it->next ? ",\n" : "\n", json);
		}
		fputs("}\n", json);
	}
	if (table)
		profile_table_cross(table, cross);
	cJSON_Delete(head);
	cJSON_Delete(cross);
	scanned_free(&sc);
	return 0;
}
