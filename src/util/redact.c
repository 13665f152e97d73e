#include "config.h"

#include "util/redact.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern char **environ;

#define REDACT_MARK "[REDACTED]"
#define REDACT_MIN_SECRET 6
/* A user name alone in a URL ("https://TOKEN@host") is taken for a token
 * from this length on; shorter ones are names like "git". */
#define REDACT_MIN_LONE_USER 16
/* Bounds on shape matches, so a stream never holds back without limit. */
#define REDACT_TOKEN_MAX 4096
#define REDACT_LINE_MAX 4096
#define REDACT_BLANKS_MAX 256
/* How much of a new feed is joined to a held-back tail at a time: more
 * than any match looks ahead, so one join usually settles the tail. */
#define REDACT_JOIN (2 * REDACT_TOKEN_MAX + 1024)

enum { REDACT_NO, REDACT_YES, REDACT_MORE };

/* A match at some position: the first `keep` bytes are copied, the rest
 * up to `end` becomes the mark. */
struct redact_match {
	size_t keep, end;
};

/* Keys recognisable by a fixed prefix and an alphabet. */
struct redact_shape {
	const char *prefix;
	const char *alphabet;
	size_t min;
};

#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define UPNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

static const struct redact_shape redact_shapes[] = {
	{ "sk-", ALNUM "_-", 20 },
	{ "KGAT_", ALNUM, 16 },
	{ "AIza", ALNUM "_-", 30 },
	{ "ghp_", ALNUM, 30 },
	{ "gho_", ALNUM, 30 },
	{ "ghs_", ALNUM, 30 },
	{ "ghu_", ALNUM, 30 },
	{ "ghr_", ALNUM, 30 },
	{ "github_pat_", ALNUM "_", 30 },
	{ "glpat-", ALNUM "_-", 20 },
	{ "hf_", ALNUM, 30 },
	{ "AKIA", UPNUM, 16 },
	{ "xoxb-", ALNUM "-", 10 },
	{ "xoxp-", ALNUM "-", 10 },
	{ "xoxa-", ALNUM "-", 10 },
	{ "xoxs-", ALNUM "-", 10 },
};

/* Header-like names whose value is a credential ("Authorization: ..."). */
static const char *const redact_headers[] = {
	"authorization", "proxy-authorization", "x-api-key", "x-goog-api-key",
	"api-key", "cookie", "set-cookie",
};

#define BEARER_ALPHABET ALNUM "._~+/=-"

static char **redact_secrets;
static size_t redact_nsecrets, redact_cap_secrets;

/* Every pattern, and the order they are tried in at one position:
 * registered secrets (longest first), key shapes, "Bearer", header names,
 * "://". Shapes, "Bearer" and headers only start a word. */
enum redact_kind { REDACT_SECRET, REDACT_SHAPE, REDACT_BEARER, REDACT_HEADER, REDACT_USERINFO };

struct redact_pat {
	enum redact_kind kind;
	size_t idx; /* into the secrets, shapes or headers */
};

/* Tables rebuilt when the secrets change: the patterns by first byte (so
 * a position tries only those that can match there), and which pairs of
 * bytes can open a pattern anywhere or at the start of a word (so plain
 * text is passed over one byte at a time with one lookup). */
enum { REDACT_PAIR_ANY = 1, REDACT_PAIR_WORD = 2 };
static struct redact_pat *redact_pats;
static size_t redact_npats, redact_cap_pats;
static size_t redact_first[257];
static unsigned char redact_pair[256 * 256];
static unsigned char redact_single[256];
static int redact_tables_ready;

typedef void (*redact_emit_fn)(const char *data, size_t len, void *arg);

struct redact_stream {
	strbuf pend; /* held back: a possible start of a match, and what follows */
	int prev;
	redact_emit_fn emit;
	void *arg;
};

static void
redact_upper(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		out[i] = (char)toupper((unsigned char)s[i]);
	out[i] = '\0';
}

static int
redact_ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

