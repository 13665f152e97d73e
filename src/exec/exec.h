#ifndef AK_EXEC_H
#define AK_EXEC_H

#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"
#include "util/strbuf.h"
#include "util/loop.h"

/* Children of the pipeline (PROFILE helpers, ENV, TRAIN, PREDICT): each in
 * its own session and process group, under a wall-clock and memory budget,
 * with a scrubbed environment; its output is redacted, logged and streamed
 * through the event loop. */

typedef struct exec_limits {
	long wall_ms;                 /* 0 = none; past it the group is stopped: timed_out */
	unsigned long long mem_bytes; /* 0 = none; RSS of the whole group, checked every 250 ms: oom */
	int threads;                  /* 0 = leave; else OMP/OPENBLAS/MKL/NUMEXPR/VECLIB thread counts */
	int no_network;               /* 1 = private network namespace if the kernel allows it */
	int nice;                     /* added niceness, 0 = none */
} exec_limits;

typedef struct exec_spec {
	const char *const *argv;      /* argv[0] a path, or a name looked up in the child's PATH */
	const char *cwd;              /* the run directory; NULL = inherit */
	const char *log_path;         /* stage log, appended; NULL = none */
	const char *const *env_extra; /* "K=V" added after scrubbing (may override the allowlist) */
	exec_limits limits;
	/* 1: stderr is a pseudo-terminal (TERM=xterm-256color, no output
	 * processing: \n stays \n), so that progress bars (tqdm, which draws
	 * on stderr) draw with carriage returns and colours as in a terminal,
	 * and stdout a pipe of its own, the fast way for a child printing as
	 * fast as it can; 0: both are one pipe. */
	int pty;
	int cols, rows;               /* the pty's size; 0: EXEC_PTY_COLS x EXEC_PTY_ROWS */
} exec_spec;

/* A pty's size when nobody says. */
#define EXEC_PTY_COLS 80
#define EXEC_PTY_ROWS 24

typedef struct exec_result {
	int exit_code;     /* -1 when killed by a signal */
	int term_signal;   /* 0 or the signal */
	int timed_out, oom, cancelled, spawn_failed;
	double wall_s, cpu_s; /* cpu = user+sys of the child and its reaped descendants */
	long maxrss_kb;
	char reason[256];  /* one line a user can act on */
} exec_result;

typedef struct exec_proc exec_proc;
/* Redacted output bytes (stdout and stderr merged), as they come. */
typedef void (*exec_output_cb)(const char *data, size_t len, void *arg);
typedef void (*exec_done_cb)(const exec_result *r, void *arg);

/* Starts the child: own session and process group, chdir(cwd), limits,
 * scrubbed environment plus PYTHONUNBUFFERED=1 and the thread counts,
 * stdin from /dev/null, stdout+stderr into one pipe (or stdout a pipe and
 * stderr a pty) read by the loop: the two are then merged in the order
 * they are read, stdout's bytes first when stderr's arrive (the last
 * prints before a traceback), else exact to a few milliseconds.
 * Output goes through the redactor, is appended to log_path and passed to
 * out (may be NULL), in reads coalesced over at most a few milliseconds
 * (a child printing a line at a time is read in large pieces, and a line
 * followed by silence still arrives at once). Once the child has exited
 * and its output reached EOF, done is called exactly once and the
 * exec_proc is freed: do not touch it afterwards. What the child leaves
 * running in its session is killed: 1 s
 * after its exit if that still holds the output open, else before done.
 * A program that cannot be run (missing, not executable, bad cwd) still
 * starts "successfully" and ends through done with spawn_failed and an
 * exact reason. Returns NULL with e set when nothing could be started
 * (bad spec, log not writable, fork failed). */
exec_proc *exec_start(loop *l, const exec_spec *s, exec_output_cb out, exec_done_cb done, void *arg,
	ak_err *e);

/* Stops the child's group: SIGINT, SIGTERM 3 s later, SIGKILL 3 s after
 * that; the result says cancelled. Repeated calls are ignored. */
void exec_cancel(exec_proc *p);

/* A new size for a child on a pty (exec_spec.pty): set on the pty, then
 * SIGWINCH to the child's process group, as a terminal does to its
 * foreground group (the kernel does not: the pty is not the child's
 * controlling terminal). Nothing for a pipe, a child that has exited, or
 * the size it has. */
void exec_resize(exec_proc *p, int cols, int rows);

/* The child's pid, which is also its process group id. */
pid_t exec_pid(const exec_proc *p);

/* The environment of a child: only allowlisted variables of the current
 * environment (PATH, HOME, USER, locale, TZ, TMPDIR, TERM, GPU and BLAS
 * settings, proxies, certificates, caches...), never one whose name looks
 * secret nor one whose value holds URL credentials ("scheme://user:pw@",
 * or "user:pw@host" in a proxy variable), then extra ("K=V", overriding).
 * NULL-terminated; free with strv_free (util/strv.h). */
char **exec_env_scrubbed(const char *const *extra);
/* What pip needs for the ENV stage only, credentials included, as "K=V"
 * copies of the current environment for exec_spec.env_extra: PIP_*, the
 * proxy variables, NETRC. Free with strv_free. */
char **exec_env_for_pip(void);

/* Where the current PATH finds an executable prog, like execvp; prog
 * itself when it has a slash and is executable. NULL when nowhere; caller
 * frees. */
char *exec_env_which(const char *prog);

/* "30m", "2h", "90s", "1h30m", "1.5h", "45" (seconds) -> milliseconds.
 * -1 with e naming the accepted forms on bad input. */
long exec_parse_duration_ms(const char *s, ak_err *e);
/* "8G", "512M", "1.5G", "64k", "100" (bytes), with optional "B"/"iB";
 * units are binary. -1 with e naming the accepted forms on bad input. */
long long exec_parse_bytes(const char *s, ak_err *e);

/* "30m0s", "1h30m0s", "45s", "1.5s", "250ms" for messages. */
void exec_format_duration(long ms, char *buf, size_t n);
/* "8.0 GiB", "512.0 MiB", "100 B" for messages. */
void exec_format_bytes(unsigned long long b, char *buf, size_t n);

/* 1 when `nvidia-smi -L` (looked up in PATH) lists a GPU within 5 s.
 * Synchronous; reaps only its own child. */
int exec_gpu_detect(void);
/* The arguments of nvidia-smi that print each GPU's utilisation (%) and
 * memory used and total (MiB) as "45, 3100, 16384" lines. */
#define EXEC_GPU_QUERY "--query-gpu=utilization.gpu,memory.used,memory.total", "--format=csv,noheader,nounits"
/* What the GPUs of this machine do, all of them together. */
typedef struct exec_gpu_usage {
	int gpus;                       /* 0: none read */
	double util_pct;                /* the mean over the GPUs */
	unsigned long long used, total; /* memory, bytes */
} exec_gpu_usage;
/* Reads EXEC_GPU_QUERY's output; 0, or -1 when no line is one (a line
 * with "[N/A]" or "[Not Supported]" fields counts as 0 there). */
int exec_gpu_parse(const char *out, exec_gpu_usage *u);
/* Runs argv (argv[0] looked up in PATH) with no input, its stdout and
 * stderr (the first 64 KiB) appended to out, for at most timeout_s
 * seconds. Returns its exit status (128 + the signal that ended it), or
 * -1 when it could not start or ran out of time (then it is killed).
 * Synchronous; reaps only its own child. */
int exec_capture(const char *const *argv, double timeout_s, strbuf *out);

#endif
