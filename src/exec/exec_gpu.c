#include "config.h"

#include "exec/exec.h"
#include "util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXEC_GPU_TIMEOUT_S 5.0
#define EXEC_CAPTURE_MAX 65536

/* Reads the child's output until EOF or the deadline; 0 on EOF. */
static int
exec_capture_read(int fd, strbuf *out, double deadline)
{
	char buf[1024];

	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		double left = deadline - loop_now();
		ssize_t n;

		if (left <= 0)
			return -1;
		if (poll(&pfd, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			return -1;
		n = read(fd, buf, sizeof buf);
		if (n == 0)
			return 0;
		if (n > 0 && out->len < EXEC_CAPTURE_MAX)
			strbuf_add(out, buf, (size_t)n);
		else if (n < 0 && errno != EINTR && errno != EAGAIN)
			return -1;
	}
}

int
exec_capture(const char *const *argv, double timeout_s, strbuf *out)
{
	char *prog = exec_env_which(argv[0]);
	int p[2], status = -1, eof;
	pid_t pid;

	if (!prog)
		return -1;
	if (pipe2(p, O_CLOEXEC) < 0) {
		free(prog);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		execv(prog, (char *const *)argv);
		_exit(127);
	}
	free(prog);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	eof = exec_capture_read(p[0], out, loop_now() + timeout_s);
	close(p[0]);
	/* A hung child (a GPU driver, a broken interpreter) must not hang us. */
	if (eof < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (eof < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int
exec_gpu_detect(void)
{
	const char *argv[] = { "nvidia-smi", "-L", NULL };
	strbuf out = { 0 };
	int found = exec_capture(argv, EXEC_GPU_TIMEOUT_S, &out) == 0 && strstr(strbuf_str(&out), "GPU ");

	strbuf_free(&out);
	return found;
}

/* One field: a number, or 0 for what the driver cannot say ("[N/A]"). */
static double
exec_gpu_field(const char **p, int *ok)
{
	char *end;
	double v;

	while (**p == ' ')
		(*p)++;
	if (**p == '\n' || !**p) {
		*ok = 0;
		return 0;
	}
	v = strtod(*p, &end);
	if (end == *p) {
		if (**p != '[')
			*ok = 0;
		v = 0;
	}
	*p += strcspn(*p, ",\n");
	if (**p == ',')
		(*p)++;
	return v;
}

int
exec_gpu_parse(const char *out, exec_gpu_usage *u)
{
	const char *p = out;
	double util = 0;

	memset(u, 0, sizeof(*u));
	while (*p) {
		const char *next = p + strcspn(p, "\n");
		int ok = 1;
		double a = exec_gpu_field(&p, &ok), used = exec_gpu_field(&p, &ok), total = exec_gpu_field(&p, &ok);

		if (ok && p <= next) {
			util += a;
			u->used += (unsigned long long)(used * 1048576.0);
			u->total += (unsigned long long)(total * 1048576.0);
			u->gpus++;
		}
		p = *next ? next + 1 : next;
	}
	if (!u->gpus)
		return -1;
	u->util_pct = util / u->gpus;
	return 0;
}
