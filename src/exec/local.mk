# src/exec: sources and unit tests
libautokaggle_a_SOURCES += \
	src/exec/exec.c src/exec/exec.h \
	src/exec/exec_env.c \
	src/exec/exec_gpu.c \
	src/exec/exec_units.c \
	src/exec/executor.c src/exec/executor.h \
	src/exec/executor_kaggle.c \
	src/exec/executor_local.c \
	src/exec/kernel_package.c src/exec/kernel_package.h \
	src/exec/proctree.c src/exec/proctree.h \
	src/exec/venv.c src/exec/venv.h

UNIT_TESTS += tests/unit/test_exec tests/unit/test_exec_venv

# Not run by CI: ENV's cold and warm time (bench/env-bench.sh), the
# child-output benchmark (bench/firehose-bench.sh) and the redactor alone
# (bench/redact_bench.c).
EXTRA_DIST += bench/env-bench.sh bench/firehose-bench.sh bench/tui-firehose.sh bench/exec_firehose.c bench/redact_bench.c
