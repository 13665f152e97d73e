#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data/csv.h"
#include "data/strhash.h"
#include "data/validate.h"
#include "util/jsonfile.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define VALIDATE_EXAMPLES 5
#define VALIDATE_VALUE_MAX 60
/* Softmax and float rounding put probabilities a hair outside [0,1]. */
#define VALIDATE_PROBA_EPS 1e-9
#define VALIDATE_SUM_TOL 1e-2

/* A set of strings in insertion order: the sample's ids (with where they
 * were seen) or the known classes. Open addressing over indices. */
typedef struct id_entry {
	size_t off, len;
	uint64_t hash;
	long line;      /* line in the sample */
	long sub_line;  /* first line in the submission, 0 = not seen */
	long test_line; /* first line in test, 0 = not seen */
} id_entry;

typedef struct id_table {
	strbuf text;
	id_entry *ent;
	size_t n, cap;
	uint32_t *slot; /* entry index + 1; 0 = empty */
	size_t nslot;
} id_table;

/* Accumulates the hits of one check: a count, the first hit and up to
 * VALIDATE_EXAMPLES examples. */
typedef struct vcheck {
	long count;
	long line;
	char *value;
	const char *column;
	char *detail;
	cJSON *examples;
	int nex;
} vcheck;

/* The checks whose hits are collected while the submission streams by;
 * the others are decided from totals at the end. */
enum {
	CK_UTF8,
	CK_RAGGED,
	CK_ID_EXTRA,
	CK_ORDER,
	CK_DUP,
	CK_MISSING,
	CK_LABEL,
	CK_NUMERIC,
	CK_RANGE,
	CK_SUM,
	CK_COUNT
};

typedef enum col_kind { COL_ID, COL_LABEL, COL_NUMBER, COL_TEXT } col_kind;

typedef struct vstate {
	const validate_spec *spec;
	const char *sample_name;
	const char *test_name;
	char **sample_cols;
	size_t nsample_cols;
	long sample_rows;
	id_table ids;
	id_table classes;
	long test_extra;
	char *test_extra_first;
	long test_extra_line;
	int test_has_id;
	vcheck sample_dup, test_dup; /* detail: the line of the first copy */
	char **cols;
	size_t ncols;
	col_kind *kinds;
	long id_col;
	long rows;
	size_t last_index;
	int have_last;
	char *read_error;
	char sample_delim, delim;
	vcheck ck[CK_COUNT];
} vstate;

static const char *
id_text(const id_table *t, const id_entry *en)
{
	return t->text.buf + en->off;
}

static void
id_table_grow(id_table *t)
{
	size_t i, n = t->nslot ? t->nslot * 2 : 1024;

	free(t->slot);
	t->slot = xcalloc(n, sizeof *t->slot);
	t->nslot = n;
	for (i = 0; i < t->n; i++) {
		size_t j = t->ent[i].hash & (n - 1);

		while (t->slot[j])
			j = (j + 1) & (n - 1);
		t->slot[j] = (uint32_t)(i + 1);
	}
}

/* The entry holding s, or NULL; *slotp gets the slot to insert at. */
static id_entry *
id_table_find(const id_table *t, const char *s, size_t len, uint64_t h, size_t *slotp)
{
	size_t j;

	if (!t->nslot)
		return NULL;
	for (j = h & (t->nslot - 1); t->slot[j]; j = (j + 1) & (t->nslot - 1)) {
		id_entry *en = &t->ent[t->slot[j] - 1];

		if (en->hash == h && en->len == len && !memcmp(id_text(t, en), s, len))
			return en;
	}
	if (slotp)
		*slotp = j;
	return NULL;
}

static id_entry *
id_table_lookup(const id_table *t, const char *s, size_t len)
{
	return id_table_find(t, s, len, strhash(s, len), NULL);
}

/* Adds s unless present; returns 1 when added, 0 when it was there. */
static int
id_table_add(id_table *t, const char *s, size_t len, long line)
{
	uint64_t h = strhash(s, len);
	size_t j = 0;
	id_entry *en;

	if ((t->n + 1) * 2 > t->nslot)
		id_table_grow(t);
	if (id_table_find(t, s, len, h, &j))
		return 0;
	t->ent = xgrow(t->ent, &t->cap, t->n + 1, sizeof *t->ent);
	en = &t->ent[t->n];
	memset(en, 0, sizeof *en);
	en->off = t->text.len;
	en->len = len;
	en->hash = h;
	en->line = line;
	strbuf_add(&t->text, s, len);
	strbuf_addch(&t->text, '\0');
	t->slot[j] = (uint32_t)(++t->n);
	return 1;
}

