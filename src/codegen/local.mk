# src/codegen: sources and unit tests
libautokaggle_a_SOURCES += \
	src/codegen/codegen.c src/codegen/codegen.h \
	src/codegen/metric.c src/codegen/metric.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_metric tests/unit/test_codegen
TESTS += tests/unit/test_metric tests/unit/test_codegen
tests_unit_test_metric_CFLAGS = $(unit_cflags)
tests_unit_test_metric_LDADD = $(unit_ldadd)
tests_unit_test_codegen_CFLAGS = $(unit_cflags)
tests_unit_test_codegen_LDADD = $(unit_ldadd)
endif
