#include "config.h"

#include "data/csv.h"

#include <stdlib.h>
#include <string.h>

#include "data/csvsrc.h"
#include "util/xalloc.h"

/* The read buffer and the bytes sniffed for the delimiter; the fuzzing
 * build shrinks them, so that small inputs cross buffer refills. */
#ifndef CSV_BUF
#define CSV_BUF (256 * 1024)
#endif
#ifndef CSV_SNIFF
#define CSV_SNIFF (64 * 1024)
#endif
/* A record longer than this is a broken file (an unbalanced quote that
 * swallows the rest of it), not data: stop with a message. */
#define CSV_MAX_RECORD ((size_t)512 << 20)

enum csv_state {
	ST_START,	/* at the first byte of a field */
	ST_UNQUOTED,
	ST_QUOTED,
	ST_QUOTE_SEEN	/* a quote inside a quoted field: end or doubled */
};

struct csv_reader {
	csvsrc *src;
	char *path;
	char *buf;
	size_t pos, len;
	int eof;
	int after_cr;	/* the last record ended on CR: skip a following LF */
	int quoted_cr;	/* line counting inside quotes: the last byte was CR */
	char delim;
	long line;
	char *rb;	/* the record's fields, each NUL-terminated */
	size_t rbcap, rblen;
	size_t *offs, *lens;
	char **fields;
	size_t fcap, nf;
};

static void
choose_delimiter(csv_reader *r, const char *path)
{
	const char *name = strrchr(path, '/');
	size_t n;

	name = name ? name + 1 : path;
	n = strlen(name);
	if (n >= 4 && (strcmp(name + n - 4, ".tsv") == 0 || strstr(name, ".tsv.")))
		r->delim = '\t';
	else
		r->delim = csv_sniff_delimiter(r->buf + r->pos, r->len - r->pos, r->eof);
}

csv_reader *
csv_open(const char *path, ak_err *e)
{
	csv_reader *r;
	csvsrc *src = csvsrc_open(path, e);
	ssize_t got;

	if (!src)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->src = src;
	r->path = xstrdup(path);
	r->buf = xmalloc(CSV_BUF);
	r->line = 1;
	got = csvsrc_read_full(src, r->buf, CSV_SNIFF, e);
	if (got < 0) {
		csv_close(r);
		return NULL;
	}
	r->len = (size_t)got;
	r->eof = r->len < CSV_SNIFF;
	if (r->len >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0)
		r->pos = 3;
	choose_delimiter(r, path);
	return r;
}

/* 1 when bytes are available, 0 at end of data, -1 on a read error. */
static int
fill(csv_reader *r, ak_err *e)
{
	ssize_t got;

	if (r->pos < r->len)
		return 1;
	if (r->eof)
		return 0;
	got = csvsrc_read(r->src, r->buf, CSV_BUF, e);
	if (got < 0)
		return -1;
	r->pos = 0;
	r->len = (size_t)got;
	if (got == 0) {
		r->eof = 1;
		return 0;
	}
	return 1;
}

static int
append(csv_reader *r, const char *p, size_t n, ak_err *e)
{
	if (r->rblen + n + 1 > r->rbcap) {
		if (r->rblen + n + 1 > CSV_MAX_RECORD)
			return err_set(e, "%s: the record starting near line %ld is longer than %zu MiB; "
				       "the file probably has an unbalanced quote",
				       r->path, r->line, CSV_MAX_RECORD >> 20);
		r->rb = xgrow(r->rb, &r->rbcap, r->rblen + n + 1, 1);
	}
	memcpy(r->rb + r->rblen, p, n);
	r->rblen += n;
	return 0;
}

static int
end_field(csv_reader *r, ak_err *e)
{
	size_t start = r->nf ? r->offs[r->nf - 1] + r->lens[r->nf - 1] + 1 : 0;

	if (r->nf + 1 > r->fcap) {
		size_t cap = r->fcap;

		r->offs = xgrow(r->offs, &cap, r->nf + 1, sizeof(*r->offs));
		cap = r->fcap;
		r->lens = xgrow(r->lens, &cap, r->nf + 1, sizeof(*r->lens));
		cap = r->fcap;
		r->fields = xgrow(r->fields, &cap, r->nf + 1, sizeof(*r->fields));
		r->fcap = cap;
	}
	r->offs[r->nf] = start;
	r->lens[r->nf] = r->rblen - start;
	r->nf++;
	return append(r, "", 1, e);
}

/* Counts line breaks (LF, CRLF, lone CR) inside a quoted field. */
static void
count_quoted_breaks(csv_reader *r, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\r')
			r->line++;
		else if (p[i] == '\n' && !r->quoted_cr)
			r->line++;
		r->quoted_cr = p[i] == '\r';
	}
}

/* Consumes an unquoted run; returns the terminator or 0 at buffer end. */
static int
scan_unquoted(csv_reader *r, ak_err *e)
{
	const char *p = r->buf + r->pos, *end = r->buf + r->len, *q = p;
	char d = r->delim;

	while (q < end && *q != d && *q != '\n' && *q != '\r')
		q++;
	if (append(r, p, (size_t)(q - p), e) < 0)
		return -1;
	r->pos = (size_t)(q - r->buf);
	if (q == end)
		return 0;
	r->pos++;
	return (unsigned char)*q;
}

