#include "config.h"

#include "store/store.h"
#include "store/schema.h"
#include "util/fs.h"
#include "util/redact.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STORE_DB_NAME "autokaggle.db"
/* Several processes read while one supervisor writes: wait, don't fail. */
#define STORE_BUSY_MS 5000

#define RUN_COLUMNS \
	"id, source, title, task, target, id_column, metric, status, created, updated, supervisor_pid, cv_score"
#define STAGE_COLUMNS \
	"stage, status, input_fp, done_fp, attempts, repairs, started, ended, exit_code, wall_s, cpu_s, maxrss_kb, " \
	"message, proc_sid, proc_start, proc_boot"
#define SUBMISSION_COLUMNS \
	"id, run_id, slug, ref, time, message, file_sha256, code_fp, cv, public_score, status, error"
#define ATTEMPT_COLUMNS \
	"stage, n, started, ended, exit_code, wall_s, cpu_s, maxrss_kb, outcome, message"

/* X(ENUM, sql): every statement is prepared once, on first use. */
#define STORE_QUERIES(X)                                                                        \
	X(RUN_INSERT, "INSERT INTO runs (" RUN_COLUMNS ") VALUES "                              \
		      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")                    \
	X(RUN_GET, "SELECT " RUN_COLUMNS " FROM runs WHERE id = ?1")                            \
	X(RUN_LIST, "SELECT " RUN_COLUMNS " FROM runs ORDER BY created DESC, rowid DESC")       \
	X(RUN_UPDATE, "UPDATE runs SET source = ?2, title = ?3, task = ?4, "                    \
		      "target = ?5, id_column = ?6, metric = ?7, status = ?8, created = ?9, "   \
		      "updated = ?10, supervisor_pid = ?11, cv_score = ?12 WHERE id = ?1")      \
	X(RUN_DELETE, "DELETE FROM runs WHERE id = ?1")                                         \
	X(RUN_SET_STATUS, "UPDATE runs SET status = ?2, updated = ?3 WHERE id = ?1")            \
	X(STAGE_PUT, "INSERT OR REPLACE INTO stages (run_id, " STAGE_COLUMNS ") VALUES "        \
		     "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)") \
	X(STAGE_GET, "SELECT " STAGE_COLUMNS " FROM stages WHERE run_id = ?1")                  \
	X(ATTEMPT_INSERT, "INSERT INTO attempts (run_id, " ATTEMPT_COLUMNS ") "                 \
			  "SELECT ?1, ?2, COALESCE(MAX(n), 0) + 1, "                            \
			  "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 "                                    \
			  "FROM attempts WHERE run_id = ?1 AND stage = ?2")                     \
	X(ATTEMPT_N, "SELECT n FROM attempts WHERE id = ?1")                                    \
	X(ATTEMPT_LIST, "SELECT " ATTEMPT_COLUMNS " FROM attempts WHERE run_id = ?1 ORDER BY id") \
	X(EVENT_INSERT, "INSERT INTO events (run_id, time, stage, kind, message) "              \
			"VALUES (?1, ?2, ?3, ?4, ?5)")                                          \
	X(EVENTS_SINCE, "SELECT id, time, stage, kind, message FROM events "                    \
			"WHERE run_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3")                   \
	X(MESSAGE_INSERT, "INSERT INTO messages (run_id, time, role, content) "                 \
			  "VALUES (?1, ?2, ?3, ?4)")                                            \
	X(MESSAGE_LIST, "SELECT time, role, content FROM messages WHERE run_id = ?1 ORDER BY id") \
	X(SETTING_GET, "SELECT value FROM settings WHERE key = ?1")                             \
	X(SETTING_SET, "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)")          \
	X(HASH_GET, "SELECT sha256 FROM file_hashes WHERE path = ?1 AND size = ?2 AND "         \
		    "mtime_ns = ?3 AND ctime_ns = ?4 AND inode = ?5 AND dev = ?6")              \
	X(HASH_PUT, "INSERT OR REPLACE INTO file_hashes (path, size, mtime_ns, ctime_ns, "      \
		    "inode, dev, sha256, hashed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")       \
	X(SUB_INSERT, "INSERT INTO submissions (" SUBMISSION_COLUMNS ") VALUES "                \
		      "(NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")                  \
	X(SUB_UPDATE, "UPDATE submissions SET ref = ?4, public_score = ?10, status = ?11, "     \
		      "error = ?12 WHERE id = ?1")                                              \
	X(SUB_LIST, "SELECT " SUBMISSION_COLUMNS " FROM submissions WHERE "                     \
		    "(?1 = '' OR slug = ?1) AND (?2 = '' OR run_id = ?2) ORDER BY time, id")    \
	X(LLM_INSERT, "INSERT INTO llm_calls (run_id, time, purpose, provider, model, input_tokens, "   \
		      "output_tokens, seconds, outcome, cached_tokens, cost) "                         \
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")                         \
	X(LLM_TOTALS, "SELECT COUNT(*), COALESCE(SUM(input_tokens), 0), "                       \
		      "COALESCE(SUM(output_tokens), 0), COALESCE(SUM(seconds), 0), "             \
		      "COALESCE(SUM(cost), 0), COUNT(*) - COUNT(cost) "                          \
		      "FROM llm_calls WHERE run_id = ?1")                                        \
	X(VERSION_INSERT, "INSERT INTO code_versions (run_id, n, time, origin, fp, note) "      \
			  "SELECT ?1, COALESCE(MAX(n), 0) + 1, ?2, ?3, ?4, ?5 "                 \
			  "FROM code_versions WHERE run_id = ?1")                               \
	X(VERSION_LAST, "SELECT COALESCE(MAX(n), 0) FROM code_versions WHERE run_id = ?1")      \
	X(VERSION_SET_CV, "UPDATE code_versions SET cv = ?3 WHERE run_id = ?1 AND n = ?2")      \
	X(VERSION_LIST, "SELECT n, time, origin, fp, cv, note FROM code_versions "              \
			"WHERE run_id = ?1 ORDER BY n")                                         \
	X(USER_VERSION, "PRAGMA user_version")                                                  \
	X(BEGIN, "BEGIN IMMEDIATE")                                                             \
	X(COMMIT, "COMMIT")                                                                     \
	X(ROLLBACK, "ROLLBACK")

#define QUERY_ENUM(e, sql) Q_##e,
typedef enum query { STORE_QUERIES(QUERY_ENUM) Q_COUNT } query;
#undef QUERY_ENUM

#define QUERY_SQL(e, sql) sql,
static const char *const query_sql[Q_COUNT] = { STORE_QUERIES(QUERY_SQL) };
#undef QUERY_SQL

struct store {
	sqlite3 *db;
	char *ws;
	char *path;
	int fresh;          /* the index was just created: fill it from the run directories */
	int readonly;
	ak_err fallback;    /* why a reader fell back to an index in memory; "" when it did not */
	sqlite3_stmt *stmt[Q_COUNT];
};

/* Turns an sqlite result code into what happened and what to do. `what`
 * says what was being done ("cannot write stage train of run X"). */
static int
db_fail(store *s, ak_err *e, int rc, const char *what)
{
	const char *msg = sqlite3_errmsg(s->db);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return err_set(e, "%s: database %s is locked by another process: retry", what, s->path);
	case SQLITE_FULL:
		return err_cause(e, ENOSPC, "%s: the disk is full writing database %s: free some space and retry",
			what, s->path);
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return err_set(e, "%s: database %s is read-only: check the permissions of the file and its directory",
			       what, s->path);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return err_set(e, "%s: %s is damaged or not an autokaggle database: move it aside to start a new one",
			       what, s->path);
	case SQLITE_CANTOPEN:
		return err_set(e, "%s: cannot open database %s: check that its directory exists and is writable",
			       what, s->path);
	case SQLITE_IOERR:
		return err_set(e, "%s: I/O error on database %s (%s): check the disk", what, s->path, msg);
	}
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(e, "%s: no such run in database %s", what, s->path);
	return err_set(e, "%s: %s (database %s)", what, msg, s->path);
}

