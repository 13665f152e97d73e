#ifndef AK_HASH_H
#define AK_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* SHA-256, used for input fingerprints and data file hashes. */
typedef struct hash_ctx {
	uint32_t h[8];
	uint64_t total;
	unsigned char block[64];
	size_t used;
} hash_ctx;

#define HASH_HEX_LEN 64

void hash_init(hash_ctx *c);
void hash_update(hash_ctx *c, const void *data, size_t len);
/* Adds a string and its terminating NUL, so "ab"+"c" differs from "a"+"bc". */
void hash_update_str(hash_ctx *c, const char *s);
/* Writes 64 lowercase hex digits and a NUL into out. */
void hash_final_hex(hash_ctx *c, char out[HASH_HEX_LEN + 1]);
/* Hashes a file's bytes; a missing file hashes as the string "<missing>". */
int hash_file_hex(const char *path, char out[HASH_HEX_LEN + 1], ak_err *e);
/* Feeds a file's content (or a marker when absent) into c. */
void hash_update_file(hash_ctx *c, const char *path);

#endif
