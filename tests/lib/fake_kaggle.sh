# Starts the fake Kaggle server (tests/fakes/fake_kaggle.py) for a TAP
# test; source it after tap.sh:
#     . "$top_srcdir/tests/lib/fake_kaggle.sh"
#     fake_kaggle_start [--data DIR] [--state DIR] [--run-kernels PYTHON] ...
# It runs under $AUTOKAGGLE_PYTHON, logs to $T/fake.log, keeps its state in
# $T/fake-state unless given --state, and is stopped by tap.sh's cleanup
# (its pid is remembered, its command line names $T; so do those of the
# kernels it runs, which work under its state folder).
# Afterwards: $FAKE_PORT, $FAKE_URL (http://127.0.0.1:PORT), $FAKE_API (the
# endpoint prefix up to /v1), and the fixture credentials below.

FAKE_USER=alice
FAKE_KEY=0123456789abcdef0123456789abcdef
FAKE_TOKEN=KGAT_0123456789abcdef0123456789abcdef

fake_kaggle_start() {
	rm -f "$T/fake.port"
	background "$AUTOKAGGLE_PYTHON" "$top_srcdir/tests/fakes/fake_kaggle.py" \
		--port-file "$T/fake.port" --log "$T/fake.log" --state "$T/fake-state" "$@" 2>"$T/fake.err"
	FAKE_PID=$!
	wait_until 15 test -s "$T/fake.port" || {
		diag_file "$T/fake.err"
		bail_out "the fake Kaggle server did not start"
	}
	FAKE_PORT=$(cat "$T/fake.port")
	FAKE_URL=http://127.0.0.1:$FAKE_PORT
	FAKE_API=$FAKE_URL/v1
	export FAKE_PORT FAKE_URL FAKE_API FAKE_PID
}

# fake_kaggle_stop: SIGTERM, then waits for the exit; $? is its status.
fake_kaggle_stop() {
	kill -TERM "$FAKE_PID" 2>/dev/null
	wait "$FAKE_PID"
}

# fake_kaggle_houses MAX: the regression fixture in $data/houses-fake as
# the fake shows it: Houses Fake, scored by RMSE, MAX submissions a day.
fake_kaggle_houses() {
	data=$T/data
	sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$data/houses-fake" ||
		bail_out "fixture generator failed"
	printf '{"title": "Houses Fake", "evaluationMetric": "Root Mean Squared Error", "maxDailySubmissions": %s}\n' \
		"$1" >"$data/houses-fake/.competition.json"
	rm "$data/houses-fake/competition.json"
}

# fake_kaggle_use: autokaggle talks to the started fake with its token, and
# caches data in the test's directory.
fake_kaggle_use() {
	KAGGLE_API_ENDPOINT=$FAKE_API
	KAGGLE_API_TOKEN=$FAKE_TOKEN
	XDG_CACHE_HOME=$T/cache
	export KAGGLE_API_ENDPOINT KAGGLE_API_TOKEN XDG_CACHE_HOME
}
