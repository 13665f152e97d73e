#include "config.h"

#include "pipeline/reindex.h"
#include "pipeline/rundir.h"
#include "pipeline/session.h"
#include "pipeline/supervisor.h"
#include "util/fs.h"
#include "util/loop.h"
#include "util/redact.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void
supervisor_exec(const supervisor_request *r, char *exe)
{
	char fdnum[16], lockfd[16];
	const char *argv[14];
	size_t k = 0;
	int devnull;

	if (!exe)
		_exit(127);
	devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		close(devnull);
	}
	argv[k++] = exe;
	argv[k++] = "__supervise";
	argv[k++] = r->workspace;
	argv[k++] = r->run_id;
	if (r->rerun_stage) {
		argv[k++] = "--rerun";
		argv[k++] = r->rerun_stage;
	}
	if (r->retry_failed)
		argv[k++] = "--retry";
	if (r->notify_fd >= 0) {
		snprintf(fdnum, sizeof(fdnum), "%d", r->notify_fd);
		argv[k++] = "--notify-fd";
		argv[k++] = fdnum;
	}
	if (r->lock_fd >= 0) {
		/* The lock lives as long as one descriptor of it is open: the
		 * supervisor's copy must survive the exec. */
		fcntl(r->lock_fd, F_SETFD, 0);
		snprintf(lockfd, sizeof(lockfd), "%d", r->lock_fd);
		argv[k++] = "--lock-fd";
		argv[k++] = lockfd;
	}
	argv[k] = NULL;
	execv(exe, (char *const *)argv);
	_exit(127);
}

pid_t
supervisor_spawn(const supervisor_request *r, ak_err *e)
{
	char *exe = fs_exe_path();
	int pfd[2], status;
	pid_t mid, sup = -1;

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		free(exe);
		return err_sys(e, "cannot start the run's supervisor");
	}
	mid = fork();
	if (mid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		free(exe);
		return err_sys(e, "cannot start the run's supervisor");
	}
	if (mid == 0) {
		pid_t grand;
		close(pfd[0]);
		setsid();
		signal(SIGHUP, SIG_IGN);
		grand = fork();
		if (grand == 0) {
			close(pfd[1]);
			supervisor_exec(r, exe);
		}
		if (write(pfd[1], &grand, sizeof(grand)) != (ssize_t)sizeof(grand))
			_exit(1);
		_exit(grand < 0 ? 1 : 0);
	}
	free(exe);
	close(pfd[1]);
	while (read(pfd[0], &sup, sizeof(sup)) < 0 && errno == EINTR)
		;
	close(pfd[0]);
	while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
		;
	if (sup <= 0)
		return err_set(e, "cannot start the run's supervisor process");
	return sup;
}

static void
supervisor_on_signal(loop *l, int signo, void *arg)
{
	(void)l;
	(void)signo;
	session_cancel(arg);
}

/* A front end resized the run's terminal (run_tell_tty_size). */
static void
supervisor_on_winch(loop *l, int signo, void *arg)
{
	(void)l;
	(void)signo;
	session_tty_resize(arg);
}

static int
supervisor_parse(int argc, char **argv, supervisor_request *r)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->notify_fd = -1;
	r->lock_fd = -1;
	if (argc < 3)
		return -1;
	r->workspace = argv[1];
	r->run_id = argv[2];
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--rerun") == 0 && i + 1 < argc)
			r->rerun_stage = argv[++i];
		else if (strcmp(argv[i], "--retry") == 0)
			r->retry_failed = 1;
		else if (strcmp(argv[i], "--notify-fd") == 0 && i + 1 < argc)
			r->notify_fd = atoi(argv[++i]);
		else if (strcmp(argv[i], "--lock-fd") == 0 && i + 1 < argc)
			r->lock_fd = atoi(argv[++i]);
		else
			return -1;
	}
	return 0;
}

/* Diagnostics of the supervisor itself (sanitizer reports, crashes) go to
 * logs/supervisor.log: it has no terminal. */
static void
supervisor_redirect_stderr(const char *dir)
{
	char *p = rundir_log(dir, "supervisor");
	int fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

	free(p);
	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
}

static int
supervisor_drive(store *db, const supervisor_request *r)
{
	loop *l = loop_new();
	session *s;
	ak_err e;
	int code, stage = -1;

	if (r->rerun_stage)
		stage = machine_stage_from_name(r->rerun_stage);
	s = session_open(db, r->run_id, l, &e);
	if (!s) {
		fprintf(stderr, "autokaggle: %s\n", e.msg);
		loop_free(l);
		return 5;
	}
	loop_signal_watch(l, SIGTERM, supervisor_on_signal, s);
	loop_signal_watch(l, SIGINT, supervisor_on_signal, s);
	loop_signal_watch(l, SIGWINCH, supervisor_on_winch, s);
	session_reap_strays(s);
	session_keep_reserve(s);
	session_start(s, stage, r->retry_failed);
	code = loop_run(l);
	session_close(s);
	loop_free(l);
	return code;
}

int
supervisor_main(int argc, char **argv)
{
	supervisor_request r;
	reindex_report rep;
	store_run run;
	store *db;
	ak_err e;
	int lock, busy = 0, code;

	if (supervisor_parse(argc, argv, &r) < 0) {
		fprintf(stderr, "autokaggle: __supervise is internal: WORKSPACE RUN [--rerun STAGE] [--retry] [--notify-fd N] [--lock-fd N]\n");
		return 2;
	}
	if (r.notify_fd >= 0)
		fcntl(r.notify_fd, F_SETFD, FD_CLOEXEC);
	if (r.lock_fd >= 0)
		fcntl(r.lock_fd, F_SETFD, FD_CLOEXEC);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* Orphans of a stage's processes come to us instead of init, so
	 * that none of them outlives the stage. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	redact_add_from_env();
	db = store_open(r.workspace, STORE_WRITE, &e);
	if (db && store_is_new(db) && reindex_workspace(db, 0, 0, &rep, &e) < 0) {
		store_close(db);
		db = NULL;
	}
	if (!db) {
		fprintf(stderr, "autokaggle: %s\n", e.msg);
		return 5;
	}
	if (store_run_get(db, r.run_id, &run, &e) <= 0) {
		fprintf(stderr, "autokaggle: no run %s\n", r.run_id);
		store_close(db);
		return 3;
	}
	supervisor_redirect_stderr(run.dir);
	lock = r.lock_fd >= 0 ? r.lock_fd : rundir_lock(run.dir, &busy, &e);
	if (lock < 0) {
		fprintf(stderr, "autokaggle: %s\n", e.msg);
		store_run_free(&run);
		store_close(db);
		return busy ? 4 : 5;
	}
	run.supervisor_pid = (int)getpid();
	store_run_update(db, &run, NULL);
	code = supervisor_drive(db, &r);
	store_run_free(&run);
	store_close(db);
	close(lock);
	return code;
}
