#include "config.h"

#include "exec/kernel_package.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/redact.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PACKAGE_INPUT "/kaggle/input"

/* What runs the files once they are written, the same in both kinds. */
static const char package_run[] =
	"import os, shutil, subprocess, sys\n"
	"os.makedirs(\"output\", exist_ok=True)\n"
	"for script in (\"code/train.py\", \"code/predict.py\"):\n"
	"    if subprocess.run([sys.executable, script]).returncode != 0:\n"
	"        raise RuntimeError(script + \" failed: its traceback is above\")\n"
	"shutil.copy(\"output/submission.csv\", \"submission.csv\")\n";

typedef struct package_file {
	char *name;     /* "code/train.py" */
	char *text;     /* redacted */
} package_file;

typedef struct package {
	char *run_id, *slug;
	package_file *files;
	size_t n, cap;
} package;

static void
package_free(package *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->files[i].name);
		free(p->files[i].text);
	}
	free(p->files);
	free(p->run_id);
	free(p->slug);
}

/* Where a data file of the run is in the kernel: under the competition's
 * input folder, at its place in the competition's data. */
static char *
package_data_path(const package *p, const char *local, const char *source_dir)
{
	size_t k = strlen(source_dir);
	const char *rel = strncmp(local, source_dir, k) == 0 && local[k] == '/' ? local + k + 1
		: strrchr(local, '/') ? strrchr(local, '/') + 1 : local;

	return xasprintf(PACKAGE_INPUT "/%s/%s", p->slug, rel);
}

/* config.yaml with its data paths in the kernel's input folder. */
static char *
package_config(const package *p, const char *text, const cJSON *run, ak_err *e)
{
	static const char *const roles[] = { "train", "test", "sample_submission" };
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(run, "data");
	const char *src = json_str(cJSON_GetObjectItemCaseSensitive(run, "source"), "path", "");
	strbuf out = { 0 };
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line), i;
		int done = 0;

		for (i = 0; i < 3 && !done; i++) {
			size_t k = strlen(roles[i]);

			if (strncmp(line, roles[i], k) == 0 && line[k] == ':') {
				const cJSON *f = cJSON_GetObjectItemCaseSensitive(data, roles[i]);
				char *where = package_data_path(p, json_str(f, "path", roles[i]), src);

				strbuf_addf(&out, "%s: \"%s\"\n", roles[i], where);
				free(where);
				done = 1;
			}
		}
		if (!done && strncmp(line, "metric_file:", 12) == 0 && !strstr(line, "null")) {
			strbuf_free(&out);
			err_kind_set(e, ERR_INPUT, "run %s scores with a --metric-file, which a kernel cannot have yet: rerun it with --metric-file none to export it",
				p->run_id);
			return NULL;
		}
		if (!done)
			strbuf_add(&out, line, len);
		line += len;
	}
	return strbuf_detach(&out);
}

static void
package_add(package *p, const char *name, char *text)
{
	p->files = xgrow(p->files, &p->cap, p->n + 1, sizeof(*p->files));
	p->files[p->n].name = xasprintf("code/%s", name);
	p->files[p->n].text = redact_string(text);
	p->n++;
	free(text);
}

static int
package_load(package *p, const char *run_dir, ak_err *e)
{
	char *rpath = fs_join(run_dir, "run.json"), *code = fs_join(run_dir, "code");
	cJSON *run = jsonfile_load(rpath, e);
	const cJSON *src;
	char **names = NULL;
	size_t i;
	int rc = -1;

	if (!run)
		goto out;
	src = cJSON_GetObjectItemCaseSensitive(run, "source");
	p->run_id = xstrdup(json_str(run, "run_id", "run"));
	if (json_str(src, "slug", NULL)) {
		p->slug = xstrdup(json_str(src, "slug", NULL));
	} else {
		const char *path = json_str(src, "path", "data"), *base = strrchr(path, '/');

		p->slug = xstrdup(base ? base + 1 : path);
	}
	names = fs_list_files(code);
	for (i = 0; names[i]; i++) {
		char *f = fs_join(code, names[i]), *text;
		size_t len;

		text = fs_read_file(f, &len, e);
		free(f);
		if (text && strcmp(names[i], "config.yaml") == 0) {
			char *cfg = package_config(p, text, run, e);

			free(text);
			text = cfg;
		}
		if (!text)
			goto out;
		package_add(p, names[i], text);
	}
	if (p->n == 0) {
		err_kind_set(e, ERR_INPUT, "run %s has no code yet: run its code stage first (autokaggle rerun %s code)",
			p->run_id, p->run_id);
		goto out;
	}
	rc = 0;
out:
	strv_free(names);
	cJSON_Delete(run);
	free(rpath);
	free(code);
	return rc;
}

