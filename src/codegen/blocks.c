#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include "codegen/blocks.h"
#include "util/xalloc.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

/* A fence (``` or ~~~, three or more) with its info string, its body, and
 * the same fence closing it on a line of its own. */
static const char fence_re[] = "(?m)^[ \\t]{0,3}(`{3,}|~{3,})[ \\t]*([^\\n`]*)\\n((?s:.*?))^[ \\t]{0,3}\\1[`~]*[ \\t]*$";
/* A file name as models write it: path characters ending in an extension
 * of the pipeline's files. */
static const char name_re[] = "([A-Za-z0-9_./-]*[A-Za-z0-9_-]\\.(?:py|yaml|yml|txt))(?![A-Za-z0-9_])";

char *
codegen_block_path(const char *name, size_t len)
{
	const char *base = name, *p, *dot;
	size_t blen;

	for (p = name; p < name + len; p++)
		if (*p == '/')
			base = p + 1;
	blen = (size_t)(name + len - base);
	if (blen < 4 || base[0] == '.')
		return NULL;
	dot = memrchr(base, '.', blen);
	if (blen == 16 && memcmp(base, "requirements.txt", 16) == 0)
		return xstrdup("env/requirements.txt");
	if ((blen == 11 && memcmp(base, "config.yaml", 11) == 0) || (blen == 10 && memcmp(base, "config.yml", 10) == 0))
		return xstrdup("code/config.yaml");
	if (dot && (size_t)(base + blen - dot) == 3 && memcmp(dot, ".py", 3) == 0)
		return xasprintf("code/%.*s", (int)blen, base);
	return NULL;
}

/* The first file name in [s, s+len), mapped; NULL when none. */
static char *
find_name(pcre2_code *re, pcre2_match_data *md, const char *s, size_t len)
{
	size_t off = 0;

	while (off < len && pcre2_match(re, (PCRE2_SPTR)s, len, off, 0, md, NULL) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		char *path = codegen_block_path(s + ov[2], ov[3] - ov[2]);
		if (path)
			return path;
		off = ov[1] > off ? ov[1] : off + 1;
	}
	return NULL;
}

/* The line before offset `at` (the fence's), without its newline. */
static void
line_before(const char *reply, size_t at, const char **start, size_t *len)
{
	size_t end = at, b;

	while (end > 0 && (reply[end - 1] == '\n' || reply[end - 1] == ' ' || reply[end - 1] == '\t' || reply[end - 1] == '\r'))
		end--;
	b = end;
	while (b > 0 && reply[b - 1] != '\n')
		b--;
	*start = reply + b;
	*len = end - b;
}

/* The first line of a body, when it is only a comment naming the file. */
static char *
first_line_name(pcre2_code *re, pcre2_match_data *md, const char *body, size_t len)
{
	size_t n = 0;

	while (n < len && body[n] != '\n')
		n++;
	if (n == 0 || (body[0] != '#' && !(n > 1 && body[0] == '/' && body[1] == '/')))
		return NULL;
	return find_name(re, md, body, n);
}

static void
add_block(codegen_block **out, size_t *n, size_t *cap, char *path, const char *body, size_t len)
{
	size_t i;
	char *text = xasprintf("%.*s%s", (int)len, body, len && body[len - 1] == '\n' ? "" : "\n");

	for (i = 0; i < *n; i++)
		if (strcmp((*out)[i].path, path) == 0) {
			free((*out)[i].text);
			free(path);
			(*out)[i].text = text;
			return;
		}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*out = xrealloc(*out, *cap * sizeof(**out));
	}
	(*out)[*n].path = path;
	(*out)[(*n)++].text = text;
}

static pcre2_code *
compile(const char *pattern, ak_err *e)
{
	int code;
	PCRE2_SIZE where;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0,
		&code, &where, NULL);

	if (!re)
		err_set(e, "cannot compile the code block pattern (pcre2 error %d at %zu)", code, (size_t)where);
	return re;
}

int
codegen_blocks_parse(const char *reply, size_t len, codegen_block **out, size_t *n, ak_err *e)
{
	pcre2_code *fence = compile(fence_re, e), *name = fence ? compile(name_re, e) : NULL;
	pcre2_match_data *md = NULL, *md2 = NULL;
	size_t off = 0, cap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (!fence || !name) {
		pcre2_code_free(fence);
		return -1;
	}
	md = pcre2_match_data_create_from_pattern(fence, NULL);
	md2 = pcre2_match_data_create_from_pattern(name, NULL);
	/* Without UTF checks: a reply is bytes, and a broken character in
	 * it must not hide the blocks around it. */
	while (off < len && (rc = pcre2_match(fence, (PCRE2_SPTR)reply, len, off, 0, md, NULL)) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		const char *body = reply + ov[6], *prev;
		size_t blen = ov[7] - ov[6], plen;
		char *path = find_name(name, md2, reply + ov[4], ov[5] - ov[4]);

		if (!path) {
			line_before(reply, ov[0], &prev, &plen);
			path = find_name(name, md2, prev, plen);
		}
		if (!path)
			path = first_line_name(name, md2, body, blen);
		if (path)
			add_block(out, n, &cap, path, body, blen);
		off = ov[1] > off ? ov[1] : off + 1;
	}
	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
		codegen_blocks_free(*out, *n);
		*out = NULL;
		*n = 0;
		err_set(e, "cannot read the reply's code blocks (pcre2 error %d)", rc);
	}
	pcre2_match_data_free(md);
	pcre2_match_data_free(md2);
	pcre2_code_free(fence);
	pcre2_code_free(name);
	return rc < 0 && rc != PCRE2_ERROR_NOMATCH ? -1 : 0;
}

void
codegen_blocks_free(codegen_block *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(b[i].path);
		free(b[i].text);
	}
	free(b);
}

const codegen_block *
codegen_block_find(const codegen_block *b, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(b[i].path, path) == 0)
			return &b[i];
	return NULL;
}
