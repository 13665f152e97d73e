#ifndef AK_KLL_H
#define AK_KLL_H

#include <stddef.h>
#include <stdint.h>

/* A KLL quantile sketch (Karnin, Lang, Liberty 2016) over doubles.
 *
 * Level h holds sorted items of weight 2^h, with capacity
 * k * (2/3)^(top - h) (at least 8); a full level is halved into the next
 * one, keeping the odd or even items at random. New items collect in a
 * raw buffer that is sorted and merged into the lowest level when full.
 * As in the KLL paper the bottom levels become a sampler on long streams:
 * past 2^18 items, one item in 2^s at random is kept with weight 2^s,
 * s = floor(log2(n / 2^17)), which adds a rank error of standard
 * deviation at most 0.14 % of n and makes updates cheap.
 *
 * Until the first compaction or sampling the sketch is exact. Memory is
 * about 3k + buffer doubles. With k = 1000 the rank error of a quantile
 * stays below 0.5 % of n in 99 % of runs (measured in
 * tests/unit/test_prof_sketch.c); the sketch part shrinks like 1/k. */
typedef struct kll kll;

typedef struct kll_pt {
	double v;
	uint64_t w;
} kll_pt;

struct kll {
	double *buf;
	size_t nbuf, capbuf;
	int bufw;		/* items in buf weigh 2^bufw */
	double *lv[64];
	size_t ln[64];
	int top;		/* highest level in use, -1 when none */
	unsigned k;
	uint64_t n;		/* items added */
	uint64_t rng;
	uint32_t span, blk, pick;	/* sampler: keep item pick of each span */
	uint64_t check_at;	/* n at which to reconsider the sampling rate */
	int lossy;
};

/* k is the top level's capacity, buf the raw buffer's (>= 16). */
kll *kll_new(unsigned k, size_t buf);
void kll_free(kll *s);
void kll_flush_buffer(kll *s);
void kll_next_block(kll *s);
static inline void
kll_add(kll *s, double v)
{
	if (s->blk == s->pick) {
		s->buf[s->nbuf++] = v;
		if (s->nbuf == s->capbuf)
			kll_flush_buffer(s);
	}
	s->n++;
	if (++s->blk == s->span) {
		s->blk = 0;
		if (s->span > 1 || s->n >= s->check_at)
			kll_next_block(s);
	}
}
/* 1 while no item has been discarded. */
int kll_exact(const kll *s);
/* The retained items with their weights, sorted by value (weights sum to
 * about the number of items added); caller frees. */
kll_pt *kll_points(const kll *s, size_t *n);
/* Bytes held by the sketch. */
size_t kll_bytes(const kll *s);
/* Sorts doubles ascending (NaN-free input). */
void kll_sort(double *v, size_t n);

#endif
