#include "config.h"

#include "kaggle/api.h"
#include "kaggle/auth.h"
#include "kaggle/client.h"
#include "util/fs.h"
#include "util/http.h"
#include "util/settings.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Retries of one call: 429 and 5xx back off (Retry-After honoured) up to
 * about a minute in all; a download retries more, as it resumes. */
#define CLIENT_RETRIES 4
#define CLIENT_FETCH_RETRIES 8

struct kaggle_client {
	loop *l;
	kaggle_auth auth;
	char *endpoint;
};

kaggle_client *
kaggle_client_open(loop *l, ak_err *e)
{
	kaggle_client *c = xcalloc(1, sizeof(*c));

	c->l = l;
	if (kaggle_auth_load(&c->auth, e) < 0) {
		free(c);
		return NULL;
	}
	c->endpoint = kaggle_endpoint(settings_get("kaggle.endpoint"), e);
	if (!c->endpoint) {
		kaggle_auth_clean(&c->auth);
		free(c);
		return NULL;
	}
	if (c->auth.warning)
		fprintf(stderr, "autokaggle: warning: %s\n", c->auth.warning);
	return c;
}

void
kaggle_client_close(kaggle_client *c)
{
	if (!c)
		return;
	kaggle_auth_clean(&c->auth);
	free(c->endpoint);
	free(c);
}

const char *
kaggle_client_auth_source(const kaggle_client *c)
{
	return c->auth.source;
}

const char *
kaggle_client_endpoint(const kaggle_client *c)
{
	return c->endpoint;
}

/* What the child needs that the scrubbed environment of stage children
 * leaves out: the Kaggle credentials and endpoint, where the cache and the
 * configuration live, and proxies even when they carry a password. */
static const char *const kaggle_env_names[] = {
	"KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR", "KAGGLE_API_ENDPOINT",
	"KAGGLE_KERNEL_RUN_TYPE", "KAGGLE_DATA_PROXY_URL", "KAGGLE_API_V1_TOKEN", "AUTOKAGGLE_CONFIG",
	"AUTOKAGGLE_MAX_EXTRACT", "AUTOKAGGLE_KERNEL_POLL", "AUTOKAGGLE_KERNEL_START_GRACE", "XDG_CACHE_HOME",
	"XDG_CONFIG_HOME", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
	"all_proxy", "no_proxy", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR",
};

char **
kaggle_client_child_env(void)
{
	size_t n = sizeof(kaggle_env_names) / sizeof(kaggle_env_names[0]), i, k = 0;
	char **env = xcalloc(n + 1, sizeof(char *));

	for (i = 0; i < n; i++) {
		const char *v = getenv(kaggle_env_names[i]);

		if (v)
			env[k++] = xasprintf("%s=%s", kaggle_env_names[i], v);
	}
	return env;
}

static void
client_retry_note(void *arg, int attempt, double delay_s, const char *why)
{
	(void)arg;
	fprintf(stderr, "autokaggle: %s; retrying in %.0f s (retry %d)\n", why, delay_s < 1 ? 1 : delay_s,
		attempt);
}

/* POSTs body to a method of a service, retrying as the client does; -1
 * when no reply came (the error says which call). A redirect comes back
 * as is. */
static int
client_post(kaggle_client *c, const char *service, const char *method, const char *body, http_response *r,
	ak_err *e)
{
	const char *headers[] = { c->auth.header, "Content-Type: application/json", "Accept: application/json",
		NULL };
	char *url = kaggle_api_url(c->endpoint, service, method);
	http_request rq = { 0 };
	int rc;

	rq.method = "POST";
	rq.url = url;
	rq.headers = headers;
	rq.body = body;
	rq.body_len = strlen(body);
	rq.max_retries = CLIENT_RETRIES;
	rq.on_retry = client_retry_note;
	rc = http_perform(c->l, &rq, r, e);
	if (rc < 0)
		err_prefix(e, "calling Kaggle (%s)", method);
	free(url);
	return rc;
}

char *
kaggle_client_call(kaggle_client *c, const char *method, const char *body, const char *slug, size_t *len,
	ak_err *e)
{
	return kaggle_client_call_service(c, KAGGLE_API_COMPETITIONS, method, body, slug, len, e);
}

