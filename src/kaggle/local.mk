# src/kaggle: competition metadata, references users paste, credentials
libautokaggle_a_SOURCES += \
	src/kaggle/competition.c src/kaggle/competition.h \
	src/kaggle/auth.c src/kaggle/auth.h \
	src/kaggle/url.c src/kaggle/url.h
UNIT_TESTS += tests/unit/test_competition tests/unit/test_url tests/unit/test_auth