static sqlite3_stmt *
stmt(store *s, query q, ak_err *e)
{
	int rc;

	if (s->stmt[q])
		return s->stmt[q];
	rc = sqlite3_prepare_v2(s->db, query_sql[q], -1, &s->stmt[q], NULL);
	if (rc != SQLITE_OK) {
		db_fail(s, e, rc, "cannot prepare a query");
		s->stmt[q] = NULL;
		return NULL;
	}
	return s->stmt[q];
}

/* Makes a statement ready for its next use; bound copies are released. */
static void
done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void
bind_str(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

/* Binds a redacted copy: secrets never reach the database file. */
static void
bind_redacted(sqlite3_stmt *st, int i, const char *v)
{
	char *r = redact_string(v ? v : "");

	sqlite3_bind_text(st, i, r, -1, SQLITE_TRANSIENT);
	free(r);
}

static char *
col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return xstrdup(t ? (const char *)t : "");
}

/* Runs a statement that returns no rows; the statement is reset. */
static int
exec_q(store *s, sqlite3_stmt *st, ak_err *e, const char *what)
{
	int rc = sqlite3_step(st);

	done(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, e, rc, what);
	return 0;
}

static int
simple(store *s, query q, ak_err *e, const char *what)
{
	sqlite3_stmt *st = stmt(s, q, e);

	if (!st)
		return -1;
	return exec_q(s, st, e, what);
}

static int
begin(store *s, ak_err *e)
{
	return simple(s, Q_BEGIN, e, "cannot start a transaction");
}

static int
commit(store *s, ak_err *e)
{
	if (simple(s, Q_COMMIT, e, "cannot commit") == 0)
		return 0;
	simple(s, Q_ROLLBACK, NULL, "");
	return -1;
}

static int
rollback(store *s)
{
	simple(s, Q_ROLLBACK, NULL, "");
	return -1;
}

static int
user_version(store *s, int *v, ak_err *e)
{
	sqlite3_stmt *st = stmt(s, Q_USER_VERSION, e);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	done(st);
	if (rc != SQLITE_ROW)
		return db_fail(s, e, rc, "cannot read the schema version");
	return 0;
}

static int
too_new(store *s, int v, ak_err *e)
{
	return err_set(e, "database %s: newer schema version %d than this autokaggle knows (%zu): upgrade autokaggle",
		       s->path, v, schema_step_count());
}

/* One transaction per step; the version is re-read inside it because
 * another process may have migrated in the meantime. */
