#ifndef AK_SCAN_H
#define AK_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "data/colstat.h"
#include "util/err.h"

/* One streaming pass over a CSV (plain, .gz or .zip) that feeds every
 * column's statistics. The calling thread reads and checks the bytes
 * (line breaks, UTF-8, NUL); the first worker parses each chunk once and
 * sorts its values by column, and every worker then adds its own share
 * of the columns (traded by the time they take), so no value is parsed
 * twice and no per-column state is shared. Memory is a few chunks with
 * their values' offsets plus the columns' bounded sketches. */

typedef struct scan_opts {
	int threads;		/* worker threads, 0 = choose (1 or 2) */
	size_t mem_budget;	/* bytes for all sketches, 0 = default */
} scan_opts;

#define SCAN_DEFAULT_BUDGET ((size_t)20 << 20)

typedef struct scan_result {
	char *path;
	long long disk_bytes;
	const char *compression;	/* "none", "gzip", "zip" */
	char *member;			/* the CSV read from a zip */
	uint64_t bytes;			/* uncompressed bytes */
	uint64_t rows;			/* data rows, header excluded */
	size_t ncols;
	colsum **cols;
	char delimiter;
	int header;
	int bom;
	const char *line_ending;	/* "LF", "CRLF", "CR", "none" */
	uint64_t blank_lines;
	uint64_t ragged_rows, short_rows, long_rows;
	long first_ragged_line;
	uint64_t invalid_utf8;
	long first_invalid_utf8_line;
	uint64_t nul_bytes;
	long first_nul_line;
	int unterminated_quote;
	uint64_t long_fields;
	int threads;
} scan_result;

/* Profiles one file. Returns NULL with a message when it cannot be read;
 * encoding problems and ragged rows are reported in the result instead. */
scan_result *scan_file(const char *path, const scan_opts *o, ak_err *e);
void scan_result_free(scan_result *r);

#endif
