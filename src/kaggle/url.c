#include "config.h"

#include "kaggle/url.h"
#include "util/strbuf.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define URL_COMPETITION_FORMS                                                               \
	"give the competition's slug (e.g. titanic) or its page, "                          \
	"https://www.kaggle.com/competitions/SLUG (or /c/SLUG, optionally with a tab such " \
	"as /data or /leaderboard)"
#define URL_KERNEL_FORMS                                                                    \
	"give OWNER/SLUG[/VERSION] or the notebook's page, https://www.kaggle.com/code/OWNER/SLUG"

/* More path segments than any accepted page has. */
#define URL_MAX_SEGMENTS 8

typedef struct url_seg {
	const char *s;
	size_t n;
} url_seg;

/* A reference split up: the path's segments when it is a kaggle.com URL. */
typedef struct url_ref {
	char *text;     /* trimmed copy; owned */
	int is_url;     /* 1 kaggle.com address, 0 anything else */
	url_seg seg[URL_MAX_SEGMENTS];
	size_t nseg;
} url_ref;

/* A competition page's tabs; deep ones have one more segment (an overview
 * section, a discussion thread). */
static const struct {
	const char *name;
	int deep;
} url_competition_tabs[] = {
	{ "overview", 1 }, { "data", 0 }, { "code", 0 }, { "discussion", 1 }, { "leaderboard", 0 },
	{ "rules", 0 }, { "submissions", 0 }, { "submit", 0 }, { "team", 0 },
};

static const char *const url_kernel_tabs[] = {
	"notebook", "edit", "log", "output", "input", "comments", "script",
};

/* First segments of kaggle.com pages that are not OWNER/SLUG kernels. */
static const char *const url_reserved_owners[] = {
	"c", "code", "competitions", "datasets", "discussions", "docs", "kernels", "learn",
	"models", "organizations", "rankings", "search", "settings", "account", "benchmarks",
};

#define URL_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The reference as it may appear in a message: bounded, and nothing in
 * it can reach the terminal as a control sequence. */
static const char *
url_quote(const char *text, char *buf, size_t size)
{
	size_t n = strlen(text);

	if (n > size - 4)
		snprintf(buf, size, "%.*s...", (int)(size - 4), text);
	else
		snprintf(buf, size, "%s", text);
	termsafe_buffer(buf, size, TERMSAFE_LINE);
	return buf;
}

static int
url_fail(ak_err *e, const char *text, const char *why, const char *forms)
{
	char q[96];

	return err_kind_set(e, ERR_INPUT, "'%s' %s: %s", url_quote(text, q, sizeof(q)), why, forms);
}

static int
url_seg_is(const url_seg *g, const char *word)
{
	return strlen(word) == g->n && strncasecmp(g->s, word, g->n) == 0;
}

static int
url_is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

/* Copies a slug or owner lowercased; NULL when it is fine, else why not. */
static const char *
url_name_copy(const url_seg *g, char *out, size_t size)
{
	size_t i, max = size - 1 < KAGGLE_SLUG_MAX ? size - 1 : KAGGLE_SLUG_MAX;

	if (g->n == 0)
		return "names no competition";
	if (g->n > max)
		return "has a name longer than Kaggle's";
	if (g->s[0] == '-')
		return "has a name that starts with '-'";
	for (i = 0; i < g->n; i++) {
		if (!url_is_name_char((unsigned char)g->s[i]))
			return "has a name with characters other than letters, digits and '-'";
		out[i] = (char)((g->s[i] >= 'A' && g->s[i] <= 'Z') ? g->s[i] - 'A' + 'a' : g->s[i]);
	}
	out[g->n] = '\0';
	return NULL;
}

static int
url_host_is_kaggle(const char *host, size_t n)
{
	return (n == 10 && strncasecmp(host, "kaggle.com", n) == 0) ||
	       (n == 14 && strncasecmp(host, "www.kaggle.com", n) == 0);
}

static int
url_mentions_kaggle(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 6 <= n; i++)
		if (strncasecmp(s + i, "kaggle", 6) == 0)
			return 1;
	return 0;
}

/* Looks at the authority (between the scheme and the path): 1 for
 * kaggle.com, 0 for another host, or why it is hostile. */
static int
url_authority(const char *auth, size_t n, const char **why)
{
	const char *at = memchr(auth, '@', n), *host = auth, *colon;
	size_t hn = n, i;

	if (at) {
		host = at + 1;
		hn = n - (size_t)(host - auth);
		if (url_host_is_kaggle(host, hn) || url_mentions_kaggle(auth, n)) {
			*why = "has a user name before the host, a trick that hides the real host";
			return -1;
		}
		return 0;
	}
	colon = memchr(host, ':', hn);
	if (colon) {
		size_t pn = hn - (size_t)(colon - host) - 1;

		hn = (size_t)(colon - host);
		if (!url_host_is_kaggle(host, hn))
			return 0;
		for (i = 0; i < pn; i++)
			if (colon[1 + i] < '0' || colon[1 + i] > '9')
				break;
		if (pn == 0 || i < pn) {
			*why = "has a port that is not a number";
			return -1;
		}
		return 1;
	}
	return url_host_is_kaggle(host, hn);
}

