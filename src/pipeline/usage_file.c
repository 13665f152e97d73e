#include "config.h"

#include "pipeline/machine.h"
#include "pipeline/rundir.h"
#include "pipeline/usage.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* RUNDIR_USAGE as front ends read it (usage.c writes it). */

cJSON *
usage_figures_json(const usage_figures *f)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "cpu_pct", f->cpu_pct);
	cJSON_AddNumberToObject(o, "rss", (double)f->rss);
	if (f->gpus) {
		cJSON_AddNumberToObject(o, "gpus", f->gpus);
		cJSON_AddNumberToObject(o, "gpu_pct", f->gpu_pct);
		cJSON_AddNumberToObject(o, "gpu_used", (double)f->gpu_used);
		cJSON_AddNumberToObject(o, "gpu_total", (double)f->gpu_total);
	}
	return o;
}

static void
usage_figures_read(const cJSON *o, usage_figures *f)
{
	memset(f, 0, sizeof(*f));
	f->cpu_pct = json_num(o, "cpu_pct", 0);
	f->rss = (unsigned long long)json_int(o, "rss", 0, 1LL << 60, 0);
	f->gpus = (int)json_int(o, "gpus", 0, 1024, 0);
	f->gpu_pct = json_num(o, "gpu_pct", 0);
	f->gpu_used = (unsigned long long)json_int(o, "gpu_used", 0, 1LL << 60, 0);
	f->gpu_total = (unsigned long long)json_int(o, "gpu_total", 0, 1LL << 60, 0);
}

int
usage_read(const char *run_dir, usage_report *r)
{
	char *path = rundir_path(run_dir, RUNDIR_USAGE);
	cJSON *j = jsonfile_load(path, NULL), *run, *a;

	free(path);
	memset(r, 0, sizeof(*r));
	r->stage = -1;
	if (!j)
		return -1;
	run = cJSON_GetObjectItemCaseSensitive(j, "running");
	if (cJSON_IsObject(run)) {
		r->stage = machine_stage_from_name(json_str(run, "stage", ""));
		r->time = json_num(run, "time", 0);
		usage_figures_read(cJSON_GetObjectItemCaseSensitive(run, "now"), &r->now);
		usage_figures_read(cJSON_GetObjectItemCaseSensitive(run, "peak"), &r->peak);
	}
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(j, "attempts")) {
		usage_attempt *u;
		int stage = machine_stage_from_name(json_str(a, "stage", ""));

		if (stage < 0)
			continue;
		r->attempts = xrealloc(r->attempts, (r->nattempts + 1) * sizeof(*r->attempts));
		u = &r->attempts[r->nattempts++];
		u->stage = stage;
		u->n = (int)json_int(a, "attempt", 0, 1 << 30, 0);
		usage_figures_read(cJSON_GetObjectItemCaseSensitive(a, "peak"), &u->peak);
	}
	cJSON_Delete(j);
	return 0;
}

void
usage_report_free(usage_report *r)
{
	free(r->attempts);
	r->attempts = NULL;
	r->nattempts = 0;
}

/* "812M", "1.2G": short, for a pane's header. */
static void
usage_size(unsigned long long b, char *buf, size_t n)
{
	double g = (double)b / (1024.0 * 1024.0 * 1024.0);

	if (g >= 1.0)
		snprintf(buf, n, "%.1fG", g);
	else
		snprintf(buf, n, "%.0fM", (double)b / (1024.0 * 1024.0));
}

void
usage_format(const usage_figures *f, char *buf, size_t n)
{
	char rss[32], used[32], total[32];
	int len;

	usage_size(f->rss, rss, sizeof(rss));
	len = snprintf(buf, n, "cpu %.0f%%  rss %s", f->cpu_pct, rss);
	if (f->gpus && len > 0 && (size_t)len < n) {
		usage_size(f->gpu_used, used, sizeof(used));
		usage_size(f->gpu_total, total, sizeof(total));
		snprintf(buf + len, n - (size_t)len, "  gpu %.0f%% %s/%s", f->gpu_pct, used, total);
	}
}
