#include "config.h"

#include "util/http.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HTTP_USER_AGENT "autokaggle/" PACKAGE_VERSION
#define HTTP_DEFAULT_CONNECT_MS 15000L
#define HTTP_DEFAULT_IDLE_MS 60000L
#define HTTP_DEFAULT_MAX_BODY ((size_t)16 << 20)
#define HTTP_BACKOFF_CAP 30.0
#define HTTP_PROGRESS_INTERVAL 0.1

enum http_sink { HTTP_SINK_MEMORY, HTTP_SINK_FILE, HTTP_SINK_DISCARD, HTTP_SINK_CALLBACK };

struct http {
	loop *l;
	CURLM *multi;
	int timer_id;
	http_call *calls;
	char *noproxy;
	char *cainfo, *capath;
};

struct http_call {
	http *h;
	http_call *prev, *next;
	CURL *easy;
	int in_multi;
	int finishing;
	struct curl_slist *slist;

	/* the request, with owned copies of its strings */
	http_request rq;
	char *method, *orig_url, *url, *body, *upload_path, *out_path;
	char **headers;
	http_done_cb cb;
	void *arg;

	int redirects;
	int drop_auth;
	int retry_timer;
	int idle_timer;
	double last_activity;

	/* the attempt in flight */
	http_response resp;
	strbuf mem;
	strbuf hdrs;
	int got_byte;                   /* the attempt has received a byte */
	int stopped;                    /* on_data asked to stop */
	char reason[64];
	char *content_range;
	enum http_sink sink;
	int out_fd, upload_fd;
	uint64_t offset;
	uint64_t upload_size, uploaded;
	double last_progress;
	uint64_t reported;
	int failed;
	ak_err fail;
};

/* ---------- small helpers ---------- */

char *
http_url_for_message(const char *url)
{
	if (!url)
		return xstrdup("");
	return xstrndup(url, strcspn(url, "?#"));
}

/* "host" or "host:port" when the port is not the scheme's default. */
static char *
url_host(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *out;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
			out = xasprintf("%s:%s", host, port);
		else
			out = xstrdup(host);
	} else {
		out = http_url_for_message(url);
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return out;
}

/* "scheme://host:port" with the default port filled in, or NULL. */
static char *
url_origin(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *out = NULL;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
		out = xasprintf("%s://%s:%s", scheme, host, port);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return out;
}

static int
header_is(const char *line, const char *name)
{
	size_t n = strlen(name);

	return strncasecmp(line, name, n) == 0 && line[n] == ':';
}

/* A uniform number in [0, 1); seeded once, private to this module so the
 * jitter of two processes started together differs. */
