#include "config.h"

#include "codegen/prompt.h"
#include "pipeline/rundir.h"
#include "pipeline/stage.h"
#include "pipeline/versions.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A repair: the failing stage's traceback and the code go to the model,
 * whose fix is installed like CODE's (compiled first, kept as a version);
 * then the machine runs the stage again, or waits for the user. */

/* What the model sees of the failure: the end of the stage log's last
 * attempt. */
#define REPAIR_TAIL_BYTES 6000

static char *
repair_log_tail(session *s, machine_stage_id stage)
{
	char *path = rundir_log(s->dir, machine_stage_name(stage)), *text, *start, *head, *out;
	char mark[64];
	size_t len;

	text = fs_read_file(path, &len, NULL);
	free(path);
	if (!text)
		return xstrdup("(the log is empty)\n");
	snprintf(mark, sizeof(mark), "==> %s started at", machine_stage_name(stage));
	start = text;
	for (head = strstr(text, mark); head; head = strstr(head + 1, mark))
		start = head;
	if (strlen(start) > REPAIR_TAIL_BYTES)
		start += strlen(start) - REPAIR_TAIL_BYTES;
	out = xstrdup(start);
	free(text);
	return out;
}

static void
repair_free_base(session *s)
{
	codegen_blocks_free(s->llm.base, s->llm.nbase);
	s->llm.base = NULL;
	s->llm.nbase = 0;
}

static machine_stage_id
repair_stage(session *s)
{
	int id = machine_running(&s->m);

	return id >= 0 ? (machine_stage_id)id : STAGE_TRAIN;
}

static void
repair_installed(session *s, int ok, const char *msg)
{
	char line[600];

	repair_free_base(s);
	snprintf(line, sizeof(line), "%s%.500s", ok ? "repaired by the LLM: " : "", msg);
	session_repair_end(s, repair_stage(s), ok, line);
}

/* 1 when every file of the reply is what the code already holds. */
static int
repair_identical(const session *s, const codegen_block *b, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < s->llm.nbase; k++)
			if (strcmp(s->llm.base[k].path, b[i].path) == 0)
				break;
		if (k == s->llm.nbase || strcmp(s->llm.base[k].text, b[i].text) != 0)
			return 0;
	}
	return 1;
}

static void
repair_done(session *s, const llm_result *r, const ak_err *err)
{
	codegen_block *b = NULL;
	size_t n = 0;
	ak_err e;

	if (err)
		snprintf(e.msg, sizeof(e.msg), "the repair call failed: %.900s", err->msg);
	else if (codegen_blocks_parse(r->text, r->len, &b, &n, &e) == 0 && n == 0)
		snprintf(e.msg, sizeof(e.msg), "the repair reply has no code block named after a file (see logs/repair.log)");
	else if (n > 0 && repair_identical(s, b, n))
		snprintf(e.msg, sizeof(e.msg), "the repair returned the code unchanged: no more repairs");
	else if (n > 0 && stage_install(s, s->llm.base, s->llm.nbase, b, n, "repair", "repair", repair_installed, &e) == 0) {
		codegen_blocks_free(b, n);
		return;
	}
	codegen_blocks_free(b, n);
	repair_installed(s, 0, e.msg);
}

static char *
repair_prompt(session *s, machine_stage_id stage)
{
	const session_facts *f = &s->facts;
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(s->run, "constraints");
	char *tail = repair_log_tail(s, stage), *text;
	codegen_prompt_in in = {
		.task = task_name(f->task), .target = f->target ? f->target : "?", .id = f->id_col ? f->id_col : "?",
		.metric = f->metric ? f->metric->name : "?", .higher_is_better = f->higher_is_better,
		.submission_format = f->proba_columns ? "proba_columns" : "label",
		.budget_seconds = s->opts.budget_ms / 1000, .gpu = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "gpu_resolved")),
		.family = s->opts.family, .folds = s->opts.folds, .threads = runopts_threads(&s->opts),
		.memory_bytes = runopts_memory_limit(&s->opts), .files = s->llm.base, .nfiles = s->llm.nbase,
	};

	text = codegen_prompt_repair(&in, machine_stage_name(stage), tail);
	free(tail);
	return text;
}

void
stage_repair_start(session *s, machine_stage_id stage)
{
	llm_config cfg;
	char *user;
	ak_err e;
	int use = session_llm_config(s, &cfg, NULL, 0, &e);

	if (use <= 0) {
		session_repair_end(s, stage, 0, use == 0 ? "no LLM is configured to repair the code: fix it by hand, then rerun"
							  : e.msg);
		return;
	}
	llm_config_clean(&cfg);
	if (session_llm_budget_spent(s)) {
		snprintf(e.msg, sizeof(e.msg), "the LLM budget of %ld tokens is used up: no repair (rerun with a larger --llm-budget)",
			s->opts.llm_budget);
		session_repair_end(s, stage, 0, e.msg);
		return;
	}
	repair_free_base(s);
	session_facts_load(s, NULL);
	if (versions_read(s->dir, &s->llm.base, &s->llm.nbase, &e) < 0) {
		session_repair_end(s, stage, 0, e.msg);
		return;
	}
	session_event_note(s, stage, "info", "asking the LLM for a repair");
	user = repair_prompt(s, stage);
	if (session_llm_ask(s, "repair", "repair", codegen_prompt_system(), user, repair_done, &e) < 0) {
		repair_free_base(s);
		session_repair_end(s, stage, 0, e.msg);
	}
	free(user);
}
