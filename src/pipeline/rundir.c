#include "config.h"

#include "pipeline/rundir.h"
#include "util/fs.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const rundir_subdirs[] = { "input", "code", "env", "output", "logs" };

static char *
rundir_slug(const char *name)
{
	char *s = xmalloc(strlen(name) + 1);
	size_t n = 0;

	for (; *name && n < 40; name++) {
		unsigned char c = (unsigned char)tolower((unsigned char)*name);
		if (isalnum(c))
			s[n++] = (char)c;
		else if (n > 0 && s[n - 1] != '-')
			s[n++] = '-';
	}
	while (n > 0 && s[n - 1] == '-')
		n--;
	s[n] = '\0';
	if (n == 0) {
		free(s);
		return xstrdup("run");
	}
	return s;
}

static int
rundir_make_subdirs(const char *dir, ak_err *e)
{
	size_t i;

	for (i = 0; i < sizeof(rundir_subdirs) / sizeof(rundir_subdirs[0]); i++) {
		char *p = fs_join(dir, rundir_subdirs[i]);
		int rc = fs_mkdir_p(p, 0700, e);
		free(p);
		if (rc < 0)
			return -1;
	}
	return 0;
}

char *
rundir_create(const char *workspace, const char *name, char **dir, ak_err *e)
{
	char stamp[32], *slug = rundir_slug(name), *id = NULL, *path = NULL;
	time_t now = time(NULL);
	struct tm tm;
	int k;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (k = 1; k < 1000; k++) {
		id = k == 1 ? xasprintf("%s-%s", stamp, slug) : xasprintf("%s-%s-%d", stamp, slug, k);
		path = fs_join(workspace, id);
		if (mkdir(path, 0700) == 0)
			break;
		if (errno != EEXIST) {
			err_sys(e, "cannot create run directory %s", path);
			goto fail;
		}
		free(id);
		free(path);
		id = path = NULL;
	}
	free(slug);
	slug = NULL;
	if (!id) {
		err_set(e, "too many runs named %s in this second: retry", name);
		goto fail;
	}
	if (rundir_make_subdirs(path, e) < 0)
		goto fail;
	*dir = path;
	return id;
fail:
	free(slug);
	free(id);
	free(path);
	return NULL;
}

int
rundir_lock(const char *dir, int *busy, ak_err *e)
{
	char *p = fs_join(dir, ".lock");
	int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	struct flock whole = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	*busy = 0;
	if (fd < 0) {
		err_sys(e, "cannot open %s", p);
		free(p);
		return -1;
	}
	free(p);
	if (fcntl(fd, F_OFD_SETLK, &whole) < 0) {
		if (errno == EAGAIN || errno == EACCES) {
			*busy = 1;
			err_set(e, "the run in %s is being driven by another autokaggle process", dir);
		} else {
			err_sys(e, "cannot lock %s", dir);
		}
		close(fd);
		return -1;
	}
	return fd;
}

int
rundir_is_locked(const char *dir)
{
	char *p = fs_join(dir, ".lock");
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int held = 0;

	free(p);
	if (fd < 0)
		return 0;
	/* An OFD lock can be tested without taking it, so probing never
	 * races with a supervisor that is starting. */
	if (fcntl(fd, F_OFD_GETLK, &probe) == 0)
		held = probe.l_type != F_UNLCK;
	close(fd);
	return held;
}

char *
rundir_path(const char *dir, const char *rel)
{
	return fs_join(dir, rel);
}

char *
rundir_log(const char *dir, const char *name)
{
	return xasprintf("%s/logs/%s.log", dir, name);
}
