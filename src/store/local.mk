# src/store: sqlite schema and queries
libautokaggle_a_SOURCES += \
	src/store/schema.c src/store/schema.h \
	src/store/store.c src/store/store.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_store
TESTS += tests/unit/test_store
tests_unit_test_store_CFLAGS = $(unit_cflags)
tests_unit_test_store_LDADD = $(unit_ldadd)
endif
