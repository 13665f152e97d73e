#include "config.h"

#include "data/csvsrc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "util/xalloc.h"

struct csvsrc {
	enum csvsrc_kind kind;
	int fd;
	gzFile gz;
	zip_t *za;
	zip_file_t *zf;
	char *member;
	char *path;
	long long disk_bytes;
	long long gz_out;	/* bytes decompressed so far */
};

static int
is_junk_entry(const char *name)
{
	const char *base = strrchr(name, '/');

	base = base ? base + 1 : name;
	return !*base || strncmp(name, "__MACOSX/", 9) == 0 || strncmp(base, "._", 2) == 0;
}

static int
has_table_ext(const char *name)
{
	size_t n = strlen(name);

	return n >= 4 && (strcasecmp(name + n - 4, ".csv") == 0 ||
			  strcasecmp(name + n - 4, ".tsv") == 0 ||
			  strcasecmp(name + n - 4, ".txt") == 0);
}

/* Picks the entry to read: the only file, else the only table-like file. */
static int
zip_pick_entry(csvsrc *s, zip_uint64_t *out, ak_err *e)
{
	zip_int64_t n = zip_get_num_entries(s->za, 0), i;
	zip_int64_t any = -1, table = -1;
	int nany = 0, ntable = 0;

	for (i = 0; i < n; i++) {
		const char *name = zip_get_name(s->za, (zip_uint64_t)i, 0);

		if (!name || is_junk_entry(name))
			continue;
		nany++;
		any = i;
		if (has_table_ext(name)) {
			ntable++;
			table = i;
		}
	}
	if (nany == 1) {
		*out = (zip_uint64_t)any;
		return 0;
	}
	if (ntable == 1) {
		*out = (zip_uint64_t)table;
		return 0;
	}
	if (nany == 0)
		return err_set(e, "%s: the zip archive holds no file; use an archive with one CSV in it", s->path);
	return err_set(e, "%s: the zip archive holds %d files; extract the CSV you want and pass it instead",
		       s->path, ntable ? ntable : nany);
}

static int
open_zip(csvsrc *s, ak_err *e)
{
	zip_uint64_t idx = 0;
	zip_error_t ze;
	int zerr = 0;

	s->za = zip_open(s->path, ZIP_RDONLY, &zerr);
	if (!s->za) {
		zip_error_init_with_code(&ze, zerr);
		err_set(e, "%s: cannot open the zip archive: %s", s->path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	if (zip_pick_entry(s, &idx, e) < 0)
		return -1;
	s->member = xstrdup(zip_get_name(s->za, idx, 0));
	s->zf = zip_fopen_index(s->za, idx, 0);
	if (!s->zf)
		return err_set(e, "%s: cannot read %s in the archive: %s", s->path, s->member,
			       zip_strerror(s->za));
	return 0;
}

static int
open_gzip(csvsrc *s, ak_err *e)
{
	int fd = dup(s->fd);

	if (fd < 0)
		return err_sys(e, "%s", s->path);
	s->gz = gzdopen(fd, "rb");
	if (!s->gz) {
		close(fd);
		return err_set(e, "%s: cannot start gzip decompression (out of memory?)", s->path);
	}
	gzbuffer(s->gz, 256 * 1024);
	return 0;
}

csvsrc *
csvsrc_open(const char *path, ak_err *e)
{
	unsigned char magic[4] = {0};
	csvsrc *s = xcalloc(1, sizeof(*s));
	struct stat st;
	ssize_t got;

	s->path = xstrdup(path);
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0) {
		err_sys(e, "cannot open %s", path);
		goto fail;
	}
	if (fstat(s->fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			err_set(e, "%s is a directory; pass a CSV file", path);
		else
			err_sys(e, "cannot stat %s", path);
		goto fail;
	}
	s->disk_bytes = (long long)st.st_size;
	got = pread(s->fd, magic, sizeof(magic), 0);
	if (got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		s->kind = CSVSRC_GZIP;
		if (open_gzip(s, e) < 0)
			goto fail;
	} else if (got == 4 && memcmp(magic, "PK\3\4", 4) == 0) {
		s->kind = CSVSRC_ZIP;
		if (open_zip(s, e) < 0)
			goto fail;
	} else {
		s->kind = CSVSRC_PLAIN;
#ifdef POSIX_FADV_SEQUENTIAL
		posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	}
	return s;
fail:
	csvsrc_close(s);
	return NULL;
}

static ssize_t
read_gzip(csvsrc *s, void *buf, size_t n, ak_err *e)
{
	int got, zerr;
	const char *msg;

	if (n > INT_MAX / 2)
		n = INT_MAX / 2;
	got = gzread(s->gz, buf, (unsigned)n);
	if (got > 0) {
		s->gz_out += got;
		return got;
	}
	msg = gzerror(s->gz, &zerr);
	/* zlib reports a stream cut short as a quiet end of data with
	 * Z_BUF_ERROR: the CSV would look complete, only shorter. */
	if (got == 0 && zerr == Z_BUF_ERROR)
		return err_set(e, "%s is truncated: its gzip data ends after %lld uncompressed bytes; "
			       "download the file again", s->path, s->gz_out);
	if (got == 0)
		return 0;
	return err_set(e, "%s: the gzip data is corrupt or truncated (%s); download the file again",
		       s->path, zerr == Z_ERRNO ? strerror(errno) : msg);
}

ssize_t
csvsrc_read(csvsrc *s, void *buf, size_t n, ak_err *e)
{
	ssize_t got;
	zip_int64_t zgot;

	switch (s->kind) {
	case CSVSRC_GZIP:
		return read_gzip(s, buf, n, e);
	case CSVSRC_ZIP:
		zgot = zip_fread(s->zf, buf, n);
		if (zgot < 0)
			return err_set(e, "%s: cannot read %s in the archive (%s); download the file again",
				       s->path, s->member, zip_file_strerror(s->zf));
		return (ssize_t)zgot;
	case CSVSRC_PLAIN:
		break;
	}
	do
		got = read(s->fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return err_sys(e, "reading %s", s->path);
	return got;
}

ssize_t
csvsrc_read_full(csvsrc *s, void *buf, size_t n, ak_err *e)
{
	size_t have = 0;

	while (have < n) {
		ssize_t got = csvsrc_read(s, (char *)buf + have, n - have, e);

		if (got < 0)
			return -1;
		if (got == 0)
			break;
		have += (size_t)got;
	}
	return (ssize_t)have;
}

enum csvsrc_kind
csvsrc_kind(const csvsrc *s)
{
	return s->kind;
}

const char *
csvsrc_kind_name(const csvsrc *s)
{
	static const char *const names[] = {"none", "gzip", "zip"};

	return names[s->kind];
}

long long
csvsrc_disk_bytes(const csvsrc *s)
{
	return s->disk_bytes;
}

int
csvsrc_plain_fd(const csvsrc *s)
{
	return s->kind == CSVSRC_PLAIN ? s->fd : -1;
}

const char *
csvsrc_member(const csvsrc *s)
{
	return s->member;
}

void
csvsrc_close(csvsrc *s)
{
	if (!s)
		return;
	if (s->zf)
		zip_fclose(s->zf);
	if (s->za)
		zip_discard(s->za);
	if (s->gz)
		gzclose(s->gz);
	if (s->fd >= 0)
		close(s->fd);
	free(s->member);
	free(s->path);
	free(s);
}
