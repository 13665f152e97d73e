#include "config.h"

#include "codegen/codegen.h"
#include "exec/exec.h"
#include "pipeline/runopts.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char runopts_help[] =
	"Run options:\n"
	"  --target COL         target column (default: the sample submission's non-id column)\n"
	"  --id COL             id column (default: the sample submission's first column)\n"
	"  --metric NAME        auc, logloss, accuracy, f1, rmse, rmsle, mae, mape, qwk, or a\n"
	"                       Kaggle metric title (default: competition.json, else by task)\n"
	"                       (--target, --id and --metric take 'auto' to infer again)\n"
	"  --metric-file FILE   Python file with score(y_true, y_pred) and higher_is_better\n"
	"                       ('none' drops it)\n"
	"  --budget DURATION    wall-clock budget of TRAIN+PREDICT: 90s, 30m, 2h, 1h30m\n"
	"  --memory SIZE        memory limit of each child: 512M, 8G (default: 75% of RAM)\n"
	"  --threads N          threads for the model libraries (default: number of CPUs)\n"
	"  --gpu auto|yes|no    use a GPU (auto: when nvidia-smi lists one)\n"
	"  --family NAME        auto, lightgbm, xgboost, hgb, linear (default auto)\n"
	"  --seed N             random seed (default 42)\n"
	"  --folds N            cross-validation folds (default 5)\n"
	"  --python PATH        interpreter for env/venv (env AUTOKAGGLE_PYTHON; default python3)\n"
	"  --model NAME         LLM model name (recorded for now)\n"
	"  --no-network         run TRAIN/PREDICT without network access where the kernel allows\n"
	"  --detach             start the run and return at once\n";

void
runopts_init(runopts *o)
{
	const char *py = getenv("AUTOKAGGLE_PYTHON");

	memset(o, 0, sizeof(*o));
	o->gpu = RUNOPTS_GPU_AUTO;
	o->family = xstrdup("auto");
	o->seed = 42;
	o->folds = 5;
	o->python = xstrdup(py && *py ? py : "python3");
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
	memset(o, 0, sizeof(*o));
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
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

static int
parse_metric_file(runopts *o, const char *v, ak_err *e)
{
	char *abs = fs_realpath(v, e);

	if (!abs)
		return err_prefix(e, "--metric-file");
	free(o->metric_file);
	o->metric_file = abs;
	return 0;
}

/* Splits "--opt=value" and "--opt value"; returns the value or NULL. */
static const char *
option_value(int argc, char **argv, int *i, const char *name, ak_err *e, int *matched)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	*matched = 0;
	if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
		return NULL;
	*matched = 1;
	if (a[n] == '=')
		return a + n + 1;
	if (*i + 1 >= argc) {
		err_set(e, "%s needs a value", name);
		return NULL;
	}
	(*i)++;
	return argv[*i];
}

