#include "config.h"

#include "exec/exec.h"
#include "kaggle/api.h"
#include "kaggle/cache.h"
#include "kaggle/unzip.h"
#include "util/fs.h"
#include "util/loop.h"
#include "util/jsonfile.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_PAGE 200

char *
kaggle_cache_root(ak_err *e)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		return xasprintf("%s/autokaggle/competitions", xdg);
	if (home && home[0] == '/')
		return xasprintf("%s/.cache/autokaggle/competitions", home);
	err_kind_set(e, ERR_INPUT, "cannot tell where to cache the data: set HOME or XDG_CACHE_HOME");
	return NULL;
}

char *
kaggle_cache_dir(const char *slug, ak_err *e)
{
	char *root = kaggle_cache_root(e), *dir;

	if (!root)
		return NULL;
	dir = fs_join(root, slug);
	free(root);
	return dir;
}

char *
kaggle_cache_data_dir(const char *slug, ak_err *e)
{
	char *dir = kaggle_cache_dir(slug, e), *data;

	if (!dir)
		return NULL;
	data = fs_join(dir, "data");
	free(dir);
	return data;
}

void
kaggle_cache_result_clean(kaggle_cache_result *r)
{
	free(r->data_dir);
	r->data_dir = NULL;
}

/* What Kaggle lists now: [{"name", "totalBytes"}...], every page. */
static cJSON *
cache_listing(kaggle_client *c, const char *slug, ak_err *e)
{
	cJSON *files = cJSON_CreateArray();
	char *token = NULL;
	int pages = 0;

	do {
		char *body = kaggle_api_list_data_files_body(slug, CACHE_PAGE, token), *reply;
		kaggle_data_file_page page;
		size_t i, len = 0;

		reply = kaggle_client_call(c, "ListDataFiles", body, slug, &len, e);
		free(body);
		free(token);
		token = NULL;
		if (!reply || kaggle_api_parse_data_file_page(reply, len, &page, e) < 0) {
			free(reply);
			cJSON_Delete(files);
			return NULL;
		}
		free(reply);
		for (i = 0; i < page.count; i++) {
			cJSON *f = cJSON_CreateObject();

			cJSON_AddStringToObject(f, "name", page.items[i].name);
			cJSON_AddNumberToObject(f, "totalBytes", (double)page.items[i].total_bytes);
			cJSON_AddItemToArray(files, f);
		}
		if (*page.next_page_token)
			token = xstrdup(page.next_page_token);
		kaggle_api_data_file_page_free(&page);
	} while (token && ++pages < 1000);
	free(token);
	return files;
}

/* Every regular file under data/ as {"path" (relative), "bytes"}; nftw
 * takes no argument for its callback, hence the two statics. */
static cJSON *cache_walk_out;
static size_t cache_walk_root;

static int
cache_walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	cJSON *f;

	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "path", path + cache_walk_root + 1);
	cJSON_AddNumberToObject(f, "bytes", (double)st->st_size);
	cJSON_AddItemToArray(cache_walk_out, f);
	return 0;
}

static cJSON *
cache_walk(const char *data)
{
	cJSON *out = cJSON_CreateArray();

	cache_walk_out = out;
	cache_walk_root = strlen(data);
	if (nftw(data, cache_walk_one, 16, FTW_PHYS) != 0) {
		cJSON_Delete(out);
		out = NULL;
	}
	cache_walk_out = NULL;
	return out;
}

static int
cache_same_listing(const cJSON *a, const cJSON *b)
{
	const cJSON *x;
	int n = 0;

	if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
		return 0;
	cJSON_ArrayForEach(x, a) {
		const cJSON *y = cJSON_GetArrayItem(b, n++);

		if (strcmp(json_str(x, "name", ""), json_str(y, "name", "")) != 0 ||
		    json_int(x, "totalBytes", 0, LLONG_MAX, -1) != json_int(y, "totalBytes", 0, LLONG_MAX, -1))
			return 0;
	}
	return 1;
}

/* The files recorded at the last fetch are all there with their sizes,
 * and Kaggle lists the same files. */
static int
cache_is_current(const char *dir, const cJSON *listing)
{
	char *mpath = fs_join(dir, "manifest.json"), *data = fs_join(dir, "data");
	cJSON *m = fs_exists(mpath) ? jsonfile_load(mpath, NULL) : NULL, *f;
	int ok = m && fs_is_dir(data) && cache_same_listing(cJSON_GetObjectItemCaseSensitive(m, "files"), listing);
	cJSON *extracted = ok ? cJSON_GetObjectItemCaseSensitive(m, "extracted") : NULL;

	cJSON_ArrayForEach(f, extracted) {
		char *p = fs_join(data, json_str(f, "path", ""));
		struct stat st;

		ok = stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
			(long long)st.st_size == json_int(f, "bytes", 0, LLONG_MAX, -1);
		free(p);
		if (!ok)
			break;
	}
	cJSON_Delete(m);
	free(mpath);
	free(data);
	return ok;
}

/* A listed file that was extracted must have the size Kaggle gives. */
static int
cache_check_sizes(const char *slug, const char *data, const cJSON *listing, ak_err *e)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, listing) {
		char *p = fs_join(data, json_str(f, "name", ""));
		long long want = json_int(f, "totalBytes", 0, LLONG_MAX, -1);
		struct stat st;
		int bad = want > 0 && stat(p, &st) == 0 && S_ISREG(st.st_mode) && (long long)st.st_size != want;

		free(p);
		if (bad)
			return err_kind_set(e, ERR_SERVER,
				"%s's %s has %lld bytes where Kaggle lists %lld: the download is damaged; re-run with --force",
				slug, json_str(f, "name", ""), (long long)st.st_size, want);
	}
	return 0;
}

