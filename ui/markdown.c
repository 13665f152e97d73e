#include "config.h"

#include "ui/markdown.h"
#include "ui/pysyntax.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Where the closing run of n times c starts in s[from, len), or 0. An
 * underscore closes only before a non-word character (snake_case stays). */
static size_t
markdown_close(const char *s, size_t from, size_t len, char c, size_t n)
{
	size_t j;

	for (j = from + 1; j + n <= len; j++) {
		if (memcmp(s + j, c == '*' ? "**" : "__", n) != 0 || s[j - 1] == ' ')
			continue;
		if (j + n < len && s[j + n] == c)
			continue;
		if (c == '_' && j + n < len && isalnum((unsigned char)s[j + n]))
			continue;
		return j;
	}
	return 0;
}

/* Inline markup of s[0, len) into b: code spans, strong, emphasis. */
static void
markdown_inline(md_buf *b, const char *s, size_t len, theme_element base)
{
	size_t i = 0, run, j;
	char c;

	while (i < len) {
		c = s[i];
		for (run = 1; i + run < len && s[i + run] == c; run++)
			;
		if (c == '`') {
			for (j = i + run; j + run <= len; j++)
				if (memcmp(s + j, s + i, run) == 0 && (j + run == len || s[j + run] != '`'))
					break;
			if (j + run <= len) {
				md_add(b, s + i + run, j - i - run, THEME_MD_CODE);
				i = j + run;
				continue;
			}
		} else if ((c == '*' || c == '_') && run <= 2 && i + run < len && s[i + run] != ' ' &&
			   !(c == '_' && i > 0 && isalnum((unsigned char)s[i - 1]))) {
			j = markdown_close(s, i + run, len, c, run);
			if (j > 0) {
				markdown_inline(b, s + i + run, j - i - run, run == 2 ? THEME_MD_BOLD : THEME_MD_EMPHASIS);
				i = j + run;
				continue;
			}
		}
		md_add(b, s + i, run, base);
		i += run;
	}
}

/* Block-level state carried from line to line. */
typedef struct markdown_state {
	int cols;
	md_lines *out;
	char fence;             /* '`' or '~' inside a fenced block, else 0 */
	size_t fence_len;
	int python;             /* the block is Python */
	pysyntax_state syn;
	int blank;              /* the last line was blank */
} markdown_state;

static size_t
markdown_lead(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] == ' ')
		i++;
	return i;
}

/* A fence line: ``` or ~~~ (three or more), after at most 3 blanks. */
static size_t
markdown_fence(const char *s, size_t len, char *c)
{
	size_t i = markdown_lead(s, len), n = 0;

	if (i > 3 || i >= len || (s[i] != '`' && s[i] != '~'))
		return 0;
	*c = s[i];
	while (i + n < len && s[i + n] == *c)
		n++;
	return n >= 3 ? n : 0;
}

static int
markdown_is_python(const char *info, size_t len)
{
	static const char *const names[] = { "python", "py", "python3", "py3", "ipython" };
	size_t i, n = 0;

	while (n < len && info[n] != ' ')
		n++;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && strncasecmp(info, names[i], n) == 0)
			return 1;
	return 0;
}

static void
markdown_code_line(markdown_state *st, const char *s, size_t len, int cols, md_lines *out)
{
	md_buf pre = { 0 }, body = { 0 };
	theme_element *el = xcalloc(len + 1, sizeof(*el));
	size_t i;

	if (st->python)
		pysyntax_line(&st->syn, s, len, el);
	md_add(&pre, "  ", 2, THEME_TEXT);
	for (i = 0; i < len; i++)
		md_add(&body, s + i, 1, st->python ? el[i] : THEME_MD_CODE);
	md_wrap(out, &pre, &body, 2, cols, 0);
	free(el);
	md_buf_free(&pre);
	md_buf_free(&body);
}

/* A line of dashes, stars or underscores (three or more): a rule. */
static int
markdown_is_rule(const char *s, size_t len)
{
	size_t i = markdown_lead(s, len), n = 0;
	char c = i < len ? s[i] : 0;

	if (i > 3 || (c != '-' && c != '*' && c != '_'))
		return 0;
	for (; i < len; i++)
		if (s[i] == c)
			n++;
		else if (s[i] != ' ')
			return 0;
	return n >= 3;
}

