/* libFuzzer target for value inference (infer.c), single-threaded. The
 * input is cut at commas and line breaks into values, and each value is
 * classified with every hint: infer.h promises the hint changes only the
 * time taken, so the kind, the number and the flags must not change.
 * Displayed and cleaned text must be valid UTF-8 without NUL bytes, and
 * times must format. Built and run by ci-fuzz.sh. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data/infer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Valid UTF-8 without NUL: what infer_clean promises. */
static int
clean_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		size_t i;

		if (!n || (n == 2 && *p < 0xc2) || (n == 4 && *p > 0xf4))
			return 0;
		for (i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		if ((n == 3 && *p == 0xe0 && p[1] < 0xa0) || (n == 3 && *p == 0xed && p[1] > 0x9f) ||
		    (n == 4 && *p == 0xf0 && p[1] < 0x90) || (n == 4 && *p == 0xf4 && p[1] > 0x8f))
			return 0;
		p += n;
	}
	return 1;
}

static void
check_value(const char *s, size_t n)
{
	double num, other;
	unsigned flags, oflags;
	enum infer_kind k;
	char buf[64], *m;
	int hint;

	if (infer_missing(s, n))
		return;
	k = infer_value(s, n, &num, &flags);
	if (k >= INFER_NKINDS)
		abort();
	for (hint = 0; hint < INFER_NKINDS; hint++) {
		enum infer_kind kh = infer_value_hint(s, n, &other, &oflags, (enum infer_kind)hint);

		if (kh != k || oflags != flags || memcmp(&num, &other, sizeof(num)) != 0)
			abort();
	}
	if ((k == INFER_INT || k == INFER_FLOAT) && !(flags & INFER_INFINITE) && !isfinite(num))
		abort();
	if (k == INFER_DATE || k == INFER_DATETIME) {
		infer_format_time(num, k == INFER_DATETIME, buf, sizeof(buf));
		if (!buf[0])
			abort();
	}
	infer_pii(s, n);
	m = infer_display(s, n);
	if (!clean_utf8(m))
		abort();
	free(m);
	m = infer_clean(s, n);
	if (!clean_utf8(m))
		abort();
	free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i, start = 0;

	for (i = 0; i <= size; i++) {
		if (i < size && data[i] != ',' && data[i] != '\n')
			continue;
		check_value((const char *)data + start, i - start);
		start = i + 1;
	}
	return 0;
}
