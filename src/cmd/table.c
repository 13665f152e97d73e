#include "config.h"

#include "cmd/table.h"
#include "util/strbuf.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

struct table {
	int ncols, flex;
	int *right;
	char **cells;          /* rows * ncols, row 0 the header */
	size_t rows, cap;
};

table *
table_new(int ncols, const char *const *headers, const int *right, int flex)
{
	table *t = xcalloc(1, sizeof(*t));

	t->ncols = ncols;
	t->flex = flex;
	t->right = xcalloc((size_t)ncols, sizeof(int));
	if (right)
		memcpy(t->right, right, (size_t)ncols * sizeof(int));
	table_add(t, headers);
	return t;
}

void
table_add(table *t, const char *const *cells)
{
	int i;

	if (t->rows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = xrealloc(t->cells, t->cap * (size_t)t->ncols * sizeof(char *));
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->rows * (size_t)t->ncols + (size_t)i] = termsafe(cells[i] ? cells[i] : "", TERMSAFE_LINE);
	t->rows++;
}

void
table_free(table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->rows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->right);
	free(t);
}

/* The next code point of valid UTF-8 (termsafe made it so) and its length. */
static unsigned
table_next(const unsigned char *s, size_t *k)
{
	if (s[0] < 0x80) {
		*k = 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0 && s[1]) {
		*k = 2;
		return (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
		*k = 3;
		return (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	}
	if (s[1] && s[2] && s[3]) {
		*k = 4;
		return (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 | (unsigned)(s[2] & 0x3F) << 6 |
			(s[3] & 0x3F);
	}
	*k = 1;
	return s[0];
}

/* Display columns of s, and in *bytes_for how many of its bytes fit in
 * limit columns (limit < 0: all). Outside a UTF-8 locale wcwidth knows
 * no wide characters, and each code point counts as one column. */
static int
table_cols(const char *s, size_t *bytes_for, int limit)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t at = 0;
	int cols = 0;

	while (u[at]) {
		size_t k;
		int w = wcwidth((wchar_t)table_next(u + at, &k));

		if (w < 0)
			w = 1;
		if (limit >= 0 && cols + w > limit)
			break;
		cols += w;
		at += k;
	}
	if (bytes_for)
		*bytes_for = at;
	return cols;
}

static void
table_cell(FILE *out, const char *s, int width, int right, int last)
{
	size_t bytes;
	int cols = table_cols(s, &bytes, -1), pad;

	if (cols > width) {
		cols = table_cols(s, &bytes, width - 1);
		pad = width - 1 - cols;
		if (right)
			fprintf(out, "%*s", pad, "");
		fprintf(out, "%.*s%s", (int)bytes, s, MB_CUR_MAX > 1 ? "\u2026" : "~");
		if (!right && !last)
			fprintf(out, "%*s", pad, "");
		return;
	}
	pad = width - cols;
	if (right)
		fprintf(out, "%*s%s", pad, "", s);
	else if (last)
		fputs(s, out);
	else
		fprintf(out, "%s%*s", s, pad, "");
}

void
table_print(const table *t, FILE *out, int width)
{
	int *w = xcalloc((size_t)t->ncols, sizeof(int)), total = 0, i;
	size_t r;

	for (r = 0; r < t->rows; r++)
		for (i = 0; i < t->ncols; i++) {
			int c = table_cols(t->cells[r * (size_t)t->ncols + (size_t)i], NULL, -1);

			if (c > w[i])
				w[i] = c;
		}
	for (i = 0; i < t->ncols; i++)
		total += w[i] + (i ? 2 : 0);
	if (width > 0 && total > width && t->flex >= 0) {
		int give = total - width;

		w[t->flex] = w[t->flex] - give > 8 ? w[t->flex] - give : 8;
	}
	for (r = 0; r < t->rows; r++) {
		for (i = 0; i < t->ncols; i++) {
			if (i)
				fputs("  ", out);
			table_cell(out, t->cells[r * (size_t)t->ncols + (size_t)i], w[i], t->right[i],
				i == t->ncols - 1);
		}
		fputc('\n', out);
	}
	free(w);
}

int
table_width(FILE *out)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (!isatty(fileno(out)))
		return 0;
	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return cols && atoi(cols) > 0 ? atoi(cols) : 80;
}
