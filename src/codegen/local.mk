# src/codegen: sources and unit tests
libautokaggle_a_SOURCES += \
	src/codegen/codegen.c src/codegen/codegen.h \
	src/codegen/metric.c src/codegen/metric.h \
	src/codegen/blocks.c src/codegen/blocks.h \
	src/codegen/prompt.c src/codegen/prompt.h
UNIT_TESTS += tests/unit/test_metric tests/unit/test_codegen tests/unit/test_blocks
