#include "config.h"

#include "data/colstat.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data/freq.h"
#include "data/hll.h"
#include "data/strhash.h"
#include "util/xalloc.h"

/* Longer values never get a rich entry: they would crowd the arena. */
#define RICH_MAXLEN 128
#define SAMPLE_LEN 80
#define MAX_CHECKED 65536
#define MOM_BLOCK 1024
/* Past exact distinct counting, the rich table is checked every
 * FREEZE_WINDOW misses and frozen when under 1/8 of the values hit it. */
#define FREEZE_WINDOW 65536
#define FREEZE_SAMPLE 8
/* How far ahead the bytes of a batch's values are prefetched. */
#define VALUE_AHEAD 8

/* A rich table slot: the hash and, packed, the count and entry index + 1,
 * so that a repeated value costs one cache line. Zero when empty. */
typedef struct rich_slot {
	uint64_t h;
	uint64_t ci;
} rich_slot;

#define RICH_IDX_BITS 20
#define RICH_ONE ((uint64_t)1 << RICH_IDX_BITS)
#define RICH_IDX(ci) ((size_t)((ci) & (RICH_ONE - 1)) - 1)

typedef struct rich_ent {
	uint64_t h;
	uint64_t count;
	double num;
	uint32_t off, len;
	uint8_t kind, flags;
} rich_ent;

/* Columns with few distinct values get an index of their short values
 * by their bytes, to their rich slots: a value found there skips the
 * missing check, the hash and the rich probe. Made once a column has
 * SHORT_FROM values and at most SHORT_RICH rich entries, so that it is
 * far smaller than the rich table's share of the budget; kept at most a
 * quarter full. Filled by the values found by their hash; emptied when
 * the rich table moves its slots, dropped when it freezes. */
#define SHORT_FROM 65536
#define SHORT_RICH 128
#define SHORT_SLOTS 512
#define SHORT_MAXLEN 8

typedef struct short_ent {
	uint64_t key;		/* the value's bytes, see short_key() */
	uint32_t len;		/* 0 when empty */
	uint32_t slot;		/* in the rich table */
} short_ent;

/* Mean and sum of squared deviations, merged block by block (Chan et
 * al.): inside a block values are shifted by its first one, so the sums
 * stay small and the variance does not cancel catastrophically. */
typedef struct moments {
	uint64_t n;
	double mean, m2;
	uint32_t bn;
	double shift, s1, s2;
} moments;

/* Columns owned by different threads are allocated side by side; the
 * guards keep their busy counters off each other's cache lines. */
struct colstat {
	char guard_head[64];
	colstat_params p;
	colstat_budget *budget;
	rich_slot *rslot;
	size_t rmask;
	rich_ent *rent;
	size_t rn, rcap;
	char *arena;
	size_t alen, acap;
	int rich_closed, rich_frozen;
	short_ent *shorts;	/* the index of short values, or NULL */
	size_t nshort;
	uint64_t rich_moves;	/* rehashes and freezes: slots found before are stale */
	int rich_in_thin;	/* a freeze copied the rich hashes into the set */
	uint64_t known_distinct;	/* counted exactly before the HyperLogLog */
	uint64_t misses, hits_at_check, freq_tick;
	uint64_t *thin;
	size_t tmask, tn;
	long long charged;
	int exact;
	hll *hll;
	uint8_t *hll_pending;	/* register of the last value, updated late */
	uint8_t hll_rank;
	int pend_valid;		/* the last value's exact-set insert, done late */
	uint64_t pend_h;
	size_t pend_n;
	enum infer_kind pend_kind;
	const char *pend_p;	/* the value, or pend_s once its call returned */
	char pend_s[SAMPLE_LEN];
	uint64_t values, missing;
	uint64_t kinds[INFER_NKINDS];
	uint64_t leading_zero, infinite, long_values;
	int numclass;
	enum infer_kind last_kind;	/* parsed first next time */
	moments mom;
	double min, max;
	int integral;
	uint64_t zeros, negatives;
	kll *kll;
	freq *freq;
	uint64_t len_min, len_max, len_sum, len_n;
	uint64_t checked, with_space, pii[4];
	char *samples[5];
	size_t nsamples;
	char guard_tail[64];
};

void
colstat_params_for(colstat_params *p, size_t ncols, size_t budget)
{
	size_t share = budget / (ncols ? ncols : 1);

	/* The sets of hashes behind exact distinct counts draw from the
	 * budget as they grow; the rest is sized from each column's share,
	 * full size from 1 MiB (15 columns in the default budget) down to a
	 * few KiB a column for files with thousands of them. */
	p->exact_max = 65536;
	p->rich_max = 4096;
	while (p->rich_max > 16 && (size_t)p->rich_max * 128 > share)
		p->rich_max /= 2;
	p->arena_max = (size_t)p->rich_max * 16;
	p->hll_p = share >= (1u << 20) ? 18 : share >= (256u << 10) ? 16 : share >= (64u << 10) ? 14 :
		   share >= (16u << 10) ? 12 : 10;
	p->kll_k = share >= (256u << 10) ? 1000 : share >= (32u << 10) ? 200 : share >= (8u << 10) ? 100 : 50;
	p->kll_buf = share >= (256u << 10) ? 2048 : share >= (32u << 10) ? 512 : 64;
	p->freq_k = share >= (256u << 10) ? 64 : share >= (32u << 10) ? 16 : 4;
	p->dist_points = share >= (256u << 10) ? 1024 : share >= (32u << 10) ? 256 : 64;
	p->thin_start = share >= (64u << 10) ? 1024 : 128;
}

