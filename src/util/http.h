#ifndef AK_HTTP_H
#define AK_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/loop.h"

/* HTTP through libcurl's multi interface, driven by the one event loop:
 * curl's sockets are loop fds and its timeout is one loop timer, so no
 * call here ever blocks. Retries wait on loop timers. Redirects are
 * followed here, not by curl, so that the caller's Authorization header
 * never reaches another host. Proxies come from the environment
 * (http_proxy, https_proxy, all_proxy, no_proxy), never for loopback.
 * TLS is always verified, against the system bundle, or the file named by
 * CURL_CA_BUNDLE or SSL_CERT_FILE (and SSL_CERT_DIR) when set: Debian's
 * libcurl reads none of these by itself.
 * Messages name the host, never a query string or a header. */

typedef struct http http;           /* one per loop: a curl multi handle driven by the loop */
typedef struct http_call http_call; /* one request in flight */
struct http_response;

typedef struct http_request {
	const char *method;             /* "GET", "POST", "PUT", "HEAD", "DELETE" */
	const char *url;
	const char *const *headers;     /* "Name: value" lines, NULL-terminated; may be NULL */
	const char *body;               /* request body (POST, or PUT without upload_path) */
	size_t body_len;
	const char *upload_path;        /* stream this file's bytes as the body, with Content-Length, no Content-Type */
	const char *out_path;           /* a 2xx body goes to this file instead of memory; other bodies stay in memory */
	int resume;                     /* with out_path: continue from the file's current size with Range: bytes=N-
					 * (append on 206, start over on 200; a 416 comes back as is) */
	int follow_redirects;           /* 0: a 3xx reply comes back as is, with its Location */
	long connect_timeout_ms;        /* 0 = 15 s */
	long idle_timeout_ms;           /* no byte moved for this long fails the attempt; 0 = 60 s */
	long first_byte_timeout_ms;     /* the same before the reply's first byte (a model may think
					 * for minutes before it answers); 0 = idle_timeout_ms */
	long total_timeout_ms;          /* limit on each attempt; 0 = none */
	size_t max_body;                /* bytes kept in memory; 0 = 16 MiB; more is an error */
	int max_retries;                /* retries on a network error, 429, 500, 502, 503, 504 (0 = none);
					 * only ask for them where repeating the request is harmless */
	void (*on_retry)(void *arg, int attempt, double delay_s, const char *why); /* attempt: the one that failed */
	void (*on_progress)(void *arg, uint64_t done, uint64_t total); /* this attempt's body bytes (uploaded
					 * ones for upload_path), total 0 when unknown; at most ~10 calls a second;
					 * runs inside libcurl, so it must not cancel or start calls */
	/* With on_data, a 2xx body is handed over as it arrives instead of
	 * being kept (other bodies stay in memory): r holds the status and the
	 * headers. Return 0 to go on, -1 to stop the transfer, which then
	 * completes as if the body ended there (no error). Runs inside libcurl,
	 * so it must not cancel or start calls. */
	int (*on_data)(void *arg, const struct http_response *r, const char *data, size_t len);
	void *arg;
} http_request;

typedef struct http_response {
	long status;                    /* HTTP status of the last attempt; 0 when none arrived */
	char *body;                     /* NUL-terminated, never NULL after a reply; empty when it went to out_path */
	size_t body_len;
	char *location, *retry_after, *content_type, *last_modified; /* final response's headers, NULL when absent */
	char *headers;                  /* all of the final response's header lines, "Name: value\n" each */
	long long content_length;       /* -1 when absent */
	uint64_t bytes;                 /* body bytes received in the final attempt */
	int attempts;
} http_response;

/* Longest Retry-After waited for; a longer one fails the call with
 * ERR_RATE_LIMITED saying when to retry. */
#define HTTP_RETRY_AFTER_MAX 120.0
/* Redirects followed before giving up. */
#define HTTP_MAX_REDIRECTS 10

/* Creates the client of loop l (initialising libcurl on first use). */
http *http_new(loop *l, ak_err *e);
/* Cancels everything in flight; no callbacks after it. Not from inside
 * one of h's callbacks. */
void http_free(http *h);

/* e is NULL on a completed HTTP exchange (any status); set on transport
 * failure (ERR_NETWORK: DNS, refused, timeout, reset, TLS) with a one-line
 * message naming the host, ERR_RATE_LIMITED for a Retry-After too long to
 * wait, ERR_DISK when out_path cannot be written. r is valid only during
 * the call; the call is freed after it returns. */
typedef void (*http_done_cb)(http *h, http_call *c, const http_response *r, const ak_err *e, void *arg);

/* Starts a request; cb runs from a later loop turn, never from inside
 * http_start. rq's strings are copied. NULL with e set on bad input. */
http_call *http_start(http *h, const http_request *rq, http_done_cb cb, void *arg, ak_err *e);
/* Stops and frees a call in flight; no callback after it. */
void http_cancel(http_call *c);

/* For commands without a UI: runs turns of l until the request ends.
 * Returns 0 when an HTTP reply arrived (check out->status), -1 with e set
 * otherwise. out is filled either way; free it with http_response_clean. */
int http_perform(loop *l, const http_request *rq, http_response *out, ak_err *e);
/* The value of header `name` (case-insensitive) of r, or NULL; caller frees. */
char *http_response_header(const http_response *r, const char *name);
/* Frees the strings of r and zeroes it. */
void http_response_clean(http_response *r);

/* Seconds to wait before retry number `attempt` (1 for the first): the
 * Retry-After value (seconds or HTTP-date, not capped, so the caller can
 * compare it with HTTP_RETRY_AFTER_MAX) when given, else exponential
 * backoff with full jitter: uniform in [0, min(30, 2^(attempt-1))]. */
double http_retry_delay(int attempt, const char *retry_after);

/* url without its query string and fragment, for messages; caller frees. */
char *http_url_for_message(const char *url);

#endif