static int
scan_quoted(csv_reader *r, ak_err *e)
{
	const char *p = r->buf + r->pos, *end = r->buf + r->len;
	const char *q = memchr(p, '"', (size_t)(end - p));
	const char *stop = q ? q : end;

	count_quoted_breaks(r, p, (size_t)(stop - p));
	if (append(r, p, (size_t)(stop - p), e) < 0)
		return -1;
	r->pos = (size_t)(stop - r->buf) + (q != NULL);
	return q != NULL;
}

/* Reads one physical record into rb; returns 1, 0 (no more data), -1. */
static int
read_record(csv_reader *r, int *blank, ak_err *e)
{
	enum csv_state st = ST_START;
	int k, c, quoted_first = 0;

	r->nf = 0;
	r->rblen = 0;
	r->quoted_cr = 0;
	for (;;) {
		k = fill(r, e);
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		switch (st) {
		case ST_START:
			if (r->buf[r->pos] == '"') {
				quoted_first |= r->nf == 0;
				r->pos++;
				st = ST_QUOTED;
				continue;
			}
			st = ST_UNQUOTED;
			/* fall through */
		case ST_UNQUOTED:
			c = scan_unquoted(r, e);
			if (c < 0)
				return -1;
			if (c == 0)
				continue;
			if (end_field(r, e) < 0)
				return -1;
			if (c == r->delim) {
				st = ST_START;
				continue;
			}
			r->line++;
			r->after_cr = c == '\r';
			*blank = r->nf == 1 && r->lens[0] == 0 && !quoted_first;
			return 1;
		case ST_QUOTED:
			k = scan_quoted(r, e);
			if (k < 0)
				return -1;
			if (k)
				st = ST_QUOTE_SEEN;
			continue;
		case ST_QUOTE_SEEN:
			if (r->buf[r->pos] == '"') {
				if (append(r, "\"", 1, e) < 0)
					return -1;
				r->pos++;
				st = ST_QUOTED;
				continue;
			}
			/* Bytes after a closing quote are kept as they are,
			 * as most readers do, instead of failing the file. */
			st = ST_UNQUOTED;
			continue;
		}
	}
	if (st == ST_START && r->nf == 0 && r->rblen == 0)
		return 0;
	if (end_field(r, e) < 0)
		return -1;
	*blank = r->nf == 1 && r->lens[0] == 0 && !quoted_first;
	return 1;
}

int
csv_next(csv_reader *r, csv_record *rec, ak_err *e)
{
	int k, blank;
	size_t i;

	for (;;) {
		if (r->after_cr) {
			k = fill(r, e);
			if (k < 0)
				return -1;
			if (k > 0 && r->buf[r->pos] == '\n')
				r->pos++;
			r->after_cr = 0;
		}
		rec->line = r->line;
		k = read_record(r, &blank, e);
		if (k <= 0)
			return k;
		if (!blank)
			break;
	}
	for (i = 0; i < r->nf; i++)
		r->fields[i] = r->rb + r->offs[i];
	rec->nfields = r->nf;
	rec->fields = r->fields;
	rec->lens = r->lens;
	return 1;
}

char
csv_delimiter(const csv_reader *r)
{
	return r->delim;
}

void
csv_close(csv_reader *r)
{
	if (!r)
		return;
	csvsrc_close(r->src);
	free(r->path);
	free(r->buf);
	free(r->rb);
	free(r->offs);
	free(r->lens);
	free(r->fields);
	free(r);
}

#define SNIFF_LINES 64

/* Counts d outside quotes on each of the first lines of the sample. */
static size_t
sniff_counts(const char *p, size_t len, int complete, char d, size_t *counts)
{
	size_t i, nlines = 0, cur = 0;
	int inq = 0;

	for (i = 0; i < len && nlines < SNIFF_LINES; i++) {
		char c = p[i];

		if (c == '"')
			inq = !inq;
		else if (inq)
			continue;
		else if (c == d)
			cur++;
		else if (c == '\n' || c == '\r') {
			if (c == '\r' && i + 1 < len && p[i + 1] == '\n')
				i++;
			counts[nlines++] = cur;
			cur = 0;
		}
	}
	if (i == len && complete && nlines < SNIFF_LINES && (cur || (len && p[len - 1] != '\n')))
		counts[nlines++] = cur;
	return nlines;
}

char
csv_sniff_delimiter(const char *data, size_t len, int complete)
{
	static const char cands[] = {',', '\t', ';', '|'};
	size_t counts[SNIFF_LINES];
	long best_score = 0;
	char best = ',';
	size_t c, i;

	for (c = 0; c < sizeof(cands); c++) {
		size_t n = sniff_counts(data, len, complete, cands[c], counts);
		long score = 0;

		if (n == 0 || counts[0] == 0)
			continue;
		/* Lines agreeing with the header's count, weighted so that a
		 * consistent delimiter beats a frequent but erratic one. */
		for (i = 0; i < n; i++)
			score += counts[i] == counts[0] ? 4 : (counts[i] ? 1 : 0);
		if (score > best_score) {
			best_score = score;
			best = cands[c];
		}
	}
	return best;
}
