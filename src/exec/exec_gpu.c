#include "config.h"

#include "exec/exec.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXEC_GPU_TIMEOUT_S 5.0

/* Reads the child's output until EOF or the deadline; 0 on EOF. */
static int
exec_gpu_read(int fd, strbuf *out, double deadline)
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
		if (n > 0 && out->len < 65536)
			strbuf_add(out, buf, (size_t)n);
		else if (n < 0 && errno != EINTR && errno != EAGAIN)
			return -1;
	}
}

int
exec_gpu_detect(void)
{
	char *smi = exec_env_which("nvidia-smi");
	strbuf out = { 0 };
	int p[2], status = -1, eof;
	pid_t pid;

	if (!smi)
		return 0;
	if (pipe2(p, O_CLOEXEC) < 0) {
		free(smi);
		return 0;
	}
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, STDIN_FILENO);
		dup2(null, STDERR_FILENO);
		dup2(p[1], STDOUT_FILENO);
		execl(smi, "nvidia-smi", "-L", (char *)NULL);
		_exit(127);
	}
	free(smi);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return 0;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	eof = exec_gpu_read(p[0], &out, loop_now() + EXEC_GPU_TIMEOUT_S);
	close(p[0]);
	/* A hung driver must not hang us: kill it and take "no GPU". */
	if (eof < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	eof = eof == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && strstr(strbuf_str(&out), "GPU ");
	strbuf_free(&out);
	return eof;
}
