#ifndef AK_REDACT_H
#define AK_REDACT_H

#include <stddef.h>

/* The one secret redactor, applied wherever text leaves the process: logs,
 * transcripts, the database, prompts sent to an LLM. Registered secrets
 * are process-wide. */

/* True for environment variable names that look secret: containing KEY,
 * TOKEN, SECRET, PASSWORD, PASSWD, PASSPHRASE, CREDENTIAL, AUTH, SESSION,
 * COOKIE or PRIVATE, ending in _PASS or _PWD (case-insensitive), or
 * starting with KAGGLE_ (except KAGGLE_CONFIG_DIR). */
int redact_name_is_secret(const char *name);

/* Registers a secret value. Values shorter than 6 bytes are ignored: they
 * would redact ordinary words everywhere. */
void redact_add_secret(const char *value);

/* True when an environment value holds URL credentials: a userinfo
 * ("scheme://user:password@host", "scheme://TOKEN@host"), which a proxy
 * variable may also carry without a scheme ("user:password@host:3128"). */
int redact_value_has_credentials(const char *name, const char *value);

/* Registers the values of all secret-looking variables of the environment,
 * and the credentials inside any value: the password of a URL userinfo
 * (as written and percent-decoded), or its user name when that stands
 * alone and is token-long. */
void redact_add_from_env(void);

/* A copy of s with every registered secret replaced by "[REDACTED]", and
 * likewise anything secret by its shape: API keys ("sk-...", "KGAT_...",
 * "AIza...", "ghp_...", "hf_...", "AKIA...", "xoxb-..."), the token after
 * "Bearer", the value of Authorization-like header lines, and the password
 * of "scheme://user:password@host". Caller frees. */
char *redact_string(const char *s);

/* Streaming form for child output. Bytes fed are emitted redacted through
 * the callback, as pieces pointing into the fed data where nothing was
 * redacted (valid only during the call); only a tail that could still be
 * the start of a secret is held back (bounded: the longest secret, 4 KiB
 * of a key shape or header value, 256 blanks), so a secret split across
 * two feeds is still caught. Plain text costs one table lookup a byte and
 * is not copied. Call flush at the end. */
typedef struct redact_stream redact_stream;
redact_stream *redact_stream_new(void (*emit)(const char *data, size_t len, void *arg), void *arg);
void redact_stream_feed(redact_stream *s, const char *data, size_t len);
/* Emits what is held back (redacting what is complete enough). */
void redact_stream_flush(redact_stream *s);
void redact_stream_free(redact_stream *s);

/* Forgets every registered secret (for tests). */
void redact_reset(void);

#endif
