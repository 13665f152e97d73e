#ifndef AK_KAGGLE_CLIENT_H
#define AK_KAGGLE_CLIENT_H

#include <stddef.h>

#include "util/err.h"
#include "util/loop.h"

/* One conversation with the Kaggle API for a command or a stage's child:
 * the credentials and endpoint found once, HTTP on the caller's loop.
 * Each call runs that loop until it ends (retries included), so a caller
 * with a screen to keep alive runs it in a child process instead. */
typedef struct kaggle_client kaggle_client;

/* Finds the credentials and the endpoint; NULL with ERR_AUTH (no
 * credentials) or ERR_INPUT (a bad KAGGLE_API_ENDPOINT). A warning about
 * the credentials (kaggle.json readable by others) is printed on stderr. */
kaggle_client *kaggle_client_open(loop *l, ak_err *e);
void kaggle_client_close(kaggle_client *c);

/* What a child that talks to Kaggle needs beyond the scrubbed
 * environment of stage children (exec_env_scrubbed): the credentials and
 * endpoint, where the cache and the configuration live, and proxies even
 * when they carry a password. "K=V" copies, NULL-terminated; strv_free. */
char **kaggle_client_child_env(void);

/* Where the credentials came from ("~/.kaggle/kaggle.json"...). */
const char *kaggle_client_auth_source(const kaggle_client *c);
/* The endpoint prefix, up to and including /v1. */
const char *kaggle_client_endpoint(const kaggle_client *c);

/* POSTs a JSON body to a method of the competitions service and returns
 * the reply's body (NUL-terminated, *len bytes; caller frees) for the
 * parsers of kaggle/api.h; NULL with an error of its kind (kaggle_api_error:
 * a 403 names the rules page, a 401 the credentials' source). slug may be
 * NULL. */
char *kaggle_client_call(kaggle_client *c, const char *method, const char *body, const char *slug, size_t *len,
	ak_err *e);

/* The same for a method of another service (KAGGLE_API_KERNELS...); name
 * is the competition or kernel the call is about, for messages, or NULL. */
char *kaggle_client_call_service(kaggle_client *c, const char *service, const char *method, const char *body,
	const char *name, size_t *len, ak_err *e);

/* The user the credentials belong to: the legacy key's, or the one
 * Kaggle names for the token (asked once); NULL with ERR_AUTH. */
const char *kaggle_client_username(kaggle_client *c, ak_err *e);

/* Downloads a signed storage URL (a kernel's output file) to dest as
 * kaggle_client_fetch does its file: through dest.part, resumed, checked,
 * renamed; no Kaggle credentials go with it. */
int kaggle_client_download(kaggle_client *c, const char *url, const char *dest, ak_err *e);

/* Calls a method that answers with a redirect to storage (or with the
 * file itself) and downloads the file to dest: through dest.part (mode
 * 0600), resumed with Range after a dropped connection or an earlier
 * interrupted call, checked against Content-Length, then renamed. The
 * storage request carries no Kaggle credentials. Progress goes to stderr:
 * a line redrawn in place on a terminal, a line every 10 seconds
 * otherwise. */
int kaggle_client_fetch(kaggle_client *c, const char *method, const char *body, const char *slug,
	const char *dest, ak_err *e);

/* PUTs a file's bytes to an upload URL the API handed out (no Kaggle
 * credentials). */
int kaggle_client_put(kaggle_client *c, const char *url, const char *path, ak_err *e);

#endif
