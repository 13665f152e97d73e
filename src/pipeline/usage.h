#ifndef AK_USAGE_H
#define AK_USAGE_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/loop.h"

/* What a stage's processes use while it runs (CPU, resident memory, and
 * the GPUs where nvidia-smi works), sampled about once a second by the
 * supervisor from /proc, with the peaks of each stage attempt: written to
 * the run directory's RUNDIR_USAGE, which front ends and status read. */

typedef struct usage_figures {
	double cpu_pct;                      /* 100 = one busy core */
	unsigned long long rss;              /* bytes, the stage's processes together */
	int gpus;                            /* 0: no GPU figures */
	double gpu_pct;                      /* the GPUs' mean utilisation */
	unsigned long long gpu_used, gpu_total; /* GPU memory, bytes */
} usage_figures;

typedef struct usage_attempt {
	int stage;
	int n;                               /* the store's attempt number */
	usage_figures peak;
} usage_attempt;

typedef struct usage_report {
	int stage;                           /* the stage sampled now, -1 none */
	double time;                         /* when (unix seconds) */
	usage_figures now, peak;             /* its last sample, its peaks so far */
	usage_attempt *attempts;             /* oldest first */
	size_t nattempts;
} usage_report;

/* The supervisor's side: a meter of one stage attempt. */
typedef struct usage_meter usage_meter;

/* Starts sampling stage's processes (none until usage_watch). */
usage_meter *usage_start(loop *l, const char *run_dir, int stage);
int usage_stage(const usage_meter *m);
/* The stage's child leads session sid (a stage may run several). */
void usage_watch(usage_meter *m, pid_t sid);
/* Stops; with attempt > 0 the peaks are kept as that attempt's. Frees m. */
void usage_stop(usage_meter *m, int attempt);

/* The front ends' side. Reads run_dir's figures: 0, or -1 when there are
 * none yet. Free with usage_report_free. A sample of a stage that is no
 * longer running (its supervisor was killed) may remain: check the time. */
int usage_read(const char *run_dir, usage_report *r);
void usage_report_free(usage_report *r);
/* The figures as the file holds them: cpu_pct, rss (bytes) and, with a
 * GPU, gpus, gpu_pct, gpu_used and gpu_total (bytes). */
cJSON *usage_figures_json(const usage_figures *f);
/* "cpu 98%  rss 1.2G  gpu 45% 3.1/16.0G" (the GPU part when there is one). */
void usage_format(const usage_figures *f, char *buf, size_t n);

#endif
