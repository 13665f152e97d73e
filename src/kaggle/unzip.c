#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "kaggle/unzip.h"
#include "kaggle/zipname.h"
#include "util/fs.h"
#include "util/strv.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

/* One read from libzip, one write(): large enough that the system calls
 * cost nothing beside inflating, small enough for the memory bound. */
#define UNZIP_BUF (1 << 20)
/* Free space left to the rest of the run (logs, database, models). */
#define UNZIP_DISK_MARGIN (64ULL << 20)
#define UNZIP_PROGRESS_NS 100000000LL

/* A growing NULL-terminated array of strings (strv). */
typedef struct unzip_list {
	char **v;
	size_t n, cap;
} unzip_list;

/* A member as the central directory describes it, once checked. */
typedef struct unzip_entry {
	zip_uint64_t index;
	char *path;       /* cleaned, relative to where the archive goes */
	int is_dir;
	uint64_t size;    /* declared uncompressed size */
} unzip_entry;

typedef struct unzip_plan {
	unzip_entry *v;
	size_t n;
	uint64_t declared;
} unzip_plan;

/* Everything one call changes on disk, so that a failure can undo it.
 * Paths of dirs, tmps and finals are relative to dest. */
typedef struct unzip_txn {
	const kaggle_unzip_opts *o;
	const char *dest;
	int destfd;
	uint64_t max_total, max_entries, disk_budget;
	uint64_t written;      /* bytes inflated, for the bomb bound and progress */
	uint64_t on_disk;      /* the same less inner archives already removed */
	uint64_t total;        /* declared so far, for progress */
	struct timespec last_progress;
	char *buf;
	unzip_list top;        /* dest and its parents made by this call, as given */
	unzip_list dirs;       /* directories made under dest, in order */
	unzip_list tmps;       /* complete files under temporary names... */
	unzip_list finals;     /* ...and the names they get at commit */
	size_t committed;      /* how many of them are renamed */
	char *inner_tmp;       /* the nested archive being extracted */
	char *last_dir;        /* the directory last made sure of */
	unsigned long seq;
} unzip_txn;

static void
unzip_list_push(unzip_list *l, char *s)
{
	l->v = xgrow(l->v, &l->cap, l->n + 2, sizeof(*l->v));
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

static void
unzip_plan_clear(unzip_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i].path);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* An ERR_INPUT naming the archive, the entry (made safe for a terminal:
 * it comes from the archive) and why. */