static void
id_table_free(id_table *t)
{
	strbuf_free(&t->text);
	free(t->ent);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

static int
utf8_valid(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/* A value as it may appear in a message or JSON: valid UTF-8 (bad bytes
 * as \xNN), shortened. */
static char *
example_text(const char *s, size_t n)
{
	strbuf sb = { 0 };
	size_t i = 0, k;

	while (i < n && sb.len < VALIDATE_VALUE_MAX) {
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (!k) {
			strbuf_addf(&sb, "\\x%02X", (unsigned char)s[i]);
			i++;
			continue;
		}
		strbuf_add(&sb, s + i, k);
		i += k;
	}
	if (i < n)
		strbuf_addstr(&sb, "...");
	return strbuf_detach(&sb);
}

/* Counts a hit; returns 1 for the first one so the caller can add detail. */
static int
vcheck_hit(vcheck *c, long line, const char *value, size_t len, const char *column)
{
	if (c->nex < VALIDATE_EXAMPLES) {
		cJSON *ex = cJSON_CreateObject();
		char *v = example_text(value, len);

		cJSON_AddNumberToObject(ex, "line", (double)line);
		cJSON_AddStringToObject(ex, "value", v);
		free(v);
		if (!c->examples)
			c->examples = cJSON_CreateArray();
		cJSON_AddItemToArray(c->examples, ex);
		c->nex++;
	}
	if (c->count++)
		return 0;
	c->line = line;
	c->value = example_text(value, len);
	c->column = column;
	return 1;
}

static void
vcheck_free(vcheck *c)
{
	free(c->value);
	free(c->detail);
	cJSON_Delete(c->examples);
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static const char *
delim_name(char d)
{
	switch (d) {
	case '\t':
		return "tabs";
	case ';':
		return "';'";
	case '|':
		return "'|'";
	default:
		return "','";
	}
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **
record_strv(const csv_record *rec)
{
	char **v = xcalloc(rec->nfields + 1, sizeof *v);
	size_t i;

	for (i = 0; i < rec->nfields; i++)
		v[i] = xstrndup(rec->fields[i], rec->lens[i]);
	return v;
}

static long
strv_index(char *const *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], name))
			return (long)i;
	return -1;
}

/* "a,b,c" as in a CSV header (at most max names, then ",..."). */
static void
add_name_list(strbuf *sb, char *const *v, size_t n, size_t max)
{
	size_t i;

	for (i = 0; i < n && i < max; i++)
		strbuf_addf(sb, "%s%s", i ? "," : "", v[i]);
	if (n > max)
		strbuf_addstr(sb, ",...");
}

static void
note_duplicate(vcheck *c, long line, const char *v, size_t len, long first_line)
{
	if (vcheck_hit(c, line, v, len, NULL))
		c->detail = xasprintf("%ld", first_line);
}

static void
sample_add_id(vstate *st, const char *v, size_t len, long line)
{
	const id_entry *en = id_table_lookup(&st->ids, v, len);

	if (en)
		note_duplicate(&st->sample_dup, line, v, len, en->line);
	else
		id_table_add(&st->ids, v, len, line);
}

static int
read_sample(vstate *st, ak_err *e)
{
	const validate_spec *s = st->spec;
	csv_reader *r = csv_open(s->sample, e);
	csv_record rec;
	long id_col;
	int rc;

	if (!r)
		return -1;
	st->sample_delim = csv_delimiter(r);
	rc = csv_next(r, &rec, e);
	if (rc <= 0) {
		csv_close(r);
		return rc < 0 ? -1 : err_set(e, "%s is empty: it needs a header line with the id column", s->sample);
	}
	st->sample_cols = record_strv(&rec);
	st->nsample_cols = rec.nfields;
	id_col = strv_index(st->sample_cols, st->nsample_cols, s->id_column);
	if (id_col < 0) {
		strbuf cols = { 0 };

		add_name_list(&cols, st->sample_cols, st->nsample_cols, 10);
		err_set(e, "%s has no column \"%s\" (columns: %s); pass the id column with --id COL",
			s->sample, s->id_column, strbuf_str(&cols));
		strbuf_free(&cols);
		csv_close(r);
		return -1;
	}
	while ((rc = csv_next(r, &rec, e)) > 0) {
		st->sample_rows++;
		if ((size_t)id_col < rec.nfields)
			sample_add_id(st, rec.fields[id_col], rec.lens[id_col], (long)rec.line);
	}
	csv_close(r);
	return rc < 0 ? err_prefix(e, "reading %s", s->sample) : 0;
}

/* Marks the sample ids found in test and counts the test ids the sample
 * lacks. A test without the id column is a failed check, not an error. */
static int
read_test(vstate *st, ak_err *e)
{
	csv_reader *r = csv_open(st->spec->test, e);
	csv_record rec;
	long id_col;
	int rc;

	if (!r)
		return -1;
	rc = csv_next(r, &rec, e);
	if (rc <= 0) {
		csv_close(r);
		return rc < 0 ? -1 : err_set(e, "%s is empty: it needs a header line", st->spec->test);
	}
	id_col = -1;
	for (size_t i = 0; i < rec.nfields; i++)
		if (!strcmp(rec.fields[i], st->spec->id_column))
			id_col = (long)i;
	st->test_has_id = id_col >= 0;
	while (id_col >= 0 && (rc = csv_next(r, &rec, e)) > 0) {
		id_entry *en;

		if ((size_t)id_col >= rec.nfields)
			continue;
		en = id_table_lookup(&st->ids, rec.fields[id_col], rec.lens[id_col]);
		if (en && en->test_line)
			note_duplicate(&st->test_dup, (long)rec.line, rec.fields[id_col], rec.lens[id_col],
				       en->test_line);
		else if (en)
			en->test_line = (long)rec.line;
		else if (!st->test_extra++) {
			st->test_extra_first = example_text(rec.fields[id_col], rec.lens[id_col]);
			st->test_extra_line = (long)rec.line;
		}
	}
	csv_close(r);
	return rc < 0 ? err_prefix(e, "reading %s", st->spec->test) : 0;
}

static int
is_missing_token(const char *v)
{
	static const char *const tokens[] = {
		"nan", "-nan", "na", "n/a", "<na>", "null", "none", "inf", "+inf", "-inf",
		"infinity", "+infinity", "-infinity",
	};
	size_t i;

	for (i = 0; i < sizeof tokens / sizeof *tokens; i++)
		if (!strcasecmp(v, tokens[i]))
			return 1;
	return 0;
}

/* The value without surrounding blanks, in buf (NUL-terminated). */
static const char *
trimmed(const char *v, size_t len, char *buf, size_t size)
{
	while (len && (*v == ' ' || *v == '\t'))
		v++, len--;
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r'))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return buf;
}

/* 1 and *x for a finite decimal number, 0 for a missing marker (blank,
 * NaN, inf), -1 for anything else. Hex floats are not numbers to Kaggle. */
static int
parse_number(const char *v, size_t len, double *x)
{
	char buf[128], *end;
	const char *t;

	if (len >= sizeof buf)
		return -1;
	t = trimmed(v, len, buf, sizeof buf);
	if (!*t || is_missing_token(t))
		return 0;
	if (strpbrk(t, "xXnN"))
		return -1;
	*x = strtod(t, &end);
	if (*end || end == t)
		return -1;
	return isfinite(*x) ? 1 : 0;
}

static int
is_missing_value(const char *v, size_t len)
{
	char buf[32];

	if (len >= sizeof buf)
		return 0;
	trimmed(v, len, buf, sizeof buf);
	return !buf[0] || is_missing_token(buf);
}

static int
label_format(const validate_spec *s)
{
	return s->classification && !s->proba_columns && !s->needs_proba;
}

static int
wants_proba(const validate_spec *s)
{
	return s->needs_proba || s->proba_columns;
}

static void
set_kinds(vstate *st)
{
	size_t j;

	st->kinds = xcalloc(st->ncols ? st->ncols : 1, sizeof *st->kinds);
	for (j = 0; j < st->ncols; j++) {
		if ((long)j == st->id_col)
			st->kinds[j] = COL_ID;
		else if (!label_format(st->spec))
			st->kinds[j] = COL_NUMBER;
		else
			st->kinds[j] = st->classes.n ? COL_LABEL : COL_TEXT;
	}
}

static void
check_utf8(vstate *st, const csv_record *rec)
{
	size_t j;

	for (j = 0; j < rec->nfields; j++) {
		if (utf8_valid(rec->fields[j], rec->lens[j]))
			continue;
		if (vcheck_hit(&st->ck[CK_UTF8], (long)rec->line, rec->fields[j], rec->lens[j], NULL) &&
		    j < st->ncols)
			st->ck[CK_UTF8].detail = xasprintf("column \"%s\"", st->cols[j]);
		return;
	}
}

static void
check_id(vstate *st, const csv_record *rec)
{
	const char *v = rec->fields[st->id_col];
	size_t len = rec->lens[st->id_col], idx;
	long line = (long)rec->line;
	id_entry *en = id_table_lookup(&st->ids, v, len);

	if (!en) {
		vcheck_hit(&st->ck[CK_ID_EXTRA], line, v, len, NULL);
		return;
	}
	if (en->sub_line) {
		if (vcheck_hit(&st->ck[CK_DUP], line, v, len, NULL))
			st->ck[CK_DUP].detail = xasprintf("%ld", en->sub_line);
		return;
	}
	en->sub_line = line;
	idx = (size_t)(en - st->ids.ent);
	if (st->have_last && idx < st->last_index &&
	    vcheck_hit(&st->ck[CK_ORDER], line, v, len, NULL)) {
		char *prev = example_text(id_text(&st->ids, &st->ids.ent[st->last_index]),
					  st->ids.ent[st->last_index].len);

		st->ck[CK_ORDER].detail = prev;
	}
	st->last_index = idx;
	st->have_last = 1;
}

/* Checks one prediction value; adds it to *sum when it is a number. */
static void
check_value(vstate *st, size_t j, const csv_record *rec, double *sum, int *sum_ok)
{
	const char *v = rec->fields[j];
	size_t len = rec->lens[j];
	long line = (long)rec->line;
	double x;
	int rc;

	switch (st->kinds[j]) {
	case COL_ID:
	case COL_TEXT:
		if (is_missing_value(v, len))
			vcheck_hit(&st->ck[CK_MISSING], line, v, len, st->cols[j]);
		return;
	case COL_LABEL:
		if (id_table_lookup(&st->classes, v, len))
			return;
		if (is_missing_value(v, len))
			vcheck_hit(&st->ck[CK_MISSING], line, v, len, st->cols[j]);
		else
			vcheck_hit(&st->ck[CK_LABEL], line, v, len, st->cols[j]);
		return;
	case COL_NUMBER:
		break;
	}
	rc = parse_number(v, len, &x);
	if (rc <= 0) {
		vcheck_hit(&st->ck[rc ? CK_NUMERIC : CK_MISSING], line, v, len, st->cols[j]);
		*sum_ok = 0;
		return;
	}
	if (wants_proba(st->spec) && (x < -VALIDATE_PROBA_EPS || x > 1 + VALIDATE_PROBA_EPS))
		vcheck_hit(&st->ck[CK_RANGE], line, v, len, st->cols[j]);
	*sum += x;
}

static void
check_row(vstate *st, const csv_record *rec)
{
	size_t j, n = rec->nfields < st->ncols ? rec->nfields : st->ncols;
	double sum = 0;
	int sum_ok = 1;

	st->rows++;
	check_utf8(st, rec);
	if (rec->nfields != st->ncols) {
		vcheck *c = &st->ck[CK_RAGGED];

		if (c->nex < VALIDATE_EXAMPLES || !c->count) {
			strbuf row = { 0 };

			for (j = 0; j < rec->nfields && row.len < VALIDATE_VALUE_MAX; j++) {
				if (j)
					strbuf_addch(&row, ',');
				strbuf_add(&row, rec->fields[j], rec->lens[j]);
			}
			if (vcheck_hit(c, (long)rec->line, strbuf_str(&row), row.len, NULL))
				c->detail = xasprintf("%zu", rec->nfields);
			strbuf_free(&row);
		} else {
			c->count++;
		}
		sum_ok = 0;
	}
	if (st->id_col >= 0 && (size_t)st->id_col < rec->nfields)
		check_id(st, rec);
	for (j = 0; j < n; j++)
		check_value(st, j, rec, &sum, &sum_ok);
	if (st->spec->proba_columns && sum_ok && fabs(sum - 1) > VALIDATE_SUM_TOL) {
		char *s = xasprintf("%.4g", sum);

		vcheck_hit(&st->ck[CK_SUM], (long)rec->line, s, strlen(s), NULL);
		free(s);
	}
}

/* Streams the submission; a read error stops the pass and is recorded
 * as the failed "readable" check. */
static void
read_submission(vstate *st)
{
	ak_err err = { 0 };
	csv_reader *r = csv_open(st->spec->submission, &err);
	csv_record rec;
	int rc;

	if (!r) {
		st->read_error = xstrdup(err.msg);
		return;
	}
	st->delim = csv_delimiter(r);
	rc = csv_next(r, &rec, &err);
	if (rc > 0) {
		st->cols = record_strv(&rec);
		st->ncols = rec.nfields;
		st->id_col = strv_index(st->cols, st->ncols, st->spec->id_column);
		set_kinds(st);
		check_utf8(st, &rec);
		while ((rc = csv_next(r, &rec, &err)) > 0)
			check_row(st, &rec);
	} else if (rc == 0) {
		err_set(&err, "the file is empty (no header line)");
		rc = -1;
	}
	if (rc < 0)
		st->read_error = xstrdup(err.msg);
	csv_close(r);
}

/* Adds {"name","ok","message","examples"} to checks; takes message and
 * the examples of c (which may be NULL). */
static cJSON *
add_check(cJSON *checks, const char *name, int ok, char *message, vcheck *c)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddBoolToObject(o, "ok", ok);
	cJSON_AddStringToObject(o, "message", message);
	if (c && c->examples) {
		cJSON_AddItemToObject(o, "examples", c->examples);
		c->examples = NULL;
	} else {
		cJSON_AddItemToObject(o, "examples", cJSON_CreateArray());
	}
	cJSON_AddItemToArray(checks, o);
	free(message);
	return o;
}

