#include "config.h"

#include "exec/exec.h"
#include "exec/proctree.h"
#include "pipeline/machine.h"
#include "pipeline/rundir.h"
#include "pipeline/usage.h"
#include "util/jsonfile.h"
#include "util/strv.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The supervisor's meter of a stage: a timer that sums the stage's
 * session in /proc and rewrites RUNDIR_USAGE. nvidia-smi never holds the
 * loop up: it is started on one tick, its exit looked for (WNOHANG) on
 * the next ones, its few lines read then; one that hangs is killed, one
 * that fails is not asked again. */

#define USAGE_TICK_MS 1000
#define USAGE_GPU_EVERY 3       /* ticks between two GPU queries */
#define USAGE_GPU_PATIENCE 5    /* ticks a query may take */

struct usage_meter {
	loop *l;
	char *path;
	int stage, timer, samples;
	pid_t sid;
	long hz;
	unsigned long long last_ticks;
	double last_time;
	usage_figures now, peak;
	cJSON *attempts;        /* the file's, kept across rewrites */
	char *smi;              /* nvidia-smi, NULL when absent or failing */
	pid_t gpu_pid;
	int gpu_fd, gpu_ticks, gpu_wait;
};

/* Rewritten every second: a rename, but no fsync (a lost sample is no loss). */
static void
usage_save(usage_meter *m, int running)
{
	cJSON *j = cJSON_CreateObject(), *run;
	char *text, *tmp = xasprintf("%s.tmp", m->path);
	FILE *f;

	if (running) {
		run = cJSON_AddObjectToObject(j, "running");
		cJSON_AddStringToObject(run, "stage", machine_stage_name(m->stage));
		cJSON_AddNumberToObject(run, "time", timefmt_wall_now());
		cJSON_AddItemToObject(run, "now", usage_figures_json(&m->now));
		cJSON_AddItemToObject(run, "peak", usage_figures_json(&m->peak));
	}
	cJSON_AddItemReferenceToObject(j, "attempts", m->attempts);
	text = cJSON_Print(j);
	f = fopen(tmp, "w");
	if (f && text && fputs(text, f) >= 0 && fclose(f) == 0)
		rename(tmp, m->path);
	else if (f)
		fclose(f);
	free(text);
	free(tmp);
	cJSON_Delete(j);
}

static void
usage_gpu_off(usage_meter *m)
{
	free(m->smi);
	m->smi = NULL;
	m->now.gpus = 0;
}

