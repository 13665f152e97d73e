#include "config.h"

#include "exec/exec.h"
#include "util/fs.h"
#include "util/redact.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* What a training script may legitimately need from our environment:
 * where things are, locale and terminal, GPU and BLAS tuning, proxies and
 * certificates, model caches. Nothing else passes. */
static const char *const exec_env_allow[] = {
	"PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ",
	"TMPDIR", "TERM", "COLORTERM", "COLUMNS", "LINES",
	"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "CUDA_VISIBLE_DEVICES",
	"CUDA_DEVICE_ORDER", "CUDA_HOME", "CUDA_PATH", "LD_LIBRARY_PATH",
	"PYTHONIOENCODING", "PYTHONUTF8", "PYENV_ROOT", "PYENV_VERSION",
	"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY",
	"http_proxy", "https_proxy", "no_proxy", "all_proxy",
	"SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE",
	"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR",
	"HF_HOME", "TORCH_HOME", "MPLCONFIGDIR",
};

static const char *const exec_env_allow_prefix[] = { "LC_", "NVIDIA_" };

/* What pip needs beyond that, for the ENV stage only: its own settings
 * (an index URL may hold a token), proxies with their credentials, a
 * netrc. */
static const char *const exec_env_pip[] = {
	"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY",
	"http_proxy", "https_proxy", "no_proxy", "all_proxy", "NETRC",
};

static int
exec_env_allowed(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof exec_env_allow / sizeof *exec_env_allow; i++)
		if (strlen(exec_env_allow[i]) == len && strncmp(exec_env_allow[i], name, len) == 0)
			return 1;
	for (i = 0; i < sizeof exec_env_allow_prefix / sizeof *exec_env_allow_prefix; i++) {
		size_t pl = strlen(exec_env_allow_prefix[i]);

		if (len > pl && strncmp(exec_env_allow_prefix[i], name, pl) == 0)
			return 1;
	}
	return 0;
}

static int
exec_env_same_name(const char *a, const char *b)
{
	size_t la = strcspn(a, "="), lb = strcspn(b, "=");

	return la == lb && strncmp(a, b, la) == 0;
}

char **
exec_env_scrubbed(const char *const *extra)
{
	size_t n = 0, cap = 0, i, j;
	char **env = NULL, **e;

	for (e = environ; e && *e; e++) {
		size_t len = strcspn(*e, "=");
		char *name;
		int ok;

		if (!(*e)[len] || !exec_env_allowed(*e, len))
			continue;
		name = xstrndup(*e, len);
		ok = !redact_name_is_secret(name) && !redact_value_has_credentials(name, *e + len + 1);
		free(name);
		if (!ok)
			continue;
		env = xgrow(env, &cap, n + 2, sizeof *env);
		env[n++] = xstrdup(*e);
	}
	for (i = 0; extra && extra[i]; i++) {
		if (!strchr(extra[i], '=') || extra[i][0] == '=')
			continue;
		for (j = 0; j < n; j++) {
			if (exec_env_same_name(env[j], extra[i])) {
				free(env[j]);
				memmove(&env[j], &env[j + 1], (n - j - 1) * sizeof *env);
				n--;
				break;
			}
		}
		env = xgrow(env, &cap, n + 2, sizeof *env);
		env[n++] = xstrdup(extra[i]);
	}
	env = xgrow(env, &cap, n + 1, sizeof *env);
	env[n] = NULL;
	return env;
}

char **
exec_env_for_pip(void)
{
	size_t n = 0, cap = 0, i;
	char **env = NULL, **e;

	for (e = environ; e && *e; e++) {
		size_t len = strcspn(*e, "=");
		int want = len > 4 && strncmp(*e, "PIP_", 4) == 0;

		for (i = 0; !want && i < sizeof exec_env_pip / sizeof *exec_env_pip; i++)
			want = strlen(exec_env_pip[i]) == len && strncmp(exec_env_pip[i], *e, len) == 0;
		if (!want || !(*e)[len])
			continue;
		env = xgrow(env, &cap, n + 2, sizeof *env);
		env[n++] = xstrdup(*e);
	}
	env = xgrow(env, &cap, n + 1, sizeof *env);
	env[n] = NULL;
	return env;
}

char *
exec_env_which(const char *prog)
{
	const char *path = getenv("PATH"), *s, *colon;

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0 ? xstrdup(prog) : NULL;
	for (s = path ? path : ""; *s; s = colon + 1) {
		char *dir, *full;
		size_t dl;

		colon = strchr(s, ':');
		dl = colon ? (size_t)(colon - s) : strlen(s);
		dir = dl ? xstrndup(s, dl) : xstrdup(".");
		full = fs_join(dir, prog);
		free(dir);
		if (access(full, X_OK) == 0)
			return full;
		free(full);
		if (!colon)
			break;
	}
	return NULL;
}
