#include "config.h"

#include "kaggle/auth.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/redact.h"
#include "util/strbuf.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A credentials file is a few hundred bytes; anything larger is not one. */
#define AUTH_MAX_FILE (64 << 10)

#define AUTH_HOWTO                                                                                 \
	"create an API token on https://www.kaggle.com/settings (API, Create New Token) and save it " \
	"in ~/.kaggle/access_token (chmod 600), or set KAGGLE_API_TOKEN"

/* The places looked at so far, for the message when none held credentials. */
typedef struct auth_search {
	strbuf looked;
	const char *home;
} auth_search;

static const char *
auth_env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

static void
auth_looked(auth_search *s, const char *place)
{
	strbuf_addstr(&s->looked, s->looked.len ? ", " : "");
	strbuf_addstr(&s->looked, place);
}

/* A credential goes into an HTTP header: visible ASCII only, so that no
 * value can end the header line and start another. */
static int
auth_is_clean(const char *v)
{
	for (; *v; v++)
		if ((unsigned char)*v <= 0x20 || (unsigned char)*v >= 0x7f)
			return 0;
	return 1;
}

static char *
auth_trim(char *s)
{
	size_t n;

	s += strspn(s, " \t\r\n");
	n = strlen(s);
	while (n > 0 && strchr(" \t\r\n", s[n - 1]))
		n--;
	s[n] = '\0';
	return s;
}

/* Reads a small credentials file: 1 with its text, 0 when there is no
 * such file, -1 (ERR_AUTH) when it exists and cannot be read. */
static int
auth_read_file(const char *path, char **text, ak_err *e)
{
	struct stat st;
	ak_err why = { 0 };

	*text = NULL;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return err_kind_set(e, ERR_AUTH, "cannot look at %s (Kaggle credentials): %s", path, strerror(errno));
	}
	if (S_ISREG(st.st_mode) && st.st_size > AUTH_MAX_FILE)
		return err_kind_set(e, ERR_AUTH, "%s is %lld bytes, too large for Kaggle credentials: check the file",
			path, (long long)st.st_size);
	*text = fs_read_file(path, NULL, &why);
	if (!*text)
		return err_kind_set(e, ERR_AUTH, "%s (Kaggle credentials): %s", path, why.msg);
	return 1;
}

static void
auth_set(kaggle_auth *a, char *header, const char *source)
{
	a->header = header;
	a->source = xstrdup(source);
}

/* Takes a token read from `source`: trimmed, checked, registered secret. */
static int
auth_use_token(kaggle_auth *a, char *raw, const char *source, ak_err *e)
{
	char *token = auth_trim(raw);

	if (!*token)
		return err_kind_set(e, ERR_AUTH, "%s holds no Kaggle API token: %s", source, AUTH_HOWTO);
	redact_add_secret(token);
	if (!auth_is_clean(token))
		return err_kind_set(e, ERR_AUTH,
			"%s holds characters a Kaggle API token cannot have (blanks or control characters inside it): "
			"copy the token again from https://www.kaggle.com/settings",
			source);
	auth_set(a, xasprintf("Authorization: Bearer %s", token), source);
	return 1;
}

/* A token in the file at path; 1 found, 0 no such file, -1 error. */
static int
auth_token_file(kaggle_auth *a, const char *path, const char *source, ak_err *e)
{
	char *text;
	int rc = auth_read_file(path, &text, e);

	if (rc > 0)
		rc = auth_use_token(a, text, source, e);
	free(text);
	return rc;
}

/* A file that a variable names must be there: the user pointed at it. */
static int
auth_token_named(kaggle_auth *a, const char *var, const char *path, ak_err *e)
{
	char *source = xasprintf("the file named by %s (%s)", var, path);
	int rc = auth_token_file(a, path, source, e);

	if (rc == 0)
		rc = err_kind_set(e, ERR_AUTH, "%s names %s, which does not exist: correct or unset %s", var, path,
			var);
	free(source);
	return rc;
}

static int
auth_token_env(kaggle_auth *a, auth_search *s, ak_err *e)
{
	const char *v = auth_env("KAGGLE_API_TOKEN");
	struct stat st;
	char *copy;
	int rc;

	if (!v) {
		auth_looked(s, "KAGGLE_API_TOKEN (not set)");
		return 0;
	}
	/* A token has no '/': such a value is a path, even a missing one. */
	if (stat(v, &st) == 0 || strchr(v, '/'))
		return auth_token_named(a, "KAGGLE_API_TOKEN", v, e);
	copy = xstrdup(v);
	rc = auth_use_token(a, copy, "KAGGLE_API_TOKEN", e);
	free(copy);
	return rc;
}