static const char *
plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static char *
header_message(const vstate *st)
{
	strbuf sb = { 0 };
	size_t i, nmiss = 0, nextra = 0;

	strbuf_addf(&sb, "header differs from %s:", st->sample_name);
	for (i = 0; i < st->nsample_cols; i++)
		if (strv_index(st->cols, st->ncols, st->sample_cols[i]) < 0)
			strbuf_addf(&sb, "%s \"%s\"", nmiss++ ? "," : " missing column", st->sample_cols[i]);
	for (i = 0; i < st->ncols; i++)
		if (strv_index(st->sample_cols, st->nsample_cols, st->cols[i]) < 0)
			strbuf_addf(&sb, "%s \"%s\"", nextra++ ? "," : nmiss ? "; unexpected column" : " unexpected column",
				    st->cols[i]);
	if (!nmiss && !nextra) {
		for (i = 0; i < st->ncols && i < st->nsample_cols; i++)
			if (strcmp(st->cols[i], st->sample_cols[i]))
				break;
		if (i < st->ncols && i < st->nsample_cols)
			strbuf_addf(&sb, " column %zu is \"%s\" where the sample has \"%s\"", i + 1, st->cols[i],
				    st->sample_cols[i]);
		else
			strbuf_addf(&sb, " %zu columns where the sample has %zu (a repeated name)", st->ncols,
				    st->nsample_cols);
	}
	strbuf_addstr(&sb, "; write exactly this header: ");
	add_name_list(&sb, st->sample_cols, st->nsample_cols, 12);
	return strbuf_detach(&sb);
}

