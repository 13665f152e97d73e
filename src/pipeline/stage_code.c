#include "config.h"

#include "codegen/codegen.h"
#include "codegen/prompt.h"
#include "pipeline/chat.h"
#include "pipeline/rundir.h"
#include "pipeline/stage.h"
#include "pipeline/versions.h"
#include "util/redact.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* CODE writes the pipeline's code: the LLM when one is set up (and not
 * --offline), starting from the offline baseline templates, else those
 * templates. Code the user edited is never overwritten: the previous
 * files move to code/history/STAMP/. Each result is a version. */

static const char *const code_outputs[] = {
	"code/features.py", "code/train.py", "code/predict.py", "code/config.yaml",
	"code/metric.py", "env/requirements.txt",
};

static int
code_gpu_resolved(const session *s)
{
	if (s->opts.gpu != RUNOPTS_GPU_AUTO)
		return s->opts.gpu == RUNOPTS_GPU_YES;
	return exec_gpu_detect();
}

static void
code_record_constraints(session *s, int gpu)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddNumberToObject(c, "budget_seconds", (double)s->opts.budget_ms / 1000.0);
	cJSON_AddNumberToObject(c, "memory_bytes", (double)runopts_memory_limit(&s->opts));
	cJSON_AddNumberToObject(c, "threads", runopts_threads(&s->opts));
	cJSON_AddStringToObject(c, "gpu", runopts_gpu_name(s->opts.gpu));
	cJSON_AddBoolToObject(c, "gpu_resolved", gpu);
	cJSON_AddStringToObject(c, "family", s->opts.family);
	cJSON_AddNumberToObject(c, "folds", s->opts.folds);
	cJSON_AddBoolToObject(c, "no_network", s->opts.no_network);
	json_set(s->run, "constraints", c);
	cJSON_DeleteItemFromObjectCaseSensitive(s->run, "seed");
	cJSON_AddNumberToObject(s->run, "seed", (double)s->opts.seed);
}

static void
code_hash_templates(hash_ctx *h)
{
	char *dir = paths_data_file("templates/baseline");

	if (!dir) {
		hash_update_str(h, "<no templates>");
		return;
	}
	hash_update_dir(h, dir);
	free(dir);
}

/* Another provider or model makes the code stale; the offline run's
 * fingerprint is what it was before LLMs. */
static void
code_hash_llm(session *s, hash_ctx *h)
{
	llm_config cfg;

	if (session_llm_config(s, &cfg, NULL, 0, NULL) <= 0) {
		hash_update_str(h, s->opts.model ? s->opts.model : "offline");
		return;
	}
	hash_update_str(h, llm_provider_name(cfg.provider));
	hash_update_str(h, cfg.model);
	hash_update_str(h, s->opts.brief ? s->opts.brief : "");
	llm_config_clean(&cfg);
}

static void
code_fingerprint(session *s, hash_ctx *h)
{
	static const char *const inputs[] = {
		"input/competition.json", "input/data_profile.json", "input/decisions.json", "input/overview.md",
	};
	size_t i;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		char *p = session_path(s, inputs[i]);
		hash_update_file(h, p);
		free(p);
	}
	hash_update_str(h, s->m.st[STAGE_META].done_fp);
	hash_update_str(h, s->opts.family);
	hash_update_str(h, runopts_gpu_name(s->opts.gpu));
	hash_update_str(h, s->opts.metric ? s->opts.metric : "");
	code_hash_llm(s, h);
	hash_update(h, &s->opts.budget_ms, sizeof(s->opts.budget_ms));
	hash_update(h, &s->opts.seed, sizeof(s->opts.seed));
	hash_update(h, &s->opts.folds, sizeof(s->opts.folds));
	hash_update(h, &s->opts.threads, sizeof(s->opts.threads));
	if (s->opts.metric_file)
		hash_update_file(h, s->opts.metric_file);
	code_hash_templates(h);
}

/* Moves the current code aside; returns how many files moved. */
static int
code_keep_history(session *s, ak_err *e)
{
	char stamp[32], *hist;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int moved = 0;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	hist = xasprintf("%s/code/history/%s", s->dir, stamp);
	for (i = 0; i < sizeof(code_outputs) / sizeof(code_outputs[0]); i++) {
		char *src = session_path(s, code_outputs[i]);
		char *base = strrchr(code_outputs[i], '/') + 1;
		char *dst = fs_join(hist, base);
		if (fs_exists(src)) {
			int rc = moved == 0 ? fs_mkdir_p(hist, 0700, e) : 0;
			if (rc == 0 && rename(src, dst) < 0)
				rc = err_sys(e, "cannot keep %s in %s", src, hist);
			if (rc < 0) {
				free(src);
				free(dst);
				free(hist);
				return -1;
			}
			moved++;
		}
		free(src);
		free(dst);
	}
	free(hist);
	return moved;
}

