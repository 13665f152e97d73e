#include "config.h"

#include "data/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

#define NAME_W 18
#define SUMMARY_W 44

static const char *
str_of(const cJSON *o, const char *key, const char *dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : dflt;
}

static double
num_of(const cJSON *o, const char *key, double dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static void
human_size(double b, char *buf, size_t n)
{
	static const char *const units[] = {"B", "KB", "MB", "GB", "TB"};
	int u = 0;

	while (b >= 1000 && u < 4) {
		b /= 1000;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", b, units[u]);
}

/* A cell value: numbers short, strings as they are. */
static void
add_value(strbuf *sb, const cJSON *v)
{
	if (cJSON_IsNumber(v))
		strbuf_addf(sb, "%.4g", v->valuedouble);
	else if (cJSON_IsString(v))
		strbuf_addstr(sb, v->valuestring);
}

static void
add_top(strbuf *sb, const cJSON *col)
{
	const cJSON *top = cJSON_GetObjectItemCaseSensitive(col, "top"), *v;
	int n = 0;

	cJSON_ArrayForEach(v, top) {
		if (n++)
			strbuf_addstr(sb, ", ");
		strbuf_addf(sb, "%s (%.0f)", str_of(v, "value", ""), num_of(v, "count", 0));
		if (sb->len > SUMMARY_W)
			break;
	}
}

static void
add_samples(strbuf *sb, const cJSON *col)
{
	const cJSON *v;
	int n = 0;

	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(col, "samples")) {
		if (n++)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, v->valuestring);
		if (sb->len > SUMMARY_W)
			break;
	}
}

static void
column_summary(strbuf *sb, const cJSON *col)
{
	const char *type = str_of(col, "type", "");
	const cJSON *min = cJSON_GetObjectItemCaseSensitive(col, "min");

	if (min && (!strcmp(type, "integer") || !strcmp(type, "float") || !strcmp(type, "id") ||
		    !strcmp(type, "date") || !strcmp(type, "datetime"))) {
		add_value(sb, min);
		strbuf_addstr(sb, " .. ");
		add_value(sb, cJSON_GetObjectItemCaseSensitive(col, "max"));
		if (strcmp(type, "id") != 0) {
			strbuf_addstr(sb, ", mean ");
			add_value(sb, cJSON_GetObjectItemCaseSensitive(col, "mean"));
		}
	} else if (!strcmp(type, "text") || !strcmp(type, "id")) {
		add_samples(sb, col);
	} else {
		add_top(sb, col);
	}
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(col, "pii")))
		strbuf_addf(sb, " [pii: %s]", str_of(col, "pii", ""));
}

/* Cuts a UTF-8 string to at most w bytes without splitting a character. */
static void
print_cut(FILE *out, const char *s, size_t w, int pad)
{
	size_t n = strlen(s);

	if (n > w) {
		n = w - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		fprintf(out, "%.*s~", (int)n, s);
		n++;
	} else {
		fputs(s, out);
	}
	if (pad)
		fprintf(out, "%*s", (int)(w - n), "");
}

void
profile_table_column(FILE *out, const cJSON *col, double rows)
{
	double missing = num_of(col, "missing", 0);
	char miss[32], dist[32];
	strbuf sb = {0};

	if (missing > 0 && rows > 0)
		snprintf(miss, sizeof(miss), "%.0f (%.0f%%)", missing, 100 * missing / rows);
	else
		snprintf(miss, sizeof(miss), "%.0f", missing);
	snprintf(dist, sizeof(dist), "%s%.0f",
		 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(col, "distinct_exact")) ? "" : "~",
		 num_of(col, "distinct", 0));
	column_summary(&sb, col);
	fputs("  ", out);
	print_cut(out, str_of(col, "name", ""), NAME_W, 1);
	fprintf(out, " %-11s %12s %9s  ", str_of(col, "type", ""), miss, dist);
	print_cut(out, strbuf_str(&sb), SUMMARY_W, 0);
	fputc('\n', out);
	strbuf_free(&sb);
}

void
profile_table_file(FILE *out, const cJSON *f)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(f, "dialect"), *w;
	const char *delim = str_of(d, "delimiter", ",");
	double rows = num_of(f, "rows", 0);
	char size[32];

	human_size(num_of(f, "bytes", 0), size, sizeof(size));
	fprintf(out, "%s [%s]: %.0f rows x %.0f columns, %s", str_of(f, "name", ""), str_of(f, "role", ""),
		rows, num_of(f, "column_count", 0), size);
	if (strcmp(str_of(f, "compression", "none"), "none") != 0)
		fprintf(out, " (%s)", str_of(f, "compression", ""));
	fprintf(out, "\n  delimiter %s%s%s, line ending %s, header %s%s, %s\n",
		!strcmp(delim, "\t") ? "" : "'", !strcmp(delim, "\t") ? "tab" : delim,
		!strcmp(delim, "\t") ? "" : "'", str_of(d, "line_ending", ""),
		cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "header")) ? "yes" : "no",
		cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "bom")) ? ", BOM" : "", str_of(d, "encoding", ""));
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(f, "warnings"))
		fprintf(out, "  ! %s\n", w->valuestring);
	fprintf(out, "  %-*s %-11s %12s %9s  %s\n", NAME_W, "column", "type", "missing", "distinct", "summary");
}