static int
header_equal(const vstate *st)
{
	size_t i;

	if (st->ncols != st->nsample_cols)
		return 0;
	for (i = 0; i < st->ncols; i++)
		if (strcmp(st->cols[i], st->sample_cols[i]))
			return 0;
	return 1;
}

static void
report_structure(vstate *st, cJSON *checks)
{
	vcheck *c = &st->ck[CK_UTF8];
	strbuf hdr = { 0 };
	char *msg;

	if (st->read_error)
		add_check(checks, "readable", 0,
			  xasprintf("%s could not be read after %ld rows: %s; make predict.py write a well-formed CSV "
				    "(df.to_csv(path, index=False))",
				    st->spec->submission, st->rows, st->read_error),
			  NULL);
	else if (st->delim != st->sample_delim)
		add_check(checks, "readable", 0,
			  xasprintf("fields are separated by %s where %s uses %s; write the file with the "
				    "sample's separator (df.to_csv(path, index=False))",
				    delim_name(st->delim), st->sample_name, delim_name(st->sample_delim)),
			  NULL);
	else
		add_check(checks, "readable", 1, xasprintf("read %ld rows of %zu columns", st->rows, st->ncols), NULL);
	msg = c->count ? xasprintf("%ld %s not valid UTF-8 (first: line %ld%s%s); write the file as UTF-8 "
				   "(to_csv(..., encoding=\"utf-8\"))",
				   c->count, plural(c->count, "line is", "lines are"), c->line,
				   c->detail ? ", " : "", c->detail ? c->detail : "")
		       : xstrdup("the file is valid UTF-8");
	add_check(checks, "utf8", !c->count, msg, c);
	if (header_equal(st)) {
		add_name_list(&hdr, st->cols, st->ncols, 12);
		add_check(checks, "header", 1, xasprintf("header matches %s: %s", st->sample_name, strbuf_str(&hdr)),
			  NULL);
	} else {
		vcheck ex = { 0 };

		add_name_list(&hdr, st->cols, st->ncols, 1000);
		vcheck_hit(&ex, 1, hdr.buf, hdr.len, NULL);
		add_check(checks, "header", 0, header_message(st), &ex);
		vcheck_free(&ex);
	}
	strbuf_free(&hdr);
	c = &st->ck[CK_RAGGED];
	msg = c->count ? xasprintf("%ld %s the wrong number of fields (first: line %ld has %s fields, the header has %zu); "
				   "quote values that contain commas or line breaks",
				   c->count, plural(c->count, "row has", "rows have"), c->line, c->detail, st->ncols)
		       : xasprintf("every row has %zu fields", st->ncols);
	add_check(checks, "ragged_rows", !c->count, msg, c);
	msg = st->rows == st->sample_rows
		      ? xasprintf("%ld rows, as in %s", st->rows, st->sample_name)
		      : xasprintf("the submission has %ld rows, %s has %ld (%ld %s); write one row per id of %s",
				  st->rows, st->sample_name, st->sample_rows, labs(st->rows - st->sample_rows),
				  st->rows < st->sample_rows ? "missing" : "too many", st->sample_name);
	add_check(checks, "row_count", st->rows == st->sample_rows, msg, NULL);
}

