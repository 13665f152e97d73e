# src/llm: the stream parsers, the provider interface and one file per provider
libautokaggle_a_SOURCES += \
	src/llm/ndjson.c src/llm/ndjson.h \
	src/llm/sse.c src/llm/sse.h
UNIT_TESTS += tests/unit/test_llm_sse