static int
unzip_refuse(ak_err *e, const char *label, const char *entry, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
unzip_refuse(ak_err *e, const char *label, const char *entry, const char *fmt, ...)
{
	char why[256], *safe = termsafe(entry, TERMSAFE_LINE);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	err_kind_set(e, ERR_INPUT,
		"%s: entry '%s' %s; the archive is damaged or hostile, nothing was extracted",
		label, safe, why);
	free(safe);
	return -1;
}

static void
unzip_progress(unzip_txn *t, int last)
{
	struct timespec now;
	long long ns;

	if (!t->o->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (now.tv_sec - t->last_progress.tv_sec) * 1000000000LL +
		(now.tv_nsec - t->last_progress.tv_nsec);
	if (last)
		t->total = t->written;
	else if (ns < UNZIP_PROGRESS_NS)
		return;
	t->last_progress = now;
	t->o->progress(t->o->arg, t->written, t->total);
}

/* Why the external attributes refuse an entry, or NULL; a Unix
 * directory mode marks a directory even without a trailing '/'. */
static const char *
unzip_mode_refusal(zip_t *za, zip_uint64_t i, int *is_dir)
{
	zip_uint8_t opsys;
	zip_uint32_t attr;
	mode_t mode;

	if (zip_file_get_external_attributes(za, i, 0, &opsys, &attr) < 0)
		return "has unreadable attributes";
	if (opsys != ZIP_OPSYS_UNIX)
		return NULL;
	mode = attr >> 16;
	if ((mode & S_IFMT) == 0 || S_ISREG(mode))
		return NULL;
	if (S_ISDIR(mode)) {
		*is_dir = 1;
		return NULL;
	}
	if (S_ISLNK(mode))
		return "is a symbolic link, not a file or directory";
	return "is a device, FIFO or socket, not a file or directory";
}

static int
unzip_entry_check(zip_t *za, zip_uint64_t i, const char *label, unzip_entry *ent, ak_err *e)
{
	zip_stat_t st;
	const char *why;
	char *raw;

	if (zip_stat_index(za, i, 0, &st) < 0 || !(st.valid & ZIP_STAT_NAME))
		return unzip_refuse(e, label, "?", "number %llu cannot be read (%s)",
			(unsigned long long)i + 1, zip_strerror(za));
	ent->index = i;
	/* The raw bytes are checked too: libzip shows control characters of
	 * a name not flagged UTF-8 as CP437 symbols, which hides them. */
	raw = zipname_clean(zip_get_name(za, i, ZIP_FL_ENC_RAW), &ent->is_dir, &why);
	if (raw)
		ent->path = zipname_clean(st.name, &ent->is_dir, &why);
	free(raw);
	if (!ent->path)
		return unzip_refuse(e, label, st.name, "%s", why);
	why = unzip_mode_refusal(za, i, &ent->is_dir);
	if (why)
		return unzip_refuse(e, label, st.name, "%s", why);
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
		return unzip_refuse(e, label, st.name, "is encrypted");
	if (!(st.valid & ZIP_STAT_COMP_METHOD) || !zip_compression_method_supported(st.comp_method, 0))
		return unzip_refuse(e, label, st.name, "uses a compression method this build cannot read");
	if (!(st.valid & ZIP_STAT_SIZE))
		return unzip_refuse(e, label, st.name, "does not declare its size");
	ent->size = ent->is_dir ? 0 : st.size;
	return 0;
}

/* strcmp with '/' sorting right after the end of a string, so that the
 * paths under "a" follow "a" at once, before "a-b" or "a.csv". */
static int
unzip_path_cmp(const void *a, const void *b)
{
	const unsigned char *x = *(const unsigned char *const *)a;
	const unsigned char *y = *(const unsigned char *const *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return (*x == '/' ? 1 : *x) - (*y == '/' ? 1 : *y);
}

/* The first path that occurs twice, or that is a file other paths go
 * through ("a" and "a/b"), with *why; NULL when none. Directories end
 * with '/'. Sorts paths. */
static const char *
unzip_conflict(char **paths, size_t n, const char **why)
{
	size_t i;

	qsort(paths, n, sizeof(*paths), unzip_path_cmp);
	for (i = 1; i < n; i++) {
		const char *prev = paths[i - 1];
		size_t len = strlen(prev);

		*why = "occurs twice";
		if (!strcmp(prev, paths[i]))
			return prev;
		*why = "is a file but other entries use it as a directory";
		if (prev[len - 1] != '/' && !strncmp(prev, paths[i], len) && paths[i][len] == '/')
			return prev;
	}
	return NULL;
}

/* Reads and checks the whole central directory before anything is
 * written: a hostile name anywhere refuses the archive. */
static int
unzip_plan_build(unzip_txn *t, zip_t *za, const char *label, unzip_plan *p, ak_err *e)
{
	zip_int64_t n = zip_get_num_entries(za, 0);
	const char *bad, *why;
	char **paths;
	size_t i;

	if (n < 0)
		return err_kind_set(e, ERR_INPUT, "%s: the list of entries cannot be read (%s): "
			"download it again", label, zip_strerror(za));
	if ((uint64_t)n > t->max_entries)
		return err_kind_set(e, ERR_INPUT,
			"%s has %lld entries, more than the bound of %llu: nothing was extracted",
			label, (long long)n, (unsigned long long)t->max_entries);
	p->v = xcalloc(n ? (size_t)n : 1, sizeof(*p->v));
	for (i = 0; i < (size_t)n; i++) {
		p->n = i + 1;
		if (unzip_entry_check(za, i, label, &p->v[i], e) < 0)
			return -1;
		if (p->v[i].size > UINT64_MAX - p->declared)
			return unzip_refuse(e, label, p->v[i].path, "declares an impossible size");
		p->declared += p->v[i].size;
	}
	paths = xcalloc(p->n + 1, sizeof(*paths));
	for (i = 0; i < p->n; i++)
		paths[i] = xasprintf("%s%s", p->v[i].path, p->v[i].is_dir ? "/" : "");
	bad = unzip_conflict(paths, p->n, &why);
	if (bad)
		unzip_refuse(e, label, bad, "%s", why);
	strv_free(paths);
	return bad ? -1 : 0;
}

/* Both bounds, for what an archive declares and for what it really
 * yields: the bomb bound is the archive's fault, the disk the user's. */
static int
unzip_bounds(unzip_txn *t, uint64_t more, const char *label, ak_err *e)
{
	if (more > t->max_total - t->written)
		return err_kind_set(e, ERR_INPUT,
			"%s holds more than the bound of %llu bytes uncompressed: the archive is "
			"damaged or hostile (a zip bomb), nothing was extracted", label,
			(unsigned long long)t->max_total);
	if (more > t->disk_budget - t->on_disk)
		return err_cause(e, ENOSPC,
			"%s needs more space than %s has free (keeping %llu MiB spare): nothing "
			"was extracted", label, t->dest, UNZIP_DISK_MARGIN >> 20);
	return 0;
}

/* Something under dest, there before this call, where the archive puts
 * a file or a directory; the path comes from the archive. */
static int
unzip_in_the_way(const unzip_txn *t, const char *path, const char *what, ak_err *e)
{
	char *safe = termsafe(path, TERMSAFE_LINE);

	err_kind_set(e, ERR_INPUT, "%s/%s is in the way and is %s: move it away, then extract "
		"again", t->dest, safe, what);
	free(safe);
	return -1;
}

/* Makes dir (relative to dest) and its parents. An existing component
 * must be a real directory: a symbolic link planted under dest would
 * lead the writes elsewhere. */
static int
unzip_make_dirs(unzip_txn *t, const char *dir, ak_err *e)
{
	size_t len = strlen(dir), i;
	char *p;
	struct stat st;

	if (t->last_dir && !strncmp(t->last_dir, dir, len) &&
	    (t->last_dir[len] == '\0' || t->last_dir[len] == '/'))
		return 0;
	p = xstrdup(dir);
	for (i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdirat(t->destfd, p, 0700) == 0) {
			unzip_list_push(&t->dirs, xstrdup(p));
		} else if (errno != EEXIST) {
			err_sys(e, "cannot create directory %s/%s", t->dest, p);
			free(p);
			return -1;
		} else if (fstatat(t->destfd, p, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode)) {
			unzip_in_the_way(t, p, "not a directory", e);
			free(p);
			return -1;
		}
		if (i < len)
			p[i] = '/';
	}
	free(t->last_dir);
	t->last_dir = p;
	return 0;
}

static int
unzip_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Inflates one entry into fd, counting what it really yields. */
static int
unzip_stream(unzip_txn *t, zip_file_t *zf, int fd, const unzip_entry *ent, const char *label,
	const char *tmp, ak_err *e)
{
	uint64_t got = 0;

	for (;;) {
		zip_int64_t n = zip_fread(zf, t->buf, UNZIP_BUF);

		if (n < 0)
			return unzip_refuse(e, label, ent->path, "cannot be read (%s)", zip_file_strerror(zf));
		if (n == 0)
			return 0;
		got += (uint64_t)n;
		if (got > ent->size)
			return unzip_refuse(e, label, ent->path,
				"inflates to more than the %llu bytes it declares (a zip bomb)",
				(unsigned long long)ent->size);
		if (unzip_bounds(t, (uint64_t)n, label, e) < 0)
			return -1;
		if (unzip_write_all(fd, t->buf, (size_t)n) < 0)
			return err_sys(e, "cannot write %s/%s", t->dest, tmp);
		t->written += (uint64_t)n;
		t->on_disk += (uint64_t)n;
		unzip_progress(t, 0);
	}
}

/* A new empty file in dir under a name no archive member can have. */
static char *
unzip_create_tmp(unzip_txn *t, const char *dir, int *fd, ak_err *e)
{
	for (;;) {
		char *tmp = xasprintf("%s%s.ak-unzip.%ld.%lu", dir, *dir ? "/" : "",
			(long)getpid(), ++t->seq);

		*fd = openat(t->destfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (*fd >= 0)
			return tmp;
		if (errno != EEXIST) {
			err_sys(e, "cannot create a file in %s/%s", t->dest, dir);
			free(tmp);
			return NULL;
		}
		free(tmp);
	}
}

/* Writes an entry to a temporary file next to path; returns its name. */
static char *
unzip_extract_tmp(unzip_txn *t, zip_t *za, const unzip_entry *ent, const char *label,
	const char *path, ak_err *e)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
	char *tmp = NULL;
	zip_file_t *zf = NULL;
	int fd = -1, rc = -1;

	if (*dir && unzip_make_dirs(t, dir, e) < 0)
		goto out;
	zf = zip_fopen_index(za, ent->index, 0);
	if (!zf) {
		unzip_refuse(e, label, ent->path, "cannot be opened (%s)", zip_strerror(za));
		goto out;
	}
	tmp = unzip_create_tmp(t, dir, &fd, e);
	if (!tmp)
		goto out;
	rc = unzip_stream(t, zf, fd, ent, label, tmp, e);
	if (close(fd) < 0 && rc == 0)
		rc = err_sys(e, "cannot write %s/%s", t->dest, tmp);
	if (rc < 0 && unlinkat(t->destfd, tmp, 0) == 0) {
		free(tmp);
		tmp = NULL;
	}
out:
	if (zf)
		zip_fclose(zf);
	free(dir);
	if (rc < 0 && tmp) {
		/* could not be removed: let the rollback try again */
		unzip_list_push(&t->tmps, tmp);
		unzip_list_push(&t->finals, xstrdup(path));
		tmp = NULL;
	}
	return tmp;
}

static zip_t *
unzip_open(const char *path, const char *label, ak_err *e)
{
	int code;
	zip_error_t ze;
	zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);

	if (za)
		return za;
	zip_error_init_with_code(&ze, code);
	if (code == ZIP_ER_NOENT)
		err_cause(e, ENOENT, "%s does not exist", label);
	else if (code == ZIP_ER_OPEN || code == ZIP_ER_READ)
		err_cause(e, zip_error_code_system(&ze), "cannot read %s: %s", label,
			zip_error_strerror(&ze));
	else if (code == ZIP_ER_EXISTS)
		err_kind_set(e, ERR_INPUT, "%s has two entries of the same name (one would "
			"silently replace the other): nothing was extracted", label);
	else
		err_kind_set(e, ERR_INPUT, "%s is not a zip archive or is damaged (%s): "
			"download it again", label, zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return NULL;
}

static int unzip_archive(unzip_txn *t, zip_t *za, const char *label, const char *prefix,
	int depth, ak_err *e);

/* A member *.zip: extracted into a directory named after it, then
 * removed, as it is not part of what the user wants on disk. */
static int
unzip_nested(unzip_txn *t, zip_t *za, const unzip_entry *ent, const char *label,
	const char *path, ak_err *e)
{
	char *dir = xstrndup(path, strlen(path) - 4), *abs, *safe, *inner_label;
	zip_t *inner;
	int rc = -1;

	t->inner_tmp = unzip_extract_tmp(t, za, ent, label, path, e);
	if (!t->inner_tmp)
		goto out;
	safe = termsafe(path, TERMSAFE_LINE);
	inner_label = xasprintf("%s (inside %s)", safe, label);
	free(safe);
	abs = fs_join(t->dest, t->inner_tmp);
	inner = unzip_open(abs, inner_label, e);
	free(abs);
	if (inner) {
		rc = unzip_make_dirs(t, dir, e);
		if (rc == 0)
			rc = unzip_archive(t, inner, inner_label, dir, 1, e);
		zip_discard(inner);
	}
	free(inner_label);
	if (rc == 0 && unlinkat(t->destfd, t->inner_tmp, 0) < 0)
		rc = err_sys(e, "cannot remove %s/%s", t->dest, t->inner_tmp);
	if (rc == 0) {
		t->on_disk -= ent->size;
		free(t->inner_tmp);
		t->inner_tmp = NULL;
	}
out:
	free(dir);
	return rc;
}

static int
unzip_is_nested(const unzip_txn *t, const char *path, int depth)
{
	size_t len = strlen(path);
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;

	return t->o->nested && depth == 0 && strlen(base) > 4 && !strcasecmp(path + len - 4, ".zip");
}

static int
unzip_archive(unzip_txn *t, zip_t *za, const char *label, const char *prefix, int depth,
	ak_err *e)
{
	unzip_plan p = { 0 };
	size_t i;
	int rc;

	rc = unzip_plan_build(t, za, label, &p, e);
	if (rc == 0)
		rc = unzip_bounds(t, p.declared, label, e);
	if (rc == 0)
		t->total += p.declared;
	for (i = 0; rc == 0 && i < p.n; i++) {
		const unzip_entry *ent = &p.v[i];
		char *path = *prefix ? xasprintf("%s/%s", prefix, ent->path) : xstrdup(ent->path);
		char *tmp;

		if (ent->is_dir) {
			rc = unzip_make_dirs(t, path, e);
		} else if (unzip_is_nested(t, path, depth)) {
			rc = unzip_nested(t, za, ent, label, path, e);
		} else if ((tmp = unzip_extract_tmp(t, za, ent, label, path, e))) {
			unzip_list_push(&t->tmps, tmp);
			unzip_list_push(&t->finals, path);
			continue;
		} else {
			rc = -1;
		}
		free(path);
	}
	unzip_plan_clear(&p);
	return rc;
}

/* Renames every file to its name once all are complete. A nested archive
 * may write where another entry does, so conflicts are checked again,
 * and nothing is renamed while a directory stands where a file goes. */
static int
unzip_commit(unzip_txn *t, const char *zip_path, ak_err *e)
{
	char **sorted = xmalloc((t->finals.n ? t->finals.n : 1) * sizeof(*sorted));
	const char *bad, *why;
	struct stat st;
	size_t i;

	if (t->finals.n)
		memcpy(sorted, t->finals.v, t->finals.n * sizeof(*sorted));
	bad = unzip_conflict(sorted, t->finals.n, &why);
	if (bad)
		unzip_refuse(e, zip_path, bad, "%s once nested archives are extracted", why);
	free(sorted);
	if (bad)
		return -1;
	for (i = 0; i < t->finals.n; i++)
		if (fstatat(t->destfd, t->finals.v[i], &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
			return unzip_in_the_way(t, t->finals.v[i], "a directory", e);
	for (; t->committed < t->finals.n; t->committed++) {
		i = t->committed;
		if (renameat(t->destfd, t->tmps.v[i], t->destfd, t->finals.v[i]) < 0)
			return err_sys(e, "cannot rename %s/%s to %s", t->dest, t->tmps.v[i],
				t->finals.v[i]);
	}
	return 0;
}

/* Removes what this call made, newest first. */
static void
unzip_rollback(unzip_txn *t)
{
	size_t i;

	if (t->inner_tmp)
		unlinkat(t->destfd, t->inner_tmp, 0);
	for (i = 0; i < t->tmps.n; i++)
		unlinkat(t->destfd, i < t->committed ? t->finals.v[i] : t->tmps.v[i], 0);
	for (i = t->dirs.n; i-- > 0;)
		unlinkat(t->destfd, t->dirs.v[i], AT_REMOVEDIR);
	for (i = t->top.n; i-- > 0;)
		rmdir(t->top.v[i]);
}

/* Makes dest and its missing parents, remembering which were made. */
static int
unzip_make_dest(unzip_txn *t, ak_err *e)
{
	char *p = xstrdup(t->dest), *s;

	for (s = p + 1;; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) == 0) {
			unzip_list_push(&t->top, xstrdup(p));
		} else if (errno != EEXIST) {
			err_sys(e, "cannot create directory %s", p);
			free(p);
			return -1;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	t->destfd = open(t->dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->destfd < 0)
		return err_sys(e, "cannot open directory %s", t->dest);
	return 0;
}

static void
unzip_txn_init(unzip_txn *t, const char *dest, const kaggle_unzip_opts *o)
{
	static const kaggle_unzip_opts defaults;

	memset(t, 0, sizeof(*t));
	t->o = o ? o : &defaults;
	t->dest = dest;
	t->destfd = -1;
	t->max_total = t->o->max_total ? t->o->max_total : KAGGLE_UNZIP_MAX_TOTAL;
	t->max_entries = t->o->max_entries ? t->o->max_entries : KAGGLE_UNZIP_MAX_ENTRIES;
	t->disk_budget = UINT64_MAX;
	clock_gettime(CLOCK_MONOTONIC, &t->last_progress);
}

static void
unzip_txn_free(unzip_txn *t)
{
	if (t->destfd >= 0)
		close(t->destfd);
	strv_free(t->top.v);
	strv_free(t->dirs.v);
	strv_free(t->tmps.v);
	strv_free(t->finals.v);
	free(t->inner_tmp);
	free(t->last_dir);
	free(t->buf);
}

int
kaggle_unzip(const char *zip_path, const char *dest_dir, const kaggle_unzip_opts *o, ak_err *e)
{
	unzip_txn t;
	zip_t *za;
	long long free_bytes;
	int rc = -1;

	unzip_txn_init(&t, dest_dir, o);
	za = unzip_open(zip_path, zip_path, e);
	if (za && unzip_make_dest(&t, e) == 0) {
		free_bytes = fs_free_bytes(dest_dir);
		if (free_bytes >= 0)
			t.disk_budget = (uint64_t)free_bytes > UNZIP_DISK_MARGIN ?
				(uint64_t)free_bytes - UNZIP_DISK_MARGIN : 0;
		t.buf = xmalloc(UNZIP_BUF);
		rc = unzip_archive(&t, za, zip_path, "", 0, e);
		if (rc == 0)
			rc = unzip_commit(&t, zip_path, e);
	}
	if (za)
		zip_discard(za);
	if (rc < 0)
		unzip_rollback(&t);
	else
		unzip_progress(&t, 1);
	unzip_txn_free(&t);
	return rc;
}
