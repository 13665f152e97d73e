#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/schema.h"
#include "store/store.h"
#include "testlib.h"
#include "util/fs.h"
#include "util/redact.h"
#include "util/xalloc.h"

#define SECRET "hunter2-Very-Secret-Value-42"

typedef struct fixture {
	char *tmp;
	char *ws;     /* workspace: a not yet existing directory inside tmp */
	char *dbpath;
	store *s;
} fixture;

static int
setup(void **state)
{
	fixture *f = xcalloc(1, sizeof(*f));
	ak_err e = { 0 };

	f->tmp = testlib_tmpdir("store");
	f->ws = xasprintf("%s/nested/workspace", f->tmp);
	f->dbpath = xasprintf("%s/autokaggle.db", f->ws);
	f->s = store_open(f->ws, STORE_WRITE, &e);
	if (!f->s) {
		print_error("store_open: %s\n", e.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	fixture *f = *state;

	store_close(f->s);
	testlib_rmtree(f->tmp);
	free(f->tmp);
	free(f->ws);
	free(f->dbpath);
	free(f);
	redact_reset();
	return 0;
}

static sqlite3 *
raw_open(const char *path)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static sqlite3 *
raw_open_create(const char *path)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	return db;
}

/* The first column of the first row as an integer. */
static long long
raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *
raw_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static void
raw_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		print_error("%s: %s\n", sql, msg);
		sqlite3_free(msg);
		fail();
	}
}

static store_run
sample_run(const char *id, double created)
{
	store_run r = {
		.id = (char *)id,
		.source = "titanic",
		.title = "Titanic",
		.task = "binary",
		.target = "Survived",
		.id_column = "PassengerId",
		.metric = "accuracy",
		.status = "created",
		.created = created,
		.updated = created + 1,
		.supervisor_pid = 4242,
		.cv_score = NAN,
	};
	return r;
}

static void
make_run(fixture *f, const char *id, double created)
{
	store_run r = sample_run(id, created);
	ak_err e = { 0 };

	if (store_run_create(f->s, &r, &e) < 0) {
		print_error("store_run_create: %s\n", e.msg);
		fail();
	}
}

