#ifndef AK_UNZIP_H
#define AK_UNZIP_H

#include <stdint.h>

#include "util/err.h"

/* Kaggle data zips, extracted safely and as a stream (libzip, no shell). */

#define KAGGLE_UNZIP_MAX_TOTAL (64ULL << 30)
#define KAGGLE_UNZIP_MAX_ENTRIES 100000

typedef struct kaggle_unzip_opts {
	/* Bound on the sum of uncompressed bytes written, nested archives
	 * included (zip bombs); 0 = KAGGLE_UNZIP_MAX_TOTAL. Whatever it is,
	 * the bytes on disk also stay below the free space of dest's file
	 * system minus a margin. */
	uint64_t max_total;
	uint64_t max_entries;   /* per archive; 0 = KAGGLE_UNZIP_MAX_ENTRIES */
	/* Members named *.zip are extracted in turn, into a directory named
	 * after the member without .zip, and the inner zip is not kept. One
	 * level only: Kaggle ships zips of zips, never deeper, and each level
	 * multiplies what a bomb can make of a small download; a zip inside
	 * an inner zip stays a file. */
	int nested;
	/* Uncompressed bytes written and expected so far (the total grows
	 * when a nested archive is opened); may be NULL. Called at most about
	 * ten times a second, and once at the end with done == total. */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *arg;
} kaggle_unzip_opts;

/* Extracts zip_path under dest_dir (made 0700 with its parents when
 * missing): directories 0700, files 0600. The whole archive is refused
 * before anything is written when its central directory shows an
 * absolute name, a ".." component, a control character, an empty name,
 * a symbolic link or any other entry that is neither a file nor a
 * directory, a duplicate, an encrypted or unsupported member, more than
 * max_entries members or a declared total above the bound. While
 * writing, an entry that yields more than it declares, or a total that
 * passes the bound, stops it. Files are written under temporary names
 * and renamed only once every entry is complete, so a crash never leaves
 * a file that looks complete, and any failure removes everything this
 * call created and leaves what was there before as it was (a file of the
 * same name is replaced only on success). o may be NULL (defaults).
 * Errors: ERR_INPUT for a damaged or hostile archive, naming the archive,
 * the entry and why; a full disk as err_is_disk_full. */
int kaggle_unzip(const char *zip_path, const char *dest_dir, const kaggle_unzip_opts *o, ak_err *e);

#endif
