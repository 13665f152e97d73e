#ifndef AK_STRHASH_H
#define AK_STRHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A fast 64-bit hash of a byte string (after wyhash, public domain),
 * uniform enough for HyperLogLog and used as a value's identity in the
 * profiler's distinct sets: two different values of a column collide with
 * probability about n^2 / 2^65. Inline: it runs once per CSV field. */

static inline void
strhash_mum(uint64_t *a, uint64_t *b)
{
	__uint128_t r = (__uint128_t)*a * *b;

	*a = (uint64_t)r;
	*b = (uint64_t)(r >> 64);
}

static inline uint64_t
strhash_mix(uint64_t a, uint64_t b)
{
	strhash_mum(&a, &b);
	return a ^ b;
}

static inline uint64_t
strhash_rd8(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t
strhash_rd4(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Always inlined: at the call in the scanner's hot loop GCC would rather
 * not, and the call costs a fifth of the hash. */
static inline __attribute__((always_inline)) uint64_t
strhash(const void *data, size_t len)
{
	static const uint64_t secret[4] = {
		0x2d358dccaa6c78a5ull, 0x8bb84b93962eacc9ull, 0x4b33a62ed433d4a3ull, 0x4d5a2da51de1aa47ull
	};
	const uint8_t *p = data;
	uint64_t seed = strhash_mix(secret[0], secret[1]), a, b;
	size_t i = len;

	if (len <= 16) {
		if (len >= 4) {
			a = (strhash_rd4(p) << 32) | strhash_rd4(p + ((len >> 3) << 2));
			b = (strhash_rd4(p + len - 4) << 32) | strhash_rd4(p + len - 4 - ((len >> 3) << 2));
		} else if (len > 0) {
			a = ((uint64_t)p[0] << 16) | ((uint64_t)p[len >> 1] << 8) | p[len - 1];
			b = 0;
		} else {
			a = b = 0;
		}
	} else {
		if (i > 48) {
			uint64_t s1 = seed, s2 = seed;

			do {
				seed = strhash_mix(strhash_rd8(p) ^ secret[1], strhash_rd8(p + 8) ^ seed);
				s1 = strhash_mix(strhash_rd8(p + 16) ^ secret[2], strhash_rd8(p + 24) ^ s1);
				s2 = strhash_mix(strhash_rd8(p + 32) ^ secret[3], strhash_rd8(p + 40) ^ s2);
				p += 48;
				i -= 48;
			} while (i > 48);
			seed ^= s1 ^ s2;
		}
		while (i > 16) {
			seed = strhash_mix(strhash_rd8(p) ^ secret[1], strhash_rd8(p + 8) ^ seed);
			i -= 16;
			p += 16;
		}
		a = strhash_rd8(p + i - 16);
		b = strhash_rd8(p + i - 8);
	}
	a ^= secret[1];
	b ^= seed;
	strhash_mum(&a, &b);
	return strhash_mix(a ^ secret[0] ^ len, b ^ secret[1]);
}

#endif