int
redact_name_is_secret(const char *name)
{
	static const char *const words[] = {
		"KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASSPHRASE",
		"CREDENTIAL", "AUTH", "SESSION", "COOKIE", "PRIVATE",
	};
	/* Flagged by the words above but holding no secret: paths, sockets
	 * and desktop-session descriptors. */
	static const char *const harmless[] = {
		"KAGGLE_CONFIG_DIR", "DBUS_SESSION_BUS_ADDRESS", "SESSION_MANAGER",
		"XAUTHORITY", "SSH_AUTH_SOCK",
	};
	char up[256];
	size_t i;

	if (!name || !*name)
		return 0;
	redact_upper(name, up, sizeof up);
	for (i = 0; i < sizeof harmless / sizeof *harmless; i++)
		if (strcmp(up, harmless[i]) == 0)
			return 0;
	if (strncmp(up, "XDG_SESSION_", 12) == 0)
		return 0;
	if (strncmp(up, "KAGGLE_", 7) == 0)
		return 1;
	for (i = 0; i < sizeof words / sizeof *words; i++)
		if (strstr(up, words[i]))
			return 1;
	return redact_ends_with(up, "_PASS") || redact_ends_with(up, "_PWD");
}

void
redact_add_secret(const char *value)
{
	size_t i, len;

	if (!value || (len = strlen(value)) < REDACT_MIN_SECRET)
		return;
	for (i = 0; i < redact_nsecrets; i++)
		if (strcmp(redact_secrets[i], value) == 0)
			return;
	redact_secrets = xgrow(redact_secrets, &redact_cap_secrets, redact_nsecrets + 1, sizeof *redact_secrets);
	/* Longest first, so a secret containing another is masked whole. */
	for (i = redact_nsecrets; i > 0 && strlen(redact_secrets[i - 1]) < len; i--)
		redact_secrets[i] = redact_secrets[i - 1];
	redact_secrets[i] = xstrdup(value);
	redact_nsecrets++;
	redact_tables_ready = 0;
}

typedef void (*redact_userinfo_fn)(const char *userinfo, size_t len);

/* The userinfo of the URL authority at auth ("user:password" of
 * "user:password@host"), the last '@' ending it as URL parsers do. */
static int
redact_authority(const char *auth, redact_userinfo_fn fn)
{
	size_t n = strcspn(auth, "/?# \t\r\n");

	while (n > 0 && auth[n - 1] != '@')
		n--;
	if (n == 0)
		return 0;
	if (fn)
		fn(auth, n - 1);
	return 1;
}

static int
redact_is_proxy(const char *name)
{
	size_t n = strlen(name);

	return n >= 6 && strcasecmp(name + n - 6, "_PROXY") == 0;
}

/* Calls fn with each URL userinfo of an environment value: after each
 * "scheme://", and in a proxy variable written without a scheme
 * ("user:password@host:3128") at the start. Returns how many. */
static int
redact_each_userinfo(const char *name, const char *value, redact_userinfo_fn fn)
{
	const char *p = value;
	int n = 0;

	if (redact_is_proxy(name) && !strstr(value, "://"))
		return redact_authority(value, fn);
	while ((p = strstr(p, "://"))) {
		p += 3;
		n += redact_authority(p, fn);
	}
	return n;
}

int
redact_value_has_credentials(const char *name, const char *value)
{
	return redact_each_userinfo(name, value, NULL) > 0;
}

/* Registers a secret as written in the URL and percent-decoded, the form
 * a program that parsed the URL prints. */
