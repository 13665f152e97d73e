# src/util: allocation, strings, files, hashing, the event loop
libautokaggle_a_SOURCES += \
	src/util/err.c src/util/err.h \
	src/util/fs.c src/util/fs.h \
	src/util/hash.c src/util/hash.h \
	src/util/jsonfile.c src/util/jsonfile.h \
	src/util/paths.c src/util/paths.h \
	src/util/strbuf.c src/util/strbuf.h \
	src/util/xalloc.c src/util/xalloc.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_hash
TESTS += tests/unit/test_hash
tests_unit_test_hash_CFLAGS = $(unit_cflags)
tests_unit_test_hash_LDADD = $(unit_ldadd)
endif
