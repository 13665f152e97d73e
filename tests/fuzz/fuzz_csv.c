/* libFuzzer target for the CSV reader (csv.c over csvsrc.c), single-
 * threaded. A plain input is also parsed by the small reference parser
 * below, written from csv.h's rules, and every record must agree: the
 * fields, their bytes and the line each record starts on. Gzip and zip
 * inputs go through decompression and must only not crash. Built and run
 * by ci-fuzz.sh. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/csv.h"
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The reference parser: a record at a time over the whole input. */
typedef struct ref {
	const uint8_t *p, *end;
	char delim;
	long line;		/* where the next record starts */
	long rec_line;		/* where the last one started */
	int after_cr;
	uint8_t *field;		/* the record's fields, back to back */
	size_t flen;
	size_t starts[4096], lens[4096];
	size_t nf;
} ref;

static void
ref_end_field(ref *r, size_t start)
{
	if (r->nf < sizeof(r->starts) / sizeof(*r->starts)) {
		r->starts[r->nf] = start;
		r->lens[r->nf] = r->flen - start;
	}
	r->nf++;
}

/* One physical record (its terminator consumed). A field that starts with
 * a quote is quoted: it may hold delimiters and line breaks, "" is a
 * quote, bytes after the closing quote are kept, a quote left open runs
 * to the end. LF, CR and CRLF end records. */
static void
ref_record(ref *r)
{
	int quoted = 0, at_start = 1, qcr = 0;
	size_t start = 0;

	r->nf = 0;
	r->flen = 0;
	while (r->p < r->end) {
		uint8_t c = *r->p++;

		if (at_start) {
			at_start = 0;
			if (c == '"') {
				quoted = 1;
				continue;
			}
		}
		if (quoted) {
			if (c == '"' && r->p < r->end && *r->p == '"') {
				r->field[r->flen++] = '"';
				r->p++;
			} else if (c == '"') {
				quoted = 0;
			} else {
				/* CRLF inside quotes is one line break */
				if (c == '\r' || (c == '\n' && !qcr))
					r->line++;
				qcr = c == '\r';
				r->field[r->flen++] = c;
			}
			continue;
		}
		if (c == (uint8_t)r->delim) {
			ref_end_field(r, start);
			start = r->flen;
			at_start = 1;
			continue;
		}
		if (c == '\n' || c == '\r') {
			ref_end_field(r, start);
			r->line++;
			r->after_cr = c == '\r';
			return;
		}
		r->field[r->flen++] = c;
	}
	ref_end_field(r, start);
}

/* 1 with the next record in r, 0 at the end. A record that is one empty
 * unquoted field (a blank line) is skipped. */
static int
ref_next(ref *r)
{
	for (;;) {
		int quoted_first;

		if (r->after_cr && r->p < r->end && *r->p == '\n')
			r->p++;
		r->after_cr = 0;
		if (r->p == r->end)
			return 0;
		r->rec_line = r->line;
		quoted_first = *r->p == '"';
		ref_record(r);
		if (!(r->nf == 1 && r->lens[0] == 0 && !quoted_first))
			return 1;
	}
}

/* The reader's records against the reference's, one by one. */
static void
check_plain(csv_reader *rd, const uint8_t *data, size_t size)
{
	ref r = {0};
	csv_record rec;
	ak_err e;
	size_t i;
	int k;

	r.p = data;
	r.end = data + size;
	if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		r.p += 3;
	r.delim = csv_delimiter(rd);
	r.line = 1;
	r.field = malloc(size + 1);
	for (;;) {
		int want = ref_next(&r);

		k = csv_next(rd, &rec, &e);
		if (k != want)
			abort();
		if (!k)
			break;
		if (rec.line != r.rec_line || rec.nfields != r.nf)
			abort();
		for (i = 0; i < rec.nfields && i < sizeof(r.starts) / sizeof(*r.starts); i++) {
			if (rec.lens[i] != r.lens[i] || memcmp(rec.fields[i], r.field + r.starts[i], r.lens[i]) ||
			    rec.fields[i][rec.lens[i]] != 0)
				abort();
		}
	}
	free(r.field);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], d = csv_sniff_delimiter((const char *)data, size, 1);
	int fd = fuzz_file(data, size, path, sizeof(path));
	int compressed = size >= 2 && ((data[0] == 0x1f && data[1] == 0x8b) || (size >= 4 && !memcmp(data, "PK\3\4", 4)));
	csv_reader *rd;
	csv_record rec;
	ak_err e;

	if (d != ',' && d != '\t' && d != ';' && d != '|')
		abort();
	rd = csv_open(path, &e);
	if (rd && !compressed)
		check_plain(rd, data, size);
	else if (rd)
		while (csv_next(rd, &rec, &e) == 1)
			;
	csv_close(rd);
	close(fd);
	return 0;
}
