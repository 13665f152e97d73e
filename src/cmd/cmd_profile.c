#include "config.h"

#include "cmd/cmd.h"
#include "data/profile.h"
#include "util/jsonfile.h"

#include <stdio.h>
#include <string.h>

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

/* `__profile OUT [--target COL] [--id COL] FILE...` */
int
cmd_profile_child(int argc, char **argv)
{
	const char *files[16];
	profile_opts o = { 0 };
	size_t n = 0;
	cJSON *json;
	ak_err e;
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
	json = profile_files(files, n, &o, &e);
	if (!json) {
		fprintf(stderr, "profile: %s\n", e.msg);
		return CMD_EXIT_INPUT;
	}
	if (jsonfile_save(argv[1], json, &e) < 0) {
		fprintf(stderr, "profile: %s\n", e.msg);
		cJSON_Delete(json);
		return CMD_EXIT_WORKSPACE;
	}
	profile_print_table(stdout, json);
	cJSON_Delete(json);
	return CMD_EXIT_OK;
}