static void
package_cell(cJSON *cells, const char *type, const char *source)
{
	cJSON *c = cJSON_CreateObject();
	char id[32];

	snprintf(id, sizeof(id), "cell-%d", cJSON_GetArraySize(cells));
	cJSON_AddStringToObject(c, "cell_type", type);
	cJSON_AddStringToObject(c, "id", id);
	cJSON_AddItemToObject(c, "metadata", cJSON_CreateObject());
	if (strcmp(type, "code") == 0) {
		cJSON_AddNullToObject(c, "execution_count");
		cJSON_AddItemToObject(c, "outputs", cJSON_CreateArray());
	}
	/* One string, not a list of lines: Kaggle's push refuses list-valued
	 * sources (specs/kaggle-api.md §6). */
	cJSON_AddStringToObject(c, "source", source);
	cJSON_AddItemToArray(cells, c);
}

static char *
package_notebook(const package *p)
{
	cJSON *nb = cJSON_CreateObject(), *meta, *ks, *cells;
	char *text;
	size_t i;

	cJSON_AddNumberToObject(nb, "nbformat", 4);
	cJSON_AddNumberToObject(nb, "nbformat_minor", 5);
	meta = cJSON_AddObjectToObject(nb, "metadata");
	ks = cJSON_AddObjectToObject(meta, "kernelspec");
	cJSON_AddStringToObject(ks, "name", "python3");
	cJSON_AddStringToObject(ks, "display_name", "Python 3");
	cJSON_AddStringToObject(ks, "language", "python");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(meta, "language_info"), "name", "python");
	cells = cJSON_AddArrayToObject(nb, "cells");
	text = xasprintf("# autokaggle run %s\n\nThe pipeline of run %s for the competition %s: each file of its "
		"code/ is written to /kaggle/working, then TRAIN and PREDICT run and output/submission.csv "
		"becomes submission.csv.", p->run_id, p->run_id, p->slug);
	package_cell(cells, "markdown", text);
	free(text);
	package_cell(cells, "code", "import os\nos.makedirs(\"code\", exist_ok=True)");
	for (i = 0; i < p->n; i++) {
		text = xasprintf("%%%%writefile %s\n%s", p->files[i].name, p->files[i].text);
		package_cell(cells, "code", text);
		free(text);
	}
	package_cell(cells, "code", package_run);
	text = cJSON_Print(nb);
	cJSON_Delete(nb);
	return text;
}

static char *
package_script(const package *p)
{
	strbuf out = { 0 };
	size_t i;

	strbuf_addf(&out, "# autokaggle run %s for the competition %s: writes the run's code/ into the\n"
		"# working directory, runs TRAIN and PREDICT, and leaves submission.csv there.\n"
		"import os\n\nFILES = {\n", p->run_id, p->slug);
	for (i = 0; i < p->n; i++) {
		/* A JSON string is a Python string literal too. */
		cJSON *s = cJSON_CreateString(p->files[i].text);
		char *lit = cJSON_PrintUnformatted(s);

		strbuf_addf(&out, "    \"%s\": %s,\n", p->files[i].name, lit);
		free(lit);
		cJSON_Delete(s);
	}
	strbuf_addf(&out, "}\n\nfor name, text in FILES.items():\n"
		"    os.makedirs(os.path.dirname(name), exist_ok=True)\n"
		"    with open(name, \"w\", encoding=\"utf-8\") as f:\n"
		"        f.write(text)\n\n%s", package_run);
	return strbuf_detach(&out);
}

char *
kernel_package(const char *run_dir, kernel_package_kind kind, ak_err *e)
{
	package p = { 0 };
	char *out = NULL;

	if (package_load(&p, run_dir, e) == 0)
		out = kind == KERNEL_PACKAGE_NOTEBOOK ? package_notebook(&p) : package_script(&p);
	package_free(&p);
	return out;
}
