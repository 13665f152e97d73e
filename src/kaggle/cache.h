#ifndef AK_KAGGLE_CACHE_H
#define AK_KAGGLE_CACHE_H

#include "kaggle/client.h"
#include "util/err.h"

/* The competitions' data, shared by every run and workspace of a user:
 * $XDG_CACHE_HOME/autokaggle/competitions/SLUG/ (~/.cache when unset),
 * directories 0700 and files 0600. data/ holds the extracted files and
 * manifest.json what Kaggle listed when they were fetched. */

/* Where every competition's cache directory is (not created); caller
 * frees. NULL with ERR_INPUT when neither XDG_CACHE_HOME nor HOME is set. */
char *kaggle_cache_root(ak_err *e);
/* The cache directory of a competition (not created); caller frees. */
char *kaggle_cache_dir(const char *slug, ak_err *e);
/* Its data directory, where the extracted files are; caller frees. */
char *kaggle_cache_data_dir(const char *slug, ak_err *e);

typedef struct kaggle_cache_result {
	char *data_dir;           /* owned */
	int downloaded;           /* 0: what was cached matched the listing */
	long long bytes;          /* of the extracted files */
	int files;
	/* When downloaded: the archive's size and the seconds it took to
	 * download (the part of it this call downloaded) and to extract. */
	long long zip_bytes;
	double download_s, extract_s;
} kaggle_cache_result;

/* Makes the cache hold the competition's current data: lists the files;
 * when the manifest and the files on disk match the listing (names and
 * sizes), downloads nothing; otherwise (or with force) downloads the
 * archive (resuming a partial one), extracts it safely into a fresh
 * directory and swaps it in, and checks every listed file's size. Runs
 * fetching the same competition wait for each other. */
int kaggle_cache_fetch(kaggle_client *c, const char *slug, int force, kaggle_cache_result *out, ak_err *e);
void kaggle_cache_result_clean(kaggle_cache_result *r);

#endif