/* Splits the path (up to a query or fragment) into segments; one
 * trailing '/' is tolerated. NULL, or why the path is hostile. */
static const char *
url_split_path(url_ref *r, const char *p)
{
	size_t n = strcspn(p, "?#");

	if (memchr(p, '%', n))
		return "is percent-encoded, which kaggle.com addresses never need";
	if (memchr(p, '\\', n))
		return "has a backslash in its path";
	if (n > 0 && p[0] == '/') {
		p++;
		n--;
	}
	while (n > 0) {
		size_t len = strcspn(p, "/?#");

		if (len == 0)
			return "has an empty part ('//') in its path";
		if (r->nseg == URL_MAX_SEGMENTS)
			return "has more parts than a Kaggle page";
		r->seg[r->nseg].s = p;
		r->seg[r->nseg++].n = len;
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return "has '.' or '..' in its path";
		p += len;
		n -= len;
		if (n > 0) {
			p++;
			n--;
		}
	}
	return NULL;
}

/* Reads a reference: trimmed, refused when it holds control characters;
 * when it is a kaggle.com address, its path split. 0 or -1 (why set). */
static int
url_read(url_ref *r, const char *text, const char **why)
{
	const char *p, *rest, *sep;
	size_t n, i;
	int scheme = 0, kaggle;

	memset(r, 0, sizeof(*r));
	text = text ? text : "";
	text += strspn(text, " \t\r\n");
	n = strlen(text);
	while (n > 0 && strchr(" \t\r\n", text[n - 1]))
		n--;
	r->text = xstrndup(text, n);
	for (i = 0; i < n; i++)
		if ((unsigned char)r->text[i] < 0x20 || r->text[i] == 0x7f) {
			*why = "contains control characters";
			return -1;
		}
	rest = r->text;
	sep = strstr(rest, "://");
	if (sep && sep > rest && strspn(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") ==
					 (size_t)(sep - rest)) {
		scheme = (sep - rest == 4 && strncasecmp(rest, "http", 4) == 0) ||
			 (sep - rest == 5 && strncasecmp(rest, "https", 5) == 0) ? 1 : -1;
		rest = sep + 3;
	}
	p = rest + strcspn(rest, "/?#\\");
	kaggle = url_authority(rest, (size_t)(p - rest), why);
	if (kaggle < 0)
		return -1;
	if (kaggle && scheme < 0) {
		*why = "is not an http or https address";
		return -1;
	}
	if (!kaggle)
		return 0;
	r->is_url = 1;
	*why = url_split_path(r, p);
	return *why ? -1 : 0;
}

/* A bare word: 1 for a slug, 0 when it is something else (a folder). */
static int
url_bare_slug(const url_ref *r, char *slug, size_t size, const char **why)
{
	url_seg g = { r->text, strlen(r->text) };
	size_t i;

	if (g.n == 0) {
		*why = "is empty";
		return -1;
	}
	if (!((g.s[0] >= 'a' && g.s[0] <= 'z') || (g.s[0] >= '0' && g.s[0] <= '9')))
		return 0;
	for (i = 0; i < g.n; i++)
		if (!url_is_name_char((unsigned char)g.s[i]) || (g.s[i] >= 'A' && g.s[i] <= 'Z'))
			return 0;
	*why = url_name_copy(&g, slug, size);
	return *why ? -1 : 1;
}

/* The slug of a kaggle.com competition page; NULL, or why it is none. */
static const char *
url_competition_path(const url_ref *r, char *slug, size_t size)
{
	size_t i;

	if (r->nseg == 0)
		return "names no competition";
	if (!(url_seg_is(&r->seg[0], "competitions") || url_seg_is(&r->seg[0], "c")))
		return "is not a competition's page";
	if (r->nseg == 1)
		return "names no competition";
	if (r->nseg > 2) {
		for (i = 0; i < URL_COUNT(url_competition_tabs); i++)
			if (url_seg_is(&r->seg[2], url_competition_tabs[i].name))
				break;
		if (i == URL_COUNT(url_competition_tabs))
			return "goes on to a page that is not one of the competition's tabs";
		if (r->nseg > 3 + (size_t)url_competition_tabs[i].deep)
			return "goes on past the competition's tab";
	}
	return url_name_copy(&r->seg[1], slug, size);
}

int
kaggle_slug_parse(const char *text, char *slug, size_t size, ak_err *e)
{
	const char *why = NULL;
	url_ref r;
	int rc = url_read(&r, text, &why);

	if (rc == 0 && !r.is_url)
		rc = strpbrk(r.text, "/.~") ? 0 : url_bare_slug(&r, slug, size, &why);
	else if (rc == 0) {
		why = url_competition_path(&r, slug, size);
		rc = why ? -1 : 1;
	}
	if (rc < 0)
		url_fail(e, r.text, why, URL_COMPETITION_FORMS);
	free(r.text);
	return rc;
}

static int
url_seg_in(const url_seg *g, const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (url_seg_is(g, words[i]))
			return 1;
	return 0;
}

/* The index of the owner's segment in a kernel reference; -1 (why set)
 * when it is none. *has_version: a third segment is the version. */
static int
url_kernel_owner_at(const url_ref *r, int *has_version, const char **why)
{
	*has_version = 0;
	if (r->is_url && r->nseg >= 3 && url_seg_is(&r->seg[0], "code")) {
		if (r->nseg == 3 || (r->nseg == 4 && url_seg_in(&r->seg[3], url_kernel_tabs, URL_COUNT(url_kernel_tabs))))
			return 1;
		*why = "goes on to a page that is not one of the notebook's tabs";
		return -1;
	}
	if (r->is_url && r->nseg == 2 && !url_seg_in(&r->seg[0], url_reserved_owners, URL_COUNT(url_reserved_owners)))
		return 0;
	if (r->is_url) {
		*why = "is not a notebook's page";
		return -1;
	}
	if (r->nseg == 2 || r->nseg == 3) {
		*has_version = r->nseg == 3;
		return 0;
	}
	*why = "is not a notebook reference";
	return -1;
}

/* OWNER/SLUG[/VERSION] written without a host, split like a path. */
static const char *
url_split_plain(url_ref *r)
{
	if (r->text[0] == '/' || strpbrk(r->text, "?#:@"))
		return "is not a notebook reference";
	return url_split_path(r, r->text);
}

static const char *
url_version(const url_seg *g, int *version)
{
	size_t i;
	long v = 0;

	if (g->n > 9)
		return "has a version number that is too large";
	for (i = 0; i < g->n; i++) {
		if (g->s[i] < '0' || g->s[i] > '9')
			return "has a version that is not a number";
		v = v * 10 + (g->s[i] - '0');
	}
	if (v == 0)
		return "has version 0; versions count from 1";
	*version = (int)v;
	return NULL;
}

int
kaggle_kernel_ref_parse(const char *text, char *owner, size_t osz, char *slug, size_t ssz, int *version,
	ak_err *e)
{
	const char *why = NULL;
	int at, has_version, v = 0;
	url_ref r;

	if (url_read(&r, text, &why) == 0 && !r.is_url)
		why = r.text[0] ? url_split_plain(&r) : "is empty";
	if (!why && (at = url_kernel_owner_at(&r, &has_version, &why)) >= 0) {
		why = url_name_copy(&r.seg[at], owner, osz);
		if (!why)
			why = url_name_copy(&r.seg[at + 1], slug, ssz);
		if (!why && has_version)
			why = url_version(&r.seg[2], &v);
	}
	if (why)
		url_fail(e, r.text, why, URL_KERNEL_FORMS);
	else if (version)
		*version = v;
	free(r.text);
	return why ? -1 : 0;
}

char *
kaggle_competition_url(const char *slug)
{
	return xasprintf("https://www.kaggle.com/competitions/%s", slug);
}

char *
kaggle_rules_url(const char *slug)
{
	return xasprintf("https://www.kaggle.com/competitions/%s/rules", slug);
}

/* text in the slug alphabet: runs of anything else become one '-', none
 * at either end. */
static void
url_slugify(const char *text, strbuf *out)
{
	int dash = 0;

	for (; *text; text++) {
		unsigned char ch = (unsigned char)*text;

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')) {
			if (dash && out->len)
				strbuf_addch(out, '-');
			strbuf_addch(out, (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch));
			dash = 0;
		} else {
			dash = 1;
		}
	}
}

