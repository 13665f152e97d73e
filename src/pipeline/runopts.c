#include "config.h"

#include "codegen/codegen.h"
#include "exec/exec.h"
#include "exec/executor.h"
#include "kaggle/auth.h"
#include "llm/llm.h"
#include "pipeline/runopts.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/redact.h"
#include "util/settings.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
}

/* Without --python, the interpreter is AUTOKAGGLE_PYTHON's, read anew by
 * every process, so that setting it before a rerun takes effect. */
static void
python_default(runopts *o)
{
	const char *py = getenv("AUTOKAGGLE_PYTHON");

	set_str(&o->python, py && *py ? py : "python3");
	o->python_given = 0;
}

/* The run.executor setting when it names an executor, else local (a bad
 * setting is said when a run starts: cmd_run checks it). */
static void
executor_default(runopts *o)
{
	const char *v = settings_get("run.executor");

	set_str(&o->executor, v && executor_find(v, NULL) ? v : "local");
}

void
runopts_init(runopts *o)
{
	memset(o, 0, sizeof(*o));
	o->gpu = RUNOPTS_GPU_AUTO;
	o->family = xstrdup("auto");
	o->seed = 42;
	o->folds = 5;
	o->repair = RUNOPTS_DEFAULT_REPAIRS;
	python_default(o);
	executor_default(o);
}

void
runopts_free(runopts *o)
{
	free(o->target);
	free(o->id);
	free(o->metric);
	free(o->metric_file);
	free(o->family);
	free(o->python);
	free(o->model);
	free(o->provider);
	free(o->base_url);
	free(o->brief);
	free(o->overview);
	free(o->executor);
	memset(o, 0, sizeof(*o));
}


static int
parse_long(const char *opt, const char *v, long min, long max, long *out, ak_err *e)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		return err_set(e, "%s needs a whole number from %ld to %ld, not '%s'", opt, min, max, v);
	*out = n;
	return 0;
}

static int
parse_gpu(const char *v, runopts_gpu *g, ak_err *e)
{
	if (strcmp(v, "auto") == 0)
		*g = RUNOPTS_GPU_AUTO;
	else if (strcmp(v, "yes") == 0)
		*g = RUNOPTS_GPU_YES;
	else if (strcmp(v, "no") == 0)
		*g = RUNOPTS_GPU_NO;
	else
		return err_set(e, "--gpu takes auto, yes or no, not '%s'", v);
	return 0;
}

/* One parser per option; v is NULL for a flag. "auto" drops an override,
 * so a rerun can go back to inferring. */

static int
opt_target(runopts *o, const char *v, ak_err *e)
{
	(void)e;
	set_str(&o->target, strcmp(v, "auto") == 0 ? NULL : v);
	return 0;
}

static int
opt_id(runopts *o, const char *v, ak_err *e)
{
	(void)e;
	set_str(&o->id, strcmp(v, "auto") == 0 ? NULL : v);
	return 0;
}

static int
opt_metric(runopts *o, const char *v, ak_err *e)
{
	(void)e;
	set_str(&o->metric, strcmp(v, "auto") == 0 ? NULL : v);
	return 0;
}

static int
opt_metric_file(runopts *o, const char *v, ak_err *e)
{
	char *abs;

	if (strcmp(v, "none") == 0) {
		set_str(&o->metric_file, NULL);
		return 0;
	}
	abs = fs_realpath(v, e);
	if (!abs)
		return err_prefix(e, "--metric-file");
	free(o->metric_file);
	o->metric_file = abs;
	return 0;
}

static int
opt_budget(runopts *o, const char *v, ak_err *e)
{
	long ms;

	if (strcmp(v, "none") == 0) {
		o->budget_ms = 0;
		return 0;
	}
	ms = exec_parse_duration_ms(v, e);
	if (ms < 0)
		return err_prefix(e, "--budget");
	if (ms < RUNOPTS_MIN_BUDGET_MS)
		return err_set(e, "--budget %s is shorter than Python takes to start and import its libraries: "
			"give at least %lds, or 'none' for no budget", v, RUNOPTS_MIN_BUDGET_MS / 1000);
	if (ms > RUNOPTS_MAX_BUDGET_MS)
		return err_set(e, "--budget %s is longer than a year: give less, or 'none' for no budget", v);
	o->budget_ms = ms;
	return 0;
}