static double
http_random(void)
{
	static uint64_t state;

	if (!state) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		state = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
		state |= 1;
	}
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (double)((state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

double
http_retry_delay(int attempt, const char *retry_after)
{
	double cap = 1.0;
	int i;

	if (retry_after && *retry_after) {
		char *end;
		double s = strtod(retry_after, &end);

		if (end != retry_after && *end == '\0' && s >= 0)
			return s;
		time_t when = curl_getdate(retry_after, NULL);
		if (when != (time_t)-1) {
			double d = difftime(when, time(NULL));
			return d > 0 ? d : 0;
		}
	}
	for (i = 1; i < attempt && cap < HTTP_BACKOFF_CAP; i++)
		cap *= 2;
	if (cap > HTTP_BACKOFF_CAP)
		cap = HTTP_BACKOFF_CAP;
	return cap * http_random();
}

char *
http_response_header(const http_response *r, const char *name)
{
	const char *p = r ? r->headers : NULL;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		if (header_is(p, name)) {
			const char *v = p + strlen(name) + 1;

			v += strspn(v, " \t");
			return xstrndup(v, n - (size_t)(v - p));
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

void
http_response_clean(http_response *r)
{
	if (!r)
		return;
	free(r->body);
	free(r->location);
	free(r->retry_after);
	free(r->content_type);
	free(r->last_modified);
	free(r->headers);
	memset(r, 0, sizeof *r);
	r->content_length = -1;
}

static void
response_reset_headers(http_call *c)
{
	int attempts = c->resp.attempts;

	http_response_clean(&c->resp);
	c->resp.attempts = attempts;
	strbuf_reset(&c->hdrs);
	free(c->content_range);
	c->content_range = NULL;
	c->reason[0] = '\0';
}

static void
call_progress(http_call *c, uint64_t done, uint64_t total, int force)
{
	double now;

	if (!c->rq.on_progress)
		return;
	now = loop_now();
	if (!force && now - c->last_progress < HTTP_PROGRESS_INTERVAL)
		return;
	if (force && done == c->reported)
		return;
	c->last_progress = now;
	c->reported = done;
	c->rq.on_progress(c->rq.arg, done, total);
}

/* What a curl callback returns to abort its transfer, c->fail set. */
static size_t
call_abort(http_call *c)
{
	c->failed = 1;
	return 0;
}

/* ---------- curl callbacks: one attempt's bytes ---------- */

static void
header_status(http_call *c, const char *line, size_t len)
{
	const char *sp = memchr(line, ' ', len);
	size_t rlen;

	response_reset_headers(c);
	if (!sp)
		return;
	c->resp.status = strtol(sp + 1, NULL, 10);
	sp = memchr(sp + 1, ' ', len - (size_t)(sp + 1 - line));
	if (!sp)
		return;
	rlen = len - (size_t)(sp + 1 - line);
	if (rlen >= sizeof c->reason)
		rlen = sizeof c->reason - 1;
	memcpy(c->reason, sp + 1, rlen);
	c->reason[rlen] = '\0';
}

static void
header_field(http_call *c, const char *line)
{
	const char *v = strchr(line, ':') + 1;
	char **slot = NULL;

	v += strspn(v, " \t");
	strbuf_addstr(&c->hdrs, line);
	strbuf_addch(&c->hdrs, '\n');
	if (header_is(line, "Location"))
		slot = &c->resp.location;
	else if (header_is(line, "Retry-After"))
		slot = &c->resp.retry_after;
	else if (header_is(line, "Content-Type"))
		slot = &c->resp.content_type;
	else if (header_is(line, "Last-Modified"))
		slot = &c->resp.last_modified;
	else if (header_is(line, "Content-Range"))
		slot = &c->content_range;
	else if (header_is(line, "Content-Length"))
		c->resp.content_length = strtoll(v, NULL, 10);
	if (slot) {
		free(*slot);
		*slot = xstrdup(v);
	}
}

static int
sink_open_file(http_call *c)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_TRUNC;

	if (c->resp.status == 206 && c->offset > 0) {
		const char *cr = c->content_range;

		if (!cr || strncasecmp(cr, "bytes ", 6) != 0 || strtoull(cr + 6, NULL, 10) != c->offset) {
			char *u = url_host(c->url);

			err_kind_set(&c->fail, ERR_SERVER, "%s resumed %s at the wrong offset (asked for byte %llu)",
				     u, c->out_path, (unsigned long long)c->offset);
			free(u);
			return -1;
		}
		flags = (flags & ~O_TRUNC) | O_APPEND;
	}
	c->out_fd = open(c->out_path, flags, 0666);
	if (c->out_fd < 0)
		return err_cause(&c->fail, errno, "cannot write %s: %s", c->out_path, strerror(errno));
	return 0;
}

/* The final header block has ended: decide where its body goes. */
static int
header_end(http_call *c)
{
	long s = c->resp.status;

	if (s < 200)
		return 0;
	if (c->rq.follow_redirects && s >= 300 && s < 400 && c->resp.location) {
		c->sink = HTTP_SINK_DISCARD;
		return 0;
	}
	if (c->rq.on_data && s >= 200 && s < 300) {
		c->sink = HTTP_SINK_CALLBACK;
		return 0;
	}
	if (c->out_path && s >= 200 && s < 300) {
		if (sink_open_file(c) < 0)
			return -1;
		c->sink = HTTP_SINK_FILE;
		return 0;
	}
	c->sink = HTTP_SINK_MEMORY;
	return 0;
}

static void idle_timer_cb(loop *l, void *arg);
static long idle_ms(const http_call *c);

/* From the first byte on, silence is measured against the idle timeout,
 * which may be shorter than the wait for that byte. */
static void
first_byte(http_call *c)
{
	c->got_byte = 1;
	if (c->idle_timer && c->rq.first_byte_timeout_ms > 0) {
		loop_timer_cancel(c->h->l, c->idle_timer);
		c->idle_timer = loop_timer_add(c->h->l, idle_ms(c), 0, idle_timer_cb, c);
	}
}

static size_t
header_cb(char *data, size_t size, size_t n, void *arg)
{
	http_call *c = arg;
	size_t len = size * n, l = len;
	char *line;

	c->last_activity = loop_now();
	if (!c->got_byte)
		first_byte(c);
	while (l > 0 && (data[l - 1] == '\n' || data[l - 1] == '\r'))
		l--;
	if (l == 0)
		return header_end(c) < 0 ? call_abort(c) : len;
	if (l >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		header_status(c, data, l);
		return len;
	}
	line = xstrndup(data, l);
	if (strchr(line, ':'))
		header_field(c, line);
	free(line);
	return len;
}

static int
sink_write_file(http_call *c, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t w = write(c->out_fd, data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return err_cause(&c->fail, errno, "cannot write %s: %s", c->out_path, strerror(errno));
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

static size_t
write_cb(char *data, size_t size, size_t n, void *arg)
{
	http_call *c = arg;
	size_t len = size * n;
	size_t max = c->rq.max_body ? c->rq.max_body : HTTP_DEFAULT_MAX_BODY;

	c->last_activity = loop_now();
	if (c->sink == HTTP_SINK_DISCARD)
		return len;
	if (c->sink == HTTP_SINK_CALLBACK) {
		c->resp.bytes += len;
		if (c->rq.on_data(c->rq.arg, &c->resp, data, len) != 0) {
			c->stopped = 1;
			return 0;
		}
		return len;
	}
	if (c->sink == HTTP_SINK_FILE) {
		if (sink_write_file(c, data, len) < 0)
			return call_abort(c);
	} else {
		if (c->mem.len + len > max) {
			char *u = url_host(c->url);

			err_set(&c->fail, "the reply from %s is larger than %zu bytes, the most kept in memory", u, max);
			free(u);
			return call_abort(c);
		}
		strbuf_add(&c->mem, data, len);
	}
	c->resp.bytes += len;
	if (!c->upload_path)
		call_progress(c, c->resp.bytes, c->resp.content_length > 0 ? (uint64_t)c->resp.content_length : 0, 0);
	return len;
}

static size_t
read_cb(char *buf, size_t size, size_t n, void *arg)
{
	http_call *c = arg;
	ssize_t r;

	do
		r = read(c->upload_fd, buf, size * n);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		err_cause(&c->fail, errno, "cannot read %s: %s", c->upload_path, strerror(errno));
		call_abort(c);
		return CURL_READFUNC_ABORT;
	}
	c->last_activity = loop_now();
	c->uploaded += (uint64_t)r;
	call_progress(c, c->uploaded, c->upload_size, 0);
	return (size_t)r;
}

/* curl rewinds an upload when a reused connection turns out dead. */
static int
seek_cb(void *arg, curl_off_t off, int origin)
{
	http_call *c = arg;

	if (lseek(c->upload_fd, (off_t)off, origin) < 0)
		return CURL_SEEKFUNC_FAIL;
	c->uploaded = (uint64_t)off;
	return CURL_SEEKFUNC_OK;
}

/* ---------- setting up one attempt ---------- */

static void
build_headers(http_call *c)
{
	char **hp;

	curl_slist_free_all(c->slist);
	c->slist = NULL;
	for (hp = c->headers; hp && *hp; hp++) {
		if (c->drop_auth && (header_is(*hp, "Authorization") || header_is(*hp, "Cookie")))
			continue;
		c->slist = curl_slist_append(c->slist, *hp);
	}
	if (c->offset > 0) {
		char range[64];

		snprintf(range, sizeof range, "Range: bytes=%llu-", (unsigned long long)c->offset);
		c->slist = curl_slist_append(c->slist, range);
	}
	/* Waiting for "100 Continue" costs a second with servers that never send it. */
	if (c->upload_path || c->body)
		c->slist = curl_slist_append(c->slist, "Expect:");
}

static void
setup_method(http_call *c)
{
	CURL *k = c->easy;

	if (c->upload_path) {
		curl_easy_setopt(k, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(k, CURLOPT_READFUNCTION, read_cb);
		curl_easy_setopt(k, CURLOPT_READDATA, c);
		curl_easy_setopt(k, CURLOPT_SEEKFUNCTION, seek_cb);
		curl_easy_setopt(k, CURLOPT_SEEKDATA, c);
		curl_easy_setopt(k, CURLOPT_INFILESIZE_LARGE, (curl_off_t)c->upload_size);
		if (strcmp(c->method, "PUT") != 0)
			curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, c->method);
	} else if (c->body || strcmp(c->method, "POST") == 0) {
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)c->rq.body_len);
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, c->body ? c->body : "");
		if (strcmp(c->method, "POST") != 0)
			curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, c->method);
	} else if (strcmp(c->method, "HEAD") == 0) {
		curl_easy_setopt(k, CURLOPT_NOBODY, 1L);
	} else if (strcmp(c->method, "GET") != 0) {
		curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, c->method);
	}
}