static void
redact_add_encoded(const char *s, size_t n)
{
	char *raw = xstrndup(s, n), *dec = xmalloc(n + 1);
	size_t i, j = 0;

	for (i = 0; i < n; i++) {
		if (raw[i] == '%' && isxdigit((unsigned char)raw[i + 1]) && isxdigit((unsigned char)raw[i + 2])) {
			char hex[3] = { raw[i + 1], raw[i + 2], '\0' };

			dec[j++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else {
			dec[j++] = raw[i];
		}
	}
	dec[j] = '\0';
	redact_add_secret(raw);
	redact_add_secret(dec);
	free(raw);
	free(dec);
}

/* The password of a userinfo, or the user name when it stands alone and
 * is long enough to be a token. */
static void
redact_add_userinfo(const char *userinfo, size_t len)
{
	const char *colon = memchr(userinfo, ':', len);

	if (colon)
		redact_add_encoded(colon + 1, len - (size_t)(colon + 1 - userinfo));
	else if (len >= REDACT_MIN_LONE_USER)
		redact_add_encoded(userinfo, len);
}

void
redact_add_from_env(void)
{
	char **e;

	for (e = environ; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		char *name;

		if (!eq)
			continue;
		name = xstrndup(*e, (size_t)(eq - *e));
		if (redact_name_is_secret(name))
			redact_add_secret(eq + 1);
		redact_each_userinfo(name, eq + 1, redact_add_userinfo);
		free(name);
	}
}

void
redact_reset(void)
{
	size_t i;

	for (i = 0; i < redact_nsecrets; i++)
		free(redact_secrets[i]);
	free(redact_secrets);
	redact_secrets = NULL;
	redact_nsecrets = redact_cap_secrets = 0;
	free(redact_pats);
	redact_pats = NULL;
	redact_npats = redact_cap_pats = 0;
	redact_tables_ready = 0;
}

/* ASCII only, whatever the locale: the patterns are ASCII. */
static int
redact_ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int
redact_ascii_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;
}

static int
redact_is_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Compares a needle with the available bytes: YES when it is all there,
 * MORE when the buffer ends inside a matching prefix. */
static int
redact_prefix(const char *p, size_t avail, const char *needle, size_t n, int fold)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i == avail)
			return REDACT_MORE;
		if (fold ? redact_ascii_lower((unsigned char)p[i]) != needle[i] : p[i] != needle[i])
			return REDACT_NO;
	}
	return REDACT_YES;
}

/* Counts bytes of p from `from` that belong to alphabet, up to max. Sets
 * *open when the run reaches the end of the available bytes. */
static size_t
redact_span(const char *p, size_t avail, size_t from, const char *alphabet, size_t max, int *open)
{
	size_t i = from;

	while (i < avail && i - from < max && p[i] && strchr(alphabet, p[i]))
		i++;
	*open = i == avail && i - from < max;
	return i - from;
}

static int
redact_match_secret(const char *sec, const char *p, size_t avail, int final, struct redact_match *m)
{
	size_t n = strlen(sec);
	int r = redact_prefix(p, avail, sec, n, 0);

	if (r != REDACT_YES)
		return r == REDACT_MORE && !final ? REDACT_MORE : REDACT_NO;
	m->keep = 0;
	m->end = n;
	return REDACT_YES;
}

/* A token shape: prefix, then a run of its alphabet at least min long. */
static int
redact_match_shape(const struct redact_shape *sh, const char *p, size_t avail, int final, struct redact_match *m)
{
	size_t pl = strlen(sh->prefix), n;
	int r = redact_prefix(p, avail, sh->prefix, pl, 0), open;

	if (r != REDACT_YES)
		return r == REDACT_MORE && !final ? REDACT_MORE : REDACT_NO;
	n = redact_span(p, avail, pl, sh->alphabet, REDACT_TOKEN_MAX, &open);
	if (open && !final)
		return REDACT_MORE;
	if (n < sh->min)
		return REDACT_NO;
	m->keep = 0;
	m->end = pl + n;
	return REDACT_YES;
}

/* Skips blanks from i; *open when they run into the end of the available
 * bytes. A run longer than REDACT_BLANKS_MAX ends the match, so a stream
 * never holds back more than that. */
static size_t
redact_blanks(const char *p, size_t avail, size_t i, int *open)
{
	size_t from = i;

	*open = 0;
	for (; i < avail && (p[i] == ' ' || p[i] == '\t'); i++)
		if (i - from == REDACT_BLANKS_MAX)
			return 0;
	*open = i == avail;
	return i;
}