void
profile_table_cross(FILE *out, const cJSON *p)
{
	const cJSON *c, *classes = cJSON_GetObjectItemCaseSensitive(p, "classes");
	const cJSON *sub = cJSON_GetObjectItemCaseSensitive(p, "submission");
	double total = 0;
	int n = 0;

	fprintf(out, "target: %s   id: %s   task: %s\n", str_of(p, "target", "(unknown)"),
		str_of(p, "id", "(unknown)"), str_of(p, "task", "(unknown)"));
	cJSON_ArrayForEach(c, classes)
		total += num_of(c, "count", 0);
	cJSON_ArrayForEach(c, classes) {
		if (n++ == 0)
			fputs("classes:", out);
		if (n > 12) {
			fprintf(out, " ... (%d classes)", cJSON_GetArraySize(classes));
			break;
		}
		fprintf(out, " %s %.0f (%.1f%%)", str_of(c, "value", ""), num_of(c, "count", 0),
			total > 0 ? 100 * num_of(c, "count", 0) / total : 0);
	}
	if (n)
		fputc('\n', out);
	if (sub)
		fprintf(out, "submission format: %s\n", str_of(sub, "format", ""));
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(p, "time_columns"))
		fprintf(out, "time column: %s (train %s .. %s%s)\n", str_of(c, "column", ""),
			str_of(c, "train_min", ""), str_of(c, "train_max", ""),
			cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "test_after_train")) ? ", test comes after" : "");
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(p, "drift")) {
		const char *level = str_of(c, "level", "low");

		if (strcmp(level, "low") != 0)
			fprintf(out, "drift: %s %s (psi %.3f)\n", str_of(c, "column", ""), level, num_of(c, "psi", 0));
		if (num_of(c, "test_only_values", 0) > 0)
			fprintf(out, "drift: %s has %.0f values only in test (%.0f rows)\n", str_of(c, "column", ""),
				num_of(c, "test_only_values", 0), num_of(c, "test_only_rows", 0));
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(p, "errors"))
		fprintf(out, "error: %s\n", c->valuestring);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(p, "warnings"))
		fprintf(out, "! %s\n", c->valuestring);
}

void
profile_print_table(FILE *out, const cJSON *profile)
{
	const cJSON *f, *col;

	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(profile, "files")) {
		profile_table_file(out, f);
		cJSON_ArrayForEach(col, cJSON_GetObjectItemCaseSensitive(f, "columns"))
			profile_table_column(out, col, num_of(f, "rows", 0));
		fputc('\n', out);
	}
	profile_table_cross(out, profile);
}

static void
usage(FILE *out)
{
	fputs("usage: autokaggle profile FILE.csv [FILE2.csv ...] [--json] [--target COL] [--id COL]\n"
	      "\n"
	      "Profiles CSV files (also .csv.gz and a .zip holding one CSV) in one streaming pass:\n"
	      "types, missing values, distinct counts, statistics, quantiles, top values, and,\n"
	      "from train*/test*/sample_submission* names, the target, id, task and drift.\n"
	      "\n"
	      "  --json          print the profile as JSON instead of a table\n"
	      "  --target COL    use COL as the target column\n"
	      "  --id COL        use COL as the id column\n"
	      "  --threads N     parse with N threads (default: 2 on large files)\n"
	      "  -h, --help      show this help\n",
	      out);
}

/* Value of an option given as "--opt VALUE" or "--opt=VALUE". */
static int
opt_value(int argc, char **argv, int *i, const char *name, const char **out)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*out = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != 0)
		return 0;
	if (*i + 1 >= argc) {
		*out = NULL;
		return 1;
	}
	*out = argv[++*i];
	return 1;
}

typedef struct cmd_args {
	profile_opts o;
	const char **files;
	size_t nfiles;
	int json, help;
} cmd_args;

/* 0, or 2 after a message on stderr. */
static int
parse_args(int argc, char **argv, cmd_args *a)
{
	const char *threads = NULL, *v;
	int i, only_files = 0;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (only_files || arg[0] != '-' || !arg[1]) {
			a->files[a->nfiles++] = arg;
		} else if (!strcmp(arg, "--")) {
			only_files = 1;
		} else if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			a->help = 1;
		} else if (!strcmp(arg, "--json")) {
			a->json = 1;
		} else if (opt_value(argc, argv, &i, "--target", &v) || opt_value(argc, argv, &i, "--id", &v) ||
			   opt_value(argc, argv, &i, "--threads", &v)) {
			if (!v || !*v) {
				fprintf(stderr, "autokaggle profile: %s needs a value\n", arg);
				return 2;
			}
			if (!strncmp(arg, "--target", 8))
				a->o.target = v;
			else if (!strncmp(arg, "--id", 4))
				a->o.id = v;
			else
				threads = v;
		} else {
			fprintf(stderr, "autokaggle profile: unknown option %s\n", arg);
			return 2;
		}
	}
	if (threads) {
		char *end;
		long t = strtol(threads, &end, 10);

		if (*end || t < 1 || t > 8) {
			fprintf(stderr, "autokaggle profile: --threads takes a number from 1 to 8\n");
			return 2;
		}
		a->o.threads = (int)t;
	}
	if (!a->help && a->nfiles == 0) {
		fprintf(stderr, "autokaggle profile: no file given\n");
		return 2;
	}
	return 0;
}

int
profile_cmd(int argc, char **argv)
{
	cmd_args a = {{0}, NULL, 0, 0, 0};
	ak_err e = { 0 };
	int rc;

	a.files = xcalloc((size_t)argc + 1, sizeof(*a.files));
	rc = parse_args(argc, argv, &a);
	if (rc || a.help) {
		usage(rc ? stderr : stdout);
		free(a.files);
		return rc;
	}
	rc = profile_write(a.files, a.nfiles, &a.o, a.json ? stdout : NULL, a.json ? NULL : stdout, &e);
	free(a.files);
	if (rc < 0) {
		fprintf(stderr, "autokaggle profile: %s\n", e.msg);
		return PROFILE_EXIT_INPUT;
	}
	return 0;
}