char *
kaggle_client_call_service(kaggle_client *c, const char *service, const char *method, const char *body,
	const char *name, size_t *len, ak_err *e)
{
	http_response r = { 0 };
	char *reply = NULL;
	const char *slug = name;

	if (client_post(c, service, method, body, &r, e) == 0 &&
	    kaggle_api_error(r.status, r.body ? r.body : "", r.body_len, slug, method, c->auth.source, e) == 0) {
		reply = r.body ? r.body : xstrdup("");
		*len = r.body_len;
		r.body = NULL;
	}
	http_response_clean(&r);
	return reply;
}

/* ---- downloads ---- */

typedef struct fetch_progress {
	const char *name;
	int tty;
	double started, last;
	uint64_t offset;        /* bytes on disk before this transfer */
	int shown;
} fetch_progress;

static void
fetch_human(double b, char *buf, size_t n)
{
	const char *unit[] = { "B", "kB", "MB", "GB", "TB" };
	int u = 0;

	while (b >= 1000 && u < 4) {
		b /= 1000;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
}

static void
fetch_on_progress(void *arg, uint64_t done, uint64_t total)
{
	fetch_progress *p = arg;
	double now = loop_now(), rate;
	char have[32], all[32], speed[32], eta[32] = "";

	if (now - p->last < (p->tty ? 0.2 : 10.0) && !(total && done == total))
		return;
	p->last = now;
	rate = now > p->started ? (double)done / (now - p->started) : 0;
	fetch_human((double)(p->offset + done), have, sizeof(have));
	fetch_human(rate, speed, sizeof(speed));
	if (total) {
		fetch_human((double)(p->offset + total), all, sizeof(all));
		if (rate > 0 && done < total)
			snprintf(eta, sizeof(eta), ", %.0f s left", (double)(total - done) / rate);
	} else {
		snprintf(all, sizeof(all), "?");
	}
	fprintf(stderr, "%sdownloading %s: %s of %s, %s/s%s%s", p->tty ? "\r\033[K" : "", p->name, have, all,
		speed, eta, p->tty ? "" : "\n");
	p->shown = 1;
}

/* An answer to judge as the API's reply rather than the file itself: an
 * error status, or JSON (an error may come as 200 with "code" set). */
static int
fetch_is_reply(const http_response *r)
{
	return r->body && (r->status >= 400 || (r->content_type && strstr(r->content_type, "json")));
}

/* The storage URL the method redirects to, or (when it answered with the
 * file itself) the body written to part. 1 = a URL in *location, 0 = the
 * file is in part already. */
static int
fetch_locate(kaggle_client *c, const char *method, const char *body, const char *slug, const char *part,
	char **location, ak_err *e)
{
	http_response r = { 0 };
	int rc = -1;

	if (client_post(c, KAGGLE_API_COMPETITIONS, method, body, &r, e) < 0)
		goto out;
	if (r.status >= 300 && r.status < 400 && r.location) {
		*location = xstrdup(r.location);
		rc = 1;
	} else if (r.status >= 300 && r.status < 400) {
		err_kind_set(e, ERR_SERVER, "Kaggle redirected the download of %s nowhere (no Location)", slug);
	} else if (kaggle_api_error(r.status, fetch_is_reply(&r) ? r.body : NULL, r.body_len, slug, method,
			   c->auth.source, e) == 0) {
		rc = r.body_len == 0 ? err_kind_set(e, ERR_SERVER, "Kaggle sent an empty download for %s", slug)
			: fs_write_atomic(part, r.body, r.body_len, 0600, e);
	}
out:
	http_response_clean(&r);
	return rc;
}

static long long
fetch_size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

/* The .part file exists with mode 0600 before the transfer appends to it. */
static int
fetch_part_create(const char *part, ak_err *e)
{
	int fd = open(part, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return err_sys(e, "cannot write %s", part);
	close(fd);
	return 0;
}

/* GETs a storage URL into part, resumed from what part holds, with the
 * checks every download gets; the storage request carries no Kaggle
 * credentials. */
static int
fetch_part(kaggle_client *c, const char *location, const char *part, const char *name, ak_err *e)
{
	fetch_progress p = { .name = name, .tty = isatty(STDERR_FILENO) };
	http_request rq = { 0 };
	http_response r = { 0 };
	int rc = -1;

	p.offset = (uint64_t)fetch_size_of(part);
	p.started = p.last = loop_now();
	rq.method = "GET";
	rq.url = location;
	rq.out_path = part;
	rq.resume = 1;
	rq.follow_redirects = 1;
	rq.max_retries = CLIENT_FETCH_RETRIES;
	rq.on_retry = client_retry_note;
	rq.on_progress = fetch_on_progress;
	rq.arg = &p;
	if (http_perform(c->l, &rq, &r, e) < 0) {
		err_prefix(e, "downloading %s (what arrived is kept and the next try resumes)", name);
		goto out;
	}
	if (p.shown && p.tty)
		fputc('\n', stderr);
	if (r.status == 416) {
		/* The part is longer than the file: it is not this file. */
		unlink(part);
		err_kind_set(e, ERR_SERVER, "the partial download of %s did not match the file on Kaggle; it was removed: re-run to download it again", name);
		goto out;
	}
	if (r.status != 200 && r.status != 206) {
		err_kind_set(e, r.status >= 500 ? ERR_SERVER : ERR_FORBIDDEN,
			"Kaggle's storage refused the download of %s (HTTP %ld): re-run; if it persists, the signed link may have expired",
			name, r.status);
		goto out;
	}
	if (r.content_length >= 0 && r.bytes != (uint64_t)r.content_length) {
		err_kind_set(e, ERR_NETWORK, "the download of %s ended early (%llu of %lld bytes): re-run to resume it",
			name, (unsigned long long)r.bytes, r.content_length);
		goto out;
	}
	rc = 0;
out:
	http_response_clean(&r);
	return rc;
}

static const char *
fetch_name(const char *dest)
{
	return strrchr(dest, '/') ? strrchr(dest, '/') + 1 : dest;
}

int
kaggle_client_fetch(kaggle_client *c, const char *method, const char *body, const char *slug, const char *dest,
	ak_err *e)
{
	char *part = xasprintf("%s.part", dest), *location = NULL;
	int rc = -1, located;

	if (fetch_part_create(part, e) < 0)
		goto out;
	located = fetch_locate(c, method, body, slug, part, &location, e);
	if (located < 0)
		goto out;
	if (located == 1 && fetch_part(c, location, part, fetch_name(dest), e) < 0)
		goto out;
	if (rename(part, dest) < 0) {
		err_sys(e, "cannot rename %s to %s", part, dest);
		goto out;
	}
	rc = 0;
out:
	free(location);
	free(part);
	return rc;
}

int
kaggle_client_download(kaggle_client *c, const char *url, const char *dest, ak_err *e)
{
	char *part = xasprintf("%s.part", dest);
	int rc = -1;

	if (fetch_part_create(part, e) == 0 && fetch_part(c, url, part, fetch_name(dest), e) == 0) {
		if (rename(part, dest) < 0)
			err_sys(e, "cannot rename %s to %s", part, dest);
		else
			rc = 0;
	}
	free(part);
	return rc;
}

const char *
kaggle_client_username(kaggle_client *c, ak_err *e)
{
	const char *bearer = "Authorization: Bearer ";
	char *body, *reply, *user = NULL;
	size_t len;

	if (c->auth.username)
		return c->auth.username;
	if (strncmp(c->auth.header, bearer, strlen(bearer)) != 0) {
		err_kind_set(e, ERR_AUTH, "the Kaggle credentials from %s name no user", c->auth.source);
		return NULL;
	}
	body = kaggle_api_introspect_token_body(c->auth.header + strlen(bearer));
	reply = kaggle_client_call_service(c, KAGGLE_API_OAUTH, "IntrospectToken", body, NULL, &len, e);
	free(body);
	if (reply && kaggle_api_parse_token_user(reply, len, &user, e) == 0 && !*user) {
		err_kind_set(e, ERR_AUTH, "Kaggle says the API token from %s is not active: create a new one at "
			"https://www.kaggle.com/settings", c->auth.source);
		free(user);
		user = NULL;
	}
	free(reply);
	c->auth.username = user;
	return user;
}

int
kaggle_client_put(kaggle_client *c, const char *url, const char *path, ak_err *e)
{
	http_request rq = { 0 };
	http_response r = { 0 };
	int rc = -1;

	rq.method = "PUT";
	rq.url = url;
	rq.upload_path = path;
	rq.max_retries = CLIENT_RETRIES;
	rq.on_retry = client_retry_note;
	if (http_perform(c->l, &rq, &r, e) < 0) {
		err_prefix(e, "uploading %s", path);
	} else if (r.status != 200 && r.status != 201) {
		err_kind_set(e, r.status >= 500 ? ERR_SERVER : ERR_FORBIDDEN,
			"Kaggle's storage refused the upload of %s (HTTP %ld): nothing was submitted; re-run", path,
			r.status);
	} else {
		rc = 0;
	}
	http_response_clean(&r);
	return rc;
}