/* "Bearer <token>": keeps the word, masks the token. */
static int
redact_match_bearer(const char *p, size_t avail, int final, struct redact_match *m)
{
	int r = redact_prefix(p, avail, "bearer", 6, 1), open;
	size_t i, n;

	if (r != REDACT_YES)
		return r == REDACT_MORE && !final ? REDACT_MORE : REDACT_NO;
	i = redact_blanks(p, avail, 6, &open);
	if (open)
		return final ? REDACT_NO : REDACT_MORE;
	if (i <= 6)
		return REDACT_NO;
	n = redact_span(p, avail, i, BEARER_ALPHABET, REDACT_TOKEN_MAX, &open);
	if (open && !final)
		return REDACT_MORE;
	if (n < 8)
		return REDACT_NO;
	m->keep = i;
	m->end = i + n;
	return REDACT_YES;
}

/* "Authorization: <value>" (optionally quoted name): masks the value up to
 * the end of the line. */
static int
redact_match_header(const char *name, const char *p, size_t avail, int final, struct redact_match *m)
{
	size_t nl = strlen(name), i, v;
	int r = redact_prefix(p, avail, name, nl, 1), open;

	if (r != REDACT_YES)
		return r == REDACT_MORE && !final ? REDACT_MORE : REDACT_NO;
	i = nl;
	if (i < avail && (p[i] == '"' || p[i] == '\''))
		i++;
	i = redact_blanks(p, avail, i, &open);
	if (open)
		return final ? REDACT_NO : REDACT_MORE;
	if (!i || p[i] != ':')
		return REDACT_NO;
	i = redact_blanks(p, avail, i + 1, &open);
	if (open)
		return final ? REDACT_NO : REDACT_MORE;
	if (!i)
		return REDACT_NO;
	for (v = i; v < avail && v - i < REDACT_LINE_MAX && p[v] != '\n' && p[v] != '\r'; v++)
		;
	if (v == avail && v - i < REDACT_LINE_MAX && !final)
		return REDACT_MORE;
	if (v == i)
		return REDACT_NO;
	m->keep = i;
	m->end = v;
	return REDACT_YES;
}

/* "://user:password@": masks the password. */
static int
redact_match_userinfo(const char *p, size_t avail, int final, struct redact_match *m)
{
	int r = redact_prefix(p, avail, "://", 3, 0);
	size_t i, pw;

	if (r != REDACT_YES)
		return r == REDACT_MORE && !final ? REDACT_MORE : REDACT_NO;
	for (i = 3; i < avail && i < 3 + 256 && !strchr("/:@ \t\r\n\"'", p[i]); i++)
		;
	if (i == avail)
		return final ? REDACT_NO : REDACT_MORE;
	if (p[i] != ':' || i == 3)
		return REDACT_NO;
	for (pw = ++i; i < avail && i < pw + 512 && !strchr("/@ \t\r\n\"'", p[i]); i++)
		;
	if (i == avail)
		return final ? REDACT_NO : REDACT_MORE;
	if (p[i] != '@' || i == pw)
		return REDACT_NO;
	m->keep = pw;
	m->end = i;
	return REDACT_YES;
}

/* What a pattern starts with; *fold for case-insensitive ones, *word for
 * those that only start a word. */
static const char *
redact_pat_needle(const struct redact_pat *pt, int *fold, int *word)
{
	*fold = pt->kind == REDACT_BEARER || pt->kind == REDACT_HEADER;
	*word = pt->kind != REDACT_SECRET && pt->kind != REDACT_USERINFO;
	switch (pt->kind) {
	case REDACT_SECRET:
		return redact_secrets[pt->idx];
	case REDACT_SHAPE:
		return redact_shapes[pt->idx].prefix;
	case REDACT_BEARER:
		return "bearer";
	case REDACT_HEADER:
		return redact_headers[pt->idx];
	case REDACT_USERINFO:
		return "://";
	}
	return "";
}

static void
redact_pat_push(enum redact_kind kind, size_t idx)
{
	redact_pats = xgrow(redact_pats, &redact_cap_pats, redact_npats + 1, sizeof *redact_pats);
	redact_pats[redact_npats].kind = kind;
	redact_pats[redact_npats].idx = idx;
	redact_npats++;
}

/* Marks the pairs of bytes a needle may open with: both cases of each of
 * the first two bytes when it folds. */