static int
opt_memory(runopts *o, const char *v, ak_err *e)
{
	long long b;

	if (strcmp(v, "auto") == 0) {
		o->memory_bytes = 0;
		return 0;
	}
	b = exec_parse_bytes(v, e);
	if (b < 0)
		return err_prefix(e, "--memory");
	if (b < RUNOPTS_MIN_MEMORY)
		return err_set(e, "--memory %s is too little to start Python with numpy, pandas and scikit-learn: "
			"give at least %lldM, or 'auto' for 75%% of RAM", v, RUNOPTS_MIN_MEMORY >> 20);
	if (b > RUNOPTS_MAX_MEMORY)
		return err_set(e, "--memory %s is more than 1 PiB: give the limit you mean, or 'auto' for 75%% of RAM", v);
	o->memory_bytes = b;
	return 0;
}

static int
opt_threads(runopts *o, const char *v, ak_err *e)
{
	long n;

	if (strcmp(v, "auto") == 0) {
		o->threads = 0;
		return 0;
	}
	if (parse_long("--threads", v, 1, 1024, &n, e) < 0)
		return -1;
	o->threads = (int)n;
	return 0;
}

static int
opt_gpu(runopts *o, const char *v, ak_err *e)
{
	return parse_gpu(v, &o->gpu, e);
}

static int
opt_family(runopts *o, const char *v, ak_err *e)
{
	if (codegen_family_check(v, e) < 0)
		return err_prefix(e, "--family");
	set_str(&o->family, v);
	return 0;
}

/* PYTHONHASHSEED takes at most 2^32 - 1. */
static int
opt_seed(runopts *o, const char *v, ak_err *e)
{
	long n;

	if (parse_long("--seed", v, 0, 4294967295L, &n, e) < 0)
		return -1;
	o->seed = (unsigned long)n;
	return 0;
}

static int
opt_folds(runopts *o, const char *v, ak_err *e)
{
	long n;

	if (parse_long("--folds", v, 2, 50, &n, e) < 0)
		return -1;
	o->folds = (int)n;
	return 0;
}

static int
opt_python(runopts *o, const char *v, ak_err *e)
{
	if (!*v)
		return err_set(e, "--python needs an interpreter: a path or a name in PATH");
	if (strcmp(v, "auto") == 0) {
		python_default(o);
		return 0;
	}
	set_str(&o->python, v);
	o->python_given = 1;
	return 0;
}

static int
opt_model(runopts *o, const char *v, ak_err *e)
{
	(void)e;
	set_str(&o->model, v);
	return 0;
}

static int
opt_provider(runopts *o, const char *v, ak_err *e)
{
	if (strcmp(v, "auto") == 0) {
		set_str(&o->provider, NULL);
		return 0;
	}
	if (!llm_provider_find(v))
		return err_set(e, "--provider takes gemini, openai, anthropic, ollama or auto, not '%s'", v);
	set_str(&o->provider, v);
	return 0;
}

static int
opt_base_url(runopts *o, const char *v, ak_err *e)
{
	(void)e;
	set_str(&o->base_url, strcmp(v, "auto") == 0 ? NULL : v);
	return 0;
}

static int
opt_offline(runopts *o, const char *v, ak_err *e)
{
	(void)v;
	(void)e;
	o->offline = 1;
	return 0;
}

static int
opt_online(runopts *o, const char *v, ak_err *e)
{
	(void)v;
	(void)e;
	o->offline = 0;
	return 0;
}

static int
opt_llm_budget(runopts *o, const char *v, ak_err *e)
{
	long n;

	if (strcmp(v, "none") == 0) {
		o->llm_budget = 0;
		return 0;
	}
	if (parse_long("--llm-budget", v, 1, 2000000000L, &n, e) < 0)
		return -1;
	o->llm_budget = n;
	return 0;
}