size_t
colstat_fixed_bytes(const colstat_params *p)
{
	return sizeof(colstat) + (size_t)p->rich_max * (sizeof(rich_ent) + 2 * sizeof(rich_slot)) +
	       p->arena_max + (p->kll_buf + 3 * (size_t)p->kll_k) * sizeof(double) +
	       p->freq_k * 2 * (sizeof(freq_item) + 8) + ((size_t)1 << p->hll_p) +
	       p->dist_points * sizeof(kll_pt);
}

static int
budget_take(colstat_budget *b, long long n)
{
	if (atomic_fetch_sub(&b->avail, n) - n >= 0)
		return 1;
	atomic_fetch_add(&b->avail, n);
	return 0;
}

static void
budget_give(colstat_budget *b, long long n)
{
	atomic_fetch_add(&b->avail, n);
}

colstat *
colstat_new(const colstat_params *p, colstat_budget *b)
{
	colstat *c = xcalloc(1, sizeof(*c));

	c->p = *p;
	c->budget = b;
	c->rmask = 63;
	c->rslot = xcalloc(64, sizeof(*c->rslot));
	c->exact = 1;
	c->integral = 1;
	c->min = INFINITY;
	c->max = -INFINITY;
	c->len_min = UINT64_MAX;
	return c;
}

static int
kind_class(enum infer_kind k)
{
	switch (k) {
	case INFER_INT:
	case INFER_FLOAT:
		return 1;
	case INFER_DATE:
	case INFER_DATETIME:
		return 2;
	default:
		return 0;
	}
}

static void
mom_flush(moments *m)
{
	double nb = m->bn, mean_b, m2_b, delta, n;

	if (!m->bn)
		return;
	mean_b = m->shift + m->s1 / nb;
	m2_b = m->s2 - m->s1 * m->s1 / nb;
	if (m2_b < 0)
		m2_b = 0;
	n = (double)m->n + nb;
	delta = mean_b - m->mean;
	m->mean += delta * nb / n;
	m->m2 += m2_b + delta * delta * (double)m->n * nb / n;
	m->n += m->bn;
	m->bn = 0;
	m->s1 = m->s2 = 0;
}

static inline void
mom_add(moments *m, double x)
{
	double d;

	if (m->bn == 0)
		m->shift = x;
	d = x - m->shift;
	m->s1 += d;
	m->s2 += d * d;
	if (++m->bn == MOM_BLOCK)
		mom_flush(m);
}

/* Adds count copies of x (a rich entry) in one step. */
static void
mom_add_weighted(moments *m, double x, uint64_t count)
{
	double n = (double)m->n + (double)count, delta = x - m->mean;

	m->mean += delta * (double)count / n;
	m->m2 += delta * delta * (double)m->n * (double)count / n;
	m->n += count;
}

/* Applies the previous value's register update and leaves this one's for
 * the next call: by then its cache line, prefetched now, has arrived, so
 * the random access into the registers no longer stalls the pass. */
static inline void
hll_add_late(colstat *c, uint64_t h)
{
	hll *x = c->hll;
	uint64_t w = h << x->p;

	if (c->hll_pending && c->hll_rank > *c->hll_pending)
		*c->hll_pending = c->hll_rank;
	c->hll_rank = w ? (uint8_t)(__builtin_clzll(w) + 1) : (uint8_t)(64 - x->p + 1);
	c->hll_pending = &x->reg[h >> (64 - x->p)];
	__builtin_prefetch(c->hll_pending, 1);
}

static uint64_t
exact_distinct(const colstat *c)
{
	return c->rich_in_thin ? c->tn : c->rn + c->tn;
}

static void
overflow_exact(colstat *c)
{
	size_t i;

	c->hll = hll_new(c->p.hll_p);
	for (i = 0; i < c->rn; i++)
		hll_add(c->hll, c->rent[i].h);
	if (c->thin) {
		for (i = 0; i <= c->tmask; i++)
			if (c->thin[i])
				hll_add(c->hll, c->thin[i]);
		free(c->thin);
		c->thin = NULL;
	}
	budget_give(c->budget, c->charged);
	c->charged = 0;
	c->known_distinct = exact_distinct(c);
	c->exact = 0;
}

static void
thin_grow(colstat *c)
{
	size_t ncap = c->thin ? 2 * (c->tmask + 1) : c->p.thin_start, i;
	long long bytes = (long long)(ncap * sizeof(uint64_t));
	uint64_t *t;

	if (!budget_take(c->budget, bytes)) {
		overflow_exact(c);
		return;
	}
	t = xcalloc(ncap, sizeof(*t));
	if (c->thin) {
		for (i = 0; i <= c->tmask; i++) {
			uint64_t h = c->thin[i];
			size_t j;

			if (!h)
				continue;
			for (j = h & (ncap - 1); t[j]; j = (j + 1) & (ncap - 1))
				;
			t[j] = h;
		}
		free(c->thin);
	}
	budget_give(c->budget, c->charged);
	c->charged = bytes;
	c->thin = t;
	c->tmask = ncap - 1;
}

/* 1 when h was not in the set yet. */
static inline int
thin_insert(colstat *c, uint64_t h)
{
	size_t i;

	h |= !h;
	if (!c->thin || (c->tn + 1) * 2 > c->tmask + 1) {
		thin_grow(c);
		if (!c->exact) {
			hll_add(c->hll, h);
			return 0;
		}
	}
	for (i = h & c->tmask; c->thin[i]; i = (i + 1) & c->tmask)
		if (c->thin[i] == h)
			return 0;
	c->thin[i] = h;
	c->tn++;
	return 1;
}

