#include "config.h"

#include "util/fs.h"
#include "util/xalloc.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

int
fs_mkdir_p(const char *path, mode_t mode, ak_err *e)
{
	char *p = xstrdup(path);
	char *s;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			err_sys(e, "cannot create directory %s", p);
			free(p);
			return -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	if (!fs_is_dir(path))
		return err_set(e, "%s exists and is not a directory", path);
	return 0;
}

const char *
fs_kind_name(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO (named pipe)";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

int
fs_open_regular(const char *path, ak_err *e)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return err_sys(e, "cannot open %s", path);
	if (fstat(fd, &st) < 0) {
		err_sys(e, "cannot read %s", path);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, "%s is %s, not a regular file: put the data in a regular file", path,
			fs_kind_name(st.st_mode));
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

char *
fs_read_file(const char *path, size_t *len, ak_err *e)
{
	int fd = fs_open_regular(path, e);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f) {
		if (fd >= 0) {
			err_sys(e, "cannot open %s", path);
			close(fd);
		}
		return NULL;
	}
	do {
		buf = xgrow(buf, &cap, n + 65536 + 1, 1);
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	if (ferror(f)) {
		err_sys(e, "cannot read %s", path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode, ak_err *e)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0) {
		err_sys(e, "cannot create %s", tmp);
		free(tmp);
		return -1;
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		err_sys(e, "cannot write %s (is the disk full?)", path);
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		err_sys(e, "cannot replace %s", path);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int
fs_copy_file(const char *src, const char *dst, mode_t mode, ak_err *e)
{
	size_t len;
	char *data = fs_read_file(src, &len, e);
	int rc;

	if (!data)
		return -1;
	rc = fs_write_atomic(dst, data, len, mode, e);
	free(data);
	return rc;
}

int
fs_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

int
fs_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *
fs_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	return xasprintf("%.*s/%s", (int)la, a, b);
}

char *
fs_realpath(const char *path, ak_err *e)
{
	char *r = realpath(path, NULL);

	if (!r) {
		err_sys(e, "cannot resolve %s", path);
		return NULL;
	}
	return r;
}

char *
fs_exe_path(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

char *
fs_exe_dir(void)
{
	char *exe = fs_exe_path(), *slash;

	if (!exe)
		return xstrdup(".");
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	return exe;
}

long long
fs_free_bytes(const char *path)
{
	struct statvfs v;

	if (statvfs(path, &v) < 0)
		return -1;
	return (long long)v.f_bavail * (long long)v.f_frsize;
}

int
fs_reserve(const char *path, long long bytes, ak_err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600), rc;

	if (fd < 0)
		return err_sys(e, "cannot create %s", path);
	rc = posix_fallocate(fd, 0, (off_t)bytes);
	close(fd);
	if (rc != 0) {
		unlink(path);
		errno = rc;
		return err_sys(e, "cannot set %lld bytes aside in %s", bytes, path);
	}
	return 0;
}

static int
fs_remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (type == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT ? -1 : 0;
}

int
fs_remove_tree(const char *path, ak_err *e)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : err_sys(e, "cannot remove %s", path);
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 && errno != ENOENT ? err_sys(e, "cannot remove %s", path) : 0;
	if (nftw(path, fs_remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return err_sys(e, "cannot remove %s", path);
	return 0;
}

char **
fs_list_files(const char *dir)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort), i;
	char **out = xcalloc(n > 0 ? (size_t)n + 1 : 1, sizeof(char *));
	size_t k = 0;
	struct stat st;

	for (i = 0; i < n; i++) {
		char *p = fs_join(dir, names[i]->d_name);

		if (names[i]->d_name[0] != '.' && stat(p, &st) == 0 && S_ISREG(st.st_mode))
			out[k++] = xstrdup(names[i]->d_name);
		free(p);
		free(names[i]);
	}
	free(names);
	return out;
}