static int
opt_repair(runopts *o, const char *v, ak_err *e)
{
	long n;

	if (parse_long("--repair", v, 0, RUNOPTS_MAX_REPAIRS, &n, e) < 0)
		return -1;
	o->repair = (int)n;
	return 0;
}

static int
opt_brief(runopts *o, const char *v, ak_err *e)
{
	if (strlen(v) > RUNOPTS_MAX_BRIEF)
		return err_set(e, "--brief is longer than %d KiB: put it in a file and pass --brief-file",
			RUNOPTS_MAX_BRIEF / 1024);
	set_str(&o->brief, *v && strcmp(v, "none") != 0 ? v : NULL);
	return 0;
}

static int
opt_brief_file(runopts *o, const char *v, ak_err *e)
{
	size_t len;
	char *text = fs_read_file(v, &len, e);

	if (!text)
		return err_prefix(e, "--brief-file");
	if (len > RUNOPTS_MAX_BRIEF || memchr(text, '\0', len)) {
		free(text);
		return err_set(e, "--brief-file %s is not a short text (at most %d KiB)", v, RUNOPTS_MAX_BRIEF / 1024);
	}
	free(o->brief);
	o->brief = text;
	return 0;
}

static int
opt_overview(runopts *o, const char *v, ak_err *e)
{
	char *abs;

	if (strcmp(v, "none") == 0) {
		set_str(&o->overview, NULL);
		return 0;
	}
	abs = fs_realpath(v, e);
	if (!abs)
		return err_prefix(e, "--overview");
	free(o->overview);
	o->overview = abs;
	return 0;
}

static int
opt_no_network(runopts *o, const char *v, ak_err *e)
{
	(void)v;
	(void)e;
	o->no_network = 1;
	return 0;
}

static int
opt_executor(runopts *o, const char *v, ak_err *e)
{
	if (!executor_find(v, e))
		return err_prefix(e, "--executor");
	set_str(&o->executor, v);
	return 0;
}

static int
opt_kernel_internet(runopts *o, const char *v, ak_err *e)
{
	(void)v;
	(void)e;
	o->kernel_internet = 1;
	return 0;
}

static int
opt_sample(runopts *o, const char *v, ak_err *e)
{
	long n;

	if (strcmp(v, "none") == 0) {
		o->sample = 0;
		return 0;
	}
	if (parse_long("--sample", v, RUNOPTS_MIN_SAMPLE, RUNOPTS_MAX_SAMPLE, &n, e) < 0)
		return -1;
	o->sample = n;
	return 0;
}

static int
opt_detach(runopts *o, const char *v, ak_err *e)
{
	(void)v;
	(void)e;
	o->detach = 1;
	return 0;
}

/* X(flag, METAVAR or NULL for a flag, parser, help, JSON): every run
 * option, once: the parser, --help, the man page's list (runopts_print_man)
 * and run.json's "options" (runopts_to_json, runopts_from_json) all read
 * it. JSON says how the option is recorded: J_NONE not at all; J_STR a
 * string field copied as it is (null: none); J_CHECKED a string field read
 * back through the option's parser, so a hand-edited value it refuses is
 * ignored; J_BOOL; J_NUM a number field with the range accepted on read
 * (and 0, meaning none or auto, when zero_ok); J_CUSTOM its own pair of
 * functions. */