static int
migrate_one(store *s, int *v, ak_err *e)
{
	char *sql;
	int rc;

	if (begin(s, e) < 0 || user_version(s, v, e) < 0)
		return rollback(s);
	if ((size_t)*v > schema_step_count()) {
		rollback(s);
		return too_new(s, *v, e);
	}
	if ((size_t)*v == schema_step_count())
		return commit(s, e);
	sql = xasprintf("%s;PRAGMA user_version = %d;", schema_step_sql((size_t)*v), *v + 1);
	rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		char what[64];

		snprintf(what, sizeof(what), "cannot upgrade the schema to version %d", *v + 1);
		db_fail(s, e, rc, what);
		return rollback(s);
	}
	if (commit(s, e) < 0)
		return -1;
	(*v)++;
	return 0;
}

static int
migrate(store *s, ak_err *e)
{
	int v;

	if (user_version(s, &v, e) < 0)
		return -1;
	if ((size_t)v > schema_step_count())
		return too_new(s, v, e);
	while ((size_t)v < schema_step_count())
		if (migrate_one(s, &v, e) < 0)
			return -1;
	return 0;
}

static int
pragma_wal(store *s, ak_err *e)
{
	sqlite3_stmt *st;
	int rc, wal = 0;

	rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(s, e, rc, "cannot set the journal mode");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		wal = sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(s, e, rc, "cannot set the journal mode");
	if (!wal)
		return err_set(e, "database %s cannot use write-ahead logging (a network filesystem?): "
			       "put the workspace on a local disk", s->path);
	return 0;
}

/* The file is made here, 0600, before sqlite opens it: sqlite gives its
 * -wal and -shm files the database file's mode. */
static int
create_private(const char *path, ak_err *e)
{
	struct stat sb;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return err_sys(e, "cannot open database %s", path);
	if (fstat(fd, &sb) == 0 && (sb.st_mode & 077) && fchmod(fd, 0600) < 0) {
		err_sys(e, "cannot make database %s private (mode 0600)", path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int
configure_db(store *s, ak_err *e)
{
	int rc, persist = 1;

	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	if (pragma_wal(s, e) < 0)
		return -1;
	/* The -wal and -shm files outlive the last connection, so a reader
	 * can still open the database read-only when the disk is full or
	 * the filesystem became read-only. */
	sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	rc = sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_fail(s, e, rc, "cannot enable foreign keys");
	return migrate(s, e);
}

static store *
store_new(const char *workspace_dir)
{
	store *s = xcalloc(1, sizeof(*s));

	s->ws = xstrdup(workspace_dir);
	s->path = fs_join(workspace_dir, STORE_DB_NAME);
	return s;
}

static int
store_connect(store *s, const char *uri, int flags, ak_err *e)
{
	int rc = sqlite3_open_v2(uri, &s->db, flags | SQLITE_OPEN_URI, NULL);

	if (rc == SQLITE_OK)
		return 0;
	if (s->db)
		return db_fail(s, e, rc, "cannot open the workspace");
	return err_set(e, "cannot open database %s: out of memory", s->path);
}

static store *
store_open_write(const char *workspace_dir, ak_err *e)
{
	store *s;

	if (fs_mkdir_p(workspace_dir, 0700, e) < 0)
		return NULL;
	s = store_new(workspace_dir);
	s->fresh = !fs_exists(s->path);
	if (create_private(s->path, e) < 0 ||
	    store_connect(s, s->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, e) < 0 ||
	    configure_db(s, e) < 0) {
		/* A database this open created and could not set up is junk. */
		if (s->fresh)
			unlink(s->path);
		store_close(s);
		return NULL;
	}
	return s;
}

/* An empty index in memory, for a reader that cannot use the file. */
static store *
store_open_memory(const char *workspace_dir, const char *why, ak_err *e)
{
	store *s = store_new(workspace_dir);

	if (store_connect(s, ":memory:", SQLITE_OPEN_READWRITE, e) < 0 || migrate(s, e) < 0) {
		store_close(s);
		return NULL;
	}
	s->fresh = 1;
	s->readonly = 1;
	snprintf(s->fallback.msg, sizeof(s->fallback.msg), "%s", why);
	return s;
}

/* Failures a reader gets past by reading the run directories instead:
 * the file cannot be opened, created, locked or written. */
static int
store_reader_can_fall_back(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_BUSY:
		return 1;
	}
	return 0;
}

static store *
store_open_readonly(const char *workspace_dir, int *rc, ak_err *e)
{
	store *s = store_new(workspace_dir);
	int v;

	*rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READONLY, NULL);
	if (*rc == SQLITE_OK) {
		sqlite3_extended_result_codes(s->db, 1);
		sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
		*rc = sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	}
	if (*rc != SQLITE_OK) {
		if (s->db)
			db_fail(s, e, *rc, "cannot read the workspace");
		store_close(s);
		return NULL;
	}
	s->readonly = 1;
	if (user_version(s, &v, e) < 0) {
		store_close(s);
		return NULL;
	}
	if ((size_t)v > schema_step_count()) {
		too_new(s, v, e);
		store_close(s);
		*rc = SQLITE_ERROR;
		return NULL;
	}
	/* An older schema needs a writer to migrate it. */
	if ((size_t)v < schema_step_count()) {
		err_set(e, "database %s needs an upgrade", s->path);
		store_close(s);
		*rc = SQLITE_READONLY;
		return NULL;
	}
	return s;
}

static store *
store_open_read(const char *workspace_dir, ak_err *e)
{
	char *path = fs_join(workspace_dir, STORE_DB_NAME);
	int missing = !fs_exists(path), rc = SQLITE_OK;
	store *s = NULL;
	ak_err why;

	free(path);
	if (!missing)
		s = store_open_readonly(workspace_dir, &rc, &why);
	if (s)
		return s;
	if (!missing && !store_reader_can_fall_back(rc)) {
		if (e)
			*e = why;
		return NULL;
	}
	/* Missing, or older than this autokaggle: a writer makes (or
	 * migrates) it; where nothing can be written, an index in memory. */
	s = store_open_write(workspace_dir, &why);
	if (s)
		return s;
	return store_open_memory(workspace_dir, why.msg, e);
}

store *
store_open(const char *workspace_dir, store_mode mode, ak_err *e)
{
	return mode == STORE_READ ? store_open_read(workspace_dir, e) : store_open_write(workspace_dir, e);
}

int
store_is_new(const store *s)
{
	return s->fresh;
}

int
store_is_readonly(const store *s)
{
	return s->readonly;
}

const char *
store_fallback_note(const store *s)
{
	return s->fallback.msg[0] ? s->fallback.msg : NULL;
}

const char *
store_workspace(const store *s)
{
	return s->ws;
}

void
store_close(store *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s->ws);
	free(s->path);
	free(s);
}