static void
setup_easy(http_call *c)
{
	const http_request *rq = &c->rq;
	CURL *k = c->easy;

	curl_easy_reset(k);
	curl_easy_setopt(k, CURLOPT_PRIVATE, c);
	curl_easy_setopt(k, CURLOPT_URL, c->url);
	curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(k, CURLOPT_USERAGENT, HTTP_USER_AGENT);
	curl_easy_setopt(k, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(k, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(k, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(k, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->h->cainfo)
		curl_easy_setopt(k, CURLOPT_CAINFO, c->h->cainfo);
	if (c->h->capath)
		curl_easy_setopt(k, CURLOPT_CAPATH, c->h->capath);
	curl_easy_setopt(k, CURLOPT_NOPROXY, c->h->noproxy);
	curl_easy_setopt(k, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	curl_easy_setopt(k, CURLOPT_CONNECTTIMEOUT_MS,
			 rq->connect_timeout_ms > 0 ? rq->connect_timeout_ms : HTTP_DEFAULT_CONNECT_MS);
	if (rq->total_timeout_ms > 0)
		curl_easy_setopt(k, CURLOPT_TIMEOUT_MS, rq->total_timeout_ms);
	curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(k, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, c);
	build_headers(c);
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, c->slist);
	setup_method(c);
}

static void
attempt_end(http_call *c)
{
	if (c->idle_timer)
		loop_timer_cancel(c->h->l, c->idle_timer);
	c->idle_timer = 0;
	if (c->out_fd >= 0)
		close(c->out_fd);
	if (c->upload_fd >= 0)
		close(c->upload_fd);
	c->out_fd = c->upload_fd = -1;
}

static int
attempt_open_upload(http_call *c, ak_err *e)
{
	struct stat st;

	c->upload_fd = open(c->upload_path, O_RDONLY | O_CLOEXEC);
	if (c->upload_fd < 0)
		return err_cause(e, errno, "cannot read %s: %s", c->upload_path, strerror(errno));
	if (fstat(c->upload_fd, &st) < 0 || !S_ISREG(st.st_mode))
		return err_kind_set(e, ERR_INPUT, "%s is not a regular file to upload", c->upload_path);
	c->upload_size = (uint64_t)st.st_size;
	c->uploaded = 0;
	return 0;
}

static long
idle_ms(const http_call *c)
{
	if (!c->got_byte && c->rq.first_byte_timeout_ms > 0)
		return c->rq.first_byte_timeout_ms;
	return c->rq.idle_timeout_ms > 0 ? c->rq.idle_timeout_ms : HTTP_DEFAULT_IDLE_MS;
}

/* Starts an attempt on c->url: what was received before is dropped, a
 * resumable download continues from what is on disk. */
static int
call_attempt(http_call *c, ak_err *e)
{
	struct stat st;
	CURLMcode mc;

	response_reset_headers(c);
	strbuf_reset(&c->mem);
	c->sink = HTTP_SINK_MEMORY;
	c->failed = 0;
	c->got_byte = 0;
	c->stopped = 0;
	c->last_progress = 0;
	c->reported = 0;
	c->offset = 0;
	if (c->out_path && c->rq.resume && stat(c->out_path, &st) == 0 && S_ISREG(st.st_mode))
		c->offset = (uint64_t)st.st_size;
	if (c->upload_path && attempt_open_upload(c, e) < 0) {
		attempt_end(c);
		return -1;
	}
	setup_easy(c);
	mc = curl_multi_add_handle(c->h->multi, c->easy);
	if (mc != CURLM_OK) {
		attempt_end(c);
		return err_set(e, "cannot start an HTTP request: %s", curl_multi_strerror(mc));
	}
	c->in_multi = 1;
	/* One timer per idle period, not one per chunk: it re-arms itself for
	 * whatever remains of the period since the last byte moved. */
	c->last_activity = loop_now();
	c->idle_timer = loop_timer_add(c->h->l, idle_ms(c), 0, idle_timer_cb, c);
	return 0;
}

/* ---------- the end of an attempt ---------- */

static void
call_free(http_call *c)
{
	http *h = c->h;
	char **hp;

	if (c->prev)
		c->prev->next = c->next;
	else
		h->calls = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (c->in_multi)
		curl_multi_remove_handle(h->multi, c->easy);
	curl_easy_cleanup(c->easy);
	curl_slist_free_all(c->slist);
	if (c->retry_timer)
		loop_timer_cancel(h->l, c->retry_timer);
	attempt_end(c);
	for (hp = c->headers; hp && *hp; hp++)
		free(*hp);
	free(c->headers);
	free(c->method);
	free(c->orig_url);
	free(c->url);
	free(c->body);
	free(c->upload_path);
	free(c->out_path);
	free(c->content_range);
	http_response_clean(&c->resp);
	strbuf_free(&c->mem);
	strbuf_free(&c->hdrs);
	free(c);
}

static void
call_finish(http_call *c, const ak_err *e)
{
	call_progress(c, c->upload_path ? c->uploaded : c->resp.bytes,
		      c->upload_path ? c->upload_size
				     : (c->resp.content_length > 0 ? (uint64_t)c->resp.content_length : 0),
		      1);
	free(c->resp.body);
	c->resp.body_len = c->mem.len;
	c->resp.body = strbuf_detach(&c->mem);
	free(c->resp.headers);
	c->resp.headers = strbuf_detach(&c->hdrs);
	c->finishing = 1;
	c->cb(c->h, c, &c->resp, e, c->arg);
	call_free(c);
}

static void
retry_timer_cb(loop *l, void *arg)
{
	http_call *c = arg;
	ak_err e = { 0 };

	(void)l;
	c->retry_timer = 0;
	c->resp.attempts++;
	if (call_attempt(c, &e) < 0)
		call_finish(c, &e);
}

static void
call_retry(http_call *c, double delay, const char *why)
{
	if (c->rq.on_retry)
		c->rq.on_retry(c->rq.arg, c->resp.attempts, delay, why);
	c->retry_timer = loop_timer_add(c->h->l, (long)(delay * 1000.0), 0, retry_timer_cb, c);
}

/* A failure a second try may not meet. An unknown host or a refused
 * connection is not: it means offline, a wrong endpoint or a proxy that is
 * down, and one line saying so at once beats a minute of retries. */
static int
net_retriable(CURLcode code)
{
	switch (code) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_WEIRD_SERVER_REPLY:
		return 1;
	default:
		return 0;
	}
}

static void
net_timeout_message(http_call *c, const char *host, ak_err *e)
{
	curl_off_t connected = 0;

	curl_easy_getinfo(c->easy, CURLINFO_CONNECT_TIME_T, &connected);
	if (connected == 0)
		err_kind_set(e, ERR_NETWORK, "connecting to %s timed out", host);
	else
		err_kind_set(e, ERR_NETWORK, "%s did not answer within %.3g s", host, c->rq.total_timeout_ms / 1000.0);
}

/* One line naming the host, from what curl knows: never its error buffer,
 * which may quote the URL. */
static void
net_message(http_call *c, CURLcode code, ak_err *e)
{
	char *host = url_host(c->url);
	long os_errno = 0;

	curl_easy_getinfo(c->easy, CURLINFO_OS_ERRNO, &os_errno);
	switch (code) {
	case CURLE_COULDNT_RESOLVE_HOST:
		err_kind_set(e, ERR_NETWORK, "cannot resolve the host name of %s", host);
		break;
	case CURLE_COULDNT_RESOLVE_PROXY:
		err_kind_set(e, ERR_NETWORK, "cannot resolve the proxy's host name (to reach %s)", host);
		break;
	case CURLE_COULDNT_CONNECT:
		err_kind_set(e, ERR_NETWORK, "cannot connect to %s: %s", host,
			     os_errno ? strerror((int)os_errno) : "connection failed");
		break;
	case CURLE_OPERATION_TIMEDOUT:
		net_timeout_message(c, host, e);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		err_kind_set(e, ERR_NETWORK, "the TLS certificate of %s cannot be verified (%s)", host,
			     curl_easy_strerror(code));
		break;
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
		err_kind_set(e, ERR_NETWORK, "the connection to %s broke off (%s)", host, curl_easy_strerror(code));
		break;
	default:
		err_kind_set(e, ERR_NETWORK, "the request to %s failed: %s", host, curl_easy_strerror(code));
		break;
	}
	free(host);
}

static int
status_retriable(long s)
{
	return s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

/* Follows a 3xx: a fresh request to where it points, without the
 * caller's Authorization and cookies once it leaves the first origin. */
static int
call_redirect(http_call *c, ak_err *e)
{
	char *target = NULL, *from, *to;
	long s = c->resp.status;

	curl_easy_getinfo(c->easy, CURLINFO_REDIRECT_URL, &target);
	if (!target)
		return 1;
	if (++c->redirects > HTTP_MAX_REDIRECTS) {
		char *host = url_host(c->url);

		err_kind_set(e, ERR_SERVER, "%s redirected more than %d times", host, HTTP_MAX_REDIRECTS);
		free(host);
		return -1;
	}
	from = url_origin(c->orig_url);
	to = url_origin(target);
	c->drop_auth = !from || !to || strcmp(from, to) != 0;
	free(from);
	free(to);
	free(c->url);
	c->url = xstrdup(target);
	if (s == 303 || ((s == 301 || s == 302) && strcmp(c->method, "POST") == 0)) {
		free(c->method);
		c->method = xstrdup("GET");
		free(c->body);
		c->body = NULL;
		free(c->upload_path);
		c->upload_path = NULL;
	}
	curl_multi_remove_handle(c->h->multi, c->easy);
	c->in_multi = 0;
	return call_attempt(c, e);
}

static int
call_rate_limited(http_call *c, double delay, ak_err *e)
{
	char *host = url_host(c->url);
	char when[32] = "";
	time_t t = time(NULL) + (time_t)delay;
	struct tm tm;

	if (localtime_r(&t, &tm))
		strftime(when, sizeof when, "%H:%M", &tm);
	err_kind_set(e, ERR_RATE_LIMITED, "%s is limiting requests and asks to wait %.0f s: retry after %s", host,
		     delay, when);
	free(host);
	return -1;
}

/* After a reply: 0 when the call goes on (retry or redirect), 1 when it is
 * complete, -1 with e set when it failed. */
static int
call_after_reply(http_call *c, ak_err *e)
{
	long s = c->resp.status;
	char why[96];
	double delay;

	if (c->rq.follow_redirects && s >= 300 && s < 400 && c->resp.location) {
		int r = call_redirect(c, e);

		if (r <= 0)
			return r;
	}
	if (!status_retriable(s) || c->resp.attempts > c->rq.max_retries)
		return 1;
	delay = http_retry_delay(c->resp.attempts, c->resp.retry_after);
	if (delay > HTTP_RETRY_AFTER_MAX)
		return call_rate_limited(c, delay, e);
	snprintf(why, sizeof why, "%ld%s%s", s, c->reason[0] ? " " : "", c->reason);
	curl_multi_remove_handle(c->h->multi, c->easy);
	c->in_multi = 0;
	call_retry(c, delay, why);
	return 0;
}

/* A transport failure: retried while attempts remain, else the end. */
static void
call_net_failed(http_call *c, int retriable, const ak_err *e)
{
	if (retriable && c->resp.attempts <= c->rq.max_retries) {
		curl_multi_remove_handle(c->h->multi, c->easy);
		c->in_multi = 0;
		call_retry(c, http_retry_delay(c->resp.attempts, NULL), e->msg);
		return;
	}
	call_finish(c, e);
}

static void
idle_timer_cb(loop *l, void *arg)
{
	http_call *c = arg;
	double quiet = loop_now() - c->last_activity, idle = (double)idle_ms(c) / 1000.0;
	ak_err e = { 0 };
	char *host;

	c->idle_timer = 0;
	if (quiet < idle) {
		c->idle_timer = loop_timer_add(l, (long)((idle - quiet) * 1000.0) + 1, 0, idle_timer_cb, c);
		return;
	}
	attempt_end(c);
	host = url_host(c->url);
	if (c->got_byte)
		err_kind_set(&e, ERR_NETWORK, "%s sent nothing for %.3g s", host, idle);
	else
		err_kind_set(&e, ERR_NETWORK, "%s did not start to answer within %.3g s", host, idle);
	free(host);
	call_net_failed(c, 1, &e);
}

static void
call_done(http_call *c, CURLcode code)
{
	ak_err e = { 0 };
	int r;

	attempt_end(c);
	if (c->stopped) {
		call_finish(c, NULL);
		return;
	}
	if (c->failed) {
		call_finish(c, &c->fail);
		return;
	}
	if (code != CURLE_OK) {
		net_message(c, code, &e);
		call_net_failed(c, net_retriable(code), &e);
		return;
	}
	r = call_after_reply(c, &e);
	if (r != 0)
		call_finish(c, r < 0 ? &e : NULL);
}

/* ---------- the multi handle in the loop ---------- */

static void
http_drain(http *h)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(h->multi, &left))) {
		http_call *c = NULL;
		CURLcode code = msg->data.result;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&c);
		call_done(c, code);
	}
}