static void
redact_pairs_mark(const char *needle, int fold, int word)
{
	int a[2] = { (unsigned char)needle[0], (unsigned char)needle[0] };
	int b[2] = { (unsigned char)needle[1], (unsigned char)needle[1] };
	unsigned char bit = word ? REDACT_PAIR_WORD : REDACT_PAIR_ANY;
	int i, j;

	if (fold) {
		a[1] = redact_ascii_upper(a[0]);
		b[1] = redact_ascii_upper(b[0]);
	}
	for (i = 0; i < 2; i++) {
		redact_single[a[i]] |= bit;
		for (j = 0; j < 2; j++)
			redact_pair[a[i] << 8 | b[j]] |= bit;
	}
}

static void
redact_tables_build(void)
{
	struct redact_pat *all;
	size_t nall, i, k;
	int c, fold, word;
	const char *n;

	redact_npats = 0;
	for (i = 0; i < redact_nsecrets; i++)
		redact_pat_push(REDACT_SECRET, i);
	for (i = 0; i < sizeof redact_shapes / sizeof *redact_shapes; i++)
		redact_pat_push(REDACT_SHAPE, i);
	redact_pat_push(REDACT_BEARER, 0);
	for (i = 0; i < sizeof redact_headers / sizeof *redact_headers; i++)
		redact_pat_push(REDACT_HEADER, i);
	redact_pat_push(REDACT_USERINFO, 0);
	nall = redact_npats;
	all = xmalloc(nall * sizeof *all);
	memcpy(all, redact_pats, nall * sizeof *all);
	memset(redact_pair, 0, sizeof redact_pair);
	memset(redact_single, 0, sizeof redact_single);
	for (k = 0; k < nall; k++) {
		n = redact_pat_needle(&all[k], &fold, &word);
		redact_pairs_mark(n, fold, word);
	}
	/* Regrouped by first byte, each group in the order above. */
	redact_npats = 0;
	for (c = 0; c < 256; c++) {
		redact_first[c] = redact_npats;
		for (k = 0; k < nall; k++) {
			n = redact_pat_needle(&all[k], &fold, &word);
			if (c == (unsigned char)n[0] || (fold && c == redact_ascii_upper((unsigned char)n[0])))
				redact_pat_push(all[k].kind, all[k].idx);
		}
	}
	redact_first[256] = redact_npats;
	free(all);
	redact_tables_ready = 1;
}

static int
redact_match_pat(const struct redact_pat *pt, const char *p, size_t avail, int final, struct redact_match *m)
{
	switch (pt->kind) {
	case REDACT_SECRET:
		return redact_match_secret(redact_secrets[pt->idx], p, avail, final, m);
	case REDACT_SHAPE:
		return redact_match_shape(&redact_shapes[pt->idx], p, avail, final, m);
	case REDACT_BEARER:
		return redact_match_bearer(p, avail, final, m);
	case REDACT_HEADER:
		return redact_match_header(redact_headers[pt->idx], p, avail, final, m);
	case REDACT_USERINFO:
		return redact_match_userinfo(p, avail, final, m);
	}
	return REDACT_NO;
}

/* Decides at p (prev = the byte before it, -1 at the start): a match, no
 * match, or MORE when only more input can tell (never when final). A
 * candidate that may still grow wins over a shorter certain one. */
static int
redact_match_at(const char *p, size_t avail, int prev, int final, struct redact_match *m)
{
	int acc = REDACT_NO, r, at_word = !redact_is_word(prev);
	size_t k, c = (unsigned char)p[0];

	for (k = redact_first[c]; k < redact_first[c + 1]; k++) {
		const struct redact_pat *pt = &redact_pats[k];

		if (pt->kind != REDACT_SECRET && pt->kind != REDACT_USERINFO && !at_word)
			continue;
		if (pt->kind == REDACT_HEADER && prev == '-')
			continue;
		r = redact_match_pat(pt, p, avail, final, m);
		if (r == REDACT_YES)
			return acc == REDACT_MORE ? REDACT_MORE : r;
		if (r == REDACT_MORE)
			acc = r;
	}
	return acc;
}

/* The first position from i on where a match may start, or len: one
 * lookup per byte of plain text. */