int
store_schema_version(store *s)
{
	int v;

	return user_version(s, &v, NULL) < 0 ? -1 : v;
}

/* Runs */

static void
bind_run(sqlite3_stmt *st, const store_run *r)
{
	bind_str(st, 1, r->id);
	bind_str(st, 2, r->source);
	bind_str(st, 3, r->title);
	bind_str(st, 4, r->task);
	bind_str(st, 5, r->target);
	bind_str(st, 6, r->id_column);
	bind_str(st, 7, r->metric);
	bind_str(st, 8, r->status);
	sqlite3_bind_double(st, 9, r->created);
	sqlite3_bind_double(st, 10, r->updated);
	sqlite3_bind_int(st, 11, r->supervisor_pid);
	if (isnan(r->cv_score))
		sqlite3_bind_null(st, 12);
	else
		sqlite3_bind_double(st, 12, r->cv_score);
}

static void
read_run(const store *s, sqlite3_stmt *st, store_run *r)
{
	r->id = col_str(st, 0);
	r->dir = fs_join(s->ws, r->id);
	r->source = col_str(st, 1);
	r->title = col_str(st, 2);
	r->task = col_str(st, 3);
	r->target = col_str(st, 4);
	r->id_column = col_str(st, 5);
	r->metric = col_str(st, 6);
	r->status = col_str(st, 7);
	r->created = sqlite3_column_double(st, 8);
	r->updated = sqlite3_column_double(st, 9);
	r->supervisor_pid = sqlite3_column_int(st, 10);
	if (sqlite3_column_type(st, 11) == SQLITE_NULL)
		r->cv_score = NAN;
	else
		r->cv_score = sqlite3_column_double(st, 11);
}

int
store_run_create(store *s, const store_run *r, ak_err *e)
{
	sqlite3_stmt *st;
	char what[256];
	int rc;

	if (!r->id || !r->id[0])
		return err_set(e, "cannot create a run without an id");
	st = stmt(s, Q_RUN_INSERT, e);
	if (!st)
		return -1;
	bind_run(st, r);
	rc = sqlite3_step(st);
	done(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
		return err_set(e, "run %s already exists in database %s: choose another run id", r->id, s->path);
	snprintf(what, sizeof(what), "cannot create run %s", r->id);
	return rc == SQLITE_DONE ? 0 : db_fail(s, e, rc, what);
}

int
store_run_get(store *s, const char *id, store_run *out, ak_err *e)
{
	sqlite3_stmt *st = stmt(s, Q_RUN_GET, e);
	char what[256];
	int rc;

	if (!st)
		return -1;
	bind_str(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_run(s, st, out);
	done(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	snprintf(what, sizeof(what), "cannot read run %s", id);
	return db_fail(s, e, rc, what);
}

int
store_run_list(store *s, store_run **runs, size_t *n, ak_err *e)
{
	sqlite3_stmt *st = stmt(s, Q_RUN_LIST, e);
	store_run *v = NULL;
	size_t cap = 0, len = 0;
	int rc;

	*runs = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof(*v));
		read_run(s, st, &v[len++]);
	}
	done(st);
	if (rc != SQLITE_DONE) {
		store_run_list_free(v, len);
		return db_fail(s, e, rc, "cannot list runs");
	}
	*runs = v;
	*n = len;
	return 0;
}

/* An UPDATE that must hit exactly the run `id`. */
static int
update_run_row(store *s, sqlite3_stmt *st, const char *id, ak_err *e)
{
	char what[256];
	int rc = sqlite3_step(st);

	done(st);
	snprintf(what, sizeof(what), "cannot update run %s", id);
	if (rc != SQLITE_DONE)
		return db_fail(s, e, rc, what);
	if (sqlite3_changes(s->db) == 0)
		return err_set(e, "%s: no such run in database %s", what, s->path);
	return 0;
}

int
store_run_update(store *s, const store_run *r, ak_err *e)
{
	sqlite3_stmt *st = stmt(s, Q_RUN_UPDATE, e);

	if (!st)
		return -1;
	bind_run(st, r);
	return update_run_row(s, st, r->id ? r->id : "", e);
}

int
store_run_set_status(store *s, const char *id, const char *status, ak_err *e)
{
	sqlite3_stmt *st = stmt(s, Q_RUN_SET_STATUS, e);

	if (!st)
		return -1;
	bind_str(st, 1, id);
	bind_str(st, 2, status);
	sqlite3_bind_double(st, 3, timefmt_wall_now());
	return update_run_row(s, st, id ? id : "", e);
}

int
store_run_delete(store *s, const char *id, ak_err *e)
{
	sqlite3_stmt *st = stmt(s, Q_RUN_DELETE, e);
	char what[256];

	if (!st)
		return -1;
	bind_str(st, 1, id);
	snprintf(what, sizeof(what), "cannot drop run %s from the index", id ? id : "");
	return exec_q(s, st, e, what);
}

void
store_run_free(store_run *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->dir);
	free(r->source);
	free(r->title);
	free(r->task);
	free(r->target);
	free(r->id_column);
	free(r->metric);
	free(r->status);
	memset(r, 0, sizeof(*r));
}

