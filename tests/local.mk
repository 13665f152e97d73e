# integration tests: TAP shell scripts that run the built binary
# (tests/lib/run-test.sh runs *.sh with sh; tap.sh is their library)
TESTS += \
	tests/integration/cli.sh \
	tests/integration/demo.sh \
	tests/integration/multiclass.sh \
	tests/integration/regression.sh \
	tests/integration/overrides.sh \
	tests/integration/bad_sample.sh \
	tests/integration/train_fails.sh \
	tests/integration/kill_cli.sh \
	tests/integration/bad_input.sh \
	tests/integration/secrets.sh \
	tests/integration/venv_cache.sh \
	tests/integration/env_credentials.sh
EXTRA_DIST += \
	tests/lib/run-test.sh \
	tests/lib/tap.sh \
	tests/fixtures/gen-competition.sh \
	tests/integration/cli.sh \
	tests/integration/demo.sh \
	tests/integration/multiclass.sh \
	tests/integration/regression.sh \
	tests/integration/overrides.sh \
	tests/integration/bad_sample.sh \
	tests/integration/train_fails.sh \
	tests/integration/kill_cli.sh \
	tests/integration/bad_input.sh \
	tests/integration/secrets.sh \
	tests/integration/venv_cache.sh \
	tests/integration/env_credentials.sh