static void
http_fd_cb(loop *l, int fd, short revents, void *arg)
{
	http *h = arg;
	int flags = 0, running;

	(void)l;
	if (revents & (POLLIN | POLLHUP))
		flags |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLNVAL))
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(h->multi, fd, flags, &running);
	http_drain(h);
}

static void
http_timer_cb(loop *l, void *arg)
{
	http *h = arg;
	int running;

	(void)l;
	h->timer_id = 0;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_drain(h);
}

static int
http_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	http *h = userp;
	short events = 0;

	(void)easy;
	(void)socketp;
	if (what == CURL_POLL_REMOVE) {
		loop_fd_remove(h->l, s);
		return 0;
	}
	if (what & CURL_POLL_IN)
		events |= POLLIN;
	if (what & CURL_POLL_OUT)
		events |= POLLOUT;
	if (loop_fd_add(h->l, s, events, http_fd_cb, h) < 0)
		loop_fd_set_events(h->l, s, events);
	return 0;
}

static int
http_curl_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	http *h = userp;

	(void)multi;
	if (h->timer_id)
		loop_timer_cancel(h->l, h->timer_id);
	h->timer_id = 0;
	if (timeout_ms >= 0)
		h->timer_id = loop_timer_add(h->l, timeout_ms, 0, http_timer_cb, h);
	return 0;
}

