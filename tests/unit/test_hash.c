#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "util/hash.h"

static void
hex_of(const char *s, char out[HASH_HEX_LEN + 1])
{
	hash_ctx c;

	hash_init(&c);
	hash_update(&c, s, strlen(s));
	hash_final_hex(&c, out);
}

static void
test_known_vectors(void **state)
{
	char hex[HASH_HEX_LEN + 1];

	(void)state;
	hex_of("", hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void
test_split_updates_match(void **state)
{
	const char *s = "the quick brown fox jumps over the lazy dog, 64+ bytes of it......";
	char one[HASH_HEX_LEN + 1], two[HASH_HEX_LEN + 1];
	hash_ctx c;
	size_t i;

	(void)state;
	hex_of(s, one);
	hash_init(&c);
	for (i = 0; i < strlen(s); i++)
		hash_update(&c, s + i, 1);
	hash_final_hex(&c, two);
	assert_string_equal(one, two);
}

static void
test_strings_are_delimited(void **state)
{
	char a[HASH_HEX_LEN + 1], b[HASH_HEX_LEN + 1];
	hash_ctx c;

	(void)state;
	hash_init(&c);
	hash_update_str(&c, "ab");
	hash_update_str(&c, "c");
	hash_final_hex(&c, a);
	hash_init(&c);
	hash_update_str(&c, "a");
	hash_update_str(&c, "bc");
	hash_final_hex(&c, b);
	assert_string_not_equal(a, b);
}

/* A FIFO, a device or a directory is refused at once, never read. */
static void
test_only_regular_files_are_read(void **state)
{
	char *dir = testlib_tmpdir("hash"), *fifo, hex[HASH_HEX_LEN + 1];
	ak_err e = { 0 };

	(void)state;
	fifo = testlib_path(dir, "train.csv");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(hash_file_hex(fifo, hex, &e), -1);
	assert_non_null(strstr(e.msg, "FIFO"));
	assert_int_equal(hash_file_hex("/dev/urandom", hex, &e), -1);
	assert_non_null(strstr(e.msg, "character device"));
	assert_int_equal(hash_file_hex(dir, hex, &e), -1);
	assert_non_null(strstr(e.msg, "directory"));
	testlib_rmtree(dir);
	free(dir);
	free(fifo);
}

static void
dir_hex(const char *dir, char hex[HASH_HEX_LEN + 1])
{
	hash_ctx h;

	hash_init(&h);
	hash_update_dir(&h, dir);
	hash_final_hex(&h, hex);
}

static void
test_dir_is_its_files_by_name(void **state)
{
	char *dir = testlib_tmpdir("hashdir"), *p, a[HASH_HEX_LEN + 1], b[HASH_HEX_LEN + 1];

	(void)state;
	p = testlib_path(dir, "train.py");
	testlib_write(p, "print(1)\n");
	free(p);
	dir_hex(dir, a);
	/* dot files and subdirectories are not the code */
	p = testlib_path(dir, ".hidden");
	testlib_write(p, "x");
	free(p);
	p = testlib_path(dir, "__pycache__/m.pyc");
	testlib_write(p, "x");
	free(p);
	dir_hex(dir, b);
	assert_string_equal(a, b);
	/* a renamed file is other code */
	p = testlib_path(dir, "train.py");
	unlink(p);
	free(p);
	p = testlib_path(dir, "main.py");
	testlib_write(p, "print(1)\n");
	free(p);
	dir_hex(dir, b);
	assert_string_not_equal(a, b);
	testlib_rmtree(dir);
	free(dir);
}

static void
test_file_matches_bytes(void **state)
{
	char *dir = testlib_tmpdir("hash"), *p, a[HASH_HEX_LEN + 1], b[HASH_HEX_LEN + 1];

	(void)state;
	p = testlib_path(dir, "f");
	testlib_write(p, "abc");
	assert_int_equal(hash_file_hex(p, a, NULL), 0);
	hex_of("abc", b);
	assert_string_equal(a, b);
	testlib_rmtree(dir);
	free(dir);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_split_updates_match),
		cmocka_unit_test(test_strings_are_delimited),
		cmocka_unit_test(test_only_regular_files_are_read),
		cmocka_unit_test(test_file_matches_bytes),
		cmocka_unit_test(test_dir_is_its_files_by_name),
	};

	return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}