static char *
no_test_id_message(const vstate *st)
{
	return xasprintf("%s has no column \"%s\", so its ids cannot be compared with %s; pass the id column "
			 "with --id COL",
			 st->test_name, st->spec->id_column, st->sample_name);
}

/* The sample's ids that test lacks go to miss; NULL when the two id sets
 * agree, else what differs, with the first id and line of each side. */
static char *
ids_mismatch_message(const vstate *st, vcheck *miss)
{
	strbuf sb = { 0 };
	size_t i;

	for (i = 0; i < st->ids.n; i++)
		if (!st->ids.ent[i].test_line)
			vcheck_hit(miss, st->ids.ent[i].line, id_text(&st->ids, &st->ids.ent[i]), st->ids.ent[i].len,
				   NULL);
	if (!miss->count && !st->test_extra)
		return NULL;
	strbuf_addf(&sb, "%s ids differ from %s:", st->sample_name, st->test_name);
	if (miss->count)
		strbuf_addf(&sb, " %ld %s of the sample %s not in test (first: %s, line %ld of %s)", miss->count,
			    plural(miss->count, "id", "ids"), plural(miss->count, "is", "are"), miss->value, miss->line,
			    st->sample_name);
	if (st->test_extra)
		strbuf_addf(&sb, "%s %ld %s of test %s not in the sample (first: %s, line %ld of %s)",
			    miss->count ? "," : "", st->test_extra, plural(st->test_extra, "id", "ids"),
			    plural(st->test_extra, "is", "are"), st->test_extra_first, st->test_extra_line,
			    st->test_name);
	strbuf_addstr(&sb, "; check that both files belong to the same competition and that --id names the id "
			   "column");
	return strbuf_detach(&sb);
}

