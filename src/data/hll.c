#include "config.h"

#include "data/hll.h"

#include <math.h>
#include <stdlib.h>

#include "util/xalloc.h"

hll *
hll_new(int p)
{
	hll *h = xmalloc(sizeof(*h));

	if (p < HLL_MIN_P)
		p = HLL_MIN_P;
	if (p > HLL_MAX_P)
		p = HLL_MAX_P;
	h->p = p;
	h->reg = xcalloc((size_t)1 << p, 1);
	return h;
}

void
hll_free(hll *h)
{
	if (!h)
		return;
	free(h->reg);
	free(h);
}

size_t
hll_bytes(int p)
{
	return ((size_t)1 << p) + sizeof(hll);
}

/* sigma and tau from O. Ertl, "New cardinality estimation algorithms for
 * HyperLogLog sketches" (2017), the corrections for empty and saturated
 * registers that make the raw estimator unbiased over the whole range. */
static double
ertl_sigma(double x)
{
	double y = 1, z = x, prev;

	if (x == 1)
		return INFINITY;
	do {
		x *= x;
		prev = z;
		z += x * y;
		y += y;
	} while (z != prev);
	return z;
}

static double
ertl_tau(double x)
{
	double y = 1, z = 1 - x, prev;

	if (x == 0 || x == 1)
		return 0;
	do {
		x = sqrt(x);
		prev = z;
		y *= 0.5;
		z -= (1 - x) * (1 - x) * y;
	} while (z != prev);
	return z / 3;
}

double
hll_estimate(const hll *h)
{
	size_t m = (size_t)1 << h->p, i;
	int q = 64 - h->p, k;
	double counts[66] = {0}, z, md = (double)m;

	for (i = 0; i < m; i++)
		counts[h->reg[i]]++;
	z = md * ertl_tau((md - counts[q + 1]) / md);
	for (k = q; k >= 1; k--)
		z = 0.5 * (z + counts[k]);
	z += md * ertl_sigma(counts[0] / md);
	return md * md / (2 * log(2)) / z;
}

double
hll_error(const hll *h)
{
	return 1.04 / sqrt((double)((size_t)1 << h->p));
}
