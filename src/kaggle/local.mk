# src/kaggle: competition metadata (the Kaggle API client comes later)
libautokaggle_a_SOURCES += \
	src/kaggle/competition.c src/kaggle/competition.h
UNIT_TESTS += tests/unit/test_competition

# the Kaggle API's wire format: request bodies, replies, errors
libautokaggle_a_SOURCES += \
	src/kaggle/api.c src/kaggle/api.h \
	src/kaggle/api_error.c \
	src/kaggle/api_reply.c
UNIT_TESTS += tests/unit/test_kaggle_api