static void
code_spec(session *s, int gpu, codegen_spec *spec_out)
{
	session_facts *f = &s->facts;
	codegen_spec spec;

	memset(&spec, 0, sizeof(spec));
	spec.task = f->task;
	spec.target = f->target;
	spec.id = f->id_col;
	spec.metric = f->metric;
	spec.metric_file = s->opts.metric_file;
	spec.custom_higher_is_better = f->higher_is_better;
	spec.custom_needs_proba = f->needs_proba;
	spec.proba_columns = f->proba_columns;
	spec.classes = (const char *const *)f->classes;
	spec.nclasses = f->nclasses;
	spec.train = f->train;
	spec.test = f->test;
	spec.sample_submission = f->sample;
	spec.seed = s->opts.seed;
	spec.folds = s->opts.folds;
	spec.family = s->opts.family;
	spec.gpu = gpu;
	spec.budget_seconds = s->opts.budget_ms / 1000;
	spec.threads = runopts_threads(&s->opts);
	*spec_out = spec;
}

static void
code_version(session *s, const char *origin)
{
	ak_err e;

	if (versions_record(s->db, s->run_id, s->dir, origin, NULL, &e) < 0)
		session_note(s, "warning", "the code is not kept as a version: %s", e.msg);
}

static void
code_installed(session *s, int ok, const char *msg)
{
	stage_outcome o = { .ok = ok };

	codegen_blocks_free(s->llm.base, s->llm.nbase);
	s->llm.base = NULL;
	s->llm.nbase = 0;
	o.cancelled = !ok && s->cancel_requested;
	o.refingerprint = ok && s->llm.refingerprint;
	s->llm.refingerprint = 0;
	if (ok)
		snprintf(o.message, sizeof(o.message), "written by the LLM (%s), %s", json_str(s->run, "model", "?"), msg);
	else
		snprintf(o.message, sizeof(o.message), "%.500s", msg);
	session_stage_end(s, &o);
}

static void
code_llm_done(session *s, const llm_result *r, const ak_err *err)
{
	codegen_block *b = NULL;
	size_t n = 0;
	ak_err e;

	if (err) {
		snprintf(e.msg, sizeof(e.msg), "the LLM call failed: %.800s; code/ is unchanged (rerun, or --offline for the templates)",
			err->msg);
	} else if (codegen_blocks_parse(r->text, r->len, &b, &n, &e) == 0 && n == 0) {
		snprintf(e.msg, sizeof(e.msg), "the model's reply has no code block named after a file of the pipeline "
			"(see logs/code.log); code/ is unchanged");
	} else if (n > 0 && stage_install(s, s->llm.base, s->llm.nbase, b, n, "llm", "code", code_installed, &e) == 0) {
		codegen_blocks_free(b, n);
		return;
	}
	codegen_blocks_free(b, n);
	code_installed(s, 0, e.msg);
}

/* The text of a run file, or NULL. */
static char *
code_read_input(session *s, const char *rel)
{
	char *p = session_path(s, rel), *text = fs_read_file(p, NULL, NULL);

	free(p);
	return text;
}

static char *
code_prompt(session *s, const codegen_spec *spec, int gpu)
{
	char *cpath = session_path(s, "input/competition.json"), *ppath = session_path(s, "input/data_profile.json");
	cJSON *comp = jsonfile_load(cpath, NULL), *prof = jsonfile_load(ppath, NULL);
	char *decisions = code_read_input(s, "input/decisions.json"), *overview = code_read_input(s, "input/overview.md");
	codegen_prompt_in in = {
		.competition = comp, .profile = prof, .decisions = decisions, .overview = overview,
		.brief = s->opts.brief, .task = task_name(spec->task), .target = spec->target, .id = spec->id,
		.metric = s->facts.metric->name, .higher_is_better = s->facts.higher_is_better,
		.submission_format = s->facts.proba_columns ? "proba_columns" : "label",
		.budget_seconds = spec->budget_seconds, .gpu = gpu, .family = spec->family, .folds = spec->folds,
		.threads = spec->threads, .memory_bytes = runopts_memory_limit(&s->opts),
		.files = s->llm.base, .nfiles = s->llm.nbase,
	};
	char *text = codegen_prompt_code(&in);

	cJSON_Delete(comp);
	cJSON_Delete(prof);
	free(decisions);
	free(overview);
	free(cpath);
	free(ppath);
	return text;
}

/* The templates, written aside, are the model's starting point and the
 * files its reply leaves out. */
static int
code_llm_start(session *s, const codegen_spec *spec, int gpu, ak_err *e)
{
	char *base = session_path(s, ".code-base"), *user;
	int rc = -1;

	codegen_blocks_free(s->llm.base, s->llm.nbase);
	s->llm.base = NULL;
	s->llm.nbase = 0;
	if (fs_remove_tree(base, e) == 0 && codegen_write_baseline(spec, base, e) == 0 &&
	    versions_read(base, &s->llm.base, &s->llm.nbase, e) == 0) {
		user = code_prompt(s, spec, gpu);
		rc = session_llm_ask(s, "code", "code", codegen_prompt_system(), user, code_llm_done, e);
		free(user);
	}
	fs_remove_tree(base, NULL);
	free(base);
	return rc;
}

