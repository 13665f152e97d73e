# src/util: allocation, strings, files, hashing, the event loop
libautokaggle_a_SOURCES += \
	src/util/err.c src/util/err.h \
	src/util/fs.c src/util/fs.h \
	src/util/hash.c src/util/hash.h \
	src/util/jsonfile.c src/util/jsonfile.h \
	src/util/linediff.c src/util/linediff.h \
	src/util/paths.c src/util/paths.h \
	src/util/settings.c src/util/settings.h \
	src/util/strbuf.c src/util/strbuf.h \
	src/util/strv.c src/util/strv.h \
	src/util/termsafe.c src/util/termsafe.h \
	src/util/timefmt.c src/util/timefmt.h \
	src/util/xalloc.c src/util/xalloc.h
UNIT_TESTS += tests/unit/test_err tests/unit/test_hash tests/unit/test_settings tests/unit/test_termsafe

# event loop and secret redactor
libautokaggle_a_SOURCES += \
	src/util/loop.c src/util/loop.h \
	src/util/redact.c src/util/redact.h
UNIT_TESTS += tests/unit/test_loop tests/unit/test_redact

# HTTP on libcurl's multi interface, driven by the event loop
libautokaggle_a_SOURCES += src/util/http.c src/util/http.h
UNIT_TESTS += tests/unit/test_http
EXTRA_DIST += tests/unit/http_test_server.py