#define RUNOPTS_TABLE(X)                                                                                        \
	X("--target", "COL", opt_target, "target column (default: the sample submission's non-id column)", \
		J_STR("target", target)) \
	X("--id", "COL", opt_id, "id column (default: the sample submission's first column)", \
		J_STR("id", id)) \
	X("--metric", "NAME", opt_metric,                                                                       \
		"auc, logloss, accuracy, f1, rmse, rmsle, mae, mape, qwk, or a\n"                               \
		"Kaggle metric title (default: competition.json, else by task)\n"                               \
		"(--target, --id and --metric take 'auto' to infer again)", \
		J_STR("metric", metric)) \
	X("--metric-file", "FILE", opt_metric_file,                                                             \
		"Python file with score(y_true, y_pred) and higher_is_better\n('none' drops it)", \
		J_STR("metric_file", metric_file)) \
	X("--budget", "DURATION", opt_budget,                                                                   \
		"wall-clock budget of TRAIN+PREDICT: 90s, 30m, 2h, 1h30m;\n"                                    \
		"at least 5s; 'none' (the default) for no budget", \
		J_CUSTOM("budget_seconds", put_budget, get_budget)) \
	X("--memory", "SIZE", opt_memory,                                                                       \
		"memory limit of each child: 512M, 8G; at least 256M;\n'auto' (the default): 75% of RAM", \
		J_NUM("memory_bytes", RJ_LLONG, memory_bytes, RUNOPTS_MIN_MEMORY, RUNOPTS_MAX_MEMORY, 1)) \
	X("--threads", "N", opt_threads, "threads for the model libraries, 1 to 1024 ('auto': the CPUs)", \
		J_NUM("threads", RJ_INT, threads, 0, 1024, 1)) \
	X("--gpu", "auto|yes|no", opt_gpu, "use a GPU (auto: when nvidia-smi lists one)", \
		J_CUSTOM("gpu", put_gpu, get_gpu)) \
	X("--family", "NAME", opt_family, "auto, lightgbm, xgboost, hgb, linear (default auto)", \
		J_CHECKED("family", family)) \
	X("--seed", "N", opt_seed, "random seed, 0 to 4294967295 (default 42)", \
		J_NUM("seed", RJ_ULONG, seed, 0, 4294967295.0, 1)) \
	X("--folds", "N", opt_folds, "cross-validation folds, 2 to 50 (default 5)", \
		J_NUM("folds", RJ_INT, folds, 2, 50, 0)) \
	X("--python", "PATH", opt_python, "interpreter for env/venv (env AUTOKAGGLE_PYTHON; default python3)", \
		J_CUSTOM("python", put_python, get_python)) \
	X("--provider", "NAME", opt_provider,                                                                   \
		"LLM provider: gemini, openai, anthropic, ollama (default: the\n"                            \
		"llm.provider setting, else the first whose key is set; 'auto')", \
		J_CHECKED("provider", provider)) \
	X("--model", "NAME", opt_model, "LLM model (default: llm.model, else the provider's)", \
		J_STR("model", model)) \
	X("--base-url", "URL", opt_base_url, "the LLM provider's base URL (see autokaggle models --help)", \
		J_STR("base_url", base_url)) \
	X("--offline", NULL, opt_offline, "the offline templates write the code, even with an LLM key set", \
		J_BOOL("offline", offline)) \
	X("--online", NULL, opt_online, "drop a run's --offline: the LLM writes the code when a key is set", \
		J_NONE) \
	X("--llm-budget", "TOKENS", opt_llm_budget,                                                             \
		"LLM tokens (in + out) after which the run pauses at the next\n"                              \
		"stage ('none', the default, for no limit)", \
		J_NUM("llm_budget", RJ_LONG, llm_budget, 1, 2000000000.0, 1)) \
	X("--repair", "N", opt_repair,                                                                          \
		"LLM repairs of a failing TRAIN or PREDICT, 0 to 20 (default 3)", \
		J_NUM("repair", RJ_INT, repair, 0, RUNOPTS_MAX_REPAIRS, 1)) \
	X("--brief", "TEXT", opt_brief, "what the LLM should know or do, one chat turn before CODE", \
		J_CUSTOM("brief", put_brief, get_brief)) \
	X("--brief-file", "FILE", opt_brief_file, "the same, read from FILE", \
		J_NONE) \
	X("--overview", "FILE", opt_overview,                                                                   \
		"the competition's overview and rules as pasted from its page,\n"                            \
		"copied to input/overview.md for the LLM ('none' drops it)", \
		J_STR("overview", overview)) \
	X("--no-network", NULL, opt_no_network,                                                                 \
		"run TRAIN/PREDICT without network access where the kernel allows", \
		J_BOOL("no_network", no_network)) \
	X("--executor", "local|kaggle", opt_executor,                                                           \
		"where TRAIN and PREDICT run: here (local, the default or the\n"                               \
		"run.executor setting) or as a kernel on Kaggle (a Kaggle competition)", \
		J_CHECKED("executor", executor)) \
	X("--kernel-internet", NULL, opt_kernel_internet, "let the Kaggle kernel reach the internet (off by default)", \
		J_BOOL("kernel_internet", kernel_internet)) \
	X("--sample", "N", opt_sample,                                                                          \
		"first run the pipeline on N rows of test (10 to 1000000) and a\n"                             \
		"stratified sample of train, two folds, here; the full run starts\n"                          \
		"only when that one made a valid submission ('none' drops it)", \
		J_NUM("sample", RJ_LONG, sample, RUNOPTS_MIN_SAMPLE, RUNOPTS_MAX_SAMPLE, 1)) \
	X("--detach", NULL, opt_detach, "start the run and return at once", \
		J_NONE)