static void
test_open_makes_private_files(void **state)
{
	fixture *f = *state;
	struct stat sb;
	char *wal, *mode;
	sqlite3 *db;

	assert_int_equal(stat(f->ws, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(stat(f->dbpath, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	make_run(f, "r1", 1);
	wal = xasprintf("%s-wal", f->dbpath);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	free(wal);
	db = raw_open(f->dbpath);
	mode = raw_text(db, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	sqlite3_close(db);
}

static void
test_open_tightens_existing_db_mode(void **state)
{
	fixture *f = *state;
	ak_err e = { 0 };
	struct stat sb;

	store_close(f->s);
	assert_int_equal(chmod(f->dbpath, 0644), 0);
	f->s = store_open(f->ws, STORE_WRITE, &e);
	assert_non_null(f->s);
	assert_int_equal(stat(f->dbpath, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
}

static void
assert_run_equal(const store_run *a, const store_run *b)
{
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->source, b->source);
	assert_string_equal(a->title, b->title);
	assert_string_equal(a->task, b->task);
	assert_string_equal(a->target, b->target);
	assert_string_equal(a->id_column, b->id_column);
	assert_string_equal(a->metric, b->metric);
	assert_string_equal(a->status, b->status);
	assert_true(a->created == b->created);
	assert_true(a->updated == b->updated);
	assert_int_equal(a->supervisor_pid, b->supervisor_pid);
	if (isnan(b->cv_score))
		assert_true(isnan(a->cv_score));
	else
		assert_true(a->cv_score == b->cv_score);
}

static void
test_runs(void **state)
{
	fixture *f = *state;
	store_run r = sample_run("20261125-163012-demo", 1700000000.25), got, *list;
	store_run empty = { .id = "bare", .created = 5, .cv_score = NAN };
	ak_err e = { 0 };
	size_t n;
	sqlite3 *db;

	assert_int_equal(store_run_create(f->s, &r, &e), 0);
	assert_int_equal(store_run_get(f->s, r.id, &got, &e), 1);
	assert_run_equal(&got, &r);
	store_run_free(&got);

	db = raw_open(f->dbpath);
	assert_int_equal(raw_int(db, "SELECT cv_score IS NULL FROM runs"), 1);
	r.title = "Titanic: ML from disaster";
	r.status = "done";
	r.cv_score = 0.8125;
	r.updated = 1700000100.5;
	r.supervisor_pid = 0;
	assert_int_equal(store_run_update(f->s, &r, &e), 0);
	assert_int_equal(raw_int(db, "SELECT cv_score = 0.8125 FROM runs"), 1);
	sqlite3_close(db);
	assert_int_equal(store_run_get(f->s, r.id, &got, &e), 1);
	assert_run_equal(&got, &r);
	store_run_free(&got);

	assert_int_equal(store_run_set_status(f->s, r.id, "interrupted", &e), 0);
	assert_int_equal(store_run_get(f->s, r.id, &got, &e), 1);
	assert_string_equal(got.status, "interrupted");
	assert_true(got.updated > r.updated);
	store_run_free(&got);

	assert_int_equal(store_run_create(f->s, &empty, &e), 0);
	assert_int_equal(store_run_get(f->s, "bare", &got, &e), 1);
	assert_string_equal(got.metric, "");
	assert_true(isnan(got.cv_score));
	store_run_free(&got);

	make_run(f, "middle", 1700000000.5);
	assert_int_equal(store_run_list(f->s, &list, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].id, "middle");
	assert_string_equal(list[1].id, "20261125-163012-demo");
	assert_string_equal(list[2].id, "bare");
	store_run_list_free(list, n);

	assert_int_equal(store_run_get(f->s, "missing", &got, &e), 0);
	assert_int_equal(store_run_create(f->s, &r, &e), -1);
	assert_non_null(strstr(e.msg, "already exists"));
	r.id = "missing";
	assert_int_equal(store_run_update(f->s, &r, &e), -1);
	assert_non_null(strstr(e.msg, "no such run"));
	assert_int_equal(store_run_set_status(f->s, "missing", "done", &e), -1);
}

static void
test_run_list_empty(void **state)
{
	fixture *f = *state;
	store_run *list = (store_run *)1;
	ak_err e = { 0 };
	size_t n = 7;

	assert_int_equal(store_run_list(f->s, &list, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_null(list);
}

static store_stage
sample_stage(int k)
{
	store_stage st;

	memset(&st, 0, sizeof(st));
	st.m.status = (machine_status)(k % STATUS_COUNT);
	snprintf(st.m.input_fp, sizeof(st.m.input_fp), "%064x", k + 1);
	snprintf(st.m.done_fp, sizeof(st.m.done_fp), "done-%d", k);
	st.m.attempts = k + 2;
	st.m.repairs = k + 1;
	st.started = 1700000000.5 + k;
	st.ended = 1700000060.25 + k;
	st.exit_code = k - 3;
	st.wall_s = 59.75 + k;
	st.cpu_s = 120.5 + k;
	st.maxrss_kb = 3000000L + k;
	snprintf(st.message, sizeof(st.message), "exited with status %d", k);
	return st;
}

static void
assert_stage_equal(const store_stage *a, const store_stage *b)
{
	assert_int_equal(a->m.status, b->m.status);
	assert_string_equal(a->m.input_fp, b->m.input_fp);
	assert_string_equal(a->m.done_fp, b->m.done_fp);
	assert_int_equal(a->m.attempts, b->m.attempts);
	assert_int_equal(a->m.repairs, b->m.repairs);
	assert_true(a->started == b->started);
	assert_true(a->ended == b->ended);
	assert_int_equal(a->exit_code, b->exit_code);
	assert_true(a->wall_s == b->wall_s);
	assert_true(a->cpu_s == b->cpu_s);
	assert_int_equal(a->maxrss_kb, b->maxrss_kb);
	assert_string_equal(a->message, b->message);
}

static void
test_stage_round_trip(void **state)
{
	fixture *f = *state;
	store_stage st = sample_stage(6), out[STAGE_COUNT], zero;
	ak_err e = { 0 };
	char *txt;
	sqlite3 *db;
	int i;

	make_run(f, "r1", 1);
	st.m.status = STATUS_REPAIRING;
	assert_int_equal(store_stage_set(f->s, "r1", STAGE_TRAIN, &st, &e), 0);
	assert_int_equal(store_stage_get_all(f->s, "r1", out, &e), 0);
	assert_stage_equal(&out[STAGE_TRAIN], &st);
	memset(&zero, 0, sizeof(zero));
	for (i = 0; i < STAGE_COUNT; i++)
		if (i != STAGE_TRAIN)
			assert_stage_equal(&out[i], &zero);

	/* Readable in the sqlite3 shell: names, not numbers. */
	db = raw_open(f->dbpath);
	txt = raw_text(db, "SELECT stage || '/' || status FROM stages");
	assert_string_equal(txt, "train/repairing");
	free(txt);
	sqlite3_close(db);

	st.m.status = STATUS_DONE;
	strcpy(st.message, "ok");
	assert_int_equal(store_stage_set(f->s, "r1", STAGE_TRAIN, &st, &e), 0);
	assert_int_equal(store_stage_get_all(f->s, "r1", out, &e), 0);
	assert_stage_equal(&out[STAGE_TRAIN], &st);

	assert_int_equal(store_stage_get_all(f->s, "other", out, &e), 0);
	assert_int_equal(out[STAGE_TRAIN].m.status, STATUS_IDLE);
	assert_int_equal(store_stage_set(f->s, "nope", STAGE_TRAIN, &st, &e), -1);
	assert_non_null(strstr(e.msg, "no such run"));
	assert_int_equal(store_stage_set(f->s, "r1", STAGE_COUNT, &st, &e), -1);
}

static void
test_stage_set_all_is_atomic(void **state)
{
	fixture *f = *state;
	store_stage a[STAGE_COUNT], b[STAGE_COUNT], out[STAGE_COUNT];
	ak_err e = { 0 };
	int i;

	make_run(f, "r1", 1);
	for (i = 0; i < STAGE_COUNT; i++) {
		a[i] = sample_stage(i);
		b[i] = sample_stage(i + 20);
	}
	assert_int_equal(store_stage_set_all(f->s, "r1", a, &e), 0);
	assert_int_equal(store_stage_get_all(f->s, "r1", out, &e), 0);
	for (i = 0; i < STAGE_COUNT; i++)
		assert_stage_equal(&out[i], &a[i]);

	/* A failure at PREDICT must undo the stages already written. */
	b[STAGE_PREDICT].m.status = (machine_status)STATUS_COUNT;
	assert_int_equal(store_stage_set_all(f->s, "r1", b, &e), -1);
	assert_int_equal(store_stage_get_all(f->s, "r1", out, &e), 0);
	for (i = 0; i < STAGE_COUNT; i++)
		assert_stage_equal(&out[i], &a[i]);

	b[STAGE_PREDICT].m.status = STATUS_STALE;
	assert_int_equal(store_stage_set_all(f->s, "r1", b, &e), 0);
	assert_int_equal(store_stage_get_all(f->s, "r1", out, &e), 0);
	for (i = 0; i < STAGE_COUNT; i++)
		assert_stage_equal(&out[i], &b[i]);

	assert_int_equal(store_stage_set_all(f->s, "nope", a, &e), -1);
	assert_int_equal(store_stage_get_all(f->s, "nope", out, &e), 0);
	assert_int_equal(out[STAGE_META].m.status, STATUS_IDLE);
}

static void
test_attempts(void **state)
{
	fixture *f = *state;
	store_attempt a = { .stage = STAGE_TRAIN, .started = 10, .ended = 20.5, .exit_code = 1,
			    .wall_s = 10.5, .cpu_s = 9.25, .maxrss_kb = 123456,
			    .outcome = "failed", .message = "exited with status 1" };
	store_attempt *list;
	ak_err e = { 0 };
	size_t n;

	make_run(f, "r1", 1);
	make_run(f, "r2", 2);
	assert_int_equal(store_attempt_add(f->s, "r1", &a, &e), 1);
	assert_int_equal(store_attempt_add(f->s, "r1", &a, &e), 2);
	a.stage = STAGE_PREDICT;
	assert_int_equal(store_attempt_add(f->s, "r1", &a, &e), 1);
	assert_int_equal(store_attempt_add(f->s, "r2", &a, &e), 1);
	a.stage = STAGE_TRAIN;
	a.outcome = "done";
	a.exit_code = 0;
	assert_int_equal(store_attempt_add(f->s, "r1", &a, &e), 3);
	/* The machine's counter restarts after a success: n is the store's. */
	a.n = 1;
	assert_int_equal(store_attempt_add(f->s, "r1", &a, &e), 4);
	a.n = 0;
	assert_int_equal(store_attempt_add(f->s, "r1", &a, &e), 5);
	assert_int_equal(store_attempt_add(f->s, "nope", &a, &e), -1);

	assert_int_equal(store_attempt_list(f->s, "r1", &list, &n, &e), 0);
	assert_int_equal(n, 6);
	assert_int_equal(list[0].stage, STAGE_TRAIN);
	assert_int_equal(list[0].n, 1);
	assert_string_equal(list[0].outcome, "failed");
	assert_string_equal(list[0].message, "exited with status 1");
	assert_true(list[0].started == 10 && list[0].ended == 20.5);
	assert_int_equal(list[0].exit_code, 1);
	assert_true(list[0].wall_s == 10.5 && list[0].cpu_s == 9.25);
	assert_int_equal(list[0].maxrss_kb, 123456);
	assert_int_equal(list[2].stage, STAGE_PREDICT);
	assert_int_equal(list[3].n, 3);
	assert_string_equal(list[3].outcome, "done");
	assert_int_equal(list[5].n, 5);
	store_attempt_list_free(list, n);
}

static void
test_events(void **state)
{
	fixture *f = *state;
	store_event *ev;
	long long ids[5];
	ak_err e = { 0 };
	size_t n;
	int i;

	make_run(f, "r1", 1);
	make_run(f, "r2", 2);
	for (i = 0; i < 5; i++) {
		char msg[32];

		snprintf(msg, sizeof(msg), "event %d", i);
		ids[i] = store_event_add(f->s, "r1", i % 2 ? "train" : NULL, i == 4 ? "done" : "info", msg, &e);
		assert_true(ids[i] > 0);
		assert_true(i == 0 || ids[i] > ids[i - 1]);
		assert_true(store_event_add(f->s, "r2", "meta", "info", "elsewhere", &e) > 0);
	}
	assert_int_equal(store_events_since(f->s, "r1", 0, 0, &ev, &n, &e), 0);
	assert_int_equal(n, 5);
	for (i = 0; i < 5; i++) {
		char msg[32];

		snprintf(msg, sizeof(msg), "event %d", i);
		assert_true(ev[i].id == ids[i]);
		assert_string_equal(ev[i].message, msg);
		assert_string_equal(ev[i].stage, i % 2 ? "train" : "");
		assert_true(ev[i].time > 1e9);
	}
	assert_string_equal(ev[4].kind, "done");
	store_events_free(ev, n);

	assert_int_equal(store_events_since(f->s, "r1", ids[2], 0, &ev, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_true(ev[0].id == ids[3] && ev[1].id == ids[4]);
	store_events_free(ev, n);

	assert_int_equal(store_events_since(f->s, "r1", ids[0], 2, &ev, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_true(ev[0].id == ids[1] && ev[1].id == ids[2]);
	store_events_free(ev, n);

	assert_int_equal(store_events_since(f->s, "r1", ids[4], 0, &ev, &n, &e), 0);
	assert_int_equal(n, 0);
	store_events_free(ev, n);
	assert_true(store_event_add(f->s, "nope", NULL, "info", "x", &e) == -1);
	assert_non_null(strstr(e.msg, "no such run"));
	assert_non_null(strstr(e.msg, f->dbpath));
}

static void
test_messages(void **state)
{
	fixture *f = *state;
	ak_err e = { 0 };
	sqlite3 *db;
	char *txt;

	make_run(f, "r1", 1);
	assert_int_equal(store_message_add(f->s, "r1", "user", "Use gradient boosting.", &e), 0);
	assert_int_equal(store_message_add(f->s, "r1", "assistant", "Fine: 5-fold CV.", &e), 0);
	assert_int_equal(store_message_add(f->s, "r1", "system", "", &e), 0);
	assert_int_equal(store_message_add(f->s, "r1", "robot", "x", &e), -1);
	assert_int_equal(store_message_add(f->s, "nope", "user", "x", &e), -1);
	db = raw_open(f->dbpath);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM messages"), 3);
	txt = raw_text(db, "SELECT group_concat(role || ':' || content, '|') FROM "
			   "(SELECT role, content FROM messages WHERE run_id = 'r1' ORDER BY id)");
	assert_string_equal(txt, "user:Use gradient boosting.|assistant:Fine: 5-fold CV.|system:");
	free(txt);
	sqlite3_close(db);
}

/* Calls sum per run; unpriced calls are counted, never summed as free. */
static void
test_llm_calls(void **state)
{
	fixture *f = *state;
	store_llm_call priced = { "chat", "openai", "gpt-4o", 1000, 200, 600, 1.5, "done", 1, 0.0045, 0 };
	store_llm_call unpriced = { "code", "openai", "my-model", -1, 50, -1, 2.0, "failed", 0, 0, 0 };
	store_llm_totals t;
	ak_err e = { 0 };
	sqlite3 *db;

	make_run(f, "r1", 1);
	assert_int_equal(store_llm_totals_get(f->s, "r1", &t, &e), 0);
	assert_int_equal(t.calls, 0);
	assert_true(t.cost == 0);
	assert_int_equal(store_llm_call_add(f->s, "r1", &priced, &e), 0);
	assert_int_equal(store_llm_call_add(f->s, "r1", &priced, &e), 0);
	assert_int_equal(store_llm_call_add(f->s, "r1", &unpriced, &e), 0);
	assert_int_equal(store_llm_totals_get(f->s, "r1", &t, &e), 0);
	assert_int_equal(t.calls, 3);
	assert_int_equal(t.input_tokens, 2000);
	assert_int_equal(t.output_tokens, 450);
	assert_true(t.cost > 0.00899 && t.cost < 0.00901);
	assert_int_equal(t.unpriced, 1);
	db = raw_open(f->dbpath);
	assert_int_equal(raw_int(db, "SELECT sum(cached_tokens) FROM llm_calls"), 1200);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM llm_calls WHERE cost IS NULL"), 1);
	sqlite3_close(db);
}

static void
test_settings(void **state)
{
	fixture *f = *state;
	ak_err e = { 0 };
	char *v;

	assert_int_equal(store_setting_get(f->s, "llm.provider", &v, &e), 0);
	assert_null(v);
	assert_int_equal(store_setting_set(f->s, "llm.provider", "ollama", &e), 0);
	assert_int_equal(store_setting_get(f->s, "llm.provider", &v, &e), 1);
	assert_string_equal(v, "ollama");
	free(v);
	assert_int_equal(store_setting_set(f->s, "llm.provider", "gemini", &e), 0);
	assert_int_equal(store_setting_get(f->s, "llm.provider", &v, &e), 1);
	assert_string_equal(v, "gemini");
	free(v);
	assert_int_equal(store_setting_set(f->s, "empty", "", &e), 0);
	assert_int_equal(store_setting_get(f->s, "empty", &v, &e), 1);
	assert_string_equal(v, "");
	free(v);
}

static void
test_submissions(void **state)
{
	fixture *f = *state;
	store_submission a = { 0 }, b = { 0 }, *v;
	ak_err e = { 0 };
	size_t n;

	a.run_id = "r1";
	a.slug = "titanic";
	a.ref = 42;
	a.time = 100;
	a.message = "first with KGAT_0123456789abcdef0123456789abcdef";
	a.file_sha256 = "aa";
	a.code_fp = "cc";
	a.cv = 0.8;
	a.public_score = NAN;
	a.status = "pending";
	a.error = "";
	assert_int_equal(store_submission_add(f->s, &a, &e), 0);
	assert_true(a.id > 0);
	b = a;
	b.run_id = "r2";
	b.slug = "houses";
	b.time = 50;
	b.cv = NAN;
	assert_int_equal(store_submission_add(f->s, &b, &e), 0);
	a.status = "complete";
	a.public_score = 0.77511;
	assert_int_equal(store_submission_update(f->s, &a, &e), 0);

	assert_int_equal(store_submission_list(f->s, "titanic", NULL, &v, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].ref, 42);
	assert_string_equal(v[0].status, "complete");
	assert_true(fabs(v[0].public_score - 0.77511) < 1e-12);
	assert_true(fabs(v[0].cv - 0.8) < 1e-12);
	/* a token in the message never reaches the database */
	assert_null(strstr(v[0].message, "KGAT_0123"));
	store_submission_list_free(v, n);

	assert_int_equal(store_submission_list(f->s, NULL, "r2", &v, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_true(isnan(v[0].cv));
	assert_true(isnan(v[0].public_score));
	store_submission_list_free(v, n);
	/* oldest first */
	assert_int_equal(store_submission_list(f->s, NULL, NULL, &v, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].run_id, "r2");
	store_submission_list_free(v, n);
}

static void
test_reopen_keeps_data(void **state)
{
	fixture *f = *state;
	store_stage st = sample_stage(3), out[STAGE_COUNT];
	store_event *ev;
	store_run got;
	ak_err e = { 0 };
	size_t n;
	char *v;

	make_run(f, "r1", 1);
	assert_int_equal(store_stage_set(f->s, "r1", STAGE_CODE, &st, &e), 0);
	assert_true(store_event_add(f->s, "r1", "code", "done", "wrote 3 files", &e) > 0);
	assert_int_equal(store_setting_set(f->s, "k", "v", &e), 0);
	store_close(f->s);
	f->s = store_open(f->ws, STORE_WRITE, &e);
	assert_non_null(f->s);
	assert_int_equal(store_run_get(f->s, "r1", &got, &e), 1);
	assert_string_equal(got.title, "Titanic");
	store_run_free(&got);
	assert_int_equal(store_stage_get_all(f->s, "r1", out, &e), 0);
	assert_stage_equal(&out[STAGE_CODE], &st);
	assert_int_equal(store_events_since(f->s, "r1", 0, 0, &ev, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].message, "wrote 3 files");
	store_events_free(ev, n);
	assert_int_equal(store_setting_get(f->s, "k", &v, &e), 1);
	free(v);
}

static void
test_migrations_idempotent(void **state)
{
	fixture *f = *state;
	ak_err e = { 0 };
	store *second;
	sqlite3 *db;

	assert_true(schema_step_count() >= 1);
	assert_int_equal(store_schema_version(f->s), (int)schema_step_count());
	assert_null(schema_step_sql(schema_step_count()));
	make_run(f, "r1", 1);
	second = store_open(f->ws, STORE_WRITE, &e);
	assert_non_null(second);
	assert_int_equal(store_schema_version(second), (int)schema_step_count());
	store_close(second);
	store_close(f->s);
	f->s = store_open(f->ws, STORE_WRITE, &e);
	assert_non_null(f->s);
	db = raw_open(f->dbpath);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), (long long)schema_step_count());
	assert_int_equal(raw_int(db, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
				     "('runs', 'stages', 'attempts', 'events', 'messages', 'settings')"), 6);
	sqlite3_close(db);
}

static void
test_reader_and_writer_together(void **state)
{
	fixture *f = *state;
	store *reader;
	store_event *ev;
	ak_err e = { 0 };
	sqlite3 *db;
	size_t n;

	make_run(f, "r1", 1);
	assert_true(store_event_add(f->s, "r1", NULL, "info", "first", &e) > 0);

	/* A reader in the middle of a read transaction does not stop the
	 * writer (with a rollback journal the commit would wait and fail). */
	db = raw_open(f->dbpath);
	raw_exec(db, "BEGIN");
	assert_int_equal(raw_int(db, "SELECT count(*) FROM events"), 1);
	if (store_event_add(f->s, "r1", NULL, "info", "second", &e) < 0) {
		print_error("writer blocked: %s\n", e.msg);
		fail();
	}
	assert_int_equal(raw_int(db, "SELECT count(*) FROM events"), 1);
	raw_exec(db, "COMMIT");
	assert_int_equal(raw_int(db, "SELECT count(*) FROM events"), 2);

	/* And a second store reads while a write transaction is open. */
	reader = store_open(f->ws, STORE_WRITE, &e);
	assert_non_null(reader);
	raw_exec(db, "BEGIN IMMEDIATE");
	raw_exec(db, "INSERT INTO events (run_id, time, kind, message) VALUES ('r1', 1, 'info', 'third')");
	assert_int_equal(store_events_since(reader, "r1", 0, 0, &ev, &n, &e), 0);
	assert_int_equal(n, 2);
	store_events_free(ev, n);
	raw_exec(db, "COMMIT");
	assert_int_equal(store_events_since(reader, "r1", 0, 0, &ev, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(ev[2].message, "third");
	store_events_free(ev, n);
	store_close(reader);
	sqlite3_close(db);
}

static int
file_has(const char *path, const char *needle)
{
	size_t len;
	char *data = fs_read_file(path, &len, NULL);
	int found;

	if (!data)
		return 0;
	found = memmem(data, len, needle, strlen(needle)) != NULL;
	free(data);
	return found;
}

static void
test_secrets_never_stored(void **state)
{
	fixture *f = *state;
	store_stage st = sample_stage(1), out[STAGE_COUNT];
	store_attempt a = { .stage = STAGE_TRAIN, .outcome = "failed",
			    .message = "auth failed for " SECRET };
	store_event *ev;
	ak_err e = { 0 };
	char *wal;
	size_t n;

	redact_add_secret(SECRET);
	make_run(f, "r1", 1);
	assert_true(store_event_add(f->s, "r1", "meta", "error", "401 with key " SECRET " (check it)", &e) > 0);
	assert_int_equal(store_message_add(f->s, "r1", "user", "my key is " SECRET, &e), 0);
	snprintf(st.message, sizeof(st.message), "KAGGLE_KEY=%s rejected", SECRET);
	assert_int_equal(store_stage_set(f->s, "r1", STAGE_META, &st, &e), 0);
	assert_int_equal(store_attempt_add(f->s, "r1", &a, &e), 1);

	assert_int_equal(store_events_since(f->s, "r1", 0, 0, &ev, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_null(strstr(ev[0].message, SECRET));
	assert_non_null(strstr(ev[0].message, "[REDACTED]"));
	assert_non_null(strstr(ev[0].message, "(check it)"));
	store_events_free(ev, n);
	assert_int_equal(store_stage_get_all(f->s, "r1", out, &e), 0);
	assert_null(strstr(out[STAGE_META].message, SECRET));
	assert_non_null(strstr(out[STAGE_META].message, "[REDACTED]"));

	wal = xasprintf("%s-wal", f->dbpath);
	assert_true(file_has(f->dbpath, "401 with key") || file_has(wal, "401 with key"));
	assert_false(file_has(f->dbpath, SECRET));
	assert_false(file_has(wal, SECRET));
	store_close(f->s);
	f->s = NULL;
	assert_true(file_has(f->dbpath, "401 with key"));
	assert_false(file_has(f->dbpath, SECRET));
	assert_false(file_has(wal, SECRET));
	free(wal);
}

static void
test_newer_schema_is_refused(void **state)
{
	fixture *f = *state;
	ak_err e = { 0 };
	char want[64];
	sqlite3 *db;

	store_close(f->s);
	f->s = NULL;
	db = raw_open(f->dbpath);
	raw_exec(db, "PRAGMA user_version = 999");
	sqlite3_close(db);
	f->s = store_open(f->ws, STORE_WRITE, &e);
	assert_null(f->s);
	assert_non_null(strstr(e.msg, f->dbpath));
	assert_non_null(strstr(e.msg, "newer schema version 999"));
	snprintf(want, sizeof(want), "knows (%zu)", schema_step_count());
	assert_non_null(strstr(e.msg, want));
	assert_non_null(strstr(e.msg, "upgrade autokaggle"));
}

static void
test_not_a_database_is_refused(void **state)
{
	fixture *f = *state;
	const char junk[] = "this is not an sqlite database, but it is long enough to have a header....";
	ak_err e = { 0 };
	char *wal;

	store_close(f->s);
	f->s = NULL;
	wal = xasprintf("%s-wal", f->dbpath);
	remove(wal);
	free(wal);
	assert_int_equal(fs_write_atomic(f->dbpath, junk, sizeof(junk), 0600, &e), 0);
	f->s = store_open(f->ws, STORE_WRITE, &e);
	assert_null(f->s);
	assert_non_null(strstr(e.msg, f->dbpath));
	assert_non_null(strstr(e.msg, "move it aside"));
}

static void
test_run_dir_follows_the_workspace(void **state)
{
	fixture *f = *state;
	char *moved = xasprintf("%s/moved", f->tmp), *want;
	store_run got;
	ak_err e = { 0 };

	make_run(f, "r1", 1);
	assert_int_equal(store_run_get(f->s, "r1", &got, &e), 1);
	want = xasprintf("%s/r1", f->ws);
	assert_string_equal(got.dir, want);
	free(want);
	store_run_free(&got);
	store_close(f->s);
	assert_int_equal(rename(f->ws, moved), 0);
	f->s = store_open(moved, STORE_WRITE, &e);
	assert_non_null(f->s);
	assert_int_equal(store_run_get(f->s, "r1", &got, &e), 1);
	want = xasprintf("%s/r1", moved);
	assert_string_equal(got.dir, want);
	free(want);
	store_run_free(&got);
	store_close(f->s);
	assert_int_equal(rename(moved, f->ws), 0);
	f->s = store_open(f->ws, STORE_WRITE, &e);
	free(moved);
}

static void
test_new_database_is_flagged(void **state)
{
	fixture *f = *state;
	ak_err e = { 0 };

	assert_true(store_is_new(f->s));
	assert_false(store_is_readonly(f->s));
	store_close(f->s);
	f->s = store_open(f->ws, STORE_WRITE, &e);
	assert_non_null(f->s);
	assert_false(store_is_new(f->s));
}

static void
test_reader_is_read_only(void **state)
{
	fixture *f = *state;
	store *reader;
	store_run got;
	ak_err e = { 0 };
	char *wal = xasprintf("%s-wal", f->dbpath), *shm = xasprintf("%s-shm", f->dbpath);

	make_run(f, "r1", 1);
	store_close(f->s);
	f->s = NULL;
	/* The -wal and -shm files stay for readers on a full disk. */
	assert_true(fs_exists(wal));
	assert_true(fs_exists(shm));
	reader = store_open(f->ws, STORE_READ, &e);
	assert_non_null(reader);
	assert_true(store_is_readonly(reader));
	assert_false(store_is_new(reader));
	assert_null(store_fallback_note(reader));
	assert_int_equal(store_run_get(reader, "r1", &got, &e), 1);
	store_run_free(&got);
	assert_int_equal(store_run_set_status(reader, "r1", "done", &e), -1);
	assert_non_null(strstr(e.msg, "read-only"));
	store_close(reader);
	free(wal);
	free(shm);
}

/* A database of schema version 1, where runs had an absolute "dir". */
static void
test_migrates_absolute_run_dirs(void **state)
{
	fixture *f = *state;
	store_run got;
	ak_err e = { 0 };
	sqlite3 *db;
	char *want;

	store_close(f->s);
	f->s = NULL;
	unlink(f->dbpath);
	db = raw_open_create(f->dbpath);
	raw_exec(db, "PRAGMA journal_mode = WAL");
	raw_exec(db, schema_step_sql(0));
	raw_exec(db, "PRAGMA user_version = 1");
	raw_exec(db, "INSERT INTO runs (id, dir, title, created) VALUES ('old', '/gone/ws/old', 'Old', 3)");
	sqlite3_close(db);
	f->s = store_open(f->ws, STORE_WRITE, &e);
	assert_non_null(f->s);
	assert_int_equal(store_schema_version(f->s), (int)schema_step_count());
	assert_int_equal(store_run_get(f->s, "old", &got, &e), 1);
	want = xasprintf("%s/old", f->ws);
	assert_string_equal(got.dir, want);
	assert_string_equal(got.title, "Old");
	free(want);
	store_run_free(&got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_makes_private_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_tightens_existing_db_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_list_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_set_all_is_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attempts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_llm_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_submissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrations_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_and_writer_together, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secrets_never_stored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_dir_follows_the_workspace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_database_is_flagged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_is_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrates_absolute_run_dirs, setup, teardown),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