/* The list marker at s (after the indent): its length with its blank, or 0. */
static size_t
markdown_list_marker(const char *s, size_t len, int *ordered)
{
	size_t i = 0;

	*ordered = 0;
	if (len >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ')
		return 2;
	while (i < len && i < 9 && isdigit((unsigned char)s[i]))
		i++;
	if (i > 0 && i + 1 < len && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ') {
		*ordered = 1;
		return i + 2;
	}
	return 0;
}

static void
markdown_text_line(const char *s, size_t len, int cols, md_lines *out)
{
	md_buf pre = { 0 }, body = { 0 };
	size_t lead = markdown_lead(s, len), h = 0, m;
	theme_element base = THEME_TEXT;
	int indent = 0, ordered;

	while (lead + h < len && h < 7 && s[lead + h] == '#')
		h++;
	if (lead <= 3 && h >= 1 && h <= 6 && (lead + h == len || s[lead + h] == ' ')) {
		s += lead + h;
		len -= lead + h;
		while (len > 0 && s[0] == ' ')
			s++, len--;
		while (len > 0 && (s[len - 1] == '#' || s[len - 1] == ' '))
			len--;
		base = THEME_MD_HEADING;
	} else if (lead <= 3 && lead < len && s[lead] == '>') {
		md_add(&pre, "> ", 2, THEME_DIM);
		indent = 2;
		m = lead + 1 + (lead + 1 < len && s[lead + 1] == ' ');
		s += m;
		len -= m;
	} else if ((m = markdown_list_marker(s + lead, len - lead, &ordered)) > 0) {
		md_add(&pre, s, lead, THEME_TEXT);
		if (ordered)
			md_add(&pre, s + lead, m - 1, THEME_MD_BULLET);
		else
			md_add(&pre, MB_CUR_MAX > 1 ? "\xe2\x80\xa2" : "*", MB_CUR_MAX > 1 ? 3 : 1, THEME_MD_BULLET);
		md_add(&pre, " ", 1, THEME_TEXT);
		indent = (int)(lead + (ordered ? m : 2));
		s += lead + m;
		len -= lead + m;
	}
	markdown_inline(&body, s, len, base);
	md_wrap(out, &pre, &body, indent, cols, 1);
	md_buf_free(&pre);
	md_buf_free(&body);
}

/* A line in one element, wrapped at any character (fences, rules). */
static void
markdown_flat_line(const char *s, size_t len, theme_element el, int cols, md_lines *out)
{
	md_buf pre = { 0 }, body = { 0 };

	md_add(&body, s, len, el);
	md_wrap(out, &pre, &body, 0, cols, 0);
	md_buf_free(&body);
}

static int
markdown_blank(const char *s, size_t len)
{
	return markdown_lead(s, len) == len;
}

/* One line of the reply (md_each_line's callback). */
static void
markdown_block(const char *s, size_t len, void *arg)
{
	markdown_state *st = arg;
	md_lines *out = st->out;
	int cols = st->cols;
	size_t n, lead = markdown_lead(s, len);
	char c = 0;

	n = markdown_fence(s, len, &c);
	if (st->fence) {
		if (n >= st->fence_len && c == st->fence && markdown_blank(s + lead + n, len - lead - n))
			st->fence = 0;
		if (st->fence)
			markdown_code_line(st, s, len, cols, out);
		else
			markdown_flat_line(s, len, THEME_DIM, cols, out);
		return;
	}
	if (n > 0) {
		st->fence = c;
		st->fence_len = n;
		st->python = markdown_is_python(s + lead + n + markdown_lead(s + lead + n, len - lead - n),
			len - lead - n - markdown_lead(s + lead + n, len - lead - n));
		memset(&st->syn, 0, sizeof(st->syn));
		st->blank = 0;
		markdown_flat_line(s, len, THEME_DIM, cols, out);
		return;
	}
	if (markdown_blank(s, len)) {
		if (!st->blank)
			md_lines_add(out, "", "", 0);
		st->blank = 1;
		return;
	}
	st->blank = 0;
	if (markdown_is_rule(s, len)) {
		strbuf rule = { 0 };
		int i;
		for (i = 0; i < cols; i++)
			strbuf_addstr(&rule, MB_CUR_MAX > 1 ? "\xe2\x94\x80" : "-");
		markdown_flat_line(rule.buf, rule.len, THEME_DIM, cols, out);
		strbuf_free(&rule);
		return;
	}
	markdown_text_line(s, len, cols, out);
}

void
markdown_render(const char *text, size_t len, int cols, md_lines *out)
{
	markdown_state st = { .cols = cols > 8 ? cols : 8, .out = out };

	md_each_line(text, len, markdown_block, &st);
}
