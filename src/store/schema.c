#include "config.h"

#include "store/schema.h"

/* Stages and statuses are stored by name (machine_stage_name,
 * machine_status_name) so the database reads well in the sqlite3 shell. */
static const char *const steps[] = {
	"CREATE TABLE runs ("
	" id TEXT PRIMARY KEY NOT NULL,"
	" dir TEXT NOT NULL DEFAULT '',"
	" source TEXT NOT NULL DEFAULT '',"
	" title TEXT NOT NULL DEFAULT '',"
	" task TEXT NOT NULL DEFAULT '',"
	" target TEXT NOT NULL DEFAULT '',"
	" id_column TEXT NOT NULL DEFAULT '',"
	" metric TEXT NOT NULL DEFAULT '',"
	" status TEXT NOT NULL DEFAULT 'created',"
	" created REAL NOT NULL DEFAULT 0,"
	" updated REAL NOT NULL DEFAULT 0,"
	" supervisor_pid INTEGER NOT NULL DEFAULT 0,"
	" cv_score REAL);"
	"CREATE INDEX runs_by_created ON runs (created);"
	"CREATE TABLE stages ("
	" run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
	" stage TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" input_fp TEXT NOT NULL DEFAULT '',"
	" done_fp TEXT NOT NULL DEFAULT '',"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" repairs INTEGER NOT NULL DEFAULT 0,"
	" started REAL NOT NULL DEFAULT 0,"
	" ended REAL NOT NULL DEFAULT 0,"
	" exit_code INTEGER NOT NULL DEFAULT 0,"
	" wall_s REAL NOT NULL DEFAULT 0,"
	" cpu_s REAL NOT NULL DEFAULT 0,"
	" maxrss_kb INTEGER NOT NULL DEFAULT 0,"
	" message TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY (run_id, stage));"
	"CREATE TABLE attempts ("
	" id INTEGER PRIMARY KEY,"
	" run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
	" stage TEXT NOT NULL,"
	" n INTEGER NOT NULL,"
	" started REAL NOT NULL DEFAULT 0,"
	" ended REAL NOT NULL DEFAULT 0,"
	" exit_code INTEGER NOT NULL DEFAULT 0,"
	" wall_s REAL NOT NULL DEFAULT 0,"
	" cpu_s REAL NOT NULL DEFAULT 0,"
	" maxrss_kb INTEGER NOT NULL DEFAULT 0,"
	" outcome TEXT NOT NULL DEFAULT '',"
	" message TEXT NOT NULL DEFAULT '',"
	" UNIQUE (run_id, stage, n));"
	"CREATE TABLE events ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
	" time REAL NOT NULL,"
	" stage TEXT NOT NULL DEFAULT '',"
	" kind TEXT NOT NULL,"
	" message TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX events_by_run ON events (run_id, id);"
	"CREATE TABLE messages ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
	" time REAL NOT NULL,"
	" role TEXT NOT NULL,"
	" content TEXT NOT NULL);"
	"CREATE INDEX messages_by_run ON messages (run_id, id);"
	"CREATE TABLE settings ("
	" key TEXT PRIMARY KEY NOT NULL,"
	" value TEXT NOT NULL);",
	/* 2: a run's directory is always WORKSPACE/ID, computed on read, so a
	 * copied or moved workspace works on its own files. A stage records
	 * the process session it started and the start time (clock ticks
	 * since boot, with the boot's id) of its leader, so that what a dead
	 * supervisor left behind can be found and ended. */
	"ALTER TABLE runs DROP COLUMN dir;"
	"ALTER TABLE stages ADD COLUMN proc_sid INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE stages ADD COLUMN proc_start INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE stages ADD COLUMN proc_boot TEXT NOT NULL DEFAULT '';",
	/* 3: data file hashes shared by the runs of a workspace, valid while
	 * the file's path, size, times, inode and device stay the same. */
	"CREATE TABLE file_hashes ("
	" path TEXT PRIMARY KEY NOT NULL,"
	" size INTEGER NOT NULL,"
	" mtime_ns INTEGER NOT NULL,"
	" ctime_ns INTEGER NOT NULL,"
	" inode INTEGER NOT NULL,"
	" dev INTEGER NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" hashed REAL NOT NULL);",
	/* 4: what was submitted to Kaggle, from which run, and how it scored,
	 * for submit's pre-flight checks and for charting CV against the
	 * leaderboard. Kept when a run leaves the index: the daily count and
	 * the duplicates are Kaggle's, not the run's. */
	"CREATE TABLE submissions ("
	" id INTEGER PRIMARY KEY,"
	" run_id TEXT NOT NULL,"
	" slug TEXT NOT NULL,"
	" ref INTEGER NOT NULL DEFAULT 0,"
	" time REAL NOT NULL,"
	" message TEXT NOT NULL DEFAULT '',"
	" file_sha256 TEXT NOT NULL,"
	" code_fp TEXT NOT NULL DEFAULT '',"
	" cv REAL,"
	" public_score REAL,"
	" status TEXT NOT NULL DEFAULT 'pending',"
	" error TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX submissions_by_slug ON submissions (slug, time);",
	/* 5: every LLM call of a run with its tokens and time (the budget and
	 * status sum them), and every version of a run's code with where it
	 * came from and, once trained, its CV score; the files themselves are
	 * in code/.versions/N/. */
	"CREATE TABLE llm_calls ("
	" id INTEGER PRIMARY KEY,"
	" run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
	" time REAL NOT NULL,"
	" purpose TEXT NOT NULL DEFAULT '',"
	" provider TEXT NOT NULL DEFAULT '',"
	" model TEXT NOT NULL DEFAULT '',"
	" input_tokens INTEGER NOT NULL DEFAULT 0,"
	" output_tokens INTEGER NOT NULL DEFAULT 0,"
	" seconds REAL NOT NULL DEFAULT 0,"
	" outcome TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX llm_calls_by_run ON llm_calls (run_id, id);"
	"CREATE TABLE code_versions ("
	" run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
	" n INTEGER NOT NULL,"
	" time REAL NOT NULL,"
	" origin TEXT NOT NULL,"
	" fp TEXT NOT NULL DEFAULT '',"
	" cv REAL,"
	" note TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY (run_id, n));",
	/* 6: what each LLM call cost (NULL: the model has no price) and how
	 * much of its input was cached, which bills lower. */
	"ALTER TABLE llm_calls ADD COLUMN cached_tokens INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE llm_calls ADD COLUMN cost REAL;",
};

size_t
schema_step_count(void)
{
	return sizeof(steps) / sizeof(steps[0]);
}

const char *
schema_step_sql(size_t i)
{
	return i < schema_step_count() ? steps[i] : NULL;
}