static int
auth_tokens(kaggle_auth *a, auth_search *s, ak_err *e)
{
	static const char *const files[] = { ".kaggle/access_token", ".kaggle/access_token.txt" };
	const char *v1 = auth_env("KAGGLE_API_V1_TOKEN");
	size_t i;
	int rc = 0;

	if (auth_env("KAGGLE_KERNEL_RUN_TYPE") && auth_env("KAGGLE_DATA_PROXY_URL") && v1)
		return auth_token_named(a, "KAGGLE_API_V1_TOKEN", v1, e);
	rc = auth_token_env(a, s, e);
	if (rc == 0 && !s->home)
		auth_looked(s, "~/.kaggle/access_token (HOME is not set)");
	for (i = 0; rc == 0 && s->home && i < sizeof(files) / sizeof(files[0]); i++) {
		char *path = fs_join(s->home, files[i]);

		rc = auth_token_file(a, path, path, e);
		auth_looked(s, path);
		free(path);
	}
	return rc;
}

/* Where kaggle.json is looked for; NULL when no directory can be told. */
static char *
auth_json_path(const char *home)
{
	const char *dir = auth_env("KAGGLE_CONFIG_DIR"), *xdg = auth_env("XDG_CONFIG_HOME");
	char *path, *kdir;

	if (dir)
		return fs_join(dir, "kaggle.json");
	if (home) {
		kdir = fs_join(home, ".kaggle");
		if (fs_is_dir(kdir)) {
			path = fs_join(kdir, "kaggle.json");
			free(kdir);
			return path;
		}
		free(kdir);
	}
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/kaggle/kaggle.json", xdg);
	return home ? xasprintf("%s/.config/kaggle/kaggle.json", home) : NULL;
}

/* Shell-quotes a path for a command the user copies. Caller frees. */
static char *
auth_shell_quote(const char *path)
{
	strbuf sb = { 0 };

	if (strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+,=") == strlen(path))
		return xstrdup(path);
	strbuf_addch(&sb, '\'');
	for (; *path; path++) {
		if (*path == '\'')
			strbuf_addstr(&sb, "'\\''");
		else
			strbuf_addch(&sb, *path);
	}
	strbuf_addch(&sb, '\'');
	return strbuf_detach(&sb);
}

static char *
auth_permission_warning(const char *path)
{
	struct stat st;
	char *quoted, *w;

	if (stat(path, &st) != 0 || !(st.st_mode & (S_IRGRP | S_IROTH)))
		return NULL;
	quoted = auth_shell_quote(path);
	w = xasprintf("%s is readable by other users of this machine, and it holds your Kaggle API key: "
		      "run 'chmod 600 %s'",
		path, quoted);
	free(quoted);
	return w;
}

/* The legacy pair as read so far: from kaggle.json, then the environment. */
typedef struct auth_pair {
	char *username;
	char *key;
} auth_pair;

/* One field of kaggle.json: 0 (kept when it is a string, left alone when
 * absent), or -1 when it is there and not a string. */
static int
auth_json_field(const cJSON *json, const char *name, char **out, const char *path, ak_err *e)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(json, name);

	if (!item)
		return 0;
	if (!cJSON_IsString(item) || !item->valuestring)
		return err_kind_set(e, ERR_AUTH, "%s: \"%s\" must be a string (kaggle.json holds "
						 "{\"username\": \"...\", \"key\": \"...\"}): download it again from "
						 "https://www.kaggle.com/settings",
			path, name);
	*out = xstrdup(item->valuestring);
	return 0;
}

static int
auth_json_read(auth_pair *p, const char *path, ak_err *e)
{
	char *text;
	cJSON *json = NULL;
	ak_err why = { 0 };
	int rc = auth_read_file(path, &text, e);

	if (rc <= 0)
		return rc;
	json = jsonfile_parse(text, strlen(text), path, &why);
	free(text);
	if (!json)
		return err_kind_set(e, ERR_AUTH, "%s, or download a new one from https://www.kaggle.com/settings",
			why.msg);
	if (!cJSON_IsObject(json))
		rc = err_kind_set(e, ERR_AUTH, "%s must hold a JSON object {\"username\": \"...\", \"key\": \"...\"}",
			path);
	else if (auth_json_field(json, "key", &p->key, path, e) < 0 ||
		 auth_json_field(json, "username", &p->username, path, e) < 0)
		rc = -1;
	redact_add_secret(p->key);
	cJSON_Delete(json);
	return rc;
}

/* KAGGLE_USERNAME and KAGGLE_KEY over what the file gave; their names go
 * into the source. */
static void
auth_pair_env(auth_pair *p, strbuf *source)
{
	static const char *const vars[] = { "KAGGLE_USERNAME", "KAGGLE_KEY" };
	char **fields[] = { &p->username, &p->key };
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *v = auth_env(vars[i]);

		if (!v)
			continue;
		free(*fields[i]);
		*fields[i] = xstrdup(v);
		strbuf_addstr(source, source->len ? " and " : "");
		strbuf_addstr(source, vars[i]);
	}
	redact_add_secret(p->key);
}

