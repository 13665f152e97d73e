#ifndef AK_KAGGLE_KERNEL_H
#define AK_KAGGLE_KERNEL_H

#include <stddef.h>

#include "kaggle/api.h"
#include "kaggle/client.h"
#include "util/err.h"

/* A kernel on Kaggle through the client (spec §3.9–3.11): push a
 * version, read its session's status, bring its output home. Each call
 * runs the client's loop until it ends. */

/* Pushes a new version of p->id, which queues a run of it. 0 with out
 * filled (out->invalid lists the sources Kaggle dropped, for a warning);
 * -1 with e: a push Kaggle refused under HTTP 200 (out->error) is
 * ERR_INPUT quoting Kaggle's reason. */
int kaggle_kernel_save(kaggle_client *c, const kaggle_kernel_push *p, kaggle_kernel_pushed *out, ak_err *e);

/* Whether Kaggle's reason for refusing a push or ending a session is
 * the account's quota or an accelerator it cannot have now. */
int kaggle_kernel_reason_is_quota(const char *reason);

/* The status of the kernel's latest session. 0 with out filled; 1 when
 * Kaggle answers 404, which right after a push means the session has not
 * started yet; -1 with e. */
int kaggle_kernel_status_get(kaggle_client *c, const char *owner, const char *slug, kaggle_kernel_session *out,
	ak_err *e);

/* Downloads every file of the latest session's output into dir (made when
 * missing; a name that would land outside it is skipped with a warning on
 * stderr), following nextPageToken to the end; *log gets the session's
 * log as text (caller frees) and *files how many were written. -1 with e
 * (what arrived is kept, and a later call resumes it). */
int kaggle_kernel_collect(kaggle_client *c, const char *owner, const char *slug, const char *dir, char **log,
	size_t *files, ak_err *e);

#endif
