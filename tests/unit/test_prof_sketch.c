#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/freq.h"
#include "data/hll.h"
#include "data/kll.h"
#include "data/strhash.h"
#include "util/xalloc.h"

static uint64_t rng_state;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
test_sort(void **state)
{
	size_t sizes[] = {0, 1, 2, 17, 100, 2048, 10000}, s, i;

	(void)state;
	rng_state = 7;
	for (s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
		size_t n = sizes[s];
		double *a = xmalloc((n + 1) * sizeof(double)), *b = xmalloc((n + 1) * sizeof(double));
		int mode;

		for (mode = 0; mode < 4; mode++) {
			for (i = 0; i < n; i++) {
				switch (mode) {
				case 0: a[i] = (double)(rng() % 1000000) - 500000; break;
				case 1: a[i] = (double)(rng() % 3); break;	/* many ties */
				case 2: a[i] = (double)i; break;		/* sorted */
				default: a[i] = (double)(n - i); break;	/* reversed */
				}
			}
			memcpy(b, a, n * sizeof(double));
			kll_sort(a, n);
			qsort(b, n, sizeof(double), dbl_cmp);
			assert_memory_equal(a, b, n * sizeof(double));
		}
		free(a);
		free(b);
	}
}

/* Distinct counts through HyperLogLog stay within 1 % at p = 18 and
 * within 3 standard errors at p = 14, from 70 thousand to 3 million. */
static void
test_hll_accuracy(void **state)
{
	static const uint64_t counts[] = {70000, 250000, 1000000, 3000000};
	static const int precisions[] = {14, 16, 18};
	size_t c, p;

	(void)state;
	for (p = 0; p < sizeof(precisions) / sizeof(*precisions); p++) {
		for (c = 0; c < sizeof(counts) / sizeof(*counts); c++) {
			hll *h = hll_new(precisions[p]);
			uint64_t i;
			double est, err;
			char buf[32];

			for (i = 0; i < counts[c]; i++) {
				int n = snprintf(buf, sizeof(buf), "v%llu", (unsigned long long)i);

				hll_add(h, strhash(buf, (size_t)n));
				if (i % 3 == 0)	/* repeats change nothing */
					hll_add(h, strhash(buf, (size_t)n));
			}
			est = hll_estimate(h);
			err = fabs(est - (double)counts[c]) / (double)counts[c];
			if (precisions[p] == 18)
				assert_true(err < 0.01);
			assert_true(err < 3 * hll_error(h));
			hll_free(h);
		}
	}
}

static void
test_hll_small(void **state)
{
	hll *h = hll_new(16);

	(void)state;
	assert_true(hll_estimate(h) < 0.5);
	hll_add(h, strhash("a", 1));
	hll_add(h, strhash("b", 1));
	hll_add(h, strhash("a", 1));
	assert_true(fabs(hll_estimate(h) - 2) < 0.01);
	hll_free(h);
}

/* Fraction of the sorted truth below x (or, with le, at most x). */
static double
rank_of(const double *sorted, size_t n, double x, int le)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (sorted[mid] < x || (le && sorted[mid] == x))
			lo = mid + 1;
		else
			hi = mid;
	}
	return (double)lo / (double)n;
}

static double
sketch_quantile(const kll_pt *pts, size_t n, double q)
{
	double total = 0, cum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += (double)pts[i].w;
	for (i = 0; i < n; i++) {
		cum += (double)pts[i].w;
		if (cum > q * total)
			return pts[i].v;
	}
	return pts[n - 1].v;
}

/* The documented bound: with k = 1000 the rank error of the profile's
 * quantiles stays under 0.5 % of n (here over 12 independent streams of
 * a million values, sampled and compacted, in three distributions). */
