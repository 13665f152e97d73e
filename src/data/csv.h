#ifndef AK_CSV_H
#define AK_CSV_H

#include <stddef.h>

#include "util/err.h"

/* A streaming CSV record reader (RFC 4180 plus what real files contain:
 * CRLF, LF or CR line ends, a UTF-8 BOM, quoted fields with delimiters,
 * doubled quotes and newlines, NUL bytes, ragged rows). Reads plain files,
 * .csv.gz and a .zip holding one CSV without extracting anything to disk.
 * Blank lines are skipped. Memory is bounded by the longest record. */
typedef struct csv_reader csv_reader;

typedef struct csv_record {
	size_t nfields;
	char **fields; /* unquoted, NUL-terminated; valid until the next csv_next() */
	size_t *lens;  /* byte lengths (fields may contain NUL bytes) */
	long line;     /* 1-based physical line where the record starts */
} csv_record;

/* Opens a CSV, .csv.gz or .zip holding one CSV; skips a UTF-8 BOM; detects the delimiter. */
csv_reader *csv_open(const char *path, ak_err *e);
/* 1 = a record was read, 0 = end of file, -1 = error (message in e). The header is the first record. */
int csv_next(csv_reader *r, csv_record *rec, ak_err *e);
char csv_delimiter(const csv_reader *r);
void csv_close(csv_reader *r);

/* Guesses the delimiter (',', '\t', ';' or '|') from the first bytes of a
 * file: the candidate found most consistently, outside quotes, on the
 * first lines. complete says the sample holds the whole file (else its
 * last, possibly cut line is ignored). Falls back to ','. */
char csv_sniff_delimiter(const char *data, size_t len, int complete);

#endif
