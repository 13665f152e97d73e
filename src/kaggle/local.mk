# src/kaggle: competition metadata (the Kaggle API client comes later)
libautokaggle_a_SOURCES += \
	src/kaggle/competition.c src/kaggle/competition.h
UNIT_TESTS += tests/unit/test_competition

# safe, streaming extraction of data zips
libautokaggle_a_SOURCES += \
	src/kaggle/unzip.c src/kaggle/unzip.h \
	src/kaggle/zipname.c src/kaggle/zipname.h
UNIT_TESTS += tests/unit/test_unzip
EXTRA_DIST += bench/lib.sh bench/unzip-bench.sh bench/unzip_bench.c
