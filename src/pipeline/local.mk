# src/pipeline: state machine and session
libautokaggle_a_SOURCES += \
	src/pipeline/llmcalls.c src/pipeline/llmcalls.h \
	src/pipeline/machine.c src/pipeline/machine.h
UNIT_TESTS += tests/unit/test_machine
libautokaggle_a_SOURCES += \
	src/pipeline/facts.c \
	src/pipeline/reindex.c src/pipeline/reindex.h \
	src/pipeline/follow.c src/pipeline/follow.h \
	src/pipeline/rundir.c src/pipeline/rundir.h \
	src/pipeline/run.c src/pipeline/run_status.c src/pipeline/run_options.c src/pipeline/run.h \
	src/pipeline/runopts.c src/pipeline/runopts.h \
	src/pipeline/session.c src/pipeline/session.h \
	src/pipeline/stage.h \
	src/pipeline/stage_code.c \
	src/pipeline/stage_exec.c \
	src/pipeline/stage_kaggle.c src/pipeline/stage_kaggle.h \
	src/pipeline/stage_profile.c \
	src/pipeline/stage_sample.c \
	src/pipeline/stage_source.c \
	src/pipeline/stage_tty.c \
	src/pipeline/stage_validate.c \
	src/pipeline/submit_gate.c src/pipeline/submit_gate.h \
	src/pipeline/supervisor.c src/pipeline/supervisor.h \
	src/pipeline/traceback.c src/pipeline/traceback.h \
	src/pipeline/ttysize.c src/pipeline/ttysize.h \
	src/pipeline/usage.c src/pipeline/usage_file.c src/pipeline/usage.h \
	src/pipeline/versions.c src/pipeline/versions.h \
	src/pipeline/chat.c src/pipeline/chat.h \
	src/pipeline/chat_config.c \
	src/pipeline/chat_history.c src/pipeline/chat_history.h \
	src/pipeline/stage_llm.c \
	src/pipeline/stage_install.c \
	src/pipeline/stage_repair.c \
	src/front/headless.c src/front/headless.h \
	src/cmd/cmd.c src/cmd/cmd.h \
	src/cmd/cmd_cancel.c \
	src/cmd/cmd_chat.c \
	src/cmd/cmd_doctor.c \
	src/cmd/cmd_export.c \
	src/cmd/cmd_hash.c \
	src/cmd/cmd_kaggle.c \
	src/cmd/cmd_kaggle_child.c \
	src/cmd/cmd_kernel_child.c \
	src/cmd/cmd_llm.c \
	src/cmd/cmd_logs.c \
	src/cmd/cmd_profile.c \
	src/cmd/cmd_reindex.c \
	src/cmd/cmd_run.c \
	src/cmd/cmd_scores.c \
	src/cmd/cmd_status.c \
	src/cmd/cmd_submit.c \
	src/cmd/cmd_versions.c \
	src/cmd/table.c src/cmd/table.h
UNIT_TESTS += tests/unit/test_runopts tests/unit/test_table
UNIT_TESTS += tests/unit/test_fingerprint tests/unit/test_usage tests/unit/test_ttysize
EXTRA_DIST += bench/data-bench.sh