/* ---------- public ---------- */

static char *
http_noproxy(void)
{
	const char *user = getenv("NO_PROXY");

	if (!user || !*user)
		user = getenv("no_proxy");
	if (user && strcmp(user, "*") == 0)
		return xstrdup("*");
	if (user && *user)
		return xasprintf("%s,localhost,127.0.0.1,::1", user);
	return xstrdup("localhost,127.0.0.1,::1");
}

static char *
env_dup(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? xstrdup(v) : NULL;
}

static int
http_global_init(ak_err *e)
{
	static int done;
	struct sigaction sa;

	if (done)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(e, "cannot initialise libcurl");
	/* With CURLOPT_NOSIGNAL curl no longer guards writes to a closed socket. */
	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
		signal(SIGPIPE, SIG_IGN);
	done = 1;
	return 0;
}

http *
http_new(loop *l, ak_err *e)
{
	http *h;

	if (http_global_init(e) < 0)
		return NULL;
	h = xcalloc(1, sizeof *h);
	h->l = l;
	h->multi = curl_multi_init();
	if (!h->multi) {
		free(h);
		err_set(e, "cannot create an HTTP client (libcurl)");
		return NULL;
	}
	h->noproxy = http_noproxy();
	h->cainfo = env_dup("CURL_CA_BUNDLE");
	if (!h->cainfo)
		h->cainfo = env_dup("SSL_CERT_FILE");
	h->capath = env_dup("SSL_CERT_DIR");
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http_socket_cb);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http_curl_timer_cb);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return h;
}

