# src/kaggle: competition metadata, references users paste, credentials
libautokaggle_a_SOURCES += \
	src/kaggle/competition.c src/kaggle/competition.h \
	src/kaggle/auth.c src/kaggle/auth.h \
	src/kaggle/url.c src/kaggle/url.h
UNIT_TESTS += tests/unit/test_competition tests/unit/test_url tests/unit/test_auth

# the Kaggle API's wire format: request bodies, replies, errors
libautokaggle_a_SOURCES += \
	src/kaggle/api.c src/kaggle/api.h \
	src/kaggle/api_error.c \
	src/kaggle/api_json.c src/kaggle/api_json.h \
	src/kaggle/api_kernel.c \
	src/kaggle/api_reply.c
UNIT_TESTS += tests/unit/test_kaggle_api

# safe, streaming extraction of data zips
libautokaggle_a_SOURCES += \
	src/kaggle/unzip.c src/kaggle/unzip.h \
	src/kaggle/zipname.c src/kaggle/zipname.h
UNIT_TESTS += tests/unit/test_unzip
EXTRA_DIST += bench/lib.sh bench/unzip-bench.sh bench/unzip_bench.c

# the client: calls, downloads and uploads on the event loop, and the data
# cache shared by runs
libautokaggle_a_SOURCES += \
	src/kaggle/cache.c src/kaggle/cache.h \
	src/kaggle/client.c src/kaggle/client.h \
	src/kaggle/kernel.c src/kaggle/kernel.h
EXTRA_DIST += bench/download-bench.sh
