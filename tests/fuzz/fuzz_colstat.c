/* libFuzzer target for a column's statistics (colstat.c with freq, hll,
 * kll), single-threaded. The input's lines are a column's values, added
 * to one column a value at a time and to another in batches whose sizes
 * the input's first byte chooses: colstat.h promises the same result, so
 * the two summaries must match field for field. The sketches are small
 * and the budget tight, so that the rich table closes, frequent items
 * purge and the exact set gives way to the HyperLogLog on short inputs.
 * A line starting with byte 1 is a cut long value. Built and run by
 * ci-fuzz.sh. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/colstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SAME(a, b) (memcmp(&(a), &(b), sizeof(a)) == 0)

static int
same_value(const colsum_value *a, const colsum_value *b)
{
	return a->n == b->n && memcmp(a->s, b->s, a->n) == 0 && a->len == b->len && a->count == b->count &&
	       a->h == b->h && a->kind == b->kind && SAME(a->num, b->num);
}

static int
same_numbers(const colsum *a, const colsum *b)
{
	size_t i;

	if (a->numclass != b->numclass || a->num_n != b->num_n || a->zeros != b->zeros ||
	    a->negatives != b->negatives || !SAME(a->min, b->min) || !SAME(a->max, b->max) ||
	    !SAME(a->mean, b->mean) || !SAME(a->std, b->std) || a->integral != b->integral || !SAME(a->q, b->q) ||
	    a->q_exact != b->q_exact || a->nbins != b->nbins || !SAME(a->edges, b->edges) ||
	    !SAME(a->bins, b->bins) || a->ndist != b->ndist)
		return 0;
	for (i = 0; i < a->ndist; i++)
		if (!SAME(a->dist[i].v, b->dist[i].v) || a->dist[i].w != b->dist[i].w)
			return 0;
	return 1;
}

static int
same_summary(const colsum *a, const colsum *b)
{
	size_t i;

	if (a->type != b->type || a->values != b->values || a->missing != b->missing || !SAME(a->kinds, b->kinds) ||
	    a->leading_zero != b->leading_zero || a->infinite != b->infinite || a->long_values != b->long_values ||
	    a->distinct != b->distinct || a->distinct_exact != b->distinct_exact ||
	    !SAME(a->distinct_error, b->distinct_error) || !same_numbers(a, b) || a->nvals != b->nvals ||
	    a->values_complete != b->values_complete || a->counts_exact != b->counts_exact ||
	    a->count_error != b->count_error || a->len_min != b->len_min || a->len_max != b->len_max ||
	    !SAME(a->len_mean, b->len_mean) || a->checked != b->checked || a->with_space != b->with_space ||
	    !SAME(a->pii, b->pii) || a->pii_kind != b->pii_kind || a->nsamples != b->nsamples)
		return 0;
	for (i = 0; i < a->nvals; i++)
		if (!same_value(&a->vals[i], &b->vals[i]))
			return 0;
	for (i = 0; i < a->nsamples; i++)
		if (strcmp(a->samples[i], b->samples[i]) != 0)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	colstat_budget ba, bb;
	colstat_params p;
	colstat *one, *many;
	colstat_val batch[64];
	colsum *sa, *sb;
	size_t i, start, nb = 0, want;

	if (size == 0)
		return 0;
	colstat_params_for(&p, 1, 16u << 10);
	atomic_init(&ba.avail, 4096);
	atomic_init(&bb.avail, 4096);
	one = colstat_new(&p, &ba);
	many = colstat_new(&p, &bb);
	want = 1 + data[0] % 64;
	for (i = start = 1; i <= size; i++) {
		const char *s = (const char *)data + start;
		size_t n = i - start;

		if (i < size && data[i] != '\n')
			continue;
		start = i + 1;
		if (n && s[0] == 1) {
			colstat_add_batch(many, batch, nb);
			nb = 0;
			colstat_add_long(one, s + 1, n - 1, n + 1000);
			colstat_add_long(many, s + 1, n - 1, n + 1000);
			continue;
		}
		colstat_add(one, s, n);
		batch[nb].s = s;
		batch[nb++].len = n;
		if (nb == want || nb == sizeof(batch) / sizeof(*batch)) {
			colstat_add_batch(many, batch, nb);
			nb = 0;
			want = 1 + (want * 7 + n) % 64;
		}
	}
	colstat_add_batch(many, batch, nb);
	sa = colstat_finish(one, "c");
	sb = colstat_finish(many, "c");
	if (!same_summary(sa, sb))
		abort();
	colsum_free(sa);
	colsum_free(sb);
	return 0;
}
