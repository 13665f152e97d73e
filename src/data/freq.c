#include "config.h"

#include "data/freq.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct freq {
	freq_item *items;
	const char **src;	/* per item, its bytes until freq_pin() copies them */
	uint32_t *slot;		/* open addressing: item index + 1, 0 = empty */
	size_t n, cap, nslot;
	size_t pinned;		/* items before it have their bytes: new ones come last */
	uint64_t offset, total;
};

freq *
freq_new(size_t k)
{
	freq *f = xcalloc(1, sizeof(*f));

	if (k < 4)
		k = 4;
	f->cap = 2 * k;
	f->nslot = 16;
	while (f->nslot < 2 * f->cap)
		f->nslot *= 2;
	f->items = xmalloc(f->cap * sizeof(*f->items));
	f->src = xcalloc(f->cap, sizeof(*f->src));
	f->slot = xcalloc(f->nslot, sizeof(*f->slot));
	return f;
}

void
freq_free(freq *f)
{
	if (!f)
		return;
	free(f->items);
	free(f->src);
	free(f->slot);
	free(f);
}

static void
rebuild_slots(freq *f)
{
	size_t i, mask = f->nslot - 1;

	memset(f->slot, 0, f->nslot * sizeof(*f->slot));
	for (i = 0; i < f->n; i++) {
		size_t j = f->items[i].h & mask;

		while (f->slot[j])
			j = (j + 1) & mask;
		f->slot[j] = (uint32_t)(i + 1);
	}
}

/* Quickselect with a three-way partition: counts are full of ties. */
static uint64_t
select_nth(uint64_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		uint64_t pivot = v[lo + (hi - lo) / 2], t;
		size_t lt = lo, i = lo, gt = hi;

		while (i < gt) {
			if (v[i] < pivot) {
				t = v[lt];
				v[lt++] = v[i];
				v[i++] = t;
			} else if (v[i] > pivot) {
				t = v[--gt];
				v[gt] = v[i];
				v[i] = t;
			} else {
				i++;
			}
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return pivot;
	}
	return v[lo];
}

static void
purge(freq *f)
{
	uint64_t *counts = xmalloc(f->n * sizeof(*counts)), med;
	size_t i, o = 0, pinned = 0;

	for (i = 0; i < f->n; i++)
		counts[i] = f->items[i].count;
	med = select_nth(counts, f->n, f->n / 2);
	free(counts);
	if (med == 0)
		med = 1;
	for (i = 0; i < f->n; i++) {
		if (f->items[i].count <= med)
			continue;
		f->items[o] = f->items[i];
		f->src[o] = f->src[i];
		f->items[o++].count -= med;
		pinned += i < f->pinned;
	}
	f->n = o;
	f->pinned = pinned;
	f->offset += med;
	rebuild_slots(f);
}

void
freq_add_lazy(freq *f, uint64_t h, const char *s, size_t len, uint64_t weight)
{
	size_t mask = f->nslot - 1, j = h & mask;
	freq_item *it;

	f->total += weight;
	while (f->slot[j]) {
		it = &f->items[f->slot[j] - 1];
		if (it->h == h) {
			it->count += weight;
			return;
		}
		j = (j + 1) & mask;
	}
	if (f->n == f->cap) {
		purge(f);
		j = h & mask;
		while (f->slot[j])
			j = (j + 1) & mask;
	}
	it = &f->items[f->n];
	it->h = h;
	it->count = weight;
	it->len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	f->src[f->n] = s;
	f->slot[j] = (uint32_t)++f->n;
}

void
freq_add(freq *f, uint64_t h, const char *s, size_t len, uint64_t weight)
{
	freq_item *it;

	freq_add_lazy(f, h, s, len, weight);
	/* a new value is the last item */
	if (!f->n || f->src[f->n - 1] != s)
		return;
	it = &f->items[f->n - 1];
	memcpy(it->s, s, it->len < FREQ_STRLEN ? it->len : FREQ_STRLEN);
	f->src[f->n - 1] = NULL;
}

void
freq_pin(freq *f)
{
	size_t i;

	for (i = f->pinned; i < f->n; i++) {
		if (!f->src[i])
			continue;
		memcpy(f->items[i].s, f->src[i], f->items[i].len < FREQ_STRLEN ? f->items[i].len : FREQ_STRLEN);
		f->src[i] = NULL;
	}
	f->pinned = f->n;
}

static int
item_cmp(const void *a, const void *b)
{
	const freq_item *x = a, *y = b;
	size_t nx = x->len < FREQ_STRLEN ? x->len : FREQ_STRLEN;
	size_t ny = y->len < FREQ_STRLEN ? y->len : FREQ_STRLEN;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	c = memcmp(x->s, y->s, nx < ny ? nx : ny);
	return c ? c : (nx > ny) - (nx < ny);
}

const freq_item *
freq_items(freq *f, size_t *n)
{
	freq_pin(f);
	qsort(f->items, f->n, sizeof(*f->items), item_cmp);
	rebuild_slots(f);
	*n = f->n;
	return f->items;
}

uint64_t
freq_error(const freq *f)
{
	return f->offset;
}

uint64_t
freq_total(const freq *f)
{
	return f->total;
}

size_t
freq_bytes(const freq *f)
{
	return sizeof(*f) + f->cap * (sizeof(*f->items) + sizeof(*f->src)) + f->nslot * sizeof(*f->slot);
}