void
store_run_list_free(store_run *runs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		store_run_free(&runs[i]);
	free(runs);
}

/* Stages */

static int
stage_put(store *s, const char *run_id, machine_stage_id id, const store_stage *st, ak_err *e)
{
	sqlite3_stmt *q;
	char what[256];
	int rc;

	if ((int)id < 0 || id >= STAGE_COUNT)
		return err_set(e, "cannot write stage %d of run %s: no such stage", (int)id, run_id);
	snprintf(what, sizeof(what), "cannot write stage %s of run %s", machine_stage_name(id), run_id);
	if ((int)st->m.status < 0 || st->m.status >= STATUS_COUNT)
		return err_set(e, "%s: invalid status %d", what, (int)st->m.status);
	q = stmt(s, Q_STAGE_PUT, e);
	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	bind_str(q, 2, machine_stage_name(id));
	bind_str(q, 3, machine_status_name(st->m.status));
	bind_str(q, 4, st->m.input_fp);
	bind_str(q, 5, st->m.done_fp);
	sqlite3_bind_int(q, 6, st->m.attempts);
	sqlite3_bind_int(q, 7, st->m.repairs);
	sqlite3_bind_double(q, 8, st->started);
	sqlite3_bind_double(q, 9, st->ended);
	sqlite3_bind_int(q, 10, st->exit_code);
	sqlite3_bind_double(q, 11, st->wall_s);
	sqlite3_bind_double(q, 12, st->cpu_s);
	sqlite3_bind_int64(q, 13, st->maxrss_kb);
	bind_redacted(q, 14, st->message);
	sqlite3_bind_int(q, 15, st->proc_sid);
	sqlite3_bind_int64(q, 16, st->proc_start);
	bind_str(q, 17, st->proc_boot);
	rc = sqlite3_step(q);
	done(q);
	return rc == SQLITE_DONE ? 0 : db_fail(s, e, rc, what);
}

int
store_stage_set(store *s, const char *run_id, machine_stage_id id, const store_stage *st, ak_err *e)
{
	return stage_put(s, run_id, id, st, e);
}

int
store_stage_set_all(store *s, const char *run_id, const store_stage st[STAGE_COUNT], ak_err *e)
{
	int i;

	if (begin(s, e) < 0)
		return -1;
	for (i = 0; i < STAGE_COUNT; i++)
		if (stage_put(s, run_id, i, &st[i], e) < 0)
			return rollback(s);
	return commit(s, e);
}

static void
copy_fp(char dst[MACHINE_FP_LEN + 1], sqlite3_stmt *q, int col)
{
	const unsigned char *t = sqlite3_column_text(q, col);

	snprintf(dst, MACHINE_FP_LEN + 1, "%s", t ? (const char *)t : "");
}

/* Fills the stage of one row; unknown stage names (from a newer
 * autokaggle) are skipped, an unknown status is an error. */
static int
read_stage(store *s, sqlite3_stmt *q, const char *run_id, store_stage out[STAGE_COUNT], ak_err *e)
{
	const char *name = (const char *)sqlite3_column_text(q, 0);
	const char *status = (const char *)sqlite3_column_text(q, 1);
	const unsigned char *msg;
	int id = machine_stage_from_name(name), stv;
	store_stage *st;

	if (id < 0)
		return 0;
	stv = machine_status_from_name(status);
	if (stv < 0)
		return err_set(e, "stage %s of run %s has unknown status \"%s\" in database %s: upgrade autokaggle",
			       name, run_id, status ? status : "", s->path);
	st = &out[id];
	st->m.status = (machine_status)stv;
	copy_fp(st->m.input_fp, q, 2);
	copy_fp(st->m.done_fp, q, 3);
	st->m.attempts = sqlite3_column_int(q, 4);
	st->m.repairs = sqlite3_column_int(q, 5);
	st->started = sqlite3_column_double(q, 6);
	st->ended = sqlite3_column_double(q, 7);
	st->exit_code = sqlite3_column_int(q, 8);
	st->wall_s = sqlite3_column_double(q, 9);
	st->cpu_s = sqlite3_column_double(q, 10);
	st->maxrss_kb = (long)sqlite3_column_int64(q, 11);
	msg = sqlite3_column_text(q, 12);
	snprintf(st->message, sizeof(st->message), "%s", msg ? (const char *)msg : "");
	st->proc_sid = sqlite3_column_int(q, 13);
	st->proc_start = sqlite3_column_int64(q, 14);
	msg = sqlite3_column_text(q, 15);
	snprintf(st->proc_boot, sizeof(st->proc_boot), "%s", msg ? (const char *)msg : "");
	return 0;
}