char *
kaggle_kernel_slug_for_run(const char *competition, const char *run_id)
{
	strbuf comp = { 0 }, run = { 0 };
	size_t room;
	char *out;

	url_slugify(competition, &comp);
	url_slugify(run_id, &run);
	/* A run's id ends with its competition's name, said once already. */
	if (comp.len && run.len > comp.len + 1 && run.buf[run.len - comp.len - 1] == '-' &&
	    strcmp(run.buf + run.len - comp.len, comp.buf) == 0)
		run.buf[run.len -= comp.len + 1] = '\0';
	if (run.len > KAGGLE_KERNEL_SLUG_MAX - 12)
		run.buf[run.len = KAGGLE_KERNEL_SLUG_MAX - 12] = '\0';
	room = KAGGLE_KERNEL_SLUG_MAX - run.len - strlen("-autokaggle-");
	if (comp.len > room) {
		comp.buf[comp.len = room] = '\0';
		while (comp.len && comp.buf[comp.len - 1] == '-')
			comp.buf[--comp.len] = '\0';
	}
	out = xasprintf("%s%sautokaggle-%s", comp.len ? comp.buf : "", comp.len ? "-" : "", run.len ? run.buf : "run");
	strbuf_free(&comp);
	strbuf_free(&run);
	return out;
}
