#include "config.h"

#include "util/fs.h"
#include "util/hash.h"
#include "util/strv.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HASH_READ_BYTES (1 << 20)

void
hash_init(hash_ctx *c)
{
	c->md = EVP_MD_CTX_new();
	if (!c->md || EVP_DigestInit_ex(c->md, EVP_sha256(), NULL) != 1) {
		fprintf(stderr, "autokaggle: out of memory (SHA-256)\n");
		exit(70);
	}
}

void
hash_update(hash_ctx *c, const void *data, size_t len)
{
	EVP_DigestUpdate(c->md, data, len);
}

void
hash_update_str(hash_ctx *c, const char *s)
{
	hash_update(c, s, strlen(s) + 1);
}

void
hash_final_hex(hash_ctx *c, char out[HASH_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	EVP_DigestFinal_ex(c->md, md, &n);
	EVP_MD_CTX_free(c->md);
	c->md = NULL;
	for (i = 0; i < n && i < HASH_HEX_LEN / 2; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[HASH_HEX_LEN] = '\0';
}

static int
hash_feed_fd(hash_ctx *c, int fd)
{
	unsigned char *buf = malloc(HASH_READ_BYTES);
	ssize_t n;

	if (!buf)
		return -1;
	while ((n = read(fd, buf, HASH_READ_BYTES)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		hash_update(c, buf, (size_t)n);
	}
	free(buf);
	return n < 0 ? -1 : 0;
}

int
hash_file_hex(const char *path, char out[HASH_HEX_LEN + 1], ak_err *e)
{
	int fd = fs_open_regular(path, e), rc;
	hash_ctx c;

	if (fd < 0)
		return -1;
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	hash_init(&c);
	rc = hash_feed_fd(&c, fd);
	if (rc < 0)
		err_sys(e, "cannot read %s", path);
	close(fd);
	hash_final_hex(&c, out);
	return rc;
}

void
hash_update_file(hash_ctx *c, const char *path)
{
	char hex[HASH_HEX_LEN + 1];

	if (hash_file_hex(path, hex, NULL) < 0)
		hash_update_str(c, "<missing>");
	else
		hash_update_str(c, hex);
}

void
hash_update_dir(hash_ctx *c, const char *dir)
{
	char **names = fs_list_files(dir);
	size_t i;

	for (i = 0; names[i]; i++) {
		char *p = fs_join(dir, names[i]);

		hash_update_str(c, names[i]);
		hash_update_file(c, p);
		free(p);
	}
	strv_free(names);
}
