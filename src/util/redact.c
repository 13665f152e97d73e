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
/* Bytes that may start a match; rebuilt when the secrets change. */
static unsigned char redact_start[256];
static int redact_start_ready;

struct redact_stream {
	strbuf pend;
	int prev;
	void (*emit)(const char *data, size_t len, void *arg);
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
	redact_start_ready = 0;
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
	redact_start_ready = 0;
}

static int
redact_is_word(int c)
{
	return c >= 0 && (isalnum(c) || c == '_');
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
		if (fold ? tolower((unsigned char)p[i]) != needle[i] : p[i] != needle[i])
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
redact_match_secret(const char *p, size_t avail, int final, struct redact_match *m)
{
	int more = 0;
	size_t i;

	for (i = 0; i < redact_nsecrets; i++) {
		const char *sec = redact_secrets[i];
		int r = redact_prefix(p, avail, sec, strlen(sec), 0);

		if (r == REDACT_YES && !more) {
			m->keep = 0;
			m->end = strlen(sec);
			return REDACT_YES;
		}
		if (r == REDACT_MORE && !final)
			more = 1;
	}
	return more ? REDACT_MORE : REDACT_NO;
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

static size_t
redact_blanks(const char *p, size_t avail, size_t i)
{
	while (i < avail && (p[i] == ' ' || p[i] == '\t'))
		i++;
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
	i = redact_blanks(p, avail, 6);
	if (i == avail)
		return final ? REDACT_NO : REDACT_MORE;
	if (i == 6)
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
	int r = redact_prefix(p, avail, name, nl, 1);

	if (r != REDACT_YES)
		return r == REDACT_MORE && !final ? REDACT_MORE : REDACT_NO;
	i = nl;
	if (i < avail && (p[i] == '"' || p[i] == '\''))
		i++;
	i = redact_blanks(p, avail, i);
	if (i == avail)
		return final ? REDACT_NO : REDACT_MORE;
	if (p[i] != ':')
		return REDACT_NO;
	i = redact_blanks(p, avail, i + 1);
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

static int
redact_combine(int acc, int r)
{
	return acc == REDACT_MORE || r == REDACT_MORE ? REDACT_MORE : REDACT_NO;
}

/* Decides at p (prev = the byte before it, -1 at the start): a match, no
 * match, or MORE when only more input can tell (never when final). A
 * candidate that may still grow wins over a shorter certain one. */
static int
redact_match_at(const char *p, size_t avail, int prev, int final, struct redact_match *m)
{
	int acc = REDACT_NO, r;
	size_t i;

	r = redact_match_secret(p, avail, final, m);
	if (r == REDACT_YES)
		return r;
	acc = redact_combine(acc, r);
	if (!redact_is_word(prev)) {
		for (i = 0; i < sizeof redact_shapes / sizeof *redact_shapes; i++) {
			if ((r = redact_match_shape(&redact_shapes[i], p, avail, final, m)) == REDACT_YES)
				return acc == REDACT_MORE ? REDACT_MORE : r;
			acc = redact_combine(acc, r);
		}
		if ((r = redact_match_bearer(p, avail, final, m)) == REDACT_YES)
			return acc == REDACT_MORE ? REDACT_MORE : r;
		acc = redact_combine(acc, r);
		if (prev != '-') {
			for (i = 0; i < sizeof redact_headers / sizeof *redact_headers; i++) {
				if ((r = redact_match_header(redact_headers[i], p, avail, final, m)) == REDACT_YES)
					return acc == REDACT_MORE ? REDACT_MORE : r;
				acc = redact_combine(acc, r);
			}
		}
	}
	if ((r = redact_match_userinfo(p, avail, final, m)) == REDACT_YES)
		return acc == REDACT_MORE ? REDACT_MORE : r;
	return redact_combine(acc, r);
}

/* Whether a match could start with byte c: lets plain text be copied in
 * runs without trying every pattern at every byte. */
static int
redact_may_start(int c)
{
	size_t i;

	if (c == ':')
		return 1;
	for (i = 0; i < redact_nsecrets; i++)
		if ((unsigned char)redact_secrets[i][0] == c)
			return 1;
	for (i = 0; i < sizeof redact_shapes / sizeof *redact_shapes; i++)
		if ((unsigned char)redact_shapes[i].prefix[0] == c)
			return 1;
	c = tolower(c);
	if (c == 'b')
		return 1;
	for (i = 0; i < sizeof redact_headers / sizeof *redact_headers; i++)
		if (redact_headers[i][0] == c)
			return 1;
	return 0;
}

/* Redacts buf[0, len) into out; returns how many bytes were consumed (the
 * rest must wait for more input). *prev carries the last consumed byte. */
static size_t
redact_run(const char *buf, size_t len, int *prev, int final, strbuf *out)
{
	struct redact_match m;
	size_t i = 0, run;
	int c;

	if (!redact_start_ready) {
		for (c = 0; c < 256; c++)
			redact_start[c] = (unsigned char)redact_may_start(c);
		redact_start_ready = 1;
	}
	while (i < len) {
		for (run = i; run < len && !redact_start[(unsigned char)buf[run]]; run++)
			;
		if (run > i) {
			strbuf_add(out, buf + i, run - i);
			*prev = (unsigned char)buf[run - 1];
			i = run;
			continue;
		}
		c = redact_match_at(buf + i, len - i, *prev, final, &m);
		if (c == REDACT_MORE)
			break;
		if (c == REDACT_YES) {
			strbuf_add(out, buf + i, m.keep);
			strbuf_addstr(out, REDACT_MARK);
			*prev = (unsigned char)buf[i + m.end - 1];
			i += m.end;
			continue;
		}
		strbuf_addch(out, buf[i]);
		*prev = (unsigned char)buf[i];
		i++;
	}
	return i;
}

char *
redact_string(const char *s)
{
	strbuf out = { 0 };
	int prev = -1;

	if (!s)
		return xstrdup("");
	redact_run(s, strlen(s), &prev, 1, &out);
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

static void
redact_stream_process(redact_stream *s, int final)
{
	strbuf out = { 0 };
	size_t used;

	used = redact_run(s->pend.buf, s->pend.len, &s->prev, final, &out);
	if (out.len)
		s->emit(out.buf, out.len, s->arg);
	strbuf_free(&out);
	if (used == s->pend.len) {
		strbuf_reset(&s->pend);
	} else if (used > 0) {
		memmove(s->pend.buf, s->pend.buf + used, s->pend.len - used);
		s->pend.len -= used;
		s->pend.buf[s->pend.len] = '\0';
	}
}

void
redact_stream_feed(redact_stream *s, const char *data, size_t len)
{
	if (!len)
		return;
	strbuf_add(&s->pend, data, len);
	redact_stream_process(s, 0);
}

void
redact_stream_flush(redact_stream *s)
{
	if (s->pend.len)
		redact_stream_process(s, 1);
}

void
redact_stream_free(redact_stream *s)
{
	if (!s)
		return;
	strbuf_free(&s->pend);
	free(s);
}
