#ifndef AK_FREQ_H
#define AK_FREQ_H

#include <stddef.h>
#include <stdint.h>

/* Frequent items (Misra-Gries with median purges) over values identified
 * by their 64-bit hash. Holds at most 2k counters; when full, the median
 * count is subtracted from all and the counters left at zero go. Every
 * reported count is a lower bound, short by at most freq_error() (about
 * 2n/k for n values added), so any value seen more than that often is
 * present. Values are kept for display, cut at FREQ_STRLEN bytes. */
#define FREQ_STRLEN 96

typedef struct freq_item {
	uint64_t h;
	uint64_t count;
	uint32_t len;	/* full length in bytes; s holds min(len, FREQ_STRLEN) */
	char s[FREQ_STRLEN];
} freq_item;

typedef struct freq freq;

freq *freq_new(size_t k);
void freq_free(freq *f);
/* Adds weight occurrences of the value. */
void freq_add(freq *f, uint64_t h, const char *s, size_t len, uint64_t weight);
/* The same, but a new value's bytes are only copied by the next
 * freq_pin(), and not at all when it is purged before (most are): they
 * must stay valid until then. */
void freq_add_lazy(freq *f, uint64_t h, const char *s, size_t len, uint64_t weight);
/* Copies the bytes of the values freq_add_lazy() added since the last call. */
void freq_pin(freq *f);
/* Items by decreasing count (ties by value), pinned; *n gets the number;
 * the array stays owned by f and is valid until the next freq_add. */
const freq_item *freq_items(freq *f, size_t *n);
/* The most any count can be short of the truth. */
uint64_t freq_error(const freq *f);
uint64_t freq_total(const freq *f);
size_t freq_bytes(const freq *f);

#endif
