#include "config.h"

#include "cmd/cmd.h"
#include "exec/exec.h"
#include "kaggle/api.h"
#include "kaggle/auth.h"
#include "kaggle/cache.h"
#include "kaggle/client.h"
#include "pipeline/runopts.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* doctor: is this machine ready? Each line a check, each failing one with
 * how to fix it; exit 0 only when all pass. */

#define DOCTOR_PY_TIMEOUT_S 60.0
/* Below this much free space a competition's data or a venv may not fit. */
#define DOCTOR_MIN_FREE (1LL << 30)

typedef struct doctor {
	int failed;
} doctor;

static void
doctor_line(doctor *d, int pass, const char *what, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
doctor_line(doctor *d, int pass, const char *what, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	termsafe_buffer(text, sizeof(text), TERMSAFE_LINE);
	printf("%-5s %-12s %s\n", pass ? "ok" : "FAIL", what, text);
	if (!pass)
		d->failed++;
}

static void
doctor_kaggle(doctor *d)
{
	kaggle_api_list_query q = { .page_size = 1 };
	kaggle_client *c;
	char *body, *reply;
	loop *l = loop_new();
	size_t len = 0;
	ak_err e = { 0 };

	c = l ? kaggle_client_open(l, &e) : NULL;
	if (!c) {
		doctor_line(d, 0, "credentials", "%s", e.msg);
		doctor_line(d, 0, "kaggle api", "not tried without credentials");
		if (l)
			loop_free(l);
		return;
	}
	doctor_line(d, 1, "credentials", "from %s", kaggle_client_auth_source(c));
	body = kaggle_api_list_competitions_body(&q, &e);
	reply = body ? kaggle_client_call(c, "ListCompetitions", body, NULL, &len, &e) : NULL;
	if (reply)
		doctor_line(d, 1, "kaggle api", "%s answers and accepts the credentials", kaggle_client_endpoint(c));
	else
		doctor_line(d, 0, "kaggle api", "%s%s%s", e.msg, err_fix_to_append(&e) ? ": " : "",
			err_fix_to_append(&e) ? err_fix_to_append(&e) : "");
	free(body);
	free(reply);
	kaggle_client_close(c);
	loop_free(l);
}

static void
doctor_python(doctor *d)
{
	static const char probe[] =
		"import sys\n"
		"print('python', sys.version.split()[0])\n"
		"import venv, numpy, pandas, sklearn\n"
		"print('numpy', numpy.__version__, 'pandas', pandas.__version__, 'scikit-learn', sklearn.__version__)\n"
		"for m in ('lightgbm', 'xgboost'):\n"
		"    try:\n"
		"        print(m, __import__(m).__version__)\n"
		"    except Exception:\n"
		"        print(m, 'absent')\n";
	runopts o;
	strbuf out = { 0 };
	const char *argv[4];
	char *nl, *text;
	int rc;

	runopts_init(&o);
	argv[0] = o.python;
	argv[1] = "-c";
	argv[2] = probe;
	argv[3] = NULL;
	rc = exec_capture(argv, DOCTOR_PY_TIMEOUT_S, &out);
	text = xstrdup(strbuf_str(&out));
	for (nl = strchr(text, '\n'); nl; nl = strchr(nl, '\n'))
		*nl = ';';
	if (rc == 0)
		doctor_line(d, 1, "python", "%s: %s", o.python, text);
	else if (rc < 0)
		doctor_line(d, 0, "python", "%s cannot be run (or hung): set AUTOKAGGLE_PYTHON or --python to a Python 3 with numpy, pandas and scikit-learn (Debian: apt-get install python3-sklearn python3-pandas)",
			o.python);
	else
		doctor_line(d, 0, "python", "%s lacks a library the pipeline needs (%.300s): install python3-sklearn and python3-pandas, or point AUTOKAGGLE_PYTHON at a Python that has them",
			o.python, text);
	free(text);
	strbuf_free(&out);
	runopts_free(&o);
}

/* A directory the user will write into: there (or creatable), writable,
 * with room. */
static void
doctor_dir(doctor *d, const char *what, const char *dir, int private_mode)
{
	char free_s[32];
	struct stat st;
	long long room;
	ak_err e = { 0 };

	if (!fs_is_dir(dir) && fs_mkdir_p(dir, private_mode ? 0700 : 0755, &e) < 0) {
		doctor_line(d, 0, what, "%s", e.msg);
		return;
	}
	if (access(dir, W_OK | X_OK) < 0) {
		doctor_line(d, 0, what, "%s is not writable: fix its permissions (chmod u+rwx %s)", dir, dir);
		return;
	}
	room = fs_free_bytes(dir);
	exec_format_bytes(room < 0 ? 0 : (unsigned long long)room, free_s, sizeof(free_s));
	if (room >= 0 && room < DOCTOR_MIN_FREE) {
		doctor_line(d, 0, what, "%s has only %s free: free some space there", dir, free_s);
		return;
	}
	if (private_mode && stat(dir, &st) == 0 && (st.st_mode & 077))
		doctor_line(d, 0, what, "%s is readable by others (mode %o): chmod 700 %s", dir,
			(unsigned)(st.st_mode & 0777), dir);
	else
		doctor_line(d, 1, what, "%s (%s free)", dir, free_s);
}

static int
doctor_main(cmd_ctx *c, int argc, char **argv)
{
	doctor d = { 0 };
	ak_err e = { 0 };
	char *cache;

	if (argc > 1)
		return cmd_usage_error("doctor", "unexpected argument '%s'", argv[1]);
	doctor_kaggle(&d);
	doctor_python(&d);
	cache = kaggle_cache_root(&e);
	if (cache) {
		doctor_dir(&d, "cache", cache, 1);
		free(cache);
	} else {
		doctor_line(&d, 0, "cache", "%s", e.msg);
	}
	doctor_dir(&d, "workspace", c->workspace, 0);
	if (d.failed)
		printf("%d check%s failed\n", d.failed, d.failed == 1 ? "" : "s");
	else
		printf("all checks passed\n");
	return d.failed ? CMD_EXIT_FAILED : CMD_EXIT_OK;
}

const cmd cmd_doctor = {
	"doctor", doctor_main, CMD_WS_CREATE, "doctor",
	"Check that this machine is ready: credentials, Kaggle, Python, disk.",
	"One line per check, each failing one saying how to fix it: the Kaggle\n"
	"credentials (and where they came from), the Kaggle API's endpoint, the\n"
	"Python interpreter the runs use with numpy, pandas, scikit-learn and venv\n"
	"(LightGBM and XGBoost are reported when present), and the data cache and\n"
	"the workspace: writable, private for the cache, with at least 1 GiB free.\n"
	"Exits 0 only when every check passes. Creates the cache and workspace\n"
	"directories when they are missing.\n\n",
};