static void
report_test_ids(vstate *st, cJSON *checks)
{
	vcheck miss = { 0 };
	char *msg;

	if (!st->test_has_id) {
		add_check(checks, "sample_vs_test_ids", 0, no_test_id_message(st), NULL);
		return;
	}
	msg = ids_mismatch_message(st, &miss);
	if (!msg)
		add_check(checks, "sample_vs_test_ids", 1,
			  xasprintf("the %zu ids of %s are those of %s", st->ids.n, st->sample_name, st->test_name), NULL);
	else
		add_check(checks, "sample_vs_test_ids", 0, xasprintf("%s (examples: lines of %s)", msg, st->sample_name),
			  &miss);
	free(msg);
	vcheck_free(&miss);
}

static void
report_ids(vstate *st, cJSON *checks)
{
	vcheck *c = &st->ck[CK_ID_EXTRA], miss = { 0 };
	char *msg;
	size_t i;

	if (st->id_col < 0) {
		add_check(checks, "unknown_ids", 0,
			  xasprintf("the submission has no column \"%s\", so its ids cannot be checked; write the id "
				    "column of %s first",
				    st->spec->id_column, st->sample_name),
			  NULL);
		return;
	}
	msg = c->count ? xasprintf("%ld %s not in %s (first: %s at line %ld); predict for the ids of %s only",
				   c->count, plural(c->count, "id is", "ids are"), st->sample_name, c->value, c->line,
				   st->sample_name)
		       : xasprintf("every id is in %s", st->sample_name);
	add_check(checks, "unknown_ids", !c->count, msg, c);
	for (i = 0; i < st->ids.n; i++)
		if (!st->ids.ent[i].sub_line)
			vcheck_hit(&miss, st->ids.ent[i].line, id_text(&st->ids, &st->ids.ent[i]), st->ids.ent[i].len,
				   NULL);
	msg = miss.count ? xasprintf("%ld %s of %s %s missing (first: %s, line %ld of the sample); write a row for "
				     "every id of %s",
				     miss.count, plural(miss.count, "id", "ids"), st->sample_name,
				     plural(miss.count, "is", "are"), miss.value, miss.line, st->sample_name)
			 : xasprintf("all %zu ids of %s are present", st->ids.n, st->sample_name);
	add_check(checks, "missing_ids", !miss.count, msg, &miss);
	vcheck_free(&miss);
	c = &st->ck[CK_ORDER];
	msg = c->count ? xasprintf("ids are not in the order of %s (first: line %ld has %s after %s); write the rows "
				   "in the sample's order (e.g. merge onto its id column)",
				   st->sample_name, c->line, c->value, c->detail)
		       : xasprintf("ids are in the order of %s", st->sample_name);
	add_check(checks, "id_order", !c->count, msg, c);
	c = &st->ck[CK_DUP];
	msg = c->count ? xasprintf("%ld duplicate %s (first: %s at line %ld, already at line %s); write each id once",
				   c->count, plural(c->count, "id", "ids"), c->value, c->line, c->detail)
		       : xstrdup("no duplicate ids");
	add_check(checks, "duplicate_ids", !c->count, msg, c);
}