static void
note_distinct(colstat *c, const char *s, size_t len, enum infer_kind k)
{
	if (c->exact && exact_distinct(c) > c->p.exact_max)
		overflow_exact(c);
	if (c->checked < MAX_CHECKED) {
		c->checked++;
		c->with_space += memchr(s, ' ', len) != NULL;
		if (k == INFER_TEXT || (k == INFER_INT && len >= 13))
			c->pii[infer_pii(s, len)]++;
	}
	if (c->nsamples < sizeof(c->samples) / sizeof(*c->samples))
		c->samples[c->nsamples++] = xstrndup(s, len < SAMPLE_LEN ? len : SAMPLE_LEN);
}

/* Values of 1 to SHORT_MAXLEN bytes as a number, with their length
 * told apart: the bytes are read as strhash() reads them, each of them
 * once at least, and never past the value. */
static inline uint64_t
short_key(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;

	if (len >= 4)
		return (strhash_rd4(p) << 32) | strhash_rd4(p + len - 4);
	return ((uint64_t)p[0] << 16) | ((uint64_t)p[len >> 1] << 8) | p[len - 1];
}

static inline size_t
short_home(uint64_t key, size_t len)
{
	return (size_t)(((key ^ len) * 0x9e3779b97f4a7c15ull) >> 55) & (SHORT_SLOTS - 1);
}

/* The rich slot of a short value, or -1 when it is not in the index. */
static inline long
short_find(const short_ent *t, const char *s, size_t len)
{
	uint64_t key = short_key(s, len);
	size_t i;

	for (i = short_home(key, len); t[i].len; i = (i + 1) & (SHORT_SLOTS - 1))
		if (t[i].key == key && t[i].len == len)
			return t[i].slot;
	return -1;
}

/* Notes the rich slot of a short value just found by its hash. */
static void
short_note(colstat *c, const char *s, size_t len, size_t slot)
{
	uint64_t key;
	size_t i;

	if (c->nshort >= SHORT_SLOTS / 4)
		return;
	key = short_key(s, len);
	for (i = short_home(key, len); c->shorts[i].len; i = (i + 1) & (SHORT_SLOTS - 1))
		if (c->shorts[i].key == key && c->shorts[i].len == len)
			return;
	c->shorts[i] = (short_ent){key, (uint32_t)len, (uint32_t)slot};
	c->nshort++;
}

static void
short_clear(colstat *c)
{
	if (c->shorts)
		memset(c->shorts, 0, SHORT_SLOTS * sizeof(*c->shorts));
	c->nshort = 0;
}

static void
rich_rehash(colstat *c)
{
	size_t n = 2 * (c->rmask + 1), i;
	rich_slot *slot = xcalloc(n, sizeof(*slot));

	for (i = 0; i <= c->rmask; i++) {
		size_t j;

		if (!c->rslot[i].ci)
			continue;
		for (j = c->rslot[i].h & (n - 1); slot[j].ci; j = (j + 1) & (n - 1))
			;
		slot[j] = c->rslot[i];
	}
	free(c->rslot);
	c->rslot = slot;
	c->rmask = n - 1;
	c->rich_moves++;
	short_clear(c);
}

static int
rich_insert(colstat *c, const char *s, size_t len, uint64_t h, size_t slot, enum infer_kind k,
	    double num, unsigned flags)
{
	rich_ent *e;

	if (c->rn >= c->p.rich_max || c->alen + len > c->p.arena_max) {
		c->rich_closed = 1;
		return 0;
	}
	if (c->alen + len > c->acap)
		c->arena = xgrow(c->arena, &c->acap, c->alen + len, 1);
	if (c->rn == c->rcap)
		c->rent = xgrow(c->rent, &c->rcap, c->rn + 1, sizeof(*c->rent));
	e = &c->rent[c->rn];
	e->h = h;
	e->num = num;
	e->off = (uint32_t)c->alen;
	e->len = (uint32_t)len;
	e->kind = (uint8_t)k;
	e->flags = (uint8_t)flags;
	memcpy(c->arena + c->alen, s, len);
	c->alen += len;
	c->rslot[slot].h = h;
	c->rslot[slot].ci = RICH_ONE | ++c->rn;
	if (c->rn * 2 > c->rmask + 1)
		rich_rehash(c);
	if (!c->exact)
		hll_add(c->hll, h);
	return 1;
}

/* Inserts the previous value into the exact set and leaves this one for
 * the next call, as hll_add_late does. The value's first SAMPLE_LEN bytes
 * are kept for note_distinct (samples, spaces, PII patterns): copied by
 * pin() when the call that added it returns. */
static inline void
thin_flush(colstat *c)
{
	if (!c->pend_valid)
		return;
	c->pend_valid = 0;
	if (!c->exact)
		hll_add(c->hll, c->pend_h);
	else if (thin_insert(c, c->pend_h))
		note_distinct(c, c->pend_p, c->pend_n, c->pend_kind);
}

/* Copies what is kept of the values added by the call that returns: the
 * pending exact-set value, the new frequent items. */
static void
pin(colstat *c)
{
	if (c->freq)
		freq_pin(c->freq);
	if (!c->pend_valid || c->pend_p == c->pend_s)
		return;
	memcpy(c->pend_s, c->pend_p, c->pend_n);
	c->pend_p = c->pend_s;
}