/* --brief is one turn of the strategy chat before the code is asked
 * for, once per brief: its decisions are the code's. */
static char *
code_brief_hash(session *s)
{
	char hex[HASH_HEX_LEN + 1];
	hash_ctx h;

	hash_init(&h);
	hash_update_str(&h, s->opts.brief);
	hash_final_hex(&h, hex);
	return xstrdup(hex);
}

static int
code_brief_pending(session *s)
{
	char *hex;
	int pending;

	if (!s->opts.brief)
		return 0;
	hex = code_brief_hash(s);
	pending = strcmp(json_str(s->run, "brief_discussed", ""), hex) != 0;
	free(hex);
	return pending;
}

static void
code_brief_text(void *arg, const char *text, size_t len)
{
	session *s = arg;
	char *log = rundir_log(s->dir, "code");
	FILE *f = fopen(log, "a");

	if (f) {
		char *clean = xasprintf("%.*s", (int)len, text), *red = redact_string(clean);
		fputs(red, f);
		fclose(f);
		free(clean);
		free(red);
	}
	free(log);
}

static void
code_brief_notice(void *arg, const char *msg)
{
	session_note(arg, "info", "%s", msg);
}

static void
code_brief_done(void *arg, int ok, const char *msg, const char *decisions, const chat_usage *used)
{
	session *s = arg;
	codegen_spec spec;
	ak_err e;
	char *hex;
	int gpu = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s->run, "constraints"),
		"gpu_resolved"));

	(void)used; /* the store counts the calls for the run */
	chat_free(s->llm.chat);
	s->llm.chat = NULL;
	code_brief_text(s, "\n", 1);
	if (!ok) {
		stage_outcome o = { 0 };
		snprintf(o.message, sizeof(o.message), "the brief's chat turn failed: %.450s", msg);
		session_stage_end(s, &o);
		return;
	}
	hex = code_brief_hash(s);
	json_set(s->run, "brief_discussed", cJSON_CreateString(hex));
	free(hex);
	session_note(s, "info", "the brief was discussed (input/chat_transcript.md); decisions %s", decisions);
	/* The decisions are CODE's input: taken again when it succeeds. */
	s->llm.refingerprint = 1;
	code_spec(s, gpu, &spec);
	if (code_llm_start(s, &spec, gpu, &e) < 0) {
		stage_outcome o = { 0 };
		snprintf(o.message, sizeof(o.message), "%.500s", e.msg);
		session_stage_end(s, &o);
	}
}

static int
code_brief_start(session *s, const llm_config *cfg, ak_err *e)
{
	chat_callbacks cb = { code_brief_text, code_brief_notice, code_brief_done, s };
	http *h = session_llm_http(s, e);

	s->llm.chat = h ? chat_open(s->db, s->run_id, s->dir, cfg, s->l, h, e) : NULL;
	if (!s->llm.chat)
		return -1;
	code_brief_text(s, "==> the brief, one turn of the strategy chat:\n", 47);
	if (chat_say(s->llm.chat, s->opts.brief, &cb, e) < 0) {
		chat_free(s->llm.chat);
		s->llm.chat = NULL;
		return -1;
	}
	return 0;
}

static int
code_offline(session *s, const codegen_spec *spec, ak_err *e)
{
	stage_outcome o = { .ok = 1 };
	int kept = code_keep_history(s, e);

	if (kept < 0)
		return -1;
	if (codegen_write_baseline(spec, s->dir, e) < 0)
		return -1;
	code_version(s, "template");
	snprintf(o.message, sizeof(o.message), "offline baseline, family %s%s", s->opts.family,
		kept > 0 ? "; previous code kept in code/history/" : "");
	session_stage_end(s, &o);
	return 0;
}

static int
code_start(session *s, ak_err *e)
{
	codegen_spec spec;
	llm_config cfg;
	char why[512];
	int gpu, use;

	if (session_facts_load(s, e) < 0)
		return -1;
	gpu = code_gpu_resolved(s);
	code_record_constraints(s, gpu);
	code_spec(s, gpu, &spec);
	use = session_llm_config(s, &cfg, why, sizeof(why), e);
	if (use < 0)
		return -1;
	if (use == 0) {
		if (why[0])
			session_note(s, "warning", "the offline templates write the code: %s", why);
		return code_offline(s, &spec, e);
	}
	if (code_brief_pending(s)) {
		int rc = code_brief_start(s, &cfg, e);
		llm_config_clean(&cfg);
		return rc;
	}
	llm_config_clean(&cfg);
	return code_llm_start(s, &spec, gpu, e);
}

const stage_ops stage_code_ops = { code_fingerprint, code_start };