typedef enum runopts_kind { RJ_NONE, RJ_STR, RJ_CHECKED, RJ_BOOL, RJ_INT, RJ_LONG, RJ_ULONG, RJ_LLONG, RJ_CUSTOM } runopts_kind;

typedef struct runopts_row {
	const char *flag, *metavar;
	int (*parse)(runopts *o, const char *v, ak_err *e);
	const char *help;
	const char *key;            /* in run.json's "options"; NULL: not recorded */
	runopts_kind kind;
	size_t off;                 /* the field of the plain kinds */
	double lo, hi;              /* J_NUM: accepted on read */
	int zero_ok;
	cJSON *(*put)(const runopts *o);
	void (*get)(runopts *o, const cJSON *v);
} runopts_row;

#define J_NONE .key = NULL
#define J_STR(k, f) .key = k, .kind = RJ_STR, .off = offsetof(runopts, f)
#define J_CHECKED(k, f) .key = k, .kind = RJ_CHECKED, .off = offsetof(runopts, f)
#define J_BOOL(k, f) .key = k, .kind = RJ_BOOL, .off = offsetof(runopts, f)
#define J_NUM(k, t, f, l, h, z) .key = k, .kind = t, .off = offsetof(runopts, f), .lo = l, .hi = h, .zero_ok = z
#define J_CUSTOM(k, p, g) .key = k, .kind = RJ_CUSTOM, .put = p, .get = g

/* The options whose record is their own. */

static cJSON *
put_budget(const runopts *o)
{
	return cJSON_CreateNumber((double)o->budget_ms / 1000.0);
}

static void
get_budget(runopts *o, const cJSON *v)
{
	double n = v->valuedouble;

	if (cJSON_IsNumber(v) && n >= 0 && n <= (double)RUNOPTS_MAX_BUDGET_MS / 1000.0 &&
	    (n == 0 || n * 1000 >= RUNOPTS_MIN_BUDGET_MS))
		o->budget_ms = (long)(n * 1000.0);
}

static cJSON *
put_gpu(const runopts *o)
{
	return cJSON_CreateString(runopts_gpu_name(o->gpu));
}

static void
get_gpu(runopts *o, const cJSON *v)
{
	ak_err e;

	if (cJSON_IsString(v))
		parse_gpu(v->valuestring, &o->gpu, &e);
}

/* Only a --python given is recorded: without it each rerun takes
 * AUTOKAGGLE_PYTHON anew. */
static cJSON *
put_python(const runopts *o)
{
	return o->python_given ? cJSON_CreateString(o->python) : cJSON_CreateNull();
}

static void
get_python(runopts *o, const cJSON *v)
{
	if (cJSON_IsString(v) && v->valuestring[0]) {
		set_str(&o->python, v->valuestring);
		o->python_given = 1;
	}
}