void
http_free(http *h)
{
	if (!h)
		return;
	while (h->calls)
		call_free(h->calls);
	curl_multi_cleanup(h->multi);
	if (h->timer_id)
		loop_timer_cancel(h->l, h->timer_id);
	free(h->noproxy);
	free(h->cainfo);
	free(h->capath);
	free(h);
}

static char **
headers_dup(const char *const *headers)
{
	size_t n = 0, i;
	char **out;

	if (!headers)
		return NULL;
	while (headers[n])
		n++;
	out = xcalloc(n + 1, sizeof *out);
	for (i = 0; i < n; i++)
		out[i] = xstrdup(headers[i]);
	return out;
}

static http_call *
call_new(http *h, const http_request *rq, http_done_cb cb, void *arg)
{
	http_call *c = xcalloc(1, sizeof *c);

	c->h = h;
	c->rq = *rq;
	c->method = xstrdup(rq->method ? rq->method : "GET");
	c->orig_url = xstrdup(rq->url);
	c->url = xstrdup(rq->url);
	if (rq->body) {
		c->body = xmalloc(rq->body_len + 1);
		memcpy(c->body, rq->body, rq->body_len);
		c->body[rq->body_len] = '\0';
	}
	c->upload_path = rq->upload_path ? xstrdup(rq->upload_path) : NULL;
	c->out_path = rq->out_path ? xstrdup(rq->out_path) : NULL;
	c->headers = headers_dup(rq->headers);
	c->rq.method = c->rq.url = c->rq.body = c->rq.upload_path = c->rq.out_path = NULL;
	c->rq.headers = NULL;
	c->cb = cb;
	c->arg = arg;
	c->out_fd = c->upload_fd = -1;
	c->resp.content_length = -1;
	c->resp.attempts = 1;
	c->next = h->calls;
	if (h->calls)
		h->calls->prev = c;
	h->calls = c;
	return c;
}

