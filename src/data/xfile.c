#include "config.h"

#include "data/xfile.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data/infer.h"
#include "data/validate.h"
#include "util/xalloc.h"

#define DRIFT_TOP 20
#define DRIFT_EXAMPLES 5
#define PSI_FLOOR 1e-4

enum xfile_role
xfile_role_of(const char *path)
{
	const char *base = strrchr(path, '/');
	char *lower;
	enum xfile_role r = XFILE_OTHER;
	size_t i;

	base = base ? base + 1 : path;
	lower = xstrdup(base);
	for (i = 0; lower[i]; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	if (strstr(lower, "submission"))
		r = XFILE_SUBMISSION;
	else if (strncmp(lower, "train", 5) == 0)
		r = XFILE_TRAIN;
	else if (strncmp(lower, "test", 4) == 0)
		r = XFILE_TEST;
	free(lower);
	return r;
}

const char *
xfile_role_name(enum xfile_role r)
{
	static const char *const names[] = {"train", "test", "sample_submission", "other"};

	return names[r];
}

static const scan_result *
first_of(const xfile_input *in, enum xfile_role role)
{
	size_t i;

	for (i = 0; i < in->n; i++)
		if (in->roles[i] == role)
			return in->files[i];
	return NULL;
}

static const colsum *
find_col(const scan_result *f, const char *name)
{
	size_t i;

	if (!f || !name)
		return NULL;
	for (i = 0; i < f->ncols; i++)
		if (strcmp(f->cols[i]->name, name) == 0)
			return f->cols[i];
	return NULL;
}

/* Adds a message to an array of errors or warnings, as text safe for
 * JSON and terminals (names and values come from the data). */
static void
addf(cJSON *arr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
addf(cJSON *arr, const char *fmt, ...)
{
	char buf[1024], *clean;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	clean = infer_clean(buf, strlen(buf));
	cJSON_AddItemToArray(arr, cJSON_CreateString(clean));
	free(clean);
}

/* The id: the sample submission's first column, else a column of id type
 * in train (and test when given), preferring id-like names. */
static const char *
infer_id(const scan_result *train, const scan_result *test, const scan_result *sub)
{
	const char *best = NULL;
	int best_score = 0;
	size_t i;

	if (sub && sub->ncols)
		return sub->cols[0]->name;
	if (!train)
		return NULL;
	for (i = 0; i < train->ncols; i++) {
		const colsum *c = train->cols[i], *t = find_col(test, c->name);
		int idlike = colsum_name_idlike(c->name), score;

		if (test && !t)
			continue;
		score = (c->type == COL_ID) * 2 + idlike + (t && t->type == COL_ID);
		if ((c->type == COL_ID || (idlike && c->distinct_exact && c->distinct == c->values && c->values > 1)) &&
		    score > best_score) {
			best = c->name;
			best_score = score;
		}
	}
	return best;
}

static int
name_targetlike(const char *name)
{
	static const char *const names[] = {"target", "label", "labels", "y", "class", "outcome", "response"};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcasecmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* How many of the submission's non-id columns are values of c: per-class
 * probability columns are named after the classes. */
static int
matches_sub_columns(const colsum *c, const scan_result *sub, const char *id)
{
	int hits = 0;
	size_t i, j;

	for (i = 0; sub && i < sub->ncols; i++) {
		if (id && strcmp(sub->cols[i]->name, id) == 0)
			continue;
		for (j = 0; j < c->nvals; j++)
			if (strlen(sub->cols[i]->name) == c->vals[j].n &&
			    memcmp(sub->cols[i]->name, c->vals[j].s, c->vals[j].n) == 0)
				hits++;
	}
	return hits;
}

static const char *
infer_target(const scan_result *train, const scan_result *test, const scan_result *sub, const char *id,
	     size_t sub_nonid, cJSON *root)
{
	const char *pick = NULL, *named = NULL;
	cJSON *cands = NULL;
	int best_hits = -1;
	size_t i;

	if (sub && sub_nonid == 1) {
		for (i = 0; i < sub->ncols; i++)
			if (!id || strcmp(sub->cols[i]->name, id) != 0)
				return sub->cols[i]->name;
	}
	if (!train)
		return NULL;
	for (i = 0; i < train->ncols; i++) {
		const colsum *c = train->cols[i];
		int hits;

		if (name_targetlike(c->name) && !named)
			named = c->name;
		if (!test || find_col(test, c->name) || (id && strcmp(c->name, id) == 0))
			continue;
		if (!cands)
			cands = cJSON_CreateArray();
		cJSON_AddItemToArray(cands, cJSON_CreateString(c->name));
		hits = matches_sub_columns(c, sub, id);
		if (hits >= best_hits) {
			best_hits = hits;
			pick = c->name;
		}
	}
	if (cands && cJSON_GetArraySize(cands) > 1)
		cJSON_AddItemToObject(root, "target_candidates", cands);
	else
		cJSON_Delete(cands);
	return pick ? pick : named;
}

static int
is_numeric_target(const colsum *t)
{
	uint64_t nonmiss = t->values - t->missing;

	return nonmiss && t->kinds[INFER_INT] + t->kinds[INFER_FLOAT] == nonmiss && t->numclass == 1;
}

/* NULL when the target has fewer than two values: no task fits it. */
static const char *
infer_task(const colsum *t)
{
	uint64_t nonmiss = t->values - t->missing;

	if (!nonmiss || (t->distinct_exact && t->distinct < 2))
		return NULL;
	if (!is_numeric_target(t))
		return t->distinct == 2 ? "binary" : "multiclass";
	if (t->integral && t->distinct == 2)
		return "binary";
	if (t->integral && t->distinct_exact && t->distinct <= 30 && nonmiss >= 5 * t->distinct)
		return "multiclass";
	return "regression";
}

static int
class_cmp_num(const void *a, const void *b)
{
	const colsum_value *x = a, *y = b;

	return (x->num > y->num) - (x->num < y->num);
}

static int
class_cmp_str(const void *a, const void *b)
{
	const colsum_value *x = a, *y = b;
	int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static void
add_classes(cJSON *root, const colsum *t)
{
	colsum_value *v = xmalloc((t->nvals + 1) * sizeof(*v));
	cJSON *arr = cJSON_AddArrayToObject(root, "classes"), *bal;
	uint64_t total = 0, lo = UINT64_MAX, hi = 0;
	int numeric = 1;
	size_t i;

	memcpy(v, t->vals, t->nvals * sizeof(*v));
	for (i = 0; i < t->nvals; i++)
		numeric &= v[i].kind == INFER_INT || v[i].kind == INFER_FLOAT;
	qsort(v, t->nvals, sizeof(*v), numeric ? class_cmp_num : class_cmp_str);
	for (i = 0; i < t->nvals; i++) {
		cJSON *o = cJSON_CreateObject();
		char *s = infer_clean(v[i].s, v[i].n);

		cJSON_AddStringToObject(o, "value", s);
		cJSON_AddNumberToObject(o, "count", (double)v[i].count);
		cJSON_AddItemToArray(arr, o);
		free(s);
		total += v[i].count;
		if (v[i].count < lo)
			lo = v[i].count;
		if (v[i].count > hi)
			hi = v[i].count;
	}
	free(v);
	if (!t->counts_exact)
		cJSON_AddBoolToObject(root, "classes_exact", 0);
	if (!total)
		return;
	bal = cJSON_AddObjectToObject(root, "class_balance");
	cJSON_AddNumberToObject(bal, "majority_fraction", (double)hi / (double)total);
	cJSON_AddNumberToObject(bal, "minority_fraction", (double)lo / (double)total);
	cJSON_AddNumberToObject(bal, "imbalance_ratio", (double)hi / (double)lo);
}

static void
add_time_columns(cJSON *root, const scan_result *train, const scan_result *test)
{
	cJSON *arr = cJSON_AddArrayToObject(root, "time_columns");
	int split_by_time = 0;
	size_t i;

	for (i = 0; train && i < train->ncols; i++) {
		const colsum *c = train->cols[i], *t = find_col(test, c->name);
		int dt = c->type == COL_DATETIME;
		cJSON *o;

		if (c->type != COL_DATE && !dt)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "column", c->name);
		infer_json_time(o, "train_min", c->min, dt);
		infer_json_time(o, "train_max", c->max, dt);
		if (t && t->numclass == 2) {
			infer_json_time(o, "test_min", t->min, dt);
			infer_json_time(o, "test_max", t->max, dt);
			cJSON_AddBoolToObject(o, "test_after_train", t->min >= c->max);
			split_by_time |= t->min >= c->max;
		}
		cJSON_AddItemToArray(arr, o);
	}
	cJSON_AddStringToObject(root, "split_hint", split_by_time ? "time" : "random");
}

static double
psi_term(double a, double b)
{
	if (a < PSI_FLOOR)
		a = PSI_FLOOR;
	if (b < PSI_FLOOR)
		b = PSI_FLOOR;
	return (b - a) * log(b / a);
}

static const char *
psi_level(double psi)
{
	return psi < 0.1 ? "low" : psi < 0.25 ? "moderate" : "high";
}

static double
dist_total(const colsum *c)
{
	double t = 0;
	size_t i;

	for (i = 0; i < c->ndist; i++)
		t += (double)c->dist[i].w;
	return t;
}

/* Largest gap between the two CDFs, in one merge of the sorted points. */
static double
ks_distance(const colsum *a, const colsum *b)
{
	double ta = dist_total(a), tb = dist_total(b), ca = 0, cb = 0, ks = 0;
	size_t i = 0, j = 0;

	if (ta <= 0 || tb <= 0)
		return 0;
	while (i < a->ndist || j < b->ndist) {
		double x = j >= b->ndist || (i < a->ndist && a->dist[i].v <= b->dist[j].v) ? a->dist[i].v : b->dist[j].v;

		while (i < a->ndist && a->dist[i].v <= x)
			ca += (double)a->dist[i++].w;
		while (j < b->ndist && b->dist[j].v <= x)
			cb += (double)b->dist[j++].w;
		if (fabs(ca / ta - cb / tb) > ks)
			ks = fabs(ca / ta - cb / tb);
	}
	return ks;
}

/* PSI over train's deciles and the KS distance between the two CDFs. */
static void
drift_numeric(cJSON *o, const colsum *a, const colsum *b)
{
	double edges[11], psi = 0, ks, pa = 0, pb = 0;
	int ne = 0, i;

	for (i = 1; i < 10; i++) {
		double e = colsum_dist_quantile(a, i / 10.0);

		if (ne == 0 || e > edges[ne - 1])
			edges[ne++] = e;
	}
	for (i = 0; i <= ne; i++) {
		double ca = i < ne ? colsum_dist_cdf(a, edges[i]) : 1;
		double cb = i < ne ? colsum_dist_cdf(b, edges[i]) : 1;

		psi += psi_term(ca - pa, cb - pb);
		pa = ca;
		pb = cb;
	}
	ks = ks_distance(a, b);
	cJSON_AddStringToObject(o, "kind", "numeric");
	cJSON_AddNumberToObject(o, "psi", psi);
	cJSON_AddNumberToObject(o, "ks", ks);
	cJSON_AddStringToObject(o, "level", psi_level(psi));
	cJSON_AddBoolToObject(o, "exact", a->q_exact && b->q_exact);
}

static uint64_t
count_of(const colsum *c, uint64_t h, int *found)
{
	size_t i;

	for (i = 0; i < c->nvals; i++)
		if (c->vals[i].h == h) {
			*found = 1;
			return c->vals[i].count;
		}
	*found = 0;
	return 0;
}

/* PSI over train's most frequent values plus an "other" bucket, and the
 * values of test that train never has. */
static void
drift_categorical(cJSON *o, const colsum *a, const colsum *b)
{
	double na = (double)(a->values - a->missing), nb = (double)(b->values - b->missing);
	double psi = 0, ra = 1, rb = 1;
	uint64_t only_vals = 0, only_rows = 0;
	cJSON *ex = cJSON_CreateArray();
	size_t i;
	int found;

	for (i = 0; i < a->nvals && i < DRIFT_TOP && na > 0 && nb > 0; i++) {
		double fa = (double)a->vals[i].count / na;
		double fb = (double)count_of(b, a->vals[i].h, &found) / nb;

		psi += psi_term(fa, fb);
		ra -= fa;
		rb -= fb;
	}
	if (na > 0 && nb > 0 && a->nvals > DRIFT_TOP)
		psi += psi_term(ra, rb);
	for (i = 0; i < b->nvals; i++) {
		count_of(a, b->vals[i].h, &found);
		if (found)
			continue;
		only_vals++;
		only_rows += b->vals[i].count;
		if (cJSON_GetArraySize(ex) < DRIFT_EXAMPLES) {
			char *s = infer_display(b->vals[i].s, b->vals[i].n);

			cJSON_AddItemToArray(ex, cJSON_CreateString(s));
			free(s);
		}
	}
	cJSON_AddStringToObject(o, "kind", "categorical");
	cJSON_AddNumberToObject(o, "psi", psi);
	cJSON_AddStringToObject(o, "level", psi_level(psi));
	cJSON_AddNumberToObject(o, "test_only_values", (double)only_vals);
	cJSON_AddNumberToObject(o, "test_only_rows", (double)only_rows);
	cJSON_AddItemToObject(o, "test_only_examples", ex);
	cJSON_AddBoolToObject(o, "exact", a->values_complete && b->values_complete);
}

static void
add_drift(cJSON *root, const scan_result *train, const scan_result *test, const char *target, const char *id)
{
	cJSON *arr = cJSON_AddArrayToObject(root, "drift");
	size_t i;

	for (i = 0; train && test && i < train->ncols; i++) {
		const colsum *a = train->cols[i], *b = find_col(test, a->name);
		cJSON *o;

		if (!b || (target && strcmp(a->name, target) == 0) || (id && strcmp(a->name, id) == 0))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "column", a->name);
		cJSON_AddNumberToObject(o, "missing_train", a->values ? (double)a->missing / (double)a->values : 0);
		cJSON_AddNumberToObject(o, "missing_test", b->values ? (double)b->missing / (double)b->values : 0);
		if (a->numclass && a->numclass == b->numclass && a->ndist && b->ndist &&
		    a->type != COL_CATEGORICAL && a->type != COL_TEXT && a->type != COL_BOOLEAN)
			drift_numeric(o, a, b);
		else if (a->nvals && b->nvals)
			drift_categorical(o, a, b);
		cJSON_AddItemToArray(arr, o);
	}
}

static void
add_submission(cJSON *root, const scan_result *sub, size_t nonid)
{
	cJSON *o = cJSON_AddObjectToObject(root, "submission"), *cols = cJSON_AddArrayToObject(o, "columns");
	size_t i;

	for (i = 0; i < sub->ncols; i++)
		cJSON_AddItemToArray(cols, cJSON_CreateString(sub->cols[i]->name));
	cJSON_AddStringToObject(o, "format", nonid > 1 ? "proba_columns" : "label");
	cJSON_AddNumberToObject(o, "rows", (double)sub->rows);
}

static void
add_str_or_null(cJSON *root, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(root, key, v);
	else
		cJSON_AddNullToObject(root, key);
}

static const char *
rows_word(uint64_t n)
{
	return n == 1 ? "row" : "rows";
}

/* What stops pandas from reading a file (errors) and what it reads other
 * than the file means (warnings). Train and test also need rows. */
static void
check_file(cJSON *errors, cJSON *warnings, const scan_result *r, enum xfile_role role)
{
	if (r->ncols == 0) {
		if (r->bytes == 0)
			addf(errors, "%s is empty (0 bytes): it needs a header line and data rows; download it again",
			     r->path);
		else
			addf(errors, "%s has no header line, only blank lines; download it again", r->path);
		return;
	}
	if (r->rows == 0 && role == XFILE_TRAIN)
		addf(errors, "%s has a header but no data rows: there is nothing to learn from", r->path);
	if (r->rows == 0 && role == XFILE_TEST)
		addf(errors, "%s has a header but no data rows: there is nothing to predict", r->path);
	if (r->long_rows && !r->short_rows)
		addf(errors, "%s line %ld has more fields than the %zu of its header (%llu such %s): a value "
		     "probably holds an unquoted '%c'; quote that value or fix the line",
		     r->path, r->first_ragged_line, r->ncols, (unsigned long long)r->long_rows,
		     rows_word(r->long_rows), r->delimiter);
	else if (r->long_rows)
		addf(errors, "%s has %llu rows with more fields than the %zu of its header and %llu with fewer "
		     "(first ragged row: line %ld): a value probably holds an unquoted '%c'; quote those values "
		     "or fix the lines",
		     r->path, (unsigned long long)r->long_rows, r->ncols, (unsigned long long)r->short_rows,
		     r->first_ragged_line, r->delimiter);
	else if (r->short_rows)
		addf(warnings, "%s line %ld has fewer fields than the %zu of its header (%llu such %s): "
		     "their last values are read as missing",
		     r->path, r->first_ragged_line, r->ncols, (unsigned long long)r->short_rows,
		     rows_word(r->short_rows));
	if (r->invalid_utf8)
		addf(errors, "%s line %ld is not valid UTF-8 (%llu bad %s in the file): pandas cannot read "
		     "it; convert the file to UTF-8 (for Latin-1: iconv -f latin1 -t utf-8)",
		     r->path, r->first_invalid_utf8_line, (unsigned long long)r->invalid_utf8,
		     r->invalid_utf8 == 1 ? "sequence" : "sequences");
	if (r->unterminated_quote && r->rows)
		addf(errors, "%s ends inside a quoted field: a quote in data row %llu never closes, so the rest "
		     "of the file reads as one value; close that quote or remove it",
		     r->path, (unsigned long long)r->rows);
	else if (r->unterminated_quote)
		addf(errors, "%s ends inside a quoted field: a quote in the header never closes; close that "
		     "quote or remove it", r->path);
	if (r->nul_bytes)
		addf(warnings, "%s line %ld holds a NUL byte (%llu in the file): pandas cuts a value at a NUL "
		     "byte; remove them (tr -d '\\000')",
		     r->path, r->first_nul_line, (unsigned long long)r->nul_bytes);
}

/* "a, b, c" for the first columns of f, in buf. */
static const char *
column_list(const scan_result *f, char *buf, size_t n)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < f->ncols && i < 12 && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", f->cols[i]->name);
	if (i < f->ncols && len < n)
		snprintf(buf + len, n - len, ", ... (%zu in all)", f->ncols);
	return buf;
}

/* The target must be a column of train with at least two values. */
static void
check_target(cJSON *errors, cJSON *warnings, const scan_result *train, const char *target, const colsum *t,
	     const char *from)
{
	uint64_t nonmiss;
	char cols[512];

	if (!t) {
		addf(errors, "the target column \"%s\" %s is not in %s (its columns: %s): pass --target with the "
		     "column to predict",
		     target, from, train->path, column_list(train, cols, sizeof(cols)));
		return;
	}
	nonmiss = t->values - t->missing;
	if (nonmiss == 0 && train->rows)
		addf(errors, "the target column \"%s\" is empty in every row of %s: there is nothing to learn; "
		     "check --target", target, train->path);
	else if (train->rows >= 2 && t->distinct_exact && t->distinct == 1 && t->nvals)
		addf(errors, "the target column \"%s\" has one value (%.*s) in every row of %s: there is nothing "
		     "to learn; check --target",
		     target, (int)t->vals[0].n, t->vals[0].s, train->path);
	else if (t->missing && nonmiss)
		addf(warnings, "the target column \"%s\" is empty in %llu of the %llu rows of %s: training leaves "
		     "those rows out",
		     target, (unsigned long long)t->missing, (unsigned long long)t->values, train->path);
}

/* Sample and test must list the same ids, each once. */
static void
check_ids(cJSON *errors, const scan_result *test, const scan_result *sub, const char *id)
{
	ak_err e;

	if (!test || !sub || !id || !test->ncols || !sub->ncols)
		return;
	if (validate_input_ids(sub->path, test->path, id, errors, &e) < 0)
		addf(errors, "%s", e.msg);
}

void
xfile_infer(cJSON *root, const xfile_input *in)
{
	const scan_result *train = first_of(in, XFILE_TRAIN), *test = first_of(in, XFILE_TEST);
	const scan_result *sub = first_of(in, XFILE_SUBMISSION);
	cJSON *warnings = cJSON_CreateArray(), *errors = cJSON_CreateArray();
	const char *id, *target, *task = NULL;
	const colsum *t;
	size_t sub_nonid = 0, i;

	if (!train && !test)
		train = first_of(in, XFILE_OTHER);
	for (i = 0; i < in->n; i++)
		check_file(errors, warnings, in->files[i], in->roles[i]);
	id = in->id ? in->id : infer_id(train, test, sub);
	for (i = 0; sub && i < sub->ncols; i++)
		sub_nonid += !id || strcmp(sub->cols[i]->name, id) != 0;
	target = in->target ? in->target : infer_target(train, test, sub, id, sub_nonid, root);
	t = find_col(train, target);
	if (target && train && train->ncols)
		check_target(errors, warnings, train, target, t,
			     in->target ? "given with --target" : "named by the sample submission");
	if (id && train && train->ncols && !find_col(train, id))
		addf(warnings, "the id column %s is not in the training file", id);
	if (t)
		task = infer_task(t);
	add_str_or_null(root, "target", target);
	add_str_or_null(root, "id", id);
	add_str_or_null(root, "task", task);
	if (task && strcmp(task, "regression") != 0)
		add_classes(root, t);
	if (sub)
		add_submission(root, sub, sub_nonid);
	add_time_columns(root, train, test);
	add_drift(root, train, test, target, id);
	for (i = 0; test && train && i < test->ncols; i++)
		if (!find_col(train, test->cols[i]->name))
			addf(warnings, "the test column %s is not in the training file", test->cols[i]->name);
	check_ids(errors, test, sub, id);
	cJSON_AddItemToObject(root, "errors", errors);
	cJSON_AddItemToObject(root, "warnings", warnings);
}