static inline void
thin_add_late(colstat *c, uint64_t h, const char *s, size_t len, enum infer_kind k)
{
	thin_flush(c);
	if (!c->exact) {
		hll_add_late(c, h);
		return;
	}
	c->pend_valid = 1;
	c->pend_h = h;
	c->pend_n = len < SAMPLE_LEN ? len : SAMPLE_LEN;
	c->pend_kind = k;
	c->pend_p = s;
	if (c->thin)
		__builtin_prefetch(&c->thin[(h | !h) & c->tmask]);
}

/* Values that go past the rich table, queued so that each of their
 * statistics is updated in a loop of its own: the parse, the distinct
 * set, frequent items, kinds and lengths, numbers. Each loop sees the
 * values in their order, so the result is the one of adding them one by
 * one. */
typedef struct other_val {
	const char *s;
	size_t len;
	uint64_t h;
} other_val;

typedef struct other_queue {
	other_val v[COLSTAT_BLOCK];
	size_t n;
} other_queue;

static void
others_distinct(colstat *c, const other_val *o, const enum infer_kind *k, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (c->exact)
			thin_add_late(c, o[i].h, o[i].s, o[i].len, k[i]);
		else
			hll_add_late(c, o[i].h);
	}
}

static void
others_freq(colstat *c, const other_val *o, size_t n)
{
	size_t i;

	if (!c->freq)
		c->freq = freq_new(c->p.freq_k);
	/* Frozen columns rarely repeat a value: frequent items then see one
	 * value in FREEZE_SAMPLE, weighted to match. */
	for (i = 0; i < n; i++) {
		if (!c->rich_frozen)
			freq_add_lazy(c->freq, o[i].h, o[i].s, o[i].len, 1);
		else if (++c->freq_tick % FREEZE_SAMPLE == 0)
			freq_add_lazy(c->freq, o[i].h, o[i].s, o[i].len, FREEZE_SAMPLE);
	}
}

static void
others_kinds(colstat *c, const other_val *o, const enum infer_kind *k, const unsigned *flags, size_t n)
{
	uint64_t lmin = c->len_min, lmax = c->len_max, lsum = 0, lz = 0, inf = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		c->kinds[k[i]]++;
		lz += (flags[i] & INFER_LEADZERO) != 0;
		inf += (flags[i] & INFER_INFINITE) != 0;
		lsum += o[i].len;
		lmin = o[i].len < lmin ? o[i].len : lmin;
		lmax = o[i].len > lmax ? o[i].len : lmax;
	}
	c->leading_zero += lz;
	c->infinite += inf;
	c->len_sum += lsum;
	c->len_n += n;
	c->len_min = lmin;
	c->len_max = lmax;
}

/* The numbers (or times) among the values, in locals: the sketch's
 * buffer could alias the column's fields. A column without numbers
 * yet (text) has nothing to do here. */
static void
others_numbers(colstat *c, const enum infer_kind *k, const double *num, const unsigned *flags, size_t n)
{
	moments mom = c->mom;
	double lo = c->min, hi = c->max;
	uint64_t zeros = 0, neg = 0;
	int integral = c->integral, numclass = c->numclass;
	kll *sketch = c->kll;
	size_t i;

	if (!numclass)
		return;
	for (i = 0; i < n; i++) {
		double x = num[i];

		if (kind_class(k[i]) != numclass || (flags[i] & INFER_INFINITE))
			continue;
		mom_add(&mom, x);
		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
		integral &= (flags[i] & INFER_INTEGRAL) != 0;
		zeros += x == 0;
		neg += x < 0;
		if (!sketch)
			sketch = c->kll = kll_new(c->p.kll_k, c->p.kll_buf);
		kll_add(sketch, x);
	}
	c->mom = mom;
	c->min = lo;
	c->max = hi;
	c->integral = integral;
	c->zeros += zeros;
	c->negatives += neg;
}

/* Parses a value; the first number or time decides what the column's
 * numeric statistics are about. */
static enum infer_kind
classify(colstat *c, const char *s, size_t len, double *num, unsigned *flags)
{
	enum infer_kind k = infer_value_hint(s, len, num, flags, c->last_kind);

	if (!c->numclass && !(*flags & INFER_INFINITE))
		c->numclass = kind_class(k);
	c->last_kind = k;
	return k;
}

static void
others_flush(colstat *c, other_queue *q)
{
	enum infer_kind k[COLSTAT_BLOCK];
	double num[COLSTAT_BLOCK];
	unsigned flags[COLSTAT_BLOCK];
	size_t i, n = q->n;

	if (!n)
		return;
	q->n = 0;
	for (i = 0; i < n; i++)
		k[i] = classify(c, q->v[i].s, q->v[i].len, &num[i], &flags[i]);
	others_distinct(c, q->v, k, n);
	others_freq(c, q->v, n);
	others_kinds(c, q->v, k, flags, n);
	others_numbers(c, k, num, flags, n);
}

static inline void
others_push(colstat *c, other_queue *q, const char *s, size_t len, uint64_t h)
{
	q->v[q->n++] = (other_val){s, len, h};
	if (q->n == COLSTAT_BLOCK)
		others_flush(c, q);
}

/* A column whose values rarely repeat one of its first values gains
 * nothing from probing the rich table: its entries keep the counts seen
 * so far and later values go the other way (into the exact set, whose
 * count then covers the rich values too). */
static void
maybe_freeze(colstat *c)
{
	uint64_t hits = c->values - c->missing - c->misses, delta = hits - c->hits_at_check;
	size_t i;

	c->hits_at_check = hits;
	if (!c->rich_closed || delta * 8 >= FREEZE_WINDOW + delta)
		return;
	thin_flush(c);
	c->rich_frozen = 1;
	c->rich_moves++;
	free(c->shorts);
	c->shorts = NULL;
	for (i = 0; c->exact && i < c->rn; i++)
		thin_insert(c, c->rent[i].h);
	c->rich_in_thin = c->exact;
}