http_call *
http_start(http *h, const http_request *rq, http_done_cb cb, void *arg, ak_err *e)
{
	http_call *c;

	if (!rq->url || !*rq->url || !cb) {
		err_kind_set(e, ERR_INPUT, "an HTTP request needs a URL and a completion callback");
		return NULL;
	}
	c = call_new(h, rq, cb, arg);
	c->easy = curl_easy_init();
	if (!c->easy) {
		call_free(c);
		err_set(e, "cannot create an HTTP request (libcurl)");
		return NULL;
	}
	if (call_attempt(c, e) < 0) {
		call_free(c);
		return NULL;
	}
	return c;
}

void
http_cancel(http_call *c)
{
	if (c && !c->finishing)
		call_free(c);
}

struct http_perform_state {
	int done, rc;
	http_response *out;
	ak_err *e;
};

static char *
str_dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
http_perform_done(http *h, http_call *c, const http_response *r, const ak_err *e, void *arg)
{
	struct http_perform_state *st = arg;

	(void)h;
	(void)c;
	*st->out = *r;
	st->out->body = xmalloc(r->body_len + 1);
	memcpy(st->out->body, r->body, r->body_len + 1);
	st->out->location = str_dup_or_null(r->location);
	st->out->retry_after = str_dup_or_null(r->retry_after);
	st->out->content_type = str_dup_or_null(r->content_type);
	st->out->last_modified = str_dup_or_null(r->last_modified);
	st->out->headers = str_dup_or_null(r->headers);
	if (e && st->e)
		*st->e = *e;
	st->rc = e ? -1 : 0;
	st->done = 1;
}

int
http_perform(loop *l, const http_request *rq, http_response *out, ak_err *e)
{
	struct http_perform_state st = { 0, -1, out, e };
	http *h;

	memset(out, 0, sizeof *out);
	out->content_length = -1;
	h = http_new(l, e);
	if (!h)
		return -1;
	if (!http_start(h, rq, http_perform_done, &st, e)) {
		http_free(h);
		return -1;
	}
	while (!st.done) {
		if (loop_run_once(l, -1) < 0) {
			err_sys(e, "waiting for the HTTP request failed");
			break;
		}
	}
	http_free(h);
	return st.rc;
}
