# integration tests: TAP shell scripts that run the built binary
# (tests/lib/run-test.sh runs *.sh with sh; tap.sh is their library)
INTEGRATION_TESTS = \
	tests/integration/cli.sh \
	tests/integration/demo.sh \
	tests/integration/multiclass.sh \
	tests/integration/regression.sh \
	tests/integration/overrides.sh \
	tests/integration/bad_sample.sh \
	tests/integration/train_fails.sh \
	tests/integration/kill_cli.sh \
	tests/integration/bad_input.sh \
	tests/integration/profile_errors.sh \
	tests/integration/profile_messages.sh \
	tests/integration/unknown_metric.sh \
	tests/integration/sample_run.sh \
	tests/integration/secrets.sh \
	tests/integration/venv_cache.sh \
	tests/integration/env_credentials.sh \
	tests/integration/workspace.sh \
	tests/integration/busy.sh \
	tests/integration/processes.sh \
	tests/integration/data_cache.sh \
	tests/integration/diskfull.sh \
	tests/integration/terminal.sh \
	tests/integration/cli_messages.sh \
	tests/integration/fake_kaggle.sh \
	tests/integration/kaggle_run.sh \
	tests/integration/kernel_run.sh \
	tests/integration/kaggle_errors.sh \
	tests/integration/kaggle_submit.sh \
	tests/integration/export.sh \
	tests/integration/llm_models.sh \
	tests/integration/llm_stream.sh \
	tests/integration/llm_code.sh \
	tests/integration/llm_repair.sh \
	tests/integration/llm_chat.sh \
	tests/integration/llm_chat_pty.sh
# The workbench's screen tests (tests/lib/tui.sh): key scripts and dumps.
INTEGRATION_TESTS += \
	tests/integration/tui_screens.sh \
	tests/integration/tui_commands.sh \
	tests/integration/tui_submit.sh \
	tests/integration/tui_rerun.sh \
	tests/integration/tui_output.sh \
	tests/integration/tui_ptysize.sh \
	tests/integration/tui_panes.sh \
	tests/integration/tui_tmux.sh \
	tests/integration/tui_ssh.sh \
	tests/integration/tui_terms.sh \
	tests/integration/tui_chat.sh
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS) \
	tests/lib/run-test.sh \
	tests/lib/tap.sh \
	tests/lib/tui.sh \
	tests/lib/tmux.sh \
	tests/lib/profile_fails.sh \
	tests/lib/fake_kaggle.sh \
	tests/lib/fake_llm.sh \
	tests/fakes/fake_kaggle.py \
	tests/fakes/kernel_runner.py \
	tests/fakes/fake_llm.py \
	tests/fakes/README \
	tests/fixtures/gen-competition.sh \
	tests/fixtures/raise-editor.sh \
	tests/fuzz/fuzz_competition.c \
	tests/fuzz/fuzz_kaggle_api.c \
	tests/fuzz/fuzz_runjson.c \
	tests/fuzz/fuzz_runopts.c \
	tests/fuzz/fuzz_validate.c
