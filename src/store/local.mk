# src/store: sqlite schema and queries
libautokaggle_a_SOURCES += \
	src/store/schema.c src/store/schema.h \
	src/store/store.c src/store/store.h
UNIT_TESTS += tests/unit/test_store