static void
report_values(vstate *st, cJSON *checks)
{
	vcheck *c = &st->ck[CK_MISSING];
	strbuf known = { 0 };
	char *msg;
	size_t i;

	msg = c->count ? xasprintf("%ld %s empty, NaN or infinite (first: line %ld, column \"%s\": \"%s\"); fill them "
				   "(e.g. fillna) or fix the model so it predicts every row",
				   c->count, plural(c->count, "value is", "values are"), c->line, c->column, c->value)
		       : xstrdup("no empty, NaN or infinite values");
	add_check(checks, "missing_values", !c->count, msg, c);
	if (label_format(st->spec) && st->classes.n) {
		c = &st->ck[CK_LABEL];
		for (i = 0; i < st->classes.n && i < 10; i++)
			strbuf_addf(&known, "%s%s", i ? ", " : "", id_text(&st->classes, &st->classes.ent[i]));
		if (st->classes.n > 10)
			strbuf_addf(&known, ", ... (%zu in all)", st->classes.n);
		msg = c->count ? xasprintf("%ld %s (first: \"%s\" at line %ld, column \"%s\"); known "
					   "classes: %s; write labels exactly as in train.csv",
					   c->count, plural(c->count, "value is not a known class", "values are not known classes"),
					   c->value, c->line, c->column, known.buf)
			       : xasprintf("every label is a known class (%s)", known.buf);
		add_check(checks, "labels", !c->count, msg, c);
		strbuf_free(&known);
	}
	if (!label_format(st->spec)) {
		c = &st->ck[CK_NUMERIC];
		msg = c->count ? xasprintf("%ld %s (first: \"%s\" at line %ld, column \"%s\"); write plain "
					   "decimal numbers",
					   c->count, plural(c->count, "value is not a number", "values are not numbers"),
					   c->value, c->line, c->column)
			       : xstrdup("every prediction is a number");
		add_check(checks, "numeric", !c->count, msg, c);
	}
}

static void
report_proba(vstate *st, cJSON *checks)
{
	vcheck *c = &st->ck[CK_RANGE];
	cJSON *o;
	char *msg;

	if (!wants_proba(st->spec))
		return;
	msg = c->count ? xasprintf("%ld %s outside [0, 1] (first: %s at line %ld, column \"%s\"); predict "
				   "probabilities (predict_proba) and clip them to [0, 1]",
				   c->count, plural(c->count, "probability is", "probabilities are"), c->value, c->line,
				   c->column)
		       : xstrdup("every probability is in [0, 1]");
	add_check(checks, "probability_range", !c->count, msg, c);
	if (!st->spec->proba_columns)
		return;
	c = &st->ck[CK_SUM];
	msg = c->count ? xasprintf("warning: %ld %s probabilities that do not sum to 1 (first: line %ld sums to %s); "
				   "normalise each row if the metric expects it",
				   c->count, plural(c->count, "row has", "rows have"), c->line, c->value)
		       : xstrdup("every row's probabilities sum to 1");
	o = add_check(checks, "probability_sum", 1, msg, c);
	if (st->ck[CK_SUM].count)
		cJSON_AddTrueToObject(o, "warning");
}

static int
checks_ok(const cJSON *checks)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, checks)
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "ok")))
			return 0;
	return 1;
}

static cJSON *
build_report(vstate *st)
{
	cJSON *report = cJSON_CreateObject(), *checks = cJSON_CreateArray();
	char *msg;

	cJSON_AddStringToObject(report, "file", st->spec->submission);
	if (st->read_error && !st->cols) {
		msg = xasprintf("%s could not be read: %s; the predict stage must write it as CSV "
				"(df.to_csv(path, index=False))",
				st->spec->submission, st->read_error);
		add_check(checks, "readable", 0, msg, NULL);
	} else {
		report_structure(st, checks);
		if (st->spec->test)
			report_test_ids(st, checks);
		report_ids(st, checks);
		report_values(st, checks);
		report_proba(st, checks);
	}
	cJSON_AddBoolToObject(report, "ok", checks_ok(checks));
	cJSON_AddNumberToObject(report, "rows", (double)st->rows);
	cJSON_AddNumberToObject(report, "columns", (double)st->ncols);
	cJSON_AddNumberToObject(report, "sample_rows", (double)st->sample_rows);
	cJSON_AddItemToObject(report, "checks", checks);
	return report;
}