int
store_stage_get_all(store *s, const char *run_id, store_stage out[STAGE_COUNT], ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_STAGE_GET, e);
	char what[256];
	int rc, bad = 0;

	memset(out, 0, sizeof(store_stage) * STAGE_COUNT);
	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	while (!bad && (rc = sqlite3_step(q)) == SQLITE_ROW)
		bad = read_stage(s, q, run_id, out, e) < 0;
	done(q);
	if (bad) {
		memset(out, 0, sizeof(store_stage) * STAGE_COUNT);
		return -1;
	}
	snprintf(what, sizeof(what), "cannot read the stages of run %s", run_id);
	return rc == SQLITE_DONE ? 0 : db_fail(s, e, rc, what);
}

/* Attempts */

int
store_attempt_add(store *s, const char *run_id, const store_attempt *a, ak_err *e)
{
	sqlite3_stmt *q;
	char what[256];
	int rc, n = -1;

	if ((int)a->stage < 0 || a->stage >= STAGE_COUNT)
		return err_set(e, "cannot record an attempt of run %s: no such stage %d", run_id, (int)a->stage);
	snprintf(what, sizeof(what), "cannot record an attempt of stage %s of run %s",
		 machine_stage_name(a->stage), run_id);
	q = stmt(s, Q_ATTEMPT_INSERT, e);
	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	bind_str(q, 2, machine_stage_name(a->stage));
	sqlite3_bind_double(q, 3, a->started);
	sqlite3_bind_double(q, 4, a->ended);
	sqlite3_bind_int(q, 5, a->exit_code);
	sqlite3_bind_double(q, 6, a->wall_s);
	sqlite3_bind_double(q, 7, a->cpu_s);
	sqlite3_bind_int64(q, 8, a->maxrss_kb);
	bind_str(q, 9, a->outcome);
	bind_redacted(q, 10, a->message);
	rc = sqlite3_step(q);
	done(q);
	if (rc != SQLITE_DONE)
		return db_fail(s, e, rc, what);
	q = stmt(s, Q_ATTEMPT_N, e);
	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, sqlite3_last_insert_rowid(s->db));
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int(q, 0);
	done(q);
	return rc == SQLITE_ROW ? n : db_fail(s, e, rc, what);
}

int
store_attempt_list(store *s, const char *run_id, store_attempt **out, size_t *n, ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_ATTEMPT_LIST, e);
	store_attempt *v = NULL;
	size_t cap = 0, len = 0;
	char what[256];
	int rc;

	*out = NULL;
	*n = 0;
	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int id = machine_stage_from_name((const char *)sqlite3_column_text(q, 0));
		store_attempt *a;

		if (id < 0)
			continue;
		v = xgrow(v, &cap, len + 1, sizeof(*v));
		a = &v[len++];
		a->stage = (machine_stage_id)id;
		a->n = sqlite3_column_int(q, 1);
		a->started = sqlite3_column_double(q, 2);
		a->ended = sqlite3_column_double(q, 3);
		a->exit_code = sqlite3_column_int(q, 4);
		a->wall_s = sqlite3_column_double(q, 5);
		a->cpu_s = sqlite3_column_double(q, 6);
		a->maxrss_kb = (long)sqlite3_column_int64(q, 7);
		a->outcome = col_str(q, 8);
		a->message = col_str(q, 9);
	}
	done(q);
	if (rc != SQLITE_DONE) {
		store_attempt_list_free(v, len);
		snprintf(what, sizeof(what), "cannot read the attempts of run %s", run_id);
		return db_fail(s, e, rc, what);
	}
	*out = v;
	*n = len;
	return 0;
}

void
store_attempt_list_free(store_attempt *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(a[i].outcome);
		free(a[i].message);
	}
	free(a);
}

/* Events and messages */

long long
store_event_add(store *s, const char *run_id, const char *stage, const char *kind, const char *message,
		ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_EVENT_INSERT, e);
	char what[256];
	int rc;

	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	sqlite3_bind_double(q, 2, timefmt_wall_now());
	bind_str(q, 3, stage);
	bind_str(q, 4, kind && kind[0] ? kind : "info");
	bind_redacted(q, 5, message);
	rc = sqlite3_step(q);
	done(q);
	if (rc == SQLITE_DONE)
		return sqlite3_last_insert_rowid(s->db);
	snprintf(what, sizeof(what), "cannot record an event of run %s", run_id ? run_id : "");
	return db_fail(s, e, rc, what);
}

int
store_events_since(store *s, const char *run_id, long long after_id, size_t max, store_event **out, size_t *n,
		   ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_EVENTS_SINCE, e);
	store_event *v = NULL;
	size_t cap = 0, len = 0;
	char what[256];
	int rc;

	*out = NULL;
	*n = 0;
	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	sqlite3_bind_int64(q, 2, after_id);
	sqlite3_bind_int64(q, 3, max ? (sqlite3_int64)max : -1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_event *ev;

		v = xgrow(v, &cap, len + 1, sizeof(*v));
		ev = &v[len++];
		ev->id = sqlite3_column_int64(q, 0);
		ev->time = sqlite3_column_double(q, 1);
		ev->stage = col_str(q, 2);
		ev->kind = col_str(q, 3);
		ev->message = col_str(q, 4);
	}
	done(q);
	if (rc != SQLITE_DONE) {
		store_events_free(v, len);
		snprintf(what, sizeof(what), "cannot read the events of run %s", run_id ? run_id : "");
		return db_fail(s, e, rc, what);
	}
	*out = v;
	*n = len;
	return 0;
}

void
store_events_free(store_event *ev, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ev[i].stage);
		free(ev[i].kind);
		free(ev[i].message);
	}
	free(ev);
}