int
runopts_parse_one(runopts *o, int argc, char **argv, int *i, ak_err *e)
{
	static const char *const valued[] = {
		"--target", "--id", "--metric", "--metric-file", "--budget", "--memory",
		"--threads", "--gpu", "--family", "--seed", "--folds", "--python", "--model",
	};
	const char *a = argv[*i], *v = NULL;
	size_t k;
	long n;
	int matched = 0;

	if (strcmp(a, "--no-network") == 0)
		return o->no_network = 1;
	if (strcmp(a, "--detach") == 0)
		return o->detach = 1;
	for (k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
		v = option_value(argc, argv, i, valued[k], e, &matched);
		if (matched)
			break;
	}
	if (!matched)
		return 0;
	if (!v)
		return -1;
	switch (k) {
	/* "auto" drops an override, so a rerun can go back to inferring. */
	case 0: set_str(&o->target, strcmp(v, "auto") == 0 ? NULL : v); break;
	case 1: set_str(&o->id, strcmp(v, "auto") == 0 ? NULL : v); break;
	case 2: set_str(&o->metric, strcmp(v, "auto") == 0 ? NULL : v); break;
	case 3:
		if (strcmp(v, "none") == 0) {
			set_str(&o->metric_file, NULL);
			return 1;
		}
		return parse_metric_file(o, v, e) < 0 ? -1 : 1;
	case 4:
		o->budget_ms = exec_parse_duration_ms(v, e);
		return o->budget_ms < 0 ? err_prefix(e, "--budget") : 1;
	case 5:
		o->memory_bytes = exec_parse_bytes(v, e);
		return o->memory_bytes < 0 ? err_prefix(e, "--memory") : 1;
	case 6:
		if (parse_long("--threads", v, 1, 1024, &n, e) < 0)
			return -1;
		o->threads = (int)n;
		break;
	case 7: return parse_gpu(v, &o->gpu, e) < 0 ? -1 : 1;
	case 8:
		if (codegen_family_check(v, e) < 0)
			return err_prefix(e, "--family");
		set_str(&o->family, v);
		break;
	case 9:
		if (parse_long("--seed", v, 0, LONG_MAX, &n, e) < 0)
			return -1;
		o->seed = (unsigned long)n;
		break;
	case 10:
		if (parse_long("--folds", v, 2, 50, &n, e) < 0)
			return -1;
		o->folds = (int)n;
		break;
	case 11: set_str(&o->python, v); break;
	default: set_str(&o->model, v); break;
	}
	return 1;
}

const char *
runopts_gpu_name(runopts_gpu g)
{
	return g == RUNOPTS_GPU_YES ? "yes" : g == RUNOPTS_GPU_NO ? "no" : "auto";
}

static void
add_str(cJSON *obj, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(obj, key, v);
	else
		cJSON_AddNullToObject(obj, key);
}

cJSON *
runopts_to_json(const runopts *o)
{
	cJSON *j = cJSON_CreateObject();

	add_str(j, "target", o->target);
	add_str(j, "id", o->id);
	add_str(j, "metric", o->metric);
	add_str(j, "metric_file", o->metric_file);
	cJSON_AddNumberToObject(j, "budget_seconds", (double)o->budget_ms / 1000.0);
	cJSON_AddNumberToObject(j, "memory_bytes", (double)o->memory_bytes);
	cJSON_AddNumberToObject(j, "threads", o->threads);
	cJSON_AddStringToObject(j, "gpu", runopts_gpu_name(o->gpu));
	cJSON_AddStringToObject(j, "family", o->family);
	cJSON_AddNumberToObject(j, "seed", (double)o->seed);
	cJSON_AddNumberToObject(j, "folds", o->folds);
	cJSON_AddStringToObject(j, "python", o->python);
	add_str(j, "model", o->model);
	cJSON_AddBoolToObject(j, "no_network", o->no_network);
	return j;
}

static void
get_str(const cJSON *j, const char *key, char **dst)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	if (cJSON_IsString(v))
		set_str(dst, v->valuestring);
	else if (cJSON_IsNull(v))
		set_str(dst, NULL);
}

void
runopts_from_json(runopts *o, const cJSON *j)
{
	const cJSON *v;
	ak_err e;

	get_str(j, "target", &o->target);
	get_str(j, "id", &o->id);
	get_str(j, "metric", &o->metric);
	get_str(j, "metric_file", &o->metric_file);
	get_str(j, "family", &o->family);
	get_str(j, "python", &o->python);
	get_str(j, "model", &o->model);
	o->budget_ms = (long)(json_num(j, "budget_seconds", (double)o->budget_ms / 1000.0) * 1000.0);
	o->memory_bytes = (long long)json_num(j, "memory_bytes", (double)o->memory_bytes);
	o->threads = (int)json_num(j, "threads", o->threads);
	o->seed = (unsigned long)json_num(j, "seed", (double)o->seed);
	o->folds = (int)json_num(j, "folds", o->folds);
	v = cJSON_GetObjectItemCaseSensitive(j, "gpu");
	if (cJSON_IsString(v))
		parse_gpu(v->valuestring, &o->gpu, &e);
	v = cJSON_GetObjectItemCaseSensitive(j, "no_network");
	if (cJSON_IsBool(v))
		o->no_network = cJSON_IsTrue(v);
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
