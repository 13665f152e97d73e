#include "config.h"

#include "ui/cmdhist.h"
#include "util/fs.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Past this the file is no history this workbench wrote. */
#define CMDHIST_MAX_BYTES (1024 * 1024)

/* Line n (1-based) of text, len bytes: 0 when it may be a command, else
 * -1 with msg saying what is wrong. */
static int
cmdhist_check(const char *line, size_t len, int n, char *msg, size_t msgsz)
{
	size_t i;

	if (len >= CMDLINE_MAX) {
		snprintf(msg, msgsz, "line %d is longer than a command", n);
		return -1;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f) {
			snprintf(msg, msgsz, "line %d holds a control character", n);
			return -1;
		}
	return 0;
}

int
cmdhist_load(cmdline *c, const char *path, char *msg, size_t msgsz)
{
	char *text, *line, *end, why[96];
	size_t len;
	ak_err e = { 0 };
	int n;

	if (!fs_exists(path))
		return 0;
	text = fs_read_file(path, &len, &e);
	if (!text) {
		snprintf(msg, msgsz, "the : history was ignored: %s", e.msg);
		return -1;
	}
	if (len > CMDHIST_MAX_BYTES) {
		snprintf(msg, msgsz, "the : history was ignored (over %d bytes, not one it wrote): %s", CMDHIST_MAX_BYTES, path);
		free(text);
		return -1;
	}
	/* The whole file is checked before any of it counts. */
	for (line = text, n = 1; line < text + len; line = end + 1, n++) {
		end = memchr(line, '\n', (size_t)(text + len - line));
		if (!end)
			end = text + len;
		if (cmdhist_check(line, (size_t)(end - line), n, why, sizeof(why)) < 0) {
			snprintf(msg, msgsz, "the : history was ignored (%s): %s", why, path);
			free(text);
			return -1;
		}
	}
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		cmdline_history_add(c, line);
	free(text);
	return 0;
}

int
cmdhist_save(const cmdline *c, const char *path, char *msg, size_t msgsz)
{
	strbuf sb = { 0 };
	size_t i;
	ak_err e = { 0 };
	int rc;

	for (i = 0; i < cmdline_history_count(c); i++)
		strbuf_addf(&sb, "%s\n", cmdline_history_get(c, i));
	rc = fs_write_atomic(path, strbuf_str(&sb), sb.len, 0600, &e);
	if (rc < 0)
		snprintf(msg, msgsz, "%s", e.msg);
	strbuf_free(&sb);
	return rc;
}
