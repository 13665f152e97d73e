#ifndef AK_HLL_H
#define AK_HLL_H

#include <stddef.h>
#include <stdint.h>

/* HyperLogLog over 64-bit hashes with 2^p one-byte registers and Ertl's
 * improved estimator (no bias tables, accurate from 0 to 2^50). Relative
 * standard error is 1.04 / sqrt(2^p): 0.20 % at p = 18, 0.41 % at 16,
 * 0.81 % at 14, 1.6 % at 12. */
typedef struct hll {
	int p;
	uint8_t *reg;
} hll;

#define HLL_MIN_P 10
#define HLL_MAX_P 18

/* p is clamped to [HLL_MIN_P, HLL_MAX_P]. */
hll *hll_new(int p);
void hll_free(hll *h);
/* Bytes used by a sketch of precision p. */
size_t hll_bytes(int p);
/* Registers hold the longest run of zeros after the index bits. */
static inline void
hll_add(hll *h, uint64_t hash)
{
	uint64_t w = hash << h->p;
	uint8_t rank = w ? (uint8_t)(__builtin_clzll(w) + 1) : (uint8_t)(64 - h->p + 1);
	uint8_t *r = &h->reg[hash >> (64 - h->p)];

	if (rank > *r)
		*r = rank;
}
double hll_estimate(const hll *h);
/* Relative standard error of the estimate. */
double hll_error(const hll *h);

#endif