int
store_message_add(store *s, const char *run_id, const char *role, const char *content, ak_err *e)
{
	sqlite3_stmt *q;
	char what[256];

	snprintf(what, sizeof(what), "cannot record a chat message of run %s", run_id ? run_id : "");
	if (!role || (strcmp(role, "user") != 0 && strcmp(role, "assistant") != 0 && strcmp(role, "system") != 0))
		return err_set(e, "%s: role \"%s\" is not user, assistant or system", what, role ? role : "");
	q = stmt(s, Q_MESSAGE_INSERT, e);
	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	sqlite3_bind_double(q, 2, timefmt_wall_now());
	bind_str(q, 3, role);
	bind_redacted(q, 4, content);
	return exec_q(s, q, e, what);
}

int
store_message_list(store *s, const char *run_id, store_message **out, size_t *n, ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_MESSAGE_LIST, e);
	store_message *m = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			m = xrealloc(m, cap * sizeof(*m));
		}
		m[*n].time = sqlite3_column_double(q, 0);
		m[*n].role = col_str(q, 1);
		m[*n].content = col_str(q, 2);
		(*n)++;
	}
	done(q);
	if (rc != SQLITE_DONE) {
		store_message_list_free(m, *n);
		*n = 0;
		return db_fail(s, e, rc, "cannot read the chat messages");
	}
	*out = m;
	return 0;
}

void
store_message_list_free(store_message *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(m[i].role);
		free(m[i].content);
	}
	free(m);
}

/* LLM calls */

int
store_llm_call_add(store *s, const char *run_id, const store_llm_call *c, ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_LLM_INSERT, e);
	char what[256];

	snprintf(what, sizeof(what), "cannot record an LLM call of run %s", run_id);
	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	sqlite3_bind_double(q, 2, c->time > 0 ? c->time : timefmt_wall_now());
	bind_str(q, 3, c->purpose);
	bind_str(q, 4, c->provider);
	bind_str(q, 5, c->model);
	sqlite3_bind_int64(q, 6, c->input_tokens > 0 ? c->input_tokens : 0);
	sqlite3_bind_int64(q, 7, c->output_tokens > 0 ? c->output_tokens : 0);
	sqlite3_bind_double(q, 8, c->seconds);
	bind_str(q, 9, c->outcome);
	sqlite3_bind_int64(q, 10, c->cached_tokens > 0 ? c->cached_tokens : 0);
	if (c->priced)
		sqlite3_bind_double(q, 11, c->cost);
	else
		sqlite3_bind_null(q, 11);
	return exec_q(s, q, e, what);
}

int
store_llm_totals_get(store *s, const char *run_id, store_llm_totals *t, ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_LLM_TOTALS, e);
	int rc;

	memset(t, 0, sizeof(*t));
	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		t->calls = (long)sqlite3_column_int64(q, 0);
		t->input_tokens = (long)sqlite3_column_int64(q, 1);
		t->output_tokens = (long)sqlite3_column_int64(q, 2);
		t->seconds = sqlite3_column_double(q, 3);
		t->cost = sqlite3_column_double(q, 4);
		t->unpriced = (long)sqlite3_column_int64(q, 5);
	}
	done(q);
	if (rc != SQLITE_ROW)
		return db_fail(s, e, rc, "cannot read the LLM calls");
	return 0;
}

/* Code versions */

int
store_version_add(store *s, const char *run_id, const char *origin, const char *fp, const char *note, double time,
	ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_VERSION_INSERT, e);
	int rc, n = -1;

	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	sqlite3_bind_double(q, 2, time > 0 ? time : timefmt_wall_now());
	bind_str(q, 3, origin);
	bind_str(q, 4, fp);
	bind_redacted(q, 5, note);
	/* The run's supervisor is its one writer: the last n is this one. */
	if (exec_q(s, q, e, "cannot record a code version") < 0 || !(q = stmt(s, Q_VERSION_LAST, e)))
		return -1;
	bind_str(q, 1, run_id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int(q, 0);
	done(q);
	if (rc != SQLITE_ROW)
		return db_fail(s, e, rc, "cannot record a code version");
	return n;
}

int
store_version_set_cv(store *s, const char *run_id, int n, double cv, ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_VERSION_SET_CV, e);

	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	sqlite3_bind_int(q, 2, n);
	sqlite3_bind_double(q, 3, cv);
	return exec_q(s, q, e, "cannot record a code version's CV");
}

int
store_version_list(store *s, const char *run_id, store_version **out, size_t *n, ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_VERSION_LIST, e);
	store_version *v = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!q)
		return -1;
	bind_str(q, 1, run_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[*n].n = sqlite3_column_int(q, 0);
		v[*n].time = sqlite3_column_double(q, 1);
		v[*n].origin = col_str(q, 2);
		v[*n].fp = col_str(q, 3);
		v[*n].cv = sqlite3_column_type(q, 4) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 4);
		v[*n].note = col_str(q, 5);
		(*n)++;
	}
	done(q);
	*out = v;
	if (rc != SQLITE_DONE) {
		store_version_list_free(v, *n);
		*out = NULL;
		*n = 0;
		return db_fail(s, e, rc, "cannot list the code versions");
	}
	return 0;
}

void
store_version_list_free(store_version *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].origin);
		free(v[i].fp);
		free(v[i].note);
	}
	free(v);
}

/* Settings */

