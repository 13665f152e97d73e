#include "config.h"

#include "cmd/cmd.h"
#include "data/profile.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* profile: the profiler on its own; and __profile, the PROFILE stage's
 * child, which writes the JSON into the run directory. */

static int
profile_main(cmd_ctx *c, int argc, char **argv)
{
	(void)c;
	return profile_cmd(argc, argv);
}

const cmd cmd_profile = {
	"profile", profile_main, CMD_WS_NONE, "profile FILE... [--json] [--target COL] [--id COL]",
	"Profile CSV files in one streaming pass.",
	"Types, missing values, distinct counts, statistics, quantiles, top values\n"
	"and histograms per column; across train/test/sample submission files the\n"
	"target, id, task type, class balance and train/test drift. Files may be\n"
	".csv, .csv.gz or a .zip holding one CSV. --json prints the JSON that the\n"
	"pipeline stores as input/data_profile.json.\n\n",
};

/* Writes the profile to out through a temporary file and rename(), as
 * jsonfile_save() does, a column at a time: a reader never sees half a
 * file, and a failure leaves the old one in place. The table goes to
 * stdout. Returns a CMD_EXIT code. */
static int
write_profile(const char *out, const char *const *files, size_t n, const profile_opts *o)
{
	char *tmp = xasprintf("%s.tmp.%ld", out, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	ak_err e = { 0 };
	int rc = CMD_EXIT_OK;

	if (!f) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "profile: cannot create %s: %s\n", tmp, strerror(errno));
		free(tmp);
		return CMD_EXIT_WORKSPACE;
	}
	if (profile_write(files, n, o, f, stdout, &e) < 0) {
		fprintf(stderr, "profile: %s\n", e.msg);
		rc = CMD_EXIT_INPUT;
	} else if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		fprintf(stderr, "profile: cannot write %s (is the disk full?): %s\n", out, strerror(errno));
		rc = CMD_EXIT_WORKSPACE;
	}
	if (fclose(f) != 0 && rc == CMD_EXIT_OK) {
		fprintf(stderr, "profile: cannot write %s (is the disk full?): %s\n", out, strerror(errno));
		rc = CMD_EXIT_WORKSPACE;
	}
	if (rc == CMD_EXIT_OK && rename(tmp, out) != 0) {
		fprintf(stderr, "profile: cannot replace %s: %s\n", out, strerror(errno));
		rc = CMD_EXIT_WORKSPACE;
	}
	if (rc != CMD_EXIT_OK)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* `__profile OUT [--target COL] [--id COL] FILE...` */
int
cmd_profile_child(int argc, char **argv)
{
	const char *files[16];
	profile_opts o = { 0 };
	size_t n = 0;
	int i;

	if (argc < 3)
		return CMD_EXIT_USAGE;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--target") == 0 && i + 1 < argc)
			o.target = argv[++i];
		else if (strcmp(argv[i], "--id") == 0 && i + 1 < argc)
			o.id = argv[++i];
		else if (n < sizeof(files) / sizeof(files[0]))
			files[n++] = argv[i];
	}
	return write_profile(argv[1], files, n, &o);
}
