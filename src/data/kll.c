#include "config.h"

#include "data/kll.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define SAMPLE_FROM 17	/* sampling starts at 2^(SAMPLE_FROM + 1) items */

kll *
kll_new(unsigned k, size_t buf)
{
	kll *s = xcalloc(1, sizeof(*s));

	s->k = k < 8 ? 8 : k;
	s->capbuf = buf < 16 ? 16 : buf;
	s->buf = xmalloc(s->capbuf * sizeof(double));
	s->top = -1;
	s->span = 1;
	s->check_at = (uint64_t)1 << (SAMPLE_FROM + 1);
	s->rng = 0x9e3779b97f4a7c15ull;
	return s;
}

void
kll_free(kll *s)
{
	int h;

	if (!s)
		return;
	for (h = 0; h <= s->top; h++)
		free(s->lv[h]);
	free(s->buf);
	free(s);
}

static uint64_t
rnd(kll *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static void
insertion_sort(double *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		double x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Moves the items below pivot (or, with le, at most pivot) to the front
 * without branching on the comparison, which on random data would be
 * mispredicted half of the time; returns their number. */
static size_t
partition(double *v, size_t n, double pivot, int le)
{
	size_t i = 0, j;

	for (j = 0; j < n; j++) {
		double x = v[j];
		size_t take = le ? x <= pivot : x < pivot;

		v[j] = v[i];
		v[i] = x;
		i += take;
	}
	return i;
}

static double
median3(double a, double b, double c)
{
	if (a > b) {
		double t = a;

		a = b;
		b = t;
	}
	return c < a ? a : c > b ? b : c;
}

/* Quicksort, recursing into the smaller side only. */
void
kll_sort(double *v, size_t n)
{
	while (n > 16) {
		double pivot = median3(v[0], v[n / 2], v[n - 1]);
		size_t lt = partition(v, n, pivot, 0), le;

		/* v[lt..n) >= pivot; peel off the run equal to the pivot so
		 * that repeated values cannot make this quadratic. */
		le = lt + partition(v + lt, n - lt, pivot, 1);
		if (lt < n - le) {
			kll_sort(v, lt);
			v += le;
			n -= le;
		} else {
			kll_sort(v + le, n - le);
			n = lt;
		}
	}
	insertion_sort(v, n);
}

static size_t
level_cap(const kll *s, int h)
{
	double c = s->k;
	int i;

	for (i = h; i < s->top; i++)
		c *= 2.0 / 3.0;
	return c < 8 ? 8 : (size_t)c;
}

static void
ensure_level(kll *s, int h)
{
	while (s->top < h) {
		s->top++;
		s->lv[s->top] = NULL;
		s->ln[s->top] = 0;
	}
}

/* Merges the sorted run src[0], src[step], ... (n items) into level h. */
static void
merge_into(kll *s, int h, const double *src, size_t n, size_t step)
{
	size_t a = 0, b = 0, o = 0, have;
	double *merged;

	ensure_level(s, h);
	have = s->ln[h];
	merged = xmalloc((have + n + 1) * sizeof(double));
	while (a < have && b < n) {
		double y = src[b * step];

		if (s->lv[h][a] <= y)
			merged[o++] = s->lv[h][a++];
		else {
			merged[o++] = y;
			b++;
		}
	}
	while (a < have)
		merged[o++] = s->lv[h][a++];
	for (; b < n; b++)
		merged[o++] = src[b * step];
	free(s->lv[h]);
	s->lv[h] = merged;
	s->ln[h] = o;
}

static void
compact_levels(kll *s, int from)
{
	int h;

	for (h = from; h <= s->top && h < 63; h++) {
		size_t n = s->ln[h], keep = n & 1;
		int off;

		if (n <= level_cap(s, h))
			continue;
		/* An odd item out stays behind at this level. */
		off = (int)(rnd(s) >> 63);
		merge_into(s, h + 1, s->lv[h] + off, (n - keep) / 2, 2);
		if (keep)
			s->lv[h][0] = s->lv[h][n - 1];
		s->ln[h] = keep;
		s->lossy = 1;
	}
}

void
kll_flush_buffer(kll *s)
{
	if (s->nbuf == 0)
		return;
	kll_sort(s->buf, s->nbuf);
	merge_into(s, s->bufw, s->buf, s->nbuf, 1);
	s->nbuf = 0;
	compact_levels(s, s->bufw);
}

void
kll_next_block(kll *s)
{
	int want = 0;

	while (s->n >> (SAMPLE_FROM + want + 1))
		want++;
	if (want > s->bufw) {
		kll_flush_buffer(s);
		s->bufw = want;
		s->span = (uint32_t)1 << want;
		s->lossy = 1;
	}
	s->check_at = (uint64_t)1 << (SAMPLE_FROM + s->bufw + 1);
	s->pick = s->span > 1 ? (uint32_t)(rnd(s) >> 40) & (s->span - 1) : 0;
}

int
kll_exact(const kll *s)
{
	return !s->lossy;
}

static int
pt_cmp(const void *a, const void *b)
{
	const kll_pt *x = a, *y = b;

	return (x->v > y->v) - (x->v < y->v);
}

kll_pt *
kll_points(const kll *s, size_t *n)
{
	size_t total = s->nbuf, i, o = 0;
	kll_pt *pts;
	int h;

	for (h = 0; h <= s->top; h++)
		total += s->ln[h];
	pts = xmalloc((total ? total : 1) * sizeof(*pts));
	for (i = 0; i < s->nbuf; i++)
		pts[o++] = (kll_pt){s->buf[i], (uint64_t)1 << s->bufw};
	for (h = 0; h <= s->top; h++)
		for (i = 0; i < s->ln[h]; i++)
			pts[o++] = (kll_pt){s->lv[h][i], (uint64_t)1 << h};
	qsort(pts, total, sizeof(*pts), pt_cmp);
	*n = total;
	return pts;
}

size_t
kll_bytes(const kll *s)
{
	size_t b = sizeof(*s) + s->capbuf * sizeof(double);
	int h;

	for (h = 0; h <= s->top; h++)
		b += s->ln[h] * sizeof(double);
	return b;
}
