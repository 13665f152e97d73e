#include "config.h"

#include "ui/pysyntax.h"

#include <ctype.h>
#include <string.h>

static const char *const pysyntax_keywords[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
	"del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
	"lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
};

static int
pysyntax_is_keyword(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(pysyntax_keywords) / sizeof(pysyntax_keywords[0]); i++)
		if (strlen(pysyntax_keywords[i]) == n && memcmp(pysyntax_keywords[i], w, n) == 0)
			return 1;
	return 0;
}

static void
pysyntax_fill(theme_element *el, size_t from, size_t to, theme_element e)
{
	for (; from < to; from++)
		el[from] = e;
}

/* A string starting at i (its quote); returns the index after it. */
static size_t
pysyntax_string(pysyntax_state *st, const char *s, size_t len, size_t i, theme_element *el)
{
	char q = s[i];
	size_t start = i;

	if (i + 2 < len && s[i + 1] == q && s[i + 2] == q) {
		st->triple = q;
		i += 3;
	} else {
		for (i++; i < len && s[i] != q; i++)
			if (s[i] == '\\')
				i++;
		i = i < len ? i + 1 : len;
		pysyntax_fill(el, start, i, THEME_PY_STRING);
		return i;
	}
	for (; i < len; i++)
		if (i + 2 < len && s[i] == q && s[i + 1] == q && s[i + 2] == q) {
			st->triple = 0;
			i += 3;
			break;
		}
	pysyntax_fill(el, start, i < len ? i : len, THEME_PY_STRING);
	return i;
}

/* The rest of a triple-quoted string begun on an earlier line. */
static size_t
pysyntax_continue(pysyntax_state *st, const char *s, size_t len, theme_element *el)
{
	size_t i;

	for (i = 0; i + 2 < len; i++)
		if (s[i] == st->triple && s[i + 1] == st->triple && s[i + 2] == st->triple) {
			st->triple = 0;
			pysyntax_fill(el, 0, i + 3, THEME_PY_STRING);
			return i + 3;
		}
	pysyntax_fill(el, 0, len, THEME_PY_STRING);
	return len;
}

void
pysyntax_line(pysyntax_state *st, const char *s, size_t len, theme_element *el)
{
	size_t i = 0, j;
	int after_def = 0;

	pysyntax_fill(el, 0, len, THEME_TEXT);
	if (st->triple)
		i = pysyntax_continue(st, s, len, el);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c == '#') {
			pysyntax_fill(el, i, len, THEME_PY_COMMENT);
			return;
		}
		if (c == '\'' || c == '"') {
			i = pysyntax_string(st, s, len, i, el);
			continue;
		}
		if (isalpha(c) || c == '_') {
			for (j = i; j < len && (isalnum((unsigned char)s[j]) || s[j] == '_'); j++)
				;
			if (pysyntax_is_keyword(s + i, j - i))
				pysyntax_fill(el, i, j, THEME_PY_KEYWORD);
			else if (after_def)
				pysyntax_fill(el, i, j, THEME_PY_DEF);
			after_def = (j - i == 3 && memcmp(s + i, "def", 3) == 0) ||
				    (j - i == 5 && memcmp(s + i, "class", 5) == 0);
			i = j;
			continue;
		}
		if (isdigit(c)) {
			for (j = i; j < len && (isalnum((unsigned char)s[j]) || s[j] == '.' || s[j] == '_'); j++)
				;
			pysyntax_fill(el, i, j, THEME_PY_NUMBER);
			i = j;
			continue;
		}
		if (c == '@' && i == 0)
			el[i] = THEME_PY_DEF;
		i++;
	}
}
