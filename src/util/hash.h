#ifndef AK_HASH_H
#define AK_HASH_H

#include <stddef.h>

#include "util/err.h"

/* SHA-256 from libcrypto (SHA-NI where the CPU has it), for input
 * fingerprints and data file hashes. A change detector could do with a
 * faster non-cryptographic hash, but the data hashes also identify files
 * to the user and to Kaggle's checksums, and libcrypto's SHA-256 already
 * reads a file faster than the disk gives it (about 1 GB/s here). */
struct evp_md_ctx_st;
typedef struct hash_ctx {
	struct evp_md_ctx_st *md;
} hash_ctx;

#define HASH_HEX_LEN 64

/* Starts a hash; every hash_init is ended by hash_final_hex, which frees
 * it. Out of memory ends the program like xmalloc. */
void hash_init(hash_ctx *c);
void hash_update(hash_ctx *c, const void *data, size_t len);
/* Adds a string and its terminating NUL, so "ab"+"c" differs from "a"+"bc". */
void hash_update_str(hash_ctx *c, const char *s);
/* Writes 64 lowercase hex digits and a NUL into out. */
void hash_final_hex(hash_ctx *c, char out[HASH_HEX_LEN + 1]);
/* Hashes a regular file's bytes; -1 with the reason (missing, unreadable,
 * not a regular file) in e. Never blocks on a FIFO or a device. */
int hash_file_hex(const char *path, char out[HASH_HEX_LEN + 1], ak_err *e);
/* Feeds a regular file's hash into c; anything else (missing, a FIFO, a
 * device) feeds a marker, so that it still differs from any content. */
void hash_update_file(hash_ctx *c, const char *path);
/* Feeds the name and content of each regular file of dir (fs_list_files:
 * dot files left out), in name order. */
void hash_update_dir(hash_ctx *c, const char *dir);

#endif
