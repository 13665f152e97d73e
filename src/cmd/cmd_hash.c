#include "config.h"

#include "cmd/cmd.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/jsonfile.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* `__hash OUT FILE...`: the DATA stage's child. Hashing a large file
 * takes seconds, so it happens here, where a cancel simply ends it, and
 * never in the supervisor's loop. OUT gets each file's SHA-256 with the
 * stat it was read under ("stat": "SIZE MTIME_NS CTIME_NS INODE DEV"); a
 * file that changes while it is read fails. */

static long long
hash_ns(struct timespec t)
{
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int
hash_same(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && hash_ns(a->st_mtim) == hash_ns(b->st_mtim) &&
	       hash_ns(a->st_ctim) == hash_ns(b->st_ctim) && a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

static cJSON *
hash_one(const char *path)
{
	char hex[HASH_HEX_LEN + 1];
	struct stat before, after;
	struct timespec t0, t1;
	char stat_text[128];
	cJSON *f;
	ak_err e;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (stat(path, &before) < 0)
		err_sys(&e, "cannot read %s", path);
	if (stat(path, &before) < 0 || hash_file_hex(path, hex, &e) < 0) {
		fprintf(stderr, "autokaggle: %s\n", e.msg);
		return NULL;
	}
	if (stat(path, &after) < 0 || !hash_same(&before, &after)) {
		fprintf(stderr, "autokaggle: %s changed while it was read: rerun the data stage once it is complete\n",
			path);
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s  %s (%.1f MB in %.2fs)\n", hex, path, (double)after.st_size / 1e6,
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	fflush(stdout);
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "path", path);
	cJSON_AddStringToObject(f, "sha256", hex);
	/* Nanosecond times do not fit a JSON number (a double). */
	snprintf(stat_text, sizeof(stat_text), "%lld %lld %lld %lld %lld", (long long)after.st_size,
		hash_ns(after.st_mtim), hash_ns(after.st_ctim), (long long)after.st_ino, (long long)after.st_dev);
	cJSON_AddStringToObject(f, "stat", stat_text);
	return f;
}

int
cmd_hash_child(int argc, char **argv)
{
	cJSON *j, *files, *f;
	ak_err e;
	int i, rc;

	if (argc < 3) {
		fprintf(stderr, "autokaggle: __hash is internal: OUT FILE...\n");
		return CMD_EXIT_USAGE;
	}
	j = cJSON_CreateObject();
	files = cJSON_AddArrayToObject(j, "files");
	for (i = 2; i < argc; i++) {
		f = hash_one(argv[i]);
		if (!f) {
			cJSON_Delete(j);
			return CMD_EXIT_INPUT;
		}
		cJSON_AddItemToArray(files, f);
	}
	rc = jsonfile_save(argv[1], j, &e);
	cJSON_Delete(j);
	if (rc < 0) {
		fprintf(stderr, "autokaggle: %s\n", e.msg);
		return CMD_EXIT_WORKSPACE;
	}
	return CMD_EXIT_OK;
}
