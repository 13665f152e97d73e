#include "config.h"

#include "pipeline/rundir.h"
#include "pipeline/traceback.h"
#include "util/fs.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
traceback_parse(const char *line, char *path, size_t n, int *lineno)
{
	const char *start, *end, *num;
	char *stop;
	long v;

	while (*line == ' ' || *line == '\t')
		line++;
	if (strncmp(line, "File \"", 6) != 0)
		return -1;
	start = line + 6;
	/* The path may hold quotes; the frame's own end is `", line N`. */
	end = strstr(start, "\", line ");
	if (!end || end == start)
		return -1;
	num = end + 8;
	v = strtol(num, &stop, 10);
	if (stop == num || v <= 0 || v > 10000000 || (*stop && *stop != ',' && *stop != ' ' && *stop != '\r'))
		return -1;
	snprintf(path, n, "%.*s", (int)(end - start), start);
	*lineno = (int)v;
	return 0;
}

/* name is one file of run_dir/code (no directory part, not hidden). */
static int
traceback_in_code(const char *run_dir, const char *name)
{
	char *rel, *abs;
	int ok;

	if (!*name || strchr(name, '/') || name[0] == '.')
		return 0;
	rel = fs_join(RUNDIR_CODE, name);
	abs = rundir_path(run_dir, rel);
	ok = fs_exists(abs) && !fs_is_dir(abs);
	free(rel);
	free(abs);
	return ok;
}

int
traceback_code_file(const char *run_dir, const char *path, char *file, size_t n)
{
	char *own = rundir_path(run_dir, RUNDIR_CODE "/");
	const char *name = NULL, *p;
	size_t ownlen = strlen(own);

	if (strncmp(path, own, ownlen) == 0)
		name = path + ownlen;
	else if (strncmp(path, RUNDIR_CODE "/", strlen(RUNDIR_CODE) + 1) == 0)
		name = path + strlen(RUNDIR_CODE) + 1;
	else
		for (p = path; (p = strstr(p, "/" RUNDIR_CODE "/")) != NULL; p++)
			name = p + strlen(RUNDIR_CODE) + 2;
	free(own);
	if (!name || !traceback_in_code(run_dir, name))
		return -1;
	snprintf(file, n, "%s", name);
	return 0;
}