/* Ends the query under way (on a stop, or when it hangs). */
static void
usage_gpu_end(usage_meter *m)
{
	if (m->gpu_pid <= 0)
		return;
	kill(m->gpu_pid, SIGKILL);
	while (waitpid(m->gpu_pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(m->gpu_fd);
	m->gpu_pid = 0;
}

static void
usage_gpu_spawn(usage_meter *m)
{
	const char *argv[] = { m->smi, EXEC_GPU_QUERY, NULL };
	char **env = exec_env_scrubbed(NULL);
	int p[2], null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null < 0 || pipe2(p, O_CLOEXEC) < 0) {
		if (null >= 0)
			close(null);
		strv_free(env);
		return;
	}
	m->gpu_pid = fork();
	if (m->gpu_pid == 0) {
		dup2(null, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execve(argv[0], (char *const *)argv, env);
		_exit(127);
	}
	close(p[1]);
	close(null);
	strv_free(env);
	if (m->gpu_pid < 0) {
		close(p[0]);
		m->gpu_pid = 0;
		return;
	}
	m->gpu_fd = p[0];
	m->gpu_ticks = 0;
}

/* The query started on an earlier tick: its figures once it exited. */
static void
usage_gpu_collect(usage_meter *m)
{
	char buf[4096];
	exec_gpu_usage g;
	ssize_t n = 0, r;
	int status = 0;
	pid_t done = waitpid(m->gpu_pid, &status, WNOHANG);

	if (done == 0) {
		if (++m->gpu_ticks >= USAGE_GPU_PATIENCE) {
			usage_gpu_end(m);
			usage_gpu_off(m);
		}
		return;
	}
	/* The pipe holds everything it printed: it has exited. */
	while (n < (ssize_t)sizeof(buf) - 1 && (r = read(m->gpu_fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	buf[n] = '\0';
	close(m->gpu_fd);
	m->gpu_pid = 0;
	m->gpu_wait = USAGE_GPU_EVERY;
	if (done < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || exec_gpu_parse(buf, &g) < 0) {
		usage_gpu_off(m);
		return;
	}
	m->now.gpus = g.gpus;
	m->now.gpu_pct = g.util_pct;
	m->now.gpu_used = g.used;
	m->now.gpu_total = g.total;
}

static void
usage_gpu_tick(usage_meter *m)
{
	if (!m->smi)
		return;
	if (m->gpu_pid > 0)
		usage_gpu_collect(m);
	else if (m->gpu_wait-- <= 0)
		usage_gpu_spawn(m);
}

static void
usage_peaks(usage_meter *m)
{
	usage_figures *n = &m->now, *p = &m->peak;

	p->cpu_pct = n->cpu_pct > p->cpu_pct ? n->cpu_pct : p->cpu_pct;
	p->rss = n->rss > p->rss ? n->rss : p->rss;
	if (n->gpus) {
		p->gpus = n->gpus;
		p->gpu_pct = n->gpu_pct > p->gpu_pct ? n->gpu_pct : p->gpu_pct;
		p->gpu_used = n->gpu_used > p->gpu_used ? n->gpu_used : p->gpu_used;
		p->gpu_total = n->gpu_total;
	}
}

static void
usage_tick(loop *l, void *arg)
{
	usage_meter *m = arg;
	proctree_usage u;
	double now = loop_now(), dt = now - m->last_time;

	(void)l;
	proctree_session_usage("/proc", m->sid, &u);
	m->now.cpu_pct = dt > 0 && u.ticks >= m->last_ticks ? (double)(u.ticks - m->last_ticks) / (double)m->hz / dt * 100.0 : 0;
	m->now.rss = u.rss;
	m->last_ticks = u.ticks;
	m->last_time = now;
	usage_gpu_tick(m);
	usage_peaks(m);
	m->samples++;
	usage_save(m, 1);
}

usage_meter *
usage_start(loop *l, const char *run_dir, int stage)
{
	usage_meter *m = xcalloc(1, sizeof(*m));
	cJSON *old;

	m->l = l;
	m->path = rundir_path(run_dir, RUNDIR_USAGE);
	m->stage = stage;
	m->hz = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
	old = jsonfile_load(m->path, NULL);
	m->attempts = cJSON_DetachItemFromObjectCaseSensitive(old, "attempts");
	cJSON_Delete(old);
	if (!cJSON_IsArray(m->attempts)) {
		cJSON_Delete(m->attempts);
		m->attempts = cJSON_CreateArray();
	}
	m->smi = exec_env_which("nvidia-smi");
	return m;
}

int
usage_stage(const usage_meter *m)
{
	return m->stage;
}

void
usage_watch(usage_meter *m, pid_t sid)
{
	proctree_usage u;

	m->sid = sid;
	proctree_session_usage("/proc", sid, &u);
	m->last_ticks = u.ticks;
	m->last_time = loop_now();
	if (!m->timer)
		m->timer = loop_timer_add(m->l, USAGE_TICK_MS, 1, usage_tick, m);
}

void
usage_stop(usage_meter *m, int attempt)
{
	cJSON *a;

	if (!m)
		return;
	if (m->timer)
		loop_timer_cancel(m->l, m->timer);
	usage_gpu_end(m);
	if (attempt > 0 && m->samples > 0) {
		a = cJSON_CreateObject();
		cJSON_AddStringToObject(a, "stage", machine_stage_name(m->stage));
		cJSON_AddNumberToObject(a, "attempt", attempt);
		cJSON_AddItemToObject(a, "peak", usage_figures_json(&m->peak));
		cJSON_AddItemToArray(m->attempts, a);
	}
	if (m->samples > 0)
		usage_save(m, 0);
	cJSON_Delete(m->attempts);
	free(m->smi);
	free(m->path);
	free(m);
}