static void
vstate_free(vstate *st)
{
	size_t i;

	free_strv(st->sample_cols, st->nsample_cols);
	free_strv(st->cols, st->ncols);
	free(st->kinds);
	free(st->test_extra_first);
	free(st->read_error);
	id_table_free(&st->ids);
	id_table_free(&st->classes);
	for (i = 0; i < CK_COUNT; i++)
		vcheck_free(&st->ck[i]);
	vcheck_free(&st->sample_dup);
	vcheck_free(&st->test_dup);
}

/* The summary line, stored in the report so validate_summary can hand
 * out a pointer that lives as long as the report. */
static void
add_summary(cJSON *report)
{
	const cJSON *checks = cJSON_GetObjectItemCaseSensitive(report, "checks"), *c;
	const char *warning = NULL;
	char *s;

	cJSON_ArrayForEach(c, checks) {
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "ok"))) {
			cJSON_AddStringToObject(report, "summary", json_str(c, "message", "a check failed"));
			return;
		}
		if (!warning && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "warning")))
			warning = json_str(c, "message", NULL);
	}
	s = xasprintf("all %d checks passed%s%s%s", cJSON_GetArraySize(checks), warning ? " (" : "",
		      warning ? warning : "", warning ? ")" : "");
	cJSON_AddStringToObject(report, "summary", s);
	free(s);
}

static void
vstate_init(vstate *st, const validate_spec *s)
{
	memset(st, 0, sizeof *st);
	st->spec = s;
	st->sample_name = base_name(s->sample);
	st->test_name = s->test ? base_name(s->test) : NULL;
	st->id_col = -1;
}

int
validate_submission(const validate_spec *s, cJSON **report, ak_err *e)
{
	vstate st;
	size_t i;
	int ok;

	*report = NULL;
	if (!s->id_column || !*s->id_column)
		return err_set(e, "no id column to validate %s by: pass --id COL", s->submission);
	vstate_init(&st, s);
	for (i = 0; i < s->nclasses; i++)
		id_table_add(&st.classes, s->classes[i], strlen(s->classes[i]), 0);
	if (read_sample(&st, e) < 0 || (s->test && read_test(&st, e) < 0)) {
		vstate_free(&st);
		return -1;
	}
	read_submission(&st);
	*report = build_report(&st);
	add_summary(*report);
	ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(*report, "ok"));
	vstate_free(&st);
	return ok;
}

const char *
validate_summary(const cJSON *report)
{
	const cJSON *c;

	if (json_str(report, "summary", NULL))
		return json_str(report, "summary", NULL);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(report, "checks"))
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "ok")))
			return json_str(c, "message", "a check failed");
	return cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(report, "ok")) ? "the submission is invalid"
									    : "all checks passed";
}

static void
add_problem(cJSON *problems, char *msg)
{
	cJSON_AddItemToArray(problems, cJSON_CreateString(msg));
	free(msg);
}

static void
add_duplicates(cJSON *problems, const vstate *st, const vcheck *c, const char *file)
{
	if (!c->count)
		return;
	add_problem(problems,
		    xasprintf("%s has %ld duplicate %s in column \"%s\" (first: %s at line %ld, already at line %s): "
			      "a submission has one row per id; check that --id names the id column",
			      file, c->count, plural(c->count, "id", "ids"), st->spec->id_column, c->value, c->line,
			      c->detail));
}

int
validate_input_ids(const char *sample, const char *test, const char *id_column, cJSON *problems, ak_err *e)
{
	validate_spec spec = { .sample = sample, .test = test, .id_column = id_column };
	int before = cJSON_GetArraySize(problems);
	vcheck miss = { 0 };
	vstate st;
	char *msg;

	vstate_init(&st, &spec);
	if (read_sample(&st, e) < 0 || read_test(&st, e) < 0) {
		vstate_free(&st);
		return -1;
	}
	add_duplicates(problems, &st, &st.sample_dup, st.sample_name);
	if (!st.test_has_id) {
		add_problem(problems, no_test_id_message(&st));
	} else {
		add_duplicates(problems, &st, &st.test_dup, st.test_name);
		msg = ids_mismatch_message(&st, &miss);
		if (msg)
			add_problem(problems, msg);
	}
	vcheck_free(&miss);
	vstate_free(&st);
	return cJSON_GetArraySize(problems) - before;
}