/* A value not in the rich table: it becomes a rich entry while there is
 * room, else it joins the others. Whatever the others queued must go
 * first when this changes what later values do (a freeze) or comes
 * before them in a shared order (the first distinct values, the first
 * number). */
static void
add_new(colstat *c, other_queue *q, const char *s, size_t len, uint64_t h, size_t slot)
{
	double num;
	unsigned flags;
	enum infer_kind k;

	if (++c->misses % FREEZE_WINDOW == 0) {
		others_flush(c, q);
		maybe_freeze(c);
	}
	if (c->rich_closed || len > RICH_MAXLEN) {
		others_push(c, q, s, len, h);
		return;
	}
	others_flush(c, q);
	k = classify(c, s, len, &num, &flags);
	if (rich_insert(c, s, len, h, slot, k, num, flags))
		note_distinct(c, s, len, k);
	else
		others_push(c, q, s, len, h);
}

/* A cheap first look at the missing tokens of infer_missing, so that
 * numbers like 1.5 or -3 do not pay for the full comparison: by the first
 * byte, from a table (a switch costs an indirect jump a value). */
enum { NA_NONE, NA_TOKEN, NA_ONE, NA_MINUS };

static const uint8_t na_first[256] = {
	['#'] = NA_TOKEN, ['<'] = NA_TOKEN, ['N'] = NA_TOKEN, ['n'] = NA_TOKEN,
	['1'] = NA_ONE, ['-'] = NA_MINUS,
};

static inline int
maybe_missing(const char *s, size_t len)
{
	switch (na_first[(unsigned char)s[0]]) {
	case NA_TOKEN:
		return 1;
	case NA_ONE:
		return len >= 6 && s[2] == '#';
	case NA_MINUS:
		return len >= 4 && (s[1] == '1' || s[1] == 'N' || s[1] == 'n');
	default:
		return 0;
	}
}

/* A non-missing value with its hash. */
static inline void
add_hashed(colstat *c, other_queue *q, const char *s, size_t len, uint64_t h)
{
	uint64_t ci;
	size_t i;

	if (c->rich_frozen) {
		others_push(c, q, s, len, h);
		return;
	}
	for (i = h & c->rmask; (ci = c->rslot[i].ci); i = (i + 1) & c->rmask) {
		if (c->rslot[i].h == h) {
			c->rslot[i].ci = ci + RICH_ONE;
			if (c->shorts && len <= SHORT_MAXLEN)
				short_note(c, s, len, i);
			return;
		}
	}
	add_new(c, q, s, len, h, i);
}

static inline int
is_missing(const char *s, size_t len)
{
	if (len == 0)
		return 1;
	return len <= 8 && na_first[(unsigned char)s[0]] && maybe_missing(s, len) && infer_missing(s, len);
}

void
colstat_add(colstat *c, const char *s, size_t len)
{
	other_queue q;

	c->values++;
	if (is_missing(s, len)) {
		c->missing++;
		return;
	}
	q.n = 0;
	add_hashed(c, &q, s, len, strhash(s, len));
	others_flush(c, &q);
	pin(c);
}

/* Where the values of a block will be looked up or stored: the rich
 * table while it is in use, and once it is closed, where a new value
 * goes. Read once a block: the column's state only changes as values
 * are added. */
typedef struct prefetch_plan {
	const rich_slot *rslot;
	size_t rmask;
	const uint64_t *thin;
	size_t tmask;
	const uint8_t *reg;
	int shift;
} prefetch_plan;

static void
plan_prefetch(const colstat *c, prefetch_plan *pp)
{
	memset(pp, 0, sizeof(*pp));
	if (!c->rich_frozen) {
		pp->rslot = c->rslot;
		pp->rmask = c->rmask;
	}
	if (c->rich_closed && c->exact && c->thin) {
		pp->thin = c->thin;
		pp->tmask = c->tmask;
	} else if (c->rich_closed && !c->exact) {
		pp->reg = c->hll->reg;
		pp->shift = 64 - c->hll->p;
	}
}

/* In add_block(), besides 0 and 1 for is_missing(). */
#define SHORT_HIT 2

/* Values [base, base + m) of a batch of n, m <= COLSTAT_BLOCK: hashes
 * first, with the table slots they will probe prefetched, so the probes
 * that follow find them in cache: the tables of the columns a thread
 * owns do not all fit in it. (The prefetches are written out: GCC drops
 * a call to a function that only prefetches.) With shorts, values in
 * the index of short ones are only looked up there, their slot kept in
 * h. Inlined twice, with and without shorts: columns without the index
 * do not pay for its tests. */