static size_t
redact_scan(const unsigned char *b, size_t i, size_t len, int prev)
{
	const unsigned char *p = b + i, *last;
	unsigned char t;

	if (i >= len)
		return len;
	for (last = b + len - 1; p < last; p++) {
		if (!(t = redact_pair[p[0] << 8 | p[1]]))
			continue;
		if ((t & REDACT_PAIR_ANY) || !redact_is_word(p > b ? p[-1] : prev))
			return (size_t)(p - b);
	}
	if (p == last) {
		t = redact_single[*p];
		if ((t & REDACT_PAIR_ANY) || ((t & REDACT_PAIR_WORD) && !redact_is_word(p > b ? p[-1] : prev)))
			return len - 1;
	}
	return len;
}

/* Redacts buf[0, len) through emit, in as few pieces as the matches
 * allow; returns how many bytes were consumed (the rest must wait for
 * more input). *prev carries the last consumed byte. */
static size_t
redact_run(const char *buf, size_t len, int *prev, int final, redact_emit_fn emit, void *arg)
{
	const unsigned char *b = (const unsigned char *)buf;
	struct redact_match m = { 0, 0 };
	size_t i = 0, clean = 0;
	int r;

	if (!redact_tables_ready)
		redact_tables_build();
	while ((i = redact_scan(b, i, len, *prev)) < len) {
		r = redact_match_at(buf + i, len - i, i ? b[i - 1] : *prev, final, &m);
		if (r == REDACT_MORE)
			break;
		if (r == REDACT_NO) {
			i++;
			continue;
		}
		if (i + m.keep > clean)
			emit(buf + clean, i + m.keep - clean, arg);
		emit(REDACT_MARK, sizeof REDACT_MARK - 1, arg);
		i += m.end;
		clean = i;
	}
	if (i > clean)
		emit(buf + clean, i - clean, arg);
	if (i)
		*prev = b[i - 1];
	return i;
}

static void
redact_to_strbuf(const char *data, size_t len, void *arg)
{
	strbuf_add(arg, data, len);
}

char *
redact_string(const char *s)
{
	strbuf out = { 0 };
	int prev = -1;

	if (!s)
		return xstrdup("");
	redact_run(s, strlen(s), &prev, 1, redact_to_strbuf, &out);
	return strbuf_detach(&out);
}

redact_stream *
redact_stream_new(void (*emit)(const char *data, size_t len, void *arg), void *arg)
{
	redact_stream *s = xcalloc(1, sizeof *s);

	s->prev = -1;
	s->emit = emit;
	s->arg = arg;
	return s;
}

/* Keeps pend[used, len) as the held-back tail. */
static void
redact_stream_keep(redact_stream *s, size_t used)
{
	memmove(s->pend.buf, s->pend.buf + used, s->pend.len - used);
	s->pend.len -= used;
	s->pend.buf[s->pend.len] = '\0';
}

void
redact_stream_feed(redact_stream *s, const char *data, size_t len)
{
	size_t used;

	/* A held-back tail is settled with a bounded piece of the new input
	 * joined to it; the bulk is then redacted where it lies, uncopied. */
	while (len && s->pend.len) {
		size_t held = s->pend.len, take = len < REDACT_JOIN ? len : REDACT_JOIN;

		strbuf_add(&s->pend, data, take);
		used = redact_run(s->pend.buf, s->pend.len, &s->prev, 0, s->emit, s->arg);
		if (used < held) {
			redact_stream_keep(s, used);
			data += take;
			len -= take;
			continue;
		}
		strbuf_reset(&s->pend);
		data += used - held;
		len -= used - held;
	}
	if (!len)
		return;
	used = redact_run(data, len, &s->prev, 0, s->emit, s->arg);
	if (used < len)
		strbuf_add(&s->pend, data + used, len - used);
}

void
redact_stream_flush(redact_stream *s)
{
	if (!s->pend.len)
		return;
	redact_run(s->pend.buf, s->pend.len, &s->prev, 1, s->emit, s->arg);
	strbuf_reset(&s->pend);
}

void
redact_stream_free(redact_stream *s)
{
	if (!s)
		return;
	strbuf_free(&s->pend);
	free(s);
}
