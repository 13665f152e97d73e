#ifndef AK_KAGGLE_AUTH_H
#define AK_KAGGLE_AUTH_H

#include "util/err.h"

/* Kaggle credentials, found where the official client looks for them,
 * in its order (spec §2.1):
 *  1. an access token (sent as Bearer): inside a Kaggle notebook
 *     (KAGGLE_KERNEL_RUN_TYPE and KAGGLE_DATA_PROXY_URL set) the file named
 *     by KAGGLE_API_V1_TOKEN; KAGGLE_API_TOKEN, the token itself or the
 *     path of a file holding it; $HOME/.kaggle/access_token, then
 *     $HOME/.kaggle/access_token.txt. Surrounding whitespace is trimmed.
 *  2. a legacy key (sent as Basic base64(username:key)): KAGGLE_USERNAME
 *     and KAGGLE_KEY, which win over kaggle.json and may complete it;
 *     kaggle.json in $KAGGLE_CONFIG_DIR when set, else in $HOME/.kaggle
 *     when that directory exists, else in ${XDG_CONFIG_HOME:-~/.config}/kaggle.
 * Nothing here talks to Kaggle: a token Kaggle refuses surfaces as a 401
 * from the HTTP client, which names `source`. Every secret found (token,
 * key, the Basic credentials) is registered with redact_add_secret(), so
 * no log or message can show it. */

typedef struct kaggle_auth {
	char *header;   /* "Authorization: Bearer T" or "Authorization: Basic B64"; owned */
	char *username; /* when known (legacy key); owned, may be NULL */
	char *source;   /* where they came from, for messages: "KAGGLE_API_TOKEN", a file's path... ; owned */
	char *warning;  /* e.g. kaggle.json readable by others, with the chmod 600 that fixes it; owned, may be NULL */
} kaggle_auth;

/* Finds the credentials into a, which is zeroed or holds earlier ones
 * (they are cleaned first). Returns 0, or -1 with an
 * ERR_AUTH error: one that names the file or variable at fault and what
 * is wrong with it (never the secret), or, when there are none, every
 * place looked at and how to create a token. a is left clean on error. */
int kaggle_auth_load(kaggle_auth *a, ak_err *e);
/* Finds the credentials only to register them with the redactor (a key
 * kept in kaggle.json alone is unknown to a process that never loaded
 * it): before text leaves for an LLM. Silent; none found is fine; the
 * files are read once per process. */
void kaggle_auth_guard_secrets(void);
/* Frees what a holds and zeroes it; safe on a zeroed or cleaned struct. */
void kaggle_auth_clean(kaggle_auth *a);

/* The default API prefix. */
#define KAGGLE_ENDPOINT_DEFAULT "https://api.kaggle.com/v1"

/* The API prefix, up to and including /v1: KAGGLE_API_ENDPOINT when set,
 * else `configured` (the config key; NULL or "" when unset), else
 * KAGGLE_ENDPOINT_DEFAULT. It must be an http or https URL with a host,
 * no user name or password, no query or fragment, ending in /v1 (trailing
 * slashes are dropped). Caller frees; NULL with an ERR_INPUT error naming
 * where the bad value came from. */
char *kaggle_endpoint(const char *configured, ak_err *e);

#endif
