# src/data: sources and unit tests
# CSV reading and the profiler
libautokaggle_a_SOURCES += \
	src/data/colstat.c src/data/colstat.h \
	src/data/csv.c src/data/csv.h \
	src/data/csvsrc.c src/data/csvsrc.h \
	src/data/freq.c src/data/freq.h \
	src/data/hll.c src/data/hll.h \
	src/data/infer.c src/data/infer.h \
	src/data/kll.c src/data/kll.h \
	src/data/profile.c src/data/profile_cli.c src/data/profile.h \
	src/data/scan.c src/data/scan.h \
	src/data/strhash.h \
	src/data/xfile.c src/data/xfile.h

UNIT_TESTS += tests/unit/test_csv tests/unit/test_prof_sketch tests/unit/test_prof_infer \
	tests/unit/test_profile

EXTRA_DIST += \
	tests/fixtures/profile/oracle.py \
	tests/fixtures/profile/stats.csv \
	tests/fixtures/profile/stats_expected.json \
	tests/fuzz/ci-fuzz.sh tests/fuzz/fuzz_file.h tests/fuzz/fuzz_csv.c tests/fuzz/fuzz_infer.c \
	tests/fuzz/fuzz_colstat.c tests/fuzz/fuzz_scan.c \
	bench/profile-bench.sh bench/gen_kaggle.c \
	bench/duckdb-summarize.js bench/polars-describe.js bench/pandas-describe.py

# submission validator
libautokaggle_a_SOURCES += src/data/validate.c src/data/validate.h

UNIT_TESTS += tests/unit/test_validate