int
store_setting_get(store *s, const char *key, char **value, ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_SETTING_GET, e);
	char what[256];
	int rc;

	*value = NULL;
	if (!q)
		return -1;
	bind_str(q, 1, key);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*value = col_str(q, 0);
	done(q);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	snprintf(what, sizeof(what), "cannot read setting %s", key ? key : "");
	return db_fail(s, e, rc, what);
}

int
store_setting_set(store *s, const char *key, const char *value, ak_err *e)
{
	sqlite3_stmt *q;
	char what[256];

	snprintf(what, sizeof(what), "cannot save setting %s", key ? key : "");
	if (!key || !key[0])
		return err_set(e, "cannot save a setting without a name");
	q = stmt(s, Q_SETTING_SET, e);
	if (!q)
		return -1;
	bind_str(q, 1, key);
	bind_str(q, 2, value);
	return exec_q(s, q, e, what);
}

int
store_attempt_counts(store *s, const char *run_id, int counts[STAGE_COUNT], ak_err *e)
{
	store_attempt *a = NULL;
	size_t n = 0, i;

	memset(counts, 0, sizeof(int) * STAGE_COUNT);
	if (store_attempt_list(s, run_id, &a, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if ((int)a[i].stage >= 0 && a[i].stage < STAGE_COUNT)
			counts[a[i].stage]++;
	store_attempt_list_free(a, n);
	return 0;
}

/* Data file hashes */

static void
bind_file_key(sqlite3_stmt *q, const store_file_key *k)
{
	bind_str(q, 1, k->path);
	sqlite3_bind_int64(q, 2, k->size);
	sqlite3_bind_int64(q, 3, k->mtime_ns);
	sqlite3_bind_int64(q, 4, k->ctime_ns);
	sqlite3_bind_int64(q, 5, k->inode);
	sqlite3_bind_int64(q, 6, k->dev);
}

int
store_file_hash_get(store *s, const store_file_key *k, char sha256[65], ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_HASH_GET, e);
	const unsigned char *t;
	int rc;

	if (!q)
		return -1;
	bind_file_key(q, k);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW && (t = sqlite3_column_text(q, 0)) != NULL)
		snprintf(sha256, 65, "%s", (const char *)t);
	done(q);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(s, e, rc, "cannot read the data file hashes");
}

int
store_file_hash_put(store *s, const store_file_key *k, const char *sha256, ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_HASH_PUT, e);

	if (!q)
		return -1;
	bind_file_key(q, k);
	bind_str(q, 7, sha256);
	sqlite3_bind_double(q, 8, timefmt_wall_now());
	return exec_q(s, q, e, "cannot record a data file hash");
}

/* Submissions */

static void
bind_double_or_null(sqlite3_stmt *st, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, v);
}

static double
col_double_or_nan(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static void
bind_submission(sqlite3_stmt *q, const store_submission *sub)
{
	sqlite3_bind_int64(q, 1, sub->id);
	bind_str(q, 2, sub->run_id);
	bind_str(q, 3, sub->slug);
	sqlite3_bind_int64(q, 4, sub->ref);
	sqlite3_bind_double(q, 5, sub->time);
	bind_redacted(q, 6, sub->message);
	bind_str(q, 7, sub->file_sha256);
	bind_str(q, 8, sub->code_fp);
	bind_double_or_null(q, 9, sub->cv);
	bind_double_or_null(q, 10, sub->public_score);
	bind_str(q, 11, sub->status ? sub->status : "pending");
	bind_redacted(q, 12, sub->error);
}

int
store_submission_add(store *s, store_submission *sub, ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_SUB_INSERT, e);

	if (!q)
		return -1;
	bind_submission(q, sub);
	if (exec_q(s, q, e, "cannot record the submission") < 0)
		return -1;
	sub->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int
store_submission_update(store *s, const store_submission *sub, ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_SUB_UPDATE, e);

	if (!q)
		return -1;
	bind_submission(q, sub);
	return exec_q(s, q, e, "cannot record the submission's score");
}

int
store_submission_list(store *s, const char *slug, const char *run_id, store_submission **out, size_t *n,
	ak_err *e)
{
	sqlite3_stmt *q = stmt(s, Q_SUB_LIST, e);
	store_submission *v = NULL;
	size_t cap = 0, len = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!q)
		return -1;
	bind_str(q, 1, slug);
	bind_str(q, 2, run_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_submission *x;

		v = xgrow(v, &cap, len + 1, sizeof(*v));
		x = &v[len++];
		x->id = sqlite3_column_int64(q, 0);
		x->run_id = col_str(q, 1);
		x->slug = col_str(q, 2);
		x->ref = sqlite3_column_int64(q, 3);
		x->time = sqlite3_column_double(q, 4);
		x->message = col_str(q, 5);
		x->file_sha256 = col_str(q, 6);
		x->code_fp = col_str(q, 7);
		x->cv = col_double_or_nan(q, 8);
		x->public_score = col_double_or_nan(q, 9);
		x->status = col_str(q, 10);
		x->error = col_str(q, 11);
	}
	done(q);
	if (rc != SQLITE_DONE) {
		store_submission_list_free(v, len);
		return db_fail(s, e, rc, "cannot read the submissions");
	}
	*out = v;
	*n = len;
	return 0;
}

void
store_submission_list_free(store_submission *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].run_id);
		free(v[i].slug);
		free(v[i].message);
		free(v[i].file_sha256);
		free(v[i].code_fp);
		free(v[i].status);
		free(v[i].error);
	}
	free(v);
}