static void
test_kll_rank_error(void **state)
{
	static const double qs[] = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
	size_t n = 1000000, i, q, npts;
	double *truth = xmalloc(n * sizeof(double)), worst = 0;
	int run;

	(void)state;
	for (run = 0; run < 12; run++) {
		kll *s = kll_new(1000, 2048);
		kll_pt *pts;

		rng_state = 1000 + (uint64_t)run;
		s->rng = 0x2545f4914f6cdd1dull * (uint64_t)(run + 1);	/* any nonzero seed */
		for (i = 0; i < n; i++) {
			double u = (double)(rng() >> 11) / 9007199254740992.0;

			truth[i] = run % 3 == 0 ? u : run % 3 == 1 ? -log(1 - u) : (double)(rng() % 50);
			kll_add(s, truth[i]);
		}
		assert_false(kll_exact(s));
		pts = kll_points(s, &npts);
		assert_true(npts < 20000);
		qsort(truth, n, sizeof(double), dbl_cmp);
		for (q = 0; q < sizeof(qs) / sizeof(*qs); q++) {
			double v = sketch_quantile(pts, npts, qs[q]);
			/* with ties a value covers a range of ranks */
			double lo = rank_of(truth, n, v, 0), hi = rank_of(truth, n, v, 1);

			if (qs[q] < lo && lo - qs[q] > worst)
				worst = lo - qs[q];
			if (qs[q] > hi && qs[q] - hi > worst)
				worst = qs[q] - hi;
		}
		free(pts);
		kll_free(s);
	}
	free(truth);
	assert_true(worst < 0.005);
}

/* Exact until the buffer first fills; afterwards the weights still add
 * up to the number of values and memory stays bounded. */
static void
test_kll_exact_then_bounded(void **state)
{
	kll *s = kll_new(1000, 2048);
	kll_pt *pts;
	size_t n, i;
	uint64_t total = 0;

	(void)state;
	for (i = 0; i < 2000; i++)
		kll_add(s, (double)((i * 7919) % 2000));
	assert_true(kll_exact(s));
	pts = kll_points(s, &n);
	assert_int_equal(n, 2000);
	for (i = 0; i < n; i++)
		assert_true(pts[i].v == (double)i && pts[i].w == 1);
	free(pts);
	for (i = 2000; i < 200000; i++)
		kll_add(s, (double)((i * 7919) % 200000));
	assert_false(kll_exact(s));
	pts = kll_points(s, &n);
	for (i = 0; i < n; i++)
		total += pts[i].w;
	assert_int_equal(total, 200000);
	assert_true(kll_bytes(s) < 100000);
	free(pts);
	kll_free(s);
}

/* Heavy hitters: every value above the error bound is present, counts are
 * lower bounds within the bound. */
static void
test_freq(void **state)
{
	freq *f = freq_new(64);
	const freq_item *it;
	uint64_t truth[5] = {0};
	size_t n, i, j;
	char buf[32];

	(void)state;
	rng_state = 99;
	for (i = 0; i < 500000; i++) {
		uint64_t r = rng() % 100;
		int len;

		if (r < 30) {
			truth[r % 5]++;
			len = snprintf(buf, sizeof(buf), "heavy%d", (int)(r % 5));
		} else {
			len = snprintf(buf, sizeof(buf), "noise%llu", (unsigned long long)rng());
		}
		freq_add(f, strhash(buf, (size_t)len), buf, (size_t)len, 1);
	}
	it = freq_items(f, &n);
	assert_true(freq_error(f) < 2 * 500000 / 64);
	assert_int_equal(freq_total(f), 500000);
	for (j = 0; j < 5; j++) {
		int len = snprintf(buf, sizeof(buf), "heavy%d", (int)j);
		uint64_t h = strhash(buf, (size_t)len);
		int found = 0;

		for (i = 0; i < n; i++) {
			if (it[i].h != h)
				continue;
			found = 1;
			assert_true(it[i].count <= truth[j]);
			assert_true(it[i].count + freq_error(f) >= truth[j]);
			assert_memory_equal(it[i].s, buf, (size_t)len);
		}
		assert_true(found);
	}
	for (i = 1; i < n; i++)
		assert_true(it[i - 1].count >= it[i].count);
	freq_free(f);
}

static void
test_strhash(void **state)
{
	char a[100], b[100];
	size_t n;

	(void)state;
	memset(a, 'x', sizeof(a));
	memcpy(b, a, sizeof(b));
	for (n = 0; n < sizeof(a); n++) {
		assert_true(strhash(a, n) == strhash(b, n));
		if (n)
			assert_true(strhash(a, n) != strhash(a, n - 1));
	}
	b[50] = 'y';
	assert_true(strhash(a, 100) != strhash(b, 100));
	assert_true(strhash("ab", 2) != strhash("ba", 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_hll_accuracy),
		cmocka_unit_test(test_hll_small),
		cmocka_unit_test(test_kll_rank_error),
		cmocka_unit_test(test_kll_exact_then_bounded),
		cmocka_unit_test(test_freq),
		cmocka_unit_test(test_strhash),
	};

	return cmocka_run_group_tests_name("prof_sketch", tests, NULL, NULL);
}