static inline __attribute__((always_inline)) void
add_block(colstat *c, other_queue *q, const colstat_val *v, size_t base, size_t m, size_t n,
	  const short_ent *shorts)
{
	uint64_t h[COLSTAT_BLOCK], moves = c->rich_moves;
	uint8_t miss[COLSTAT_BLOCK];
	prefetch_plan pp;
	size_t i;

	plan_prefetch(c, &pp);
	for (i = 0; i < m; i++) {
		const colstat_val *x = &v[base + i];
		uint64_t hv;

		if (base + i + VALUE_AHEAD < n)
			__builtin_prefetch(x[VALUE_AHEAD].s);
		if (shorts && x->len - 1 < SHORT_MAXLEN) {
			long slot = short_find(shorts, x->s, x->len);

			if (slot >= 0) {
				miss[i] = SHORT_HIT;
				h[i] = (uint64_t)slot;
				continue;
			}
		}
		miss[i] = (uint8_t)is_missing(x->s, x->len);
		if (miss[i])
			continue;
		h[i] = hv = strhash(x->s, x->len);
		if (pp.rslot)
			__builtin_prefetch(&pp.rslot[hv & pp.rmask]);
		if (pp.thin)
			__builtin_prefetch(&pp.thin[(hv | !hv) & pp.tmask]);
		else if (pp.reg)
			__builtin_prefetch(&pp.reg[hv >> pp.shift]);
	}
	for (i = 0; i < m; i++) {
		const colstat_val *x = &v[base + i];

		c->values++;
		if (shorts && miss[i] == SHORT_HIT && c->rich_moves == moves)
			c->rslot[h[i]].ci += RICH_ONE;
		else if (shorts && miss[i] == SHORT_HIT)
			add_hashed(c, q, x->s, x->len, strhash(x->s, x->len));
		else if (miss[i])
			c->missing++;
		else
			add_hashed(c, q, x->s, x->len, h[i]);
	}
}

void
colstat_add_batch(colstat *c, const colstat_val *v, size_t n)
{
	other_queue q;
	size_t base, m;

	q.n = 0;
	if (!c->shorts && !c->rich_frozen && c->values >= SHORT_FROM && c->rn <= SHORT_RICH)
		c->shorts = xcalloc(SHORT_SLOTS, sizeof(*c->shorts));
	for (base = 0; base < n; base += m) {
		m = n - base < COLSTAT_BLOCK ? n - base : COLSTAT_BLOCK;
		if (c->shorts)
			add_block(c, &q, v, base, m, n, c->shorts);
		else
			add_block(c, &q, v, base, m, n, NULL);
	}
	others_flush(c, &q);
	pin(c);
}

void
colstat_add_long(colstat *c, const char *s, size_t len, uint64_t true_len)
{
	c->long_values++;
	colstat_add(c, s, len);
	if (true_len > c->len_max)
		c->len_max = true_len;
	c->len_sum += true_len - len;
}

void
colstat_add_missing(colstat *c, uint64_t n)
{
	c->values += n;
	c->missing += n;
}

double
colstat_work(const colstat *c)
{
	return (double)c->values + 3.0 * (double)c->len_n + (double)c->len_sum / 16.0;
}

size_t
colstat_bytes(const colstat *c)
{
	size_t b = sizeof(*c) + (c->rmask + 1) * sizeof(rich_slot) + c->rcap * sizeof(rich_ent) + c->acap;

	if (c->shorts)
		b += SHORT_SLOTS * sizeof(*c->shorts);
	if (c->thin)
		b += (c->tmask + 1) * sizeof(uint64_t);
	if (c->hll)
		b += hll_bytes(c->hll->p);
	if (c->kll)
		b += kll_bytes(c->kll);
	if (c->freq)
		b += freq_bytes(c->freq);
	return b;
}

/* ---- finishing ---- */

static int
pt_cmp(const void *a, const void *b)
{
	const kll_pt *x = a, *y = b;

	return (x->v > y->v) - (x->v < y->v);
}

/* Value of 0-based rank r in sorted weighted points. */
static double
value_at_rank(const kll_pt *pts, size_t n, double r)
{
	double cum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		cum += (double)pts[i].w;
		if (r < cum)
			return pts[i].v;
	}
	return n ? pts[n - 1].v : 0;
}

/* Linear interpolation between order statistics, as numpy and pandas
 * compute quantiles, so exact results match them. */
static double
quantile_of(const kll_pt *pts, size_t n, double total, double q)
{
	double pos = (total - 1) * q, lo = floor(pos), a, b;

	a = value_at_rank(pts, n, lo);
	if (pos == lo)
		return a;
	b = value_at_rank(pts, n, lo + 1);
	return a + (pos - lo) * (b - a);
}

static void
make_histogram(colsum *s, const kll_pt *pts, size_t n)
{
	double width;
	size_t i;
	int b;

	if (s->max - s->min < COLSUM_MAXBINS && s->integral && s->numclass == 1) {
		s->nbins = (int)(s->max - s->min) + 1;
		for (b = 0; b <= s->nbins; b++)
			s->edges[b] = s->min - 0.5 + b;
	} else {
		s->nbins = s->max > s->min ? COLSUM_MAXBINS : 1;
		for (b = 0; b <= s->nbins; b++)
			s->edges[b] = s->min + (s->max - s->min) * b / s->nbins;
		s->edges[s->nbins] = s->max;
	}
	width = (s->edges[s->nbins] - s->edges[0]) / s->nbins;
	for (i = 0; i < n; i++) {
		b = width > 0 ? (int)((pts[i].v - s->edges[0]) / width) : 0;
		if (b < 0)
			b = 0;
		if (b >= s->nbins)
			b = s->nbins - 1;
		s->bins[b] += pts[i].w;
	}
}

/* Keeps m values at evenly spaced ranks (one sweep). */
static void
compact_dist(colsum *s, kll_pt *pts, size_t n, double total, size_t m)
{
	uint64_t prev = 0, w = (uint64_t)total;
	double cum = 0;
	size_t i, j = 0;

	if (n <= m) {
		s->dist = pts;
		s->ndist = n;
		return;
	}
	s->dist = xmalloc(m * sizeof(*s->dist));
	for (i = 0; i < m; i++) {
		double r = ((double)i + 0.5) * total / (double)m;
		uint64_t upto = (uint64_t)((double)w * (double)(i + 1) / (double)m);

		while (j + 1 < n && cum + (double)pts[j].w <= r)
			cum += (double)pts[j++].w;
		s->dist[i].v = pts[j].v;
		s->dist[i].w = upto - prev;
		prev = upto;
	}
	s->ndist = m;
	free(pts);
}

