#ifndef AK_PROFILE_H
#define AK_PROFILE_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "util/err.h"

/* The data profiler: one streaming pass per file with bounded memory
 * (see scan.h and colstat.h), then what the files say together (xfile.h).
 * Its JSON is input/data_profile.json in a run. */

typedef struct profile_opts {
	const char *target;	/* override, or NULL */
	const char *id;		/* override, or NULL */
	int threads;		/* 0 = choose */
	size_t mem_budget;	/* bytes for all sketches, 0 = default (fits 32 MiB RSS) */
} profile_opts;

/* Profiles the files (roles from their names: train*, test*,
 * sample_submission* / *submission*) and returns the profile JSON:
 * "version", "files" (per file: path, name, role, bytes, rows, dialect,
 * problems and "columns" with type, missing, distinct, stats, quantiles,
 * histogram, top values, lengths, PII hint, samples), "target", "id",
 * "task", "classes", "class_balance", "submission", "time_columns",
 * "split_hint", "drift" and "warnings". NULL with a message in e when a
 * file cannot be read. */
cJSON *profile_files(const char *const *paths, size_t n, const profile_opts *o, ak_err *e);
/* profile_files() written as it is made, with only one column's JSON in
 * memory at a time: to json (may be NULL) the text of cJSON_Print() and a
 * line break, to table (may be NULL) that of profile_print_table(). Every
 * file is read before anything is written: -1 with a message in e when
 * one cannot be, else 0. */
int profile_write(const char *const *paths, size_t n, const profile_opts *o, FILE *json, FILE *table, ak_err *e);
/* The human table printed without --json. */
void profile_print_table(FILE *out, const cJSON *profile);
/* Its parts: a file's heading (from the file's JSON, its columns not
 * needed), one column's line, and what the files say together. */
void profile_table_file(FILE *out, const cJSON *file);
void profile_table_column(FILE *out, const cJSON *col, double rows);
void profile_table_cross(FILE *out, const cJSON *profile);
/* Exit code for missing or unreadable input, the program's documented
 * code for it (CMD_EXIT_INPUT). */
#define PROFILE_EXIT_INPUT 3

/* `autokaggle profile FILE... [--json] [--target COL] [--id COL] [--help]`;
 * argv[0] is "profile". Returns the exit code (0 ok, 2 usage error,
 * PROFILE_EXIT_INPUT for missing or unreadable input). */
int profile_cmd(int argc, char **argv);

#endif
