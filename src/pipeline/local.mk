# src/pipeline: state machine and session
libautokaggle_a_SOURCES += \
	src/pipeline/machine.c src/pipeline/machine.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_machine
TESTS += tests/unit/test_machine
tests_unit_test_machine_CFLAGS = $(unit_cflags)
tests_unit_test_machine_LDADD = $(unit_ldadd)
endif