/* run.json is a record the user may share: no secret in it. */
static cJSON *
put_brief(const runopts *o)
{
	char *clean;
	cJSON *j;

	if (!o->brief)
		return cJSON_CreateNull();
	kaggle_auth_guard_secrets();
	clean = redact_string(o->brief);
	j = cJSON_CreateString(clean);
	free(clean);
	return j;
}

static void
get_brief(runopts *o, const cJSON *v)
{
	if (cJSON_IsString(v))
		set_str(&o->brief, v->valuestring);
	else if (cJSON_IsNull(v))
		set_str(&o->brief, NULL);
}

#define RUNOPTS_ROW(flag, metavar, parse, help, json) { flag, metavar, parse, help, json },
static const runopts_row runopts_rows[] = { RUNOPTS_TABLE(RUNOPTS_ROW) };
#undef RUNOPTS_ROW
#define RUNOPTS_NROWS (sizeof(runopts_rows) / sizeof(runopts_rows[0]))
/* The row argv[*i] names ("--opt" or "--opt=value"), or NULL. */
static const runopts_row *
runopts_find(const char *a, const char **inline_value)
{
	size_t k, n;

	*inline_value = NULL;
	for (k = 0; k < RUNOPTS_NROWS; k++) {
		n = strlen(runopts_rows[k].flag);
		if (strncmp(a, runopts_rows[k].flag, n) != 0)
			continue;
		if (a[n] == '\0')
			return &runopts_rows[k];
		if (a[n] == '=' && runopts_rows[k].metavar) {
			*inline_value = a + n + 1;
			return &runopts_rows[k];
		}
	}
	return NULL;
}

int
runopts_parse_one(runopts *o, int argc, char **argv, int *i, ak_err *e)
{
	const char *v = NULL;
	const runopts_row *row = runopts_find(argv[*i], &v);

	if (!row)
		return 0;
	if (row->metavar && !v) {
		if (*i + 1 >= argc)
			return err_set(e, "%s needs a value (%s)", row->flag, row->metavar);
		v = argv[++*i];
	}
	return row->parse(o, v, e) < 0 ? -1 : 1;
}

void
runopts_print_help(FILE *out)
{
	size_t k;

	fprintf(out, "Run options:\n");
	for (k = 0; k < RUNOPTS_NROWS; k++) {
		const runopts_row *r = &runopts_rows[k];
		char head[64];
		const char *line = r->help, *nl;

		snprintf(head, sizeof(head), "%s%s%s", r->flag, r->metavar ? " " : "", r->metavar ? r->metavar : "");
		for (nl = strchr(line, '\n');; nl = strchr(line, '\n')) {
			int len = nl ? (int)(nl - line) : (int)strlen(line);

			fprintf(out, "  %-19s %.*s\n", head, len, line);
			head[0] = '\0';
			if (!nl)
				break;
			line = nl + 1;
		}
	}
}

const char *
runopts_gpu_name(runopts_gpu g)
{
	return g == RUNOPTS_GPU_YES ? "yes" : g == RUNOPTS_GPU_NO ? "no" : "auto";
}

#define FIELD(o, row, type) ((type *)((char *)(o) + (row)->off))

static cJSON *
runopts_put(const runopts *o, const runopts_row *r)
{
	switch (r->kind) {
	case RJ_STR:
	case RJ_CHECKED: {
		const char *v = *FIELD(o, r, char *);
		return v ? cJSON_CreateString(v) : cJSON_CreateNull();
	}
	case RJ_BOOL:
		return cJSON_CreateBool(*FIELD(o, r, int));
	case RJ_INT:
		return cJSON_CreateNumber(*FIELD(o, r, int));
	case RJ_LONG:
		return cJSON_CreateNumber((double)*FIELD(o, r, long));
	case RJ_ULONG:
		return cJSON_CreateNumber((double)*FIELD(o, r, unsigned long));
	case RJ_LLONG:
		return cJSON_CreateNumber((double)*FIELD(o, r, long long));
	case RJ_CUSTOM:
		return r->put(o);
	case RJ_NONE:
		break;
	}
	return NULL;
}

