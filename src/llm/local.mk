# src/llm: the stream parsers, the provider interface and one file per provider
libautokaggle_a_SOURCES += \
	src/llm/ndjson.c src/llm/ndjson.h \
	src/llm/sse.c src/llm/sse.h
UNIT_TESTS += tests/unit/test_llm_sse tests/unit/test_llm tests/unit/test_llm_stream
libautokaggle_a_SOURCES += \
	src/llm/llm.c src/llm/llm.h \
	src/llm/context.c src/llm/context.h \
	src/llm/llm_error.c \
	src/llm/llm_http.c \
	src/llm/llm_models.c \
	src/llm/llm_stream.c \
	src/llm/price.c src/llm/price.h \
	src/llm/provider.h \
	src/llm/anthropic.c \
	src/llm/gemini.c \
	src/llm/ollama.c \
	src/llm/openai.c
