#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "kaggle/unzip.h"
#include "kaggle/zipname.h"
#include "testlib.h"
#include "util/fs.h"
#include "util/xalloc.h"

/* A member of a crafted archive: name, content, and a Unix mode for its
 * external attributes (0 = libzip's default). */
typedef struct member {
	const char *name;
	const char *data;
	size_t len;       /* 0 = strlen(data) */
	unsigned mode;
} member;

typedef struct fixture {
	char *dir;
	char *zip;
	char *dest;
} fixture;

static int
setup(void **state)
{
	fixture *f = xcalloc(1, sizeof(*f));

	f->dir = testlib_tmpdir("unzip");
	f->zip = testlib_path(f->dir, "data.zip");
	f->dest = testlib_path(f->dir, "out");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	fixture *f = *state;

	testlib_rmtree(f->dir);
	free(f->dir);
	free(f->zip);
	free(f->dest);
	free(f);
	return 0;
}

static void
write_zip(const char *path, const member *m, size_t n)
{
	int code;
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
	size_t i;

	assert_non_null(za);
	for (i = 0; i < n; i++) {
		size_t len = m[i].len ? m[i].len : strlen(m[i].data);
		zip_source_t *src = zip_source_buffer(za, m[i].data, len, 0);
		zip_int64_t idx = zip_file_add(za, m[i].name, src, ZIP_FL_ENC_UTF_8);

		if (idx < 0)
			fail_msg("libzip refused %s: %s", m[i].name, zip_strerror(za));
		if (m[i].mode)
			assert_int_equal(zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0,
				ZIP_OPSYS_UNIX, (zip_uint32_t)m[i].mode << 16), 0);
	}
	assert_int_equal(zip_close(za), 0);
}

static char *
read_all(const char *path, size_t *len)
{
	ak_err e = { 0 };
	char *s = fs_read_file(path, len, &e);

	if (!s)
		fail_msg("%s", e.msg);
	return s;
}

/* Replaces every occurrence of from by to (same length) in a file: the
 * hostile forms libzip will not write. */
static void
patch_bytes(const char *path, const void *from, const void *to, size_t n)
{
	size_t len, i, hits = 0;
	char *s = read_all(path, &len);

	for (i = 0; i + n <= len; i++)
		if (!memcmp(s + i, from, n)) {
			memcpy(s + i, to, n);
			hits++;
		}
	assert_true(hits > 0);
	testlib_write_bytes(path, s, len);
	free(s);
}

static void
put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static uint32_t
get_le16(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8;
}

#define ZIP_SIZE_FIELD 22, 24
#define ZIP_CRC_FIELD 14, 16

/* Sets a 32-bit field of member `name` (every member when NULL) in its
 * local header and its central directory header alike, so that the two
 * still agree: the crafted forms libzip will not write (a bomb that
 * declares less than it holds, a wrong CRC). */
static void
patch_field(const char *path, const char *name, size_t local_off, size_t central_off, uint32_t v)
{
	size_t len, i, hits = 0, nlen = name ? strlen(name) : 0;
	unsigned char *s = (unsigned char *)read_all(path, &len);

	for (i = 0; i + 46 <= len; i++) {
		int local = !memcmp(s + i, "PK\3\4", 4), central = !memcmp(s + i, "PK\1\2", 4);
		size_t name_at = local ? 30 : 46, off = local ? local_off : central_off;

		if (!local && !central)
			continue;
		if (name && (get_le16(s + i + (local ? 26 : 28)) != nlen ||
			     memcmp(s + i + name_at, name, nlen)))
			continue;
		put_le32(s + i + off, v);
		hits++;
	}
	assert_true(name ? hits == 2 : hits >= 2);
	testlib_write_bytes(path, s, len);
	free(s);
}

static char *
dest_file(const fixture *f, const char *name)
{
	return testlib_path(f->dest, name);
}

static void
assert_file_text(const char *path, const char *text)
{
	size_t len;
	char *s = read_all(path, &len);

	assert_int_equal(len, strlen(text));
	assert_memory_equal(s, text, len);
	free(s);
}