static void
finish_numbers(colstat *c, colsum *s)
{
	static const double qs[COLSUM_NQ] = {0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99};
	size_t nk = 0, n = 0, i;
	kll_pt *kp = NULL, *pts;
	double total = 0;

	mom_flush(&c->mom);
	for (i = 0; i < c->rn; i++) {
		rich_ent *e = &c->rent[i];

		if (kind_class(e->kind) != c->numclass || (e->flags & INFER_INFINITE))
			continue;
		mom_add_weighted(&c->mom, e->num, e->count);
		if (e->num < c->min)
			c->min = e->num;
		if (e->num > c->max)
			c->max = e->num;
		c->integral &= (e->flags & INFER_INTEGRAL) != 0;
		c->zeros += e->num == 0 ? e->count : 0;
		c->negatives += e->num < 0 ? e->count : 0;
	}
	s->numclass = c->mom.n ? c->numclass : 0;
	if (!s->numclass)
		return;
	s->num_n = c->mom.n;
	s->mean = c->mom.mean;
	s->std = c->mom.n > 1 ? sqrt(c->mom.m2 / (double)(c->mom.n - 1)) : 0;
	s->min = c->min;
	s->max = c->max;
	s->integral = c->integral;
	s->zeros = c->zeros;
	s->negatives = c->negatives;
	if (c->kll)
		kp = kll_points(c->kll, &nk);
	pts = xmalloc((c->rn + nk + 1) * sizeof(*pts));
	for (i = 0; i < c->rn; i++)
		if (kind_class(c->rent[i].kind) == c->numclass && !(c->rent[i].flags & INFER_INFINITE))
			pts[n++] = (kll_pt){c->rent[i].num, c->rent[i].count};
	for (i = 0; i < nk; i++)
		pts[n++] = kp[i];
	free(kp);
	qsort(pts, n, sizeof(*pts), pt_cmp);
	for (i = 0; i < n; i++)
		total += (double)pts[i].w;
	for (i = 0; i < COLSUM_NQ; i++)
		s->q[i] = quantile_of(pts, n, total, qs[i]);
	s->q_exact = !c->kll || kll_exact(c->kll);
	make_histogram(s, pts, n);
	compact_dist(s, pts, n, total, c->p.dist_points);
}

