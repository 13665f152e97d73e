/* Test driver: writes the offline baseline for a competition given on the
 * command line, so shell tests can run the templates for real.
 *
 *   write_baseline [options] TRAIN TEST SAMPLE RUN_DIR
 *     --task binary|multiclass|regression   (default binary)
 *     --target COL  --id COL  --metric NAME  --metric-file PATH
 *     --classes a,b,c  --proba-columns  --family NAME  --folds N
 *     --seed N  --budget SECONDS  --threads N  --gpu */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"

static int
usage(void)
{
	fprintf(stderr, "usage: write_baseline [--task T] [--target COL] [--id COL] "
		"[--metric NAME] [--metric-file PATH] [--classes a,b] [--proba-columns] "
		"[--family F] [--folds N] [--seed N] [--budget S] [--threads N] [--gpu] "
		"TRAIN TEST SAMPLE RUN_DIR\n");
	return 2;
}

/* Splits a comma-separated list in place. */
static size_t
split_classes(char *list, const char **out, size_t max)
{
	size_t n = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(list, ",", &save); tok && n < max; tok = strtok_r(NULL, ",", &save))
		out[n++] = tok;
	return n;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "task", required_argument, NULL, 't' },
		{ "target", required_argument, NULL, 'y' },
		{ "id", required_argument, NULL, 'i' },
		{ "metric", required_argument, NULL, 'm' },
		{ "metric-file", required_argument, NULL, 'M' },
		{ "classes", required_argument, NULL, 'c' },
		{ "proba-columns", no_argument, NULL, 'p' },
		{ "family", required_argument, NULL, 'f' },
		{ "folds", required_argument, NULL, 'k' },
		{ "seed", required_argument, NULL, 's' },
		{ "budget", required_argument, NULL, 'b' },
		{ "threads", required_argument, NULL, 'j' },
		{ "gpu", no_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	const char *classes[64];
	codegen_spec s = { 0 };
	ak_err e = { 0 };
	int c;

	s.task = TASK_BINARY;
	s.target = "target";
	s.seed = 42;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			s.task = task_from_name(optarg);
			break;
		case 'y':
			s.target = optarg;
			break;
		case 'i':
			s.id = optarg;
			break;
		case 'm':
			if (!(s.metric = metric_lookup(optarg))) {
				fprintf(stderr, "write_baseline: unknown metric %s\n", optarg);
				return 2;
			}
			break;
		case 'M':
			s.metric_file = optarg;
			break;
		case 'c':
			s.classes = classes;
			s.nclasses = split_classes(optarg, classes, sizeof classes / sizeof *classes);
			break;
		case 'p':
			s.proba_columns = 1;
			break;
		case 'f':
			s.family = optarg;
			break;
		case 'k':
			s.folds = atoi(optarg);
			break;
		case 's':
			s.seed = strtoul(optarg, NULL, 10);
			break;
		case 'b':
			s.budget_seconds = atol(optarg);
			break;
		case 'j':
			s.threads = atoi(optarg);
			break;
		case 'g':
			s.gpu = 1;
			break;
		default:
			return usage();
		}
	}
	if (argc - optind != 4)
		return usage();
	s.train = argv[optind];
	s.test = argv[optind + 1];
	s.sample_submission = argv[optind + 2];
	if (s.metric_file &&
	    codegen_read_metric_file(s.metric_file, &s.custom_higher_is_better,
				     &s.custom_needs_proba, &e) < 0) {
		fprintf(stderr, "write_baseline: %s\n", e.msg);
		return 1;
	}
	if (codegen_write_baseline(&s, argv[optind + 3], &e) < 0) {
		fprintf(stderr, "write_baseline: %s\n", e.msg);
		return 1;
	}
	return 0;
}