/* The names in dir, sorted and joined with spaces ("" when empty). */
static char *
listing(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), i;
	char *out = xstrdup("");

	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
			char *next = xasprintf("%s%s%s", out, *out ? " " : "", names[i]->d_name);

			free(out);
			out = next;
		}
		free(names[i]);
	}
	free(names);
	return out;
}

static void
assert_listing(const char *dir, const char *want)
{
	char *got = listing(dir);

	assert_string_equal(got, want);
	free(got);
}

/* Extraction must fail with ERR_INPUT, a message naming the archive and
 * `needle`, and leave no destination behind. */
static void
assert_refused(fixture *f, const kaggle_unzip_opts *o, const char *needle)
{
	ak_err e = { 0 };

	assert_int_equal(kaggle_unzip(f->zip, f->dest, o, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_INPUT);
	assert_non_null(strstr(e.msg, f->zip));
	if (!strstr(e.msg, needle))
		fail_msg("'%s' not in: %s", needle, e.msg);
	assert_false(fs_exists(f->dest));
}

static void
test_names_cleaned_or_refused(void **state)
{
	static const struct {
		const char *raw, *clean;
		int is_dir;
	} cases[] = {
		{ "train.csv", "train.csv", 0 },
		{ "./a//b/./c.csv", "a/b/c.csv", 0 },
		{ "images/", "images", 1 },
		{ "win\\dir\\x.csv", "win/dir/x.csv", 0 },
		{ "a..b/..c", "a..b/..c", 0 },
		{ "", NULL, 0 },
		{ "/etc/passwd", NULL, 0 },
		{ "\\abs", NULL, 0 },
		{ "../evil", NULL, 0 },
		{ "a/../../evil", NULL, 0 },
		{ "a\\..\\..\\evil", NULL, 0 },
		{ "..", NULL, 0 },
		{ "./", NULL, 0 },
		{ "a\nb", NULL, 0 },
		{ "a\033[2Jb", NULL, 0 },
		{ "del\177", NULL, 0 },
		{ "c1\302\233[2J", NULL, 0 },
		{ "caf\303\251.csv", "caf\303\251.csv", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		int is_dir = -1;
		char *got = zipname_clean(cases[i].raw, &is_dir, &why);

		if (!cases[i].clean) {
			assert_null(got);
			assert_non_null(why);
			continue;
		}
		assert_non_null(got);
		assert_string_equal(got, cases[i].clean);
		assert_int_equal(is_dir, cases[i].is_dir);
		free(got);
	}
}

typedef struct progress_log {
	int calls;
	uint64_t done, total;
} progress_log;

static void
record_progress(void *arg, uint64_t done, uint64_t total)
{
	progress_log *p = arg;

	assert_true(done >= p->done);
	assert_true(done <= total);
	p->calls++;
	p->done = done;
	p->total = total;
}

static void
test_extracts_files_dirs_modes_progress(void **state)
{
	fixture *f = *state;
	const member m[] = {
		{ "train.csv", "id,y\n1,0\n2,1\n", 0, 0 },
		{ "images/", "", 0, 040755 },
		{ "images/a/b.txt", "deep", 0, 0100644 },
		{ "win\\sub.csv", "x", 0, 0 },
	};
	progress_log p = { 0 };
	kaggle_unzip_opts o = { .progress = record_progress, .arg = &p };
	ak_err e = { 0 };
	struct stat st;
	char *path;

	write_zip(f->zip, m, 4);
	assert_int_equal(kaggle_unzip(f->zip, f->dest, &o, &e), 0);
	path = dest_file(f, "train.csv");
	assert_file_text(path, "id,y\n1,0\n2,1\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	free(path);
	path = dest_file(f, "images/a/b.txt");
	assert_file_text(path, "deep");
	free(path);
	path = dest_file(f, "win/sub.csv");
	assert_file_text(path, "x");
	free(path);
	path = dest_file(f, "images/a");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	free(path);
	assert_int_equal(stat(f->dest, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_listing(f->dest, "images train.csv win");
	assert_true(p.calls >= 1);
	assert_int_equal(p.done, 13 + 4 + 1);
	assert_int_equal(p.total, p.done);
}

/* Archives refused from their central directory alone, one row each:
 * the members, the bounds, and what the message must say. */
static void
test_hostile_archives_refused(void **state)
{
	static const struct {
		member m[2];
		size_t n;
		kaggle_unzip_opts o;
		const char *needle;
	} rows[] = {
		{ { { "ok.csv", "fine", 0, 0 }, { "../evil", "pwned", 0, 0 } }, 2, { 0 },
		  "'../evil' has a '..' component" },
		{ { { "a\\..\\..\\evil", "pwned", 0, 0 } }, 1, { 0 }, "'..' component" },
		{ { { "/tmp/ak-abs-evil", "pwned", 0, 0 } }, 1, { 0 }, "absolute path" },
		{ { { "./", "", 0, 0 } }, 1, { 0 }, "no file in it" },
		{ { { "ok.csv", "fine", 0, 0 }, { "link", "/etc/passwd", 0, 0120777 } }, 2, { 0 },
		  "'link' is a symbolic link" },
		{ { { "pipe", "", 0, 010644 } }, 1, { 0 }, "not a file or directory" },
		{ { { "dir/a.csv", "one", 0, 0 }, { "./dir//a.csv", "two", 0, 0 } }, 2, { 0 },
		  "'dir/a.csv' occurs twice" },
		{ { { "t", "file", 0, 0 }, { "t/x.csv", "under it", 0, 0 } }, 2, { 0 },
		  "'t' is a file but other entries use it as a directory" },
		{ { { "t", "file", 0, 0 }, { "t/", "", 0, 0 } }, 2, { 0 },
		  "'t' is a file but other" },
		{ { { "a.csv", "0123456789", 0, 0 }, { "b.csv", "0123456789", 0, 0 } }, 2,
		  { .max_total = 15 }, "more than the bound of 15 bytes" },
		{ { { "a", "1", 0, 0 }, { "b", "2", 0, 0 } }, 2, { .max_entries = 1 },
		  "2 entries, more than the bound of 1" },
	};
	fixture *f = *state;
	char *evil = testlib_path(f->dir, "evil");
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		write_zip(f->zip, rows[i].m, rows[i].n);
		assert_refused(f, &rows[i].o, rows[i].needle);
	}
	assert_false(fs_exists(evil));
	assert_false(fs_exists("/tmp/ak-abs-evil"));
	free(evil);
}

static void
test_control_character_refused(void **state)
{
	fixture *f = *state;
	const member m[] = { { "badX]0;titleY.csv", "x", 0, 0 } };
	ak_err e = { 0 };

	write_zip(f->zip, m, 1);
	patch_bytes(f->zip, "badX", "bad\033", 4);
	patch_bytes(f->zip, "titleY", "title\007", 6);
	assert_refused(f, NULL, "control character");
	/* the message itself carries no escape sequence to a terminal */
	kaggle_unzip(f->zip, f->dest, NULL, &e);
	assert_null(strchr(e.msg, '\033'));
}

static void
test_same_name_refused(void **state)
{
	fixture *f = *state;
	const member same[] = {
		{ "a.csv", "one", 0, 0 },
		{ "b.csv", "two", 0, 0 },
	};

	write_zip(f->zip, same, 2);
	patch_bytes(f->zip, "b.csv", "a.csv", 5);
	assert_refused(f, NULL, "two entries of the same name");
}

/* 4 MiB of zeros that declares 1000 bytes: stopped at the first read
 * past what it declares, with nothing kept. */
static void
test_lying_bomb_stopped(void **state)
{
	fixture *f = *state;
	size_t n = 4 << 20;
	char *zeros = xcalloc(1, n);
	member m[] = { { "bomb.csv", zeros, n, 0 } };

	write_zip(f->zip, m, 1);
	free(zeros);
	patch_field(f->zip, "bomb.csv", ZIP_SIZE_FIELD, 1000);
	assert_refused(f, NULL, "'bomb.csv' inflates to more than the 1000 bytes it declares");
}

/* Declared sizes beyond the free space are the disk's problem, not the
 * archive's: refused before writing, as a full disk. */
static void
test_too_big_for_disk_refused(void **state)
{
	fixture *f = *state;
	member m[1000];
	char names[1000][8];
	kaggle_unzip_opts o = { .max_total = UINT64_MAX };
	ak_err e = { 0 };
	size_t i;

	/* 1000 members of almost 4 GiB (0xffffffff would mean zip64) */
	if (fs_free_bytes(f->dir) > 3000LL << 30)
		skip();
	for (i = 0; i < 1000; i++) {
		snprintf(names[i], sizeof(names[i]), "%zu", i);
		m[i] = (member){ names[i], "x", 0, 0 };
	}
	write_zip(f->zip, m, 1000);
	patch_field(f->zip, NULL, ZIP_SIZE_FIELD, 0xfffffffe);
	assert_int_equal(kaggle_unzip(f->zip, f->dest, &o, &e), -1);
	assert_true(err_is_disk_full(&e));
	assert_int_equal(err_kind_of(&e), ERR_DISK);
	assert_non_null(strstr(e.msg, "more space than"));
	assert_false(fs_exists(f->dest));
}

/* A file that was there keeps its content when a later entry fails, the
 * complete files before it vanish, and no temporary file is left. */
static void
test_failure_midway_leaves_nothing(void **state)
{
	fixture *f = *state;
	size_t n = 2 << 20;
	char *zeros = xcalloc(1, n);
	member m[] = {
		{ "keep.txt", "new", 0, 0 },
		{ "sub/first.csv", "complete", 0, 0 },
		{ "zzbomb.csv", zeros, n, 0 },
	};
	char *keep = dest_file(f, "keep.txt"), *old = dest_file(f, "old.txt");
	ak_err e = { 0 };

	write_zip(f->zip, m, 3);
	free(zeros);
	patch_field(f->zip, "zzbomb.csv", ZIP_SIZE_FIELD, 100);
	testlib_write(keep, "old content");
	testlib_write(old, "untouched");
	assert_int_equal(kaggle_unzip(f->zip, f->dest, NULL, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "zzbomb.csv"));
	assert_file_text(keep, "old content");
	assert_file_text(old, "untouched");
	assert_listing(f->dest, "keep.txt old.txt");
	free(keep);
	free(old);
}

static void
test_success_replaces_existing_file(void **state)
{
	fixture *f = *state;
	const member m[] = { { "keep.txt", "new", 0, 0 } };
	char *keep = dest_file(f, "keep.txt");
	ak_err e = { 0 };

	write_zip(f->zip, m, 1);
	testlib_write(keep, "old content");
	assert_int_equal(kaggle_unzip(f->zip, f->dest, NULL, &e), 0);
	assert_file_text(keep, "new");
	assert_listing(f->dest, "keep.txt");
	free(keep);
}

static void
test_planted_symlink_not_followed(void **state)
{
	fixture *f = *state;
	const member m[] = { { "data/x.csv", "x", 0, 0 } };
	char *link = dest_file(f, "data"), *outside = testlib_path(f->dir, "outside");
	char *escaped = testlib_path(outside, "x.csv");
	ak_err e = { 0 };

	write_zip(f->zip, m, 1);
	testlib_write(escaped, "mine");
	testlib_write(link, "moved aside for the link");
	assert_int_equal(unlink(link), 0);
	assert_int_equal(symlink(outside, link), 0);
	assert_int_equal(kaggle_unzip(f->zip, f->dest, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "not a directory"));
	assert_file_text(escaped, "mine");
	free(link);
	free(outside);
	free(escaped);
}

static void
write_nested(fixture *f, const char *inner_name)
{
	const member inner[] = {
		{ "train.csv", "id,y\n1,0\n", 0, 0 },
		{ "deeper.zip", "not extracted again", 0, 0 },
	};
	char *inner_path = testlib_path(f->dir, "inner.zip"), *bytes;
	size_t len;

	write_zip(inner_path, inner, 2);
	bytes = read_all(inner_path, &len);
	{
		const member outer[] = {
			{ "readme.txt", "hi", 0, 0 },
			{ inner_name, bytes, len, 0 },
		};

		write_zip(f->zip, outer, 2);
	}
	free(bytes);
	free(inner_path);
}

static void
test_nested_zip_extracted(void **state)
{
	fixture *f = *state;
	progress_log p = { 0 };
	kaggle_unzip_opts o = { .nested = 1, .progress = record_progress, .arg = &p };
	char *path;
	ak_err e = { 0 };

	write_nested(f, "sub/Train.ZIP");
	assert_int_equal(kaggle_unzip(f->zip, f->dest, &o, &e), 0);
	path = dest_file(f, "sub/Train/train.csv");
	assert_file_text(path, "id,y\n1,0\n");
	free(path);
	path = dest_file(f, "sub/Train/deeper.zip");
	assert_file_text(path, "not extracted again");
	free(path);
	path = dest_file(f, "sub");
	assert_listing(path, "Train");
	free(path);
	assert_int_equal(p.done, p.total);
}

static void
test_nested_off_keeps_zip(void **state)
{
	fixture *f = *state;
	char *path;
	ak_err e = { 0 };

	write_nested(f, "train.zip");
	assert_int_equal(kaggle_unzip(f->zip, f->dest, NULL, &e), 0);
	assert_listing(f->dest, "readme.txt train.zip");
	path = dest_file(f, "train.zip");
	assert_true(fs_exists(path));
	free(path);
}

static void
test_nested_collision_refused(void **state)
{
	fixture *f = *state;
	char *inner_path = testlib_path(f->dir, "inner.zip"), *bytes;
	const member inner[] = { { "x.csv", "inner", 0, 0 } };
	kaggle_unzip_opts o = { .nested = 1 };
	size_t len;

	write_zip(inner_path, inner, 1);
	bytes = read_all(inner_path, &len);
	{
		const member outer[] = {
			{ "t/x.csv", "outer", 0, 0 },
			{ "t.zip", bytes, len, 0 },
		};

		write_zip(f->zip, outer, 2);
	}
	assert_refused(f, &o, "'t/x.csv' occurs twice once nested archives are extracted");
	{
		const member outer[] = {
			{ "t", "a file", 0, 0 },
			{ "t.zip", bytes, len, 0 },
		};

		write_zip(f->zip, outer, 2);
	}
	assert_refused(f, &o, "'t' is a file but other entries use it as a directory once");
	free(bytes);
	free(inner_path);
}

static void
test_nested_corrupt_refused(void **state)
{
	fixture *f = *state;
	const member m[] = { { "data.zip", "this is no zip", 0, 0 } };
	kaggle_unzip_opts o = { .nested = 1 };
	ak_err e = { 0 };

	write_zip(f->zip, m, 1);
	assert_int_equal(kaggle_unzip(f->zip, f->dest, &o, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_INPUT);
	assert_non_null(strstr(e.msg, "data.zip (inside "));
	assert_false(fs_exists(f->dest));
}

static void
test_empty_zip(void **state)
{
	fixture *f = *state;
	static const char eocd[22] = "PK\5\6";
	ak_err e = { 0 };

	testlib_write_bytes(f->zip, eocd, sizeof(eocd));
	assert_int_equal(kaggle_unzip(f->zip, f->dest, NULL, &e), 0);
	assert_listing(f->dest, "");
}

static void
test_corrupt_and_truncated_refused(void **state)
{
	fixture *f = *state;
	const member m[] = {
		{ "a.csv", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, 0 },
		{ "b.csv", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 0, 0 },
	};
	size_t len;
	char *s;
	ak_err e = { 0 };

	testlib_write(f->zip, "id,y\n1,0\n");
	assert_refused(f, NULL, "not a zip archive");
	write_zip(f->zip, m, 2);
	s = read_all(f->zip, &len);
	testlib_write_bytes(f->zip, s, len - 30);
	free(s);
	assert_refused(f, NULL, "not a zip archive");
	assert_int_equal(kaggle_unzip("/nonexistent/x.zip", f->dest, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "does not exist"));
}

static void
test_corrupt_data_refused(void **state)
{
	fixture *f = *state;
	const member m[] = { { "a.csv", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, 0 } };

	write_zip(f->zip, m, 1);
	patch_field(f->zip, "a.csv", ZIP_CRC_FIELD, 0xdeadbeef);
	assert_refused(f, NULL, "'a.csv' cannot be read");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_cleaned_or_refused),
		cmocka_unit_test_setup_teardown(test_extracts_files_dirs_modes_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_archives_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control_character_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_name_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lying_bomb_stopped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_big_for_disk_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_midway_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_success_replaces_existing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_planted_symlink_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_zip_extracted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_off_keeps_zip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_collision_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_corrupt_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_zip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_and_truncated_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_data_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