static int
val_cmp(const void *a, const void *b)
{
	const colsum_value *x = a, *y = b;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static void
finish_values(colstat *c, colsum *s)
{
	size_t nf = 0, i, o = 0;
	const freq_item *fi = c->freq ? freq_items(c->freq, &nf) : NULL;

	s->vals = xmalloc((c->rn + nf + 1) * sizeof(*s->vals));
	for (i = 0; i < c->rn; i++) {
		rich_ent *e = &c->rent[i];

		s->vals[o++] = (colsum_value){xstrndup(c->arena + e->off, e->len), e->len, e->len,
					      e->count, e->h, (enum infer_kind)e->kind, e->num};
	}
	for (i = 0; i < nf; i++) {
		size_t n = fi[i].len < FREQ_STRLEN ? fi[i].len : FREQ_STRLEN, j;
		double num;
		unsigned flags;
		enum infer_kind k;

		/* after a freeze a value can have counts on both sides */
		for (j = 0; c->rich_frozen && j < c->rn && s->vals[j].h != fi[i].h; j++)
			;
		if (c->rich_frozen && j < c->rn) {
			s->vals[j].count += fi[i].count;
			continue;
		}
		k = infer_value(fi[i].s, n, &num, &flags);
		s->vals[o++] = (colsum_value){xstrndup(fi[i].s, n), n, fi[i].len, fi[i].count, fi[i].h, k, num};
	}
	s->nvals = o;
	qsort(s->vals, o, sizeof(*s->vals), val_cmp);
	s->values_complete = !c->freq;
	s->counts_exact = !c->freq;
	s->count_error = c->freq ? freq_error(c->freq) : 0;
}

static void
finish_text(colstat *c, colsum *s)
{
	uint64_t best = 0;
	size_t i;
	int k;

	for (i = 0; i < c->rn; i++) {
		rich_ent *e = &c->rent[i];

		c->kinds[e->kind] += e->count;
		c->leading_zero += (e->flags & INFER_LEADZERO) ? e->count : 0;
		c->len_sum += (uint64_t)e->len * e->count;
		c->len_n += e->count;
		if (e->len < c->len_min)
			c->len_min = e->len;
		if (e->len > c->len_max)
			c->len_max = e->len;
	}
	memcpy(s->kinds, c->kinds, sizeof(s->kinds));
	s->leading_zero = c->leading_zero;
	s->infinite = c->infinite;
	s->long_values = c->long_values;
	s->len_min = c->len_n ? c->len_min : 0;
	s->len_max = c->len_max;
	s->len_mean = c->len_n ? (double)c->len_sum / (double)c->len_n : 0;
	s->checked = c->checked;
	s->with_space = c->with_space;
	memcpy(s->pii, c->pii, sizeof(s->pii));
	s->pii_kind = INFER_PII_NONE;
	for (k = INFER_PII_EMAIL; k <= INFER_PII_CARD; k++) {
		if (c->pii[k] > best && c->pii[k] * 2 >= c->checked) {
			best = c->pii[k];
			s->pii_kind = (enum infer_pii)k;
		}
	}
	memcpy(s->samples, c->samples, sizeof(s->samples));
	s->nsamples = c->nsamples;
	c->nsamples = 0;
}

int
colsum_name_idlike(const char *name)
{
	static const char *const whole[] = {"id", "key", "uuid", "guid", "index", "idx", "rowid"};
	size_t n = strlen(name), i;

	for (i = 0; i < sizeof(whole) / sizeof(*whole); i++)
		if (strcasecmp(name, whole[i]) == 0)
			return 1;
	if (n > 2 && strcasecmp(name + n - 2, "id") == 0) {
		char before = name[n - 3];

		/* user_id, user-id, "user id", userID, PassengerId; not "paid" */
		if (before == '_' || before == '-' || before == ' ' || before == '.')
			return 1;
		if (name[n - 2] == 'I' && (name[n - 1] == 'D' || islower((unsigned char)before)))
			return 1;
	}
	if (n > 3 && strncasecmp(name, "id", 2) == 0 && (name[2] == '_' || name[2] == '-' || name[2] == ' '))
		return 1;
	return 0;
}

static int
mostly_unique(const colsum *s, uint64_t nonmiss, double ratio)
{
	if (nonmiss < 2)
		return 0;
	if (s->distinct_exact)
		return (double)s->distinct >= ratio * (double)nonmiss;
	return (double)s->distinct >= (ratio - 3 * s->distinct_error) * (double)nonmiss;
}

static enum colsum_type
decide_type(const colsum *s)
{
	uint64_t nonmiss = s->values - s->missing;
	const uint64_t *k = s->kinds;

	if (nonmiss == 0)
		return COL_TEXT;
	if (k[INFER_INT] + k[INFER_FLOAT] == nonmiss) {
		if (k[INFER_FLOAT])
			return COL_FLOAT;
		if (!s->missing && mostly_unique(s, nonmiss, 1.0) &&
		    (colsum_name_idlike(s->name) ||
		     (nonmiss >= 100 && s->max - s->min + 1 == (double)nonmiss)))
			return COL_ID;
		return COL_INTEGER;
	}
	if (k[INFER_BOOL] == nonmiss)
		return COL_BOOLEAN;
	if (k[INFER_DATE] + k[INFER_DATETIME] == nonmiss)
		return k[INFER_DATETIME] ? COL_DATETIME : COL_DATE;
	if (mostly_unique(s, nonmiss, 0.95) && s->len_mean <= 64 && s->with_space * 20 < s->checked)
		return COL_ID;
	/* Few values, or short codes without spaces (zip codes, tickets,
	 * SKUs) however many, are categories; long or wordy values are text. */
	if (s->distinct <= 50 || (s->with_space * 2 < s->checked && s->len_mean <= 32) ||
	    (s->distinct_exact && s->distinct * 10 <= nonmiss && s->len_mean <= 50))
		return COL_CATEGORICAL;
	return COL_TEXT;
}

colsum *
colstat_finish(colstat *c, const char *name)
{
	colsum *s = xcalloc(1, sizeof(*s));
	size_t i;

	s->name = xstrdup(name);
	s->values = c->values;
	s->missing = c->missing;
	thin_flush(c);
	for (i = 0; i <= c->rmask; i++)
		if (c->rslot[i].ci)
			c->rent[RICH_IDX(c->rslot[i].ci)].count = c->rslot[i].ci >> RICH_IDX_BITS;
	s->distinct_exact = c->exact;
	if (c->exact) {
		s->distinct = exact_distinct(c);
	} else {
		if (c->hll_pending && c->hll_rank > *c->hll_pending)
			*c->hll_pending = c->hll_rank;
		s->distinct = (uint64_t)llround(hll_estimate(c->hll));
		s->distinct_error = hll_error(c->hll);
		if (s->distinct < c->known_distinct)
			s->distinct = c->known_distinct;
	}
	finish_numbers(c, s);
	finish_values(c, s);
	finish_text(c, s);
	s->type = decide_type(s);
	budget_give(c->budget, c->charged);
	for (i = 0; i < c->nsamples; i++)
		free(c->samples[i]);
	free(c->rslot);
	free(c->shorts);
	free(c->rent);
	free(c->arena);
	free(c->thin);
	hll_free(c->hll);
	kll_free(c->kll);
	freq_free(c->freq);
	free(c);
	return s;
}

void
colsum_free(colsum *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nvals; i++)
		free(s->vals[i].s);
	for (i = 0; i < s->nsamples; i++)
		free(s->samples[i]);
	free(s->vals);
	free(s->dist);
	free(s->name);
	free(s);
}

const char *
colsum_type_name(enum colsum_type t)
{
	static const char *const names[] = {"integer", "float", "boolean", "date", "datetime",
					    "categorical", "text", "id"};

	return names[t];
}

double
colsum_dist_quantile(const colsum *s, double q)
{
	double total = 0;
	size_t i;

	for (i = 0; i < s->ndist; i++)
		total += (double)s->dist[i].w;
	return s->ndist ? quantile_of(s->dist, s->ndist, total, q) : NAN;
}

double
colsum_dist_cdf(const colsum *s, double x)
{
	double total = 0, below = 0;
	size_t i;

	for (i = 0; i < s->ndist; i++) {
		total += (double)s->dist[i].w;
		if (s->dist[i].v <= x)
			below += (double)s->dist[i].w;
	}
	return total > 0 ? below / total : 0;
}
