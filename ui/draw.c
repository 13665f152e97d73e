#include "config.h"

#include "ui/draw.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Walks the safe form of s, calling put for each character that fits in
 * cols columns; returns the columns used. */
static int
draw_walk(const char *s, int cols, wchar_t *out, size_t *nout)
{
	char *safe = termsafe(s ? s : "", TERMSAFE_LINE);
	const char *p = safe;
	size_t len = strlen(safe), n;
	mbstate_t st;
	wchar_t wc;
	int used = 0, w;

	memset(&st, 0, sizeof(st));
	*nout = 0;
	while (len > 0) {
		n = mbrtowc(&wc, p, len, &st);
		if (n == 0 || n == (size_t)-1 || n == (size_t)-2)
			break; /* termsafe leaves only valid UTF-8 */
		w = wcwidth(wc);
		if (w < 0)
			w = 1, wc = L'?';
		if (used + w > cols)
			break;
		if (out)
			out[(*nout)++] = wc;
		used += w;
		p += n;
		len -= n;
	}
	free(safe);
	return used;
}

int
draw_text(WINDOW *w, int y, int x, const char *s, int cols, attr_t a)
{
	size_t n, cap = s ? strlen(s) + 1 : 1;
	wchar_t *buf;
	int used;

	if (cols <= 0)
		return 0;
	buf = xmalloc(cap * sizeof(wchar_t));
	used = draw_walk(s, cols, buf, &n);
	wattr_set(w, a, PAIR_NUMBER(a), NULL);
	if (n > 0)
		mvwaddnwstr(w, y, x, buf, (int)n);
	wattr_set(w, A_NORMAL, 0, NULL);
	free(buf);
	return used;
}

int
draw_textf(WINDOW *w, int y, int x, int cols, attr_t a, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int used;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	used = draw_text(w, y, x, s ? s : "", cols, a);
	free(s);
	return used;
}

int
draw_width(const char *s)
{
	size_t n;

	return draw_walk(s, 1 << 20, NULL, &n);
}

void
draw_clear_to_eol(WINDOW *w, int y, int x, attr_t a)
{
	int cols = getmaxx(w);

	wattr_set(w, a, PAIR_NUMBER(a), NULL);
	for (; x < cols; x++)
		mvwaddch(w, y, x, ' ');
	wattr_set(w, A_NORMAL, 0, NULL);
}

static int draw_ascii_on;

void
draw_set_ascii(int on)
{
	draw_ascii_on = on;
}

int
draw_ascii(void)
{
	return draw_ascii_on || MB_CUR_MAX == 1;
}

const char *
draw_bar(int level)
{
	static const char *const blocks[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
		"\u2587", "\u2588" };
	static const char *const ascii[] = { " ", ".", ":", "-", "=", "+", "*", "#", "@" };

	level = level < 0 ? 0 : level > 8 ? 8 : level;
	return draw_ascii() ? ascii[level] : blocks[level];
}
