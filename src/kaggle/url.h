#ifndef AK_KAGGLE_URL_H
#define AK_KAGGLE_URL_H

#include <stddef.h>

#include "util/err.h"

/* What users paste to name a competition or a kernel, turned into the
 * bare names the API wants: the Kaggle CLI passes a pasted URL through and
 * earns a 403, so every reference is normalised here first. Pure: no
 * network, no file system. */

/* The longest slug accepted; buffers hold KAGGLE_SLUG_MAX + 1 bytes. */
#define KAGGLE_SLUG_MAX 100

/* The competition slug in text, written to slug (size bytes, at least
 * KAGGLE_SLUG_MAX + 1 is always enough). Returns:
 *  1 for a competition page on kaggle.com: http or https or no scheme,
 *    www. or not, /competitions/SLUG or /c/SLUG, then nothing, "/", or one
 *    of the competition's tabs (/overview[/SECTION], /data, /code,
 *    /discussion[/THREAD], /leaderboard, /rules, /submissions, /submit,
 *    /team), then any query or fragment; also for a bare slug
 *    ([a-z0-9][a-z0-9-]*, at most KAGGLE_SLUG_MAX bytes). Kaggle's slugs
 *    are lowercase, so a URL's slug is lowercased (as kaggle.com itself
 *    resolves it); a bare word with capitals is taken for a folder name.
 *  0 when text is not a Kaggle reference at all, so the caller may take it
 *    for a local path: a word that is no slug, a path with '/', '.' or '~',
 *    a URL of another host.
 *  -1 with an ERR_INPUT error saying which forms are accepted: a kaggle.com
 *    address that names no competition, or a hostile one (control
 *    characters, a user name before the host, percent-encoding, "..",
 *    backslashes, a slug with other characters or longer than
 *    KAGGLE_SLUG_MAX). Surrounding blanks are ignored. */
int kaggle_slug_parse(const char *text, char *slug, size_t size, ak_err *e);

/* A kernel (notebook or script) reference: https://www.kaggle.com/code/
 * OWNER/SLUG (optionally followed by one of its tabs: /notebook, /edit,
 * /log, /output, /input, /comments, /script, and any query or fragment),
 * the older https://www.kaggle.com/OWNER/SLUG, or OWNER/SLUG[/VERSION] as
 * the Kaggle CLI takes it. Owner and slug are lowercased into the buffers
 * (KAGGLE_SLUG_MAX + 1 bytes is always enough). *version (may be NULL)
 * gets the VERSION number, or 0 when none was given: the URLs carry none.
 * Returns 0, or -1 with an ERR_INPUT error saying which forms are
 * accepted. */
int kaggle_kernel_ref_parse(const char *text, char *owner, size_t osz, char *slug, size_t ssz, int *version,
	ak_err *e);

/* https://www.kaggle.com/competitions/SLUG: the competition's page, where
 * a user joins it. Caller frees. */
char *kaggle_competition_url(const char *slug);
/* The slug of a run's kernel: "SLUG-autokaggle-RUN" (RUN without the
 * "-SLUG" that ends a run's id) in Kaggle's slug alphabet (lower case letters, digits, '-'), at most
 * KAGGLE_KERNEL_SLUG_MAX bytes (the competition's part is cut first, the
 * run's id kept whole). Caller frees. */
#define KAGGLE_KERNEL_SLUG_MAX 50
char *kaggle_kernel_slug_for_run(const char *competition, const char *run_id);
/* https://www.kaggle.com/competitions/SLUG/rules: where the rules are
 * accepted, which the API cannot do. Caller frees. */
char *kaggle_rules_url(const char *slug);

#endif
