#include "config.h"

#include "util/linediff.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The table of common-subsequence lengths over the differing middle
 * stays under this many cells (16 MiB); a larger middle is rare in code. */
#define LINEDIFF_MAX_CELLS (4u << 20)

typedef struct linediff_text {
	const char **line;
	size_t *len;
	size_t n;
} linediff_text;

static void
linediff_split(const char *s, size_t len, linediff_text *t)
{
	const char *end = s + len, *nl;
	size_t cap = 0;

	memset(t, 0, sizeof(*t));
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			t->line = xrealloc(t->line, cap * sizeof(*t->line));
			t->len = xrealloc(t->len, cap * sizeof(*t->len));
		}
		t->line[t->n] = s;
		t->len[t->n++] = (size_t)((nl ? nl : end) - s);
		s = nl ? nl + 1 : end;
	}
}

static int
linediff_eq(const linediff_text *a, size_t i, const linediff_text *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->line[i], b->line[j], a->len[i]) == 0;
}

static void
linediff_put(linediff_line *out, size_t *n, linediff_kind k, const linediff_text *t, size_t i)
{
	out[*n].kind = k;
	out[*n].text = t->line[i];
	out[(*n)++].len = t->len[i];
}

/* The middle a[lo, ahi) against b[lo2, bhi): LCS lengths from the end,
 * then a walk from the start that keeps what both share. */
static void
linediff_middle(const linediff_text *a, size_t alo, size_t ahi, const linediff_text *b, size_t blo, size_t bhi,
	linediff_line *out, size_t *n)
{
	size_t na = ahi - alo, nb = bhi - blo, i, j, w = nb + 1;
	uint32_t *t;

	if (na == 0 || nb == 0 || na > LINEDIFF_MAX_CELLS / w) {
		for (i = alo; i < ahi; i++)
			linediff_put(out, n, LINEDIFF_DEL, a, i);
		for (j = blo; j < bhi; j++)
			linediff_put(out, n, LINEDIFF_ADD, b, j);
		return;
	}
	t = xcalloc((na + 1) * w, sizeof(*t));
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;)
			t[i * w + j] = linediff_eq(a, alo + i, b, blo + j) ? t[(i + 1) * w + j + 1] + 1
				: t[(i + 1) * w + j] > t[i * w + j + 1] ? t[(i + 1) * w + j] : t[i * w + j + 1];
	for (i = 0, j = 0; i < na || j < nb;) {
		if (i < na && j < nb && linediff_eq(a, alo + i, b, blo + j)) {
			linediff_put(out, n, LINEDIFF_SAME, b, blo + j);
			i++, j++;
		} else if (i < na && (j == nb || t[(i + 1) * w + j] >= t[i * w + j + 1])) {
			linediff_put(out, n, LINEDIFF_DEL, a, alo + i++);
		} else {
			linediff_put(out, n, LINEDIFF_ADD, b, blo + j++);
		}
	}
	free(t);
}

size_t
linediff(const char *a, size_t alen, const char *b, size_t blen, linediff_line **out)
{
	linediff_text ta, tb;
	size_t pre = 0, suf = 0, n = 0, i;

	linediff_split(a, alen, &ta);
	linediff_split(b, blen, &tb);
	*out = xcalloc(ta.n + tb.n + 1, sizeof(**out));
	/* What the texts share at both ends needs no table. */
	while (pre < ta.n && pre < tb.n && linediff_eq(&ta, pre, &tb, pre))
		pre++;
	while (suf < ta.n - pre && suf < tb.n - pre && linediff_eq(&ta, ta.n - 1 - suf, &tb, tb.n - 1 - suf))
		suf++;
	for (i = 0; i < pre; i++)
		linediff_put(*out, &n, LINEDIFF_SAME, &tb, i);
	linediff_middle(&ta, pre, ta.n - suf, &tb, pre, tb.n - suf, *out, &n);
	for (i = tb.n - suf; i < tb.n; i++)
		linediff_put(*out, &n, LINEDIFF_SAME, &tb, i);
	free(ta.line);
	free(ta.len);
	free(tb.line);
	free(tb.len);
	return n;
}