/* A number from a hand-edited run.json is outside input too: out of the
 * option's range, it is ignored, as the parser would refuse it. */
static void
runopts_get_number(runopts *o, const runopts_row *r, const cJSON *v)
{
	double n = v->valuedouble;

	if (!cJSON_IsNumber(v) || !((n >= r->lo && n <= r->hi) || (r->zero_ok && n == 0)))
		return;
	if (r->kind == RJ_INT)
		*FIELD(o, r, int) = (int)n;
	else if (r->kind == RJ_LONG)
		*FIELD(o, r, long) = (long)n;
	else if (r->kind == RJ_ULONG)
		*FIELD(o, r, unsigned long) = (unsigned long)n;
	else
		*FIELD(o, r, long long) = (long long)n;
}

static void
runopts_get(runopts *o, const runopts_row *r, const cJSON *v)
{
	ak_err e;

	switch (r->kind) {
	case RJ_STR:
		if (cJSON_IsString(v))
			set_str(FIELD(o, r, char *), v->valuestring);
		else if (cJSON_IsNull(v))
			set_str(FIELD(o, r, char *), NULL);
		break;
	case RJ_CHECKED:
		/* The parser keeps what it refuses as it was. */
		r->parse(o, cJSON_IsString(v) ? v->valuestring : "auto", &e);
		break;
	case RJ_BOOL:
		if (cJSON_IsBool(v))
			*FIELD(o, r, int) = cJSON_IsTrue(v);
		break;
	case RJ_INT:
	case RJ_LONG:
	case RJ_ULONG:
	case RJ_LLONG:
		runopts_get_number(o, r, v);
		break;
	case RJ_CUSTOM:
		r->get(o, v);
		break;
	case RJ_NONE:
		break;
	}
}

cJSON *
runopts_to_json(const runopts *o)
{
	cJSON *j = cJSON_CreateObject();
	size_t k;

	for (k = 0; k < RUNOPTS_NROWS; k++)
		if (runopts_rows[k].key)
			cJSON_AddItemToObject(j, runopts_rows[k].key, runopts_put(o, &runopts_rows[k]));
	return j;
}

void
runopts_from_json(runopts *o, const cJSON *j)
{
	size_t k;

	for (k = 0; k < RUNOPTS_NROWS; k++) {
		const cJSON *v = runopts_rows[k].key ? cJSON_GetObjectItemCaseSensitive(j, runopts_rows[k].key) : NULL;
		if (v)
			runopts_get(o, &runopts_rows[k], v);
	}
}

/* Roff needs its hyphens escaped. */
static void
man_escaped(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '-' || s[i] == '\\')
			fputc('\\', out);
		fputc(s[i], out);
	}
}

void
runopts_print_man(FILE *out)
{
	size_t k;

	for (k = 0; k < RUNOPTS_NROWS; k++) {
		const runopts_row *r = &runopts_rows[k];
		const char *line = r->help, *nl;

		fputs(".TP\n", out);
		fputs(r->metavar ? ".BI " : ".B ", out);
		man_escaped(out, r->flag, strlen(r->flag));
		if (r->metavar)
			fprintf(out, " \" %s\"", r->metavar);
		fputc('\n', out);
		for (nl = strchr(line, '\n');; nl = strchr(line, '\n')) {
			size_t len = nl ? (size_t)(nl - line) : strlen(line);
			/* A line starting with a dot or quote would be a request. */
			if (*line == '.' || *line == '\'')
				fputs("\\&", out);
			man_escaped(out, line, len);
			fputc('\n', out);
			if (!nl)
				break;
			line = nl + 1;
		}
	}
}

unsigned long long
runopts_memory_limit(const runopts *o)
{
	long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);

	if (o->memory_bytes > 0)
		return (unsigned long long)o->memory_bytes;
	return (unsigned long long)pages * (unsigned long long)psize / 4 * 3;
}

int
runopts_threads(const runopts *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (o->threads > 0)
		return o->threads;
	return cpus > 0 ? (int)cpus : 1;
}