static void
cache_unzip_progress(void *arg, uint64_t done, uint64_t total)
{
	(void)arg;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[Kextracting: %.1f of %.1f MB", (double)done / 1e6, (double)total / 1e6);
}

/* The most an archive may unpack to: AUTOKAGGLE_MAX_EXTRACT ("200G"),
 * else kaggle_unzip's default. */
static int
cache_extract_bound(uint64_t *max_total, ak_err *e)
{
	const char *v = getenv("AUTOKAGGLE_MAX_EXTRACT");
	long long b;

	*max_total = 0;
	if (!v || !*v)
		return 0;
	b = exec_parse_bytes(v, e);
	if (b <= 0)
		return err_kind_set(e, ERR_INPUT, "AUTOKAGGLE_MAX_EXTRACT=%.40s is not a size: say 200G, 500M", v);
	*max_total = (uint64_t)b;
	return 0;
}

/* Downloads and extracts into data.new, then swaps it in for data. */
static int
cache_download(kaggle_client *c, const char *slug, const char *dir, const cJSON *listing,
	kaggle_cache_result *out, ak_err *e)
{
	char *zip = xasprintf("%s/%s.zip", dir, slug), *fresh = fs_join(dir, "data.new");
	char *data = fs_join(dir, "data"), *old = fs_join(dir, "data.old"), *mpath = fs_join(dir, "manifest.json");
	char *body = kaggle_api_download_data_files_body(slug), stamp[TIMEFMT_ISO_LEN];
	kaggle_unzip_opts uo = { 0 };
	cJSON *m = NULL;
	struct stat st;
	double t0 = loop_now();
	int rc = -1;

	if (kaggle_client_fetch(c, "DownloadDataFiles", body, slug, zip, e) < 0)
		goto out;
	out->download_s = loop_now() - t0;
	out->zip_bytes = stat(zip, &st) == 0 ? (long long)st.st_size : 0;
	if (fs_remove_tree(fresh, e) < 0)
		goto out;
	if (cache_extract_bound(&uo.max_total, e) < 0)
		goto out;
	uo.nested = 1;
	uo.progress = cache_unzip_progress;
	t0 = loop_now();
	if (kaggle_unzip(zip, fresh, &uo, e) < 0)
		goto out;
	out->extract_s = loop_now() - t0;
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	if (cache_check_sizes(slug, fresh, listing, e) < 0)
		goto out;
	m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "slug", slug);
	timefmt_iso_utc(time(NULL), stamp);
	cJSON_AddStringToObject(m, "fetched", stamp);
	cJSON_AddItemToObject(m, "files", cJSON_Duplicate(listing, 1));
	cJSON_AddItemToObject(m, "extracted", cache_walk(fresh));
	/* The manifest goes first: a crash between the renames leaves a
	 * manifest that does not match data/, so the next fetch starts over. */
	if (fs_remove_tree(old, e) < 0 || jsonfile_save(mpath, m, e) < 0)
		goto out;
	if (fs_is_dir(data) && rename(data, old) < 0) {
		err_sys(e, "cannot replace %s", data);
		goto out;
	}
	if (rename(fresh, data) < 0) {
		err_sys(e, "cannot move the new data into %s", data);
		goto out;
	}
	fs_remove_tree(old, NULL);
	unlink(zip);
	rc = 0;
out:
	if (rc < 0)
		fs_remove_tree(fresh, NULL);
	cJSON_Delete(m);
	free(body);
	free(zip);
	free(fresh);
	free(data);
	free(old);
	free(mpath);
	return rc;
}

static int
cache_lock(const char *dir, const char *slug, ak_err *e)
{
	char *path = fs_join(dir, ".lock");
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	free(path);
	if (fd < 0)
		return err_sys(e, "cannot lock the cache of %s in %s", slug, dir);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		fprintf(stderr, "autokaggle: waiting for another autokaggle fetching %s\n", slug);
		if (flock(fd, LOCK_EX) < 0) {
			close(fd);
			return err_sys(e, "cannot lock the cache of %s", slug);
		}
	}
	return fd;
}

int
kaggle_cache_fetch(kaggle_client *c, const char *slug, int force, kaggle_cache_result *out, ak_err *e)
{
	char *dir = kaggle_cache_dir(slug, e);
	cJSON *listing = NULL, *files, *f;
	int fd = -1, rc = -1;

	memset(out, 0, sizeof(*out));
	if (!dir)
		return -1;
	if (fs_mkdir_p(dir, 0700, e) < 0 || (fd = cache_lock(dir, slug, e)) < 0)
		goto out;
	listing = cache_listing(c, slug, e);
	if (!listing)
		goto out;
	if (force || !cache_is_current(dir, listing)) {
		if (cache_download(c, slug, dir, listing, out, e) < 0)
			goto out;
		out->downloaded = 1;
	}
	out->data_dir = fs_join(dir, "data");
	files = cache_walk(out->data_dir);
	cJSON_ArrayForEach(f, files) {
		out->files++;
		out->bytes += json_int(f, "bytes", 0, LLONG_MAX, 0);
	}
	cJSON_Delete(files);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	cJSON_Delete(listing);
	free(dir);
	return rc;
}
