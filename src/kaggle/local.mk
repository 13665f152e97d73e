# src/kaggle: competition metadata (the Kaggle API client comes later)
libautokaggle_a_SOURCES += \
	src/kaggle/competition.c src/kaggle/competition.h
UNIT_TESTS += tests/unit/test_competition