static int
auth_pair_use(kaggle_auth *a, auth_pair *p, const char *source, ak_err *e)
{
	unsigned char *b64;
	char *plain;
	size_t n;

	if (!p->username || !*p->username)
		return err_kind_set(e, ERR_AUTH, "the Kaggle key from %s comes without a user name (\"username\" in "
						 "kaggle.json, or KAGGLE_USERNAME): add it, or %s",
			source, AUTH_HOWTO);
	if (!p->key || !*p->key)
		return err_kind_set(e, ERR_AUTH, "the Kaggle user name from %s comes without a key (\"key\" in "
						 "kaggle.json, or KAGGLE_KEY): add it, or %s",
			source, AUTH_HOWTO);
	if (!auth_is_clean(p->key) || !auth_is_clean(p->username) || strchr(p->username, ':'))
		return err_kind_set(e, ERR_AUTH,
			"%s: the user name or key holds characters Kaggle's never have (blanks, control "
			"characters, or ':' in the user name): download kaggle.json again from "
			"https://www.kaggle.com/settings",
			source);
	plain = xasprintf("%s:%s", p->username, p->key);
	n = strlen(plain);
	b64 = xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock(b64, (const unsigned char *)plain, (int)n);
	redact_add_secret((const char *)b64);
	auth_set(a, xasprintf("Authorization: Basic %s", (const char *)b64), source);
	a->username = xstrdup(p->username);
	free(b64);
	free(plain);
	return 1;
}

static int
auth_legacy(kaggle_auth *a, auth_search *s, ak_err *e)
{
	auth_pair p = { NULL, NULL };
	strbuf source = { 0 };
	char *path = auth_json_path(s->home);
	int rc = 0, env = auth_env("KAGGLE_USERNAME") && auth_env("KAGGLE_KEY");

	auth_looked(s, "KAGGLE_USERNAME and KAGGLE_KEY (not set)");
	if (!path)
		auth_looked(s, "kaggle.json (HOME is not set)");
	/* Both variables set: the file could add nothing. */
	if (path && !env) {
		rc = auth_json_read(&p, path, e);
		auth_looked(s, path);
		if (rc > 0) {
			strbuf_addstr(&source, path);
			a->warning = auth_permission_warning(path);
		}
	}
	if (rc >= 0) {
		auth_pair_env(&p, &source);
		if (source.len)
			rc = auth_pair_use(a, &p, strbuf_str(&source), e);
	}
	free(p.username);
	free(p.key);
	free(path);
	strbuf_free(&source);
	return rc;
}

int
kaggle_auth_load(kaggle_auth *a, ak_err *e)
{
	auth_search s = { { 0 }, NULL };
	const char *home = auth_env("HOME");
	int rc;

	kaggle_auth_clean(a);
	s.home = home && home[0] == '/' ? home : NULL;
	rc = auth_tokens(a, &s, e);
	if (rc == 0)
		rc = auth_legacy(a, &s, e);
	if (rc == 0)
		err_kind_set(e, ERR_AUTH, "no Kaggle credentials found (looked at %s): %s", strbuf_str(&s.looked),
			AUTH_HOWTO);
	strbuf_free(&s.looked);
	if (rc <= 0) {
		kaggle_auth_clean(a);
		return -1;
	}
	return 0;
}

void
kaggle_auth_clean(kaggle_auth *a)
{
	free(a->header);
	free(a->username);
	free(a->source);
	free(a->warning);
	memset(a, 0, sizeof(*a));
}

/* Why an endpoint is no API prefix; NULL when it is one. */
static const char *
auth_endpoint_problem(const char *url)
{
	const char *host, *path;
	size_t n = strlen(url);

	if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return "it is not an http or https URL";
	if (!auth_is_clean(url))
		return "it holds blanks or control characters";
	path = host + strcspn(host, "/?#");
	if (path == host)
		return "it names no host";
	if (memchr(host, '@', (size_t)(path - host)))
		return "it carries a user name or password, which Kaggle does not take there";
	if (strpbrk(path, "?#"))
		return "it has a query or fragment";
	if (n < 3 || strcmp(url + n - 3, "/v1") != 0 || url + n - 3 < path)
		return "it does not end in /v1";
	return NULL;
}

char *
kaggle_endpoint(const char *configured, ak_err *e)
{
	const char *env = auth_env("KAGGLE_API_ENDPOINT"), *from = "KAGGLE_API_ENDPOINT", *why;
	char *url, *shown, *safe;
	size_t n;

	if (!env) {
		env = configured && *configured ? configured : KAGGLE_ENDPOINT_DEFAULT;
		from = "the configured Kaggle endpoint";
	}
	url = xstrdup(env);
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		url[--n] = '\0';
	why = auth_endpoint_problem(url);
	if (!why)
		return url;
	shown = redact_string(env);
	safe = termsafe(shown, TERMSAFE_LINE);
	err_kind_set(e, ERR_INPUT, "%s is '%s', but %s: give the API's address up to and including /v1, such as %s",
		from, safe, why, KAGGLE_ENDPOINT_DEFAULT);
	free(safe);
	free(shown);
	free(url);
	return NULL;
}

void
kaggle_auth_guard_secrets(void)
{
	static int done;
	kaggle_auth a = { 0 };

	if (done)
		return;
	done = 1;
	if (kaggle_auth_load(&a, NULL) == 0)
		kaggle_auth_clean(&a);
}
