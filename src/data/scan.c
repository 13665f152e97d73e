#include "config.h"

#include "data/scan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "data/csv.h"
#include "data/csvsrc.h"
#include "data/infer.h"
#include "data/strhash.h"
#include "util/xalloc.h"

/* Bytes a chunk; the fuzzing build shrinks it, so that small inputs
 * cross chunk boundaries (fields carried over, mapped files). */
#ifndef SCAN_CHUNK
#define SCAN_CHUNK ((size_t)1 << 20)
#endif
#define PAD 64
/* Chunks in flight: one being read, one walked, one added; a fourth
 * bought no speed on 2 cores and cost 3 MB of value vectors. */
#define NCHUNK 3
#define MAX_WORKERS 8
/* A field longer than this is profiled from its first CARRY_MAX bytes. */
#define CARRY_MAX ((size_t)1 << 20)
/* Every REBALANCE_EVERY chunks the first TIMED_CHUNKS are timed, column by
 * column and in the walk, and the workers then trade columns by the time
 * measured: a column's cost changes as its sketches fill. */
#define REBALANCE_EVERY 64
#define TIMED_CHUNKS 8
/* In a timed chunk, one batch of rows in TIME_EVERY is timed and counts
 * for the ones up to the next: a thread's CPU clock is read with a system call (a
 * microsecond or two on a virtual machine), two per column and batch. */
#define TIME_EVERY 8
/* The walk's share of the work, before it is measured. */
#define WALK_SHARE 0.3
/* Values handed to a column at a time. */
#define CELL_BATCH 256
#define SAMPLE_RECORDS 2048
#define SAMPLE_CELLS (1u << 20)

enum pstate {
	P_START,	/* at the first byte of a field */
	P_UNQUOTED,
	P_QUOTED,
	P_QUOTE_END	/* a quote was the chunk's last byte inside a quoted field */
};

/* Where one value of a chunk is: its offset in the chunk's data, or with
 * CELL_ARENA in the chunk's arena (values that had to be unquoted or
 * that began in an earlier chunk); with CELL_LONG in len, a value cut at
 * CARRY_MAX whose true length is in the 8 bytes before it. */
typedef struct cell {
	uint32_t off;
	uint32_t len;
} cell;

#define CELL_ARENA ((uint32_t)1 << 31)
#define CELL_LONG ((uint32_t)1 << 31)

/* One column's values in a chunk, in order. */
typedef struct colvec {
	cell *v;
	size_t n, cap;
	uint64_t missing;	/* cells absent from short rows */
	int copied;		/* some cells are in the arena */
} colvec;

typedef struct chunk {
	const char *data;	/* in buf, or in the file's mapping */
	char *buf;
	size_t len;
	uint64_t line_base;	/* line breaks before this chunk */
	uint64_t breaks;	/* line breaks in it */
	int last;
	int refs;		/* workers still reading it */
	colvec *vec;		/* per column, filled by the walk */
	char *arena;
	size_t alen, acap;
} chunk;

/* The parser: walks each chunk once and sorts its values by column.
 * Worker 0 runs it. */
typedef struct walker {
	const struct shared *sh;
	chunk *cur;
	enum pstate state;
	int after_cr, quoted, dirty, in_carry, in_header;
	size_t col, fstart;
	char *carry;
	size_t clen, ccap;
	uint64_t ctrue;
	char *scratch;
	size_t scap;
	size_t bb;		/* offset of the 64-byte block in dm and em */
	uint64_t dm, em;	/* its delimiters, its line ends */
	/* record bookkeeping */
	uint64_t rows, blank, ragged, short_rows, long_rows, long_fields;
	long first_ragged;
	size_t rec_off;
	int rec_here;
	long rec_line;
	int unterminated;
} walker;

typedef struct shared {
	pthread_mutex_t mu;
	pthread_cond_t ready, freed;
	chunk ring[NCHUNK];
	size_t chunk_size;
	const char *map;	/* a plain file mapped whole, or NULL */
	size_t map_size, map_off;
	uint64_t published;	/* chunks read */
	uint64_t walked;	/* chunks walked */
	char delim;
	int cr_lines;		/* line breaks are bare CRs */
	size_t start_off;	/* BOM bytes to skip */
	size_t ncols;
	colstat **cols;
	int header;
	int nworkers;
	struct worker *workers;
	walker walk;
	double walk_ns;		/* time in the walk, in the timed chunks */
	double *col_ns;		/* time per column, in the timed chunks */
	pthread_barrier_t barrier;
	atomic_int abort;	/* the reader failed: workers skip the rest */
} shared;

typedef struct worker {
	shared *sh;
	int id;
	size_t *mine;		/* the columns it owns */
	size_t nmine;
	pthread_t tid;
} worker;

static uint64_t
count_breaks(const char *d, size_t n, int cr)
{
	char want = cr ? '\r' : '\n';
	uint64_t count = 0;
	size_t i = 0;

#ifdef __SSE2__
	__m128i vw = _mm_set1_epi8(want), zero = _mm_setzero_si128();

	/* Byte counters (matches are -1) summed every 255 blocks. */
	while (i + 16 <= n) {
		__m128i acc = zero, sums;
		size_t blocks = 0;

		for (; i + 16 <= n && blocks < 255; i += 16, blocks++)
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(d + i)), vw));
		sums = _mm_sad_epu8(acc, zero);
		count += (uint64_t)_mm_cvtsi128_si32(sums) + (uint64_t)_mm_extract_epi16(sums, 4);
	}
#endif
	for (; i < n; i++)
		count += d[i] == want;
	return count;
}

/* Bit i of *dm set when byte i of the 64 at p is the delimiter, of *em
 * when it is LF or CR. */
static inline void
struct_masks(const char *p, char delim, uint64_t *dm, uint64_t *em)
{
	uint64_t a = 0, b = 0;
	int k;
#ifdef __SSE2__
	const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');

	for (k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(p + 16 * k));

		a |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vd)) << (16 * k);
		b |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, vn),
									 _mm_cmpeq_epi8(x, vr)))
		     << (16 * k);
	}
#else
	for (k = 0; k < 64; k++) {
		a |= (uint64_t)(p[k] == delim) << k;
		b |= (uint64_t)(p[k] == '\n' || p[k] == '\r') << k;
	}
#endif
	*dm = a;
	*em = b;
}

static inline void
load_block(walker *w, const char *d, size_t bb)
{
	w->bb = bb;
	struct_masks(d + bb, w->sh->delim, &w->dm, &w->em);
}

/* The masks' set bits from pos on. */
static inline uint64_t
bits_from(walker *w, const char *d, size_t pos)
{
	if (pos - w->bb >= 64)
		load_block(w, d, pos & ~(size_t)63);
	return (w->dm | w->em) & (~(uint64_t)0 << (pos - w->bb));
}

/* Offset of the lowest set bit of *m, loading the blocks after while it
 * is empty (*m then holds that block's bits); len if none is before it. */
static inline size_t
next_bit(walker *w, const char *d, uint64_t *m, size_t len)
{
	size_t i;

	while (!*m) {
		if (w->bb + 64 >= len)
			return len;
		load_block(w, d, w->bb + 64);
		*m = w->dm | w->em;
	}
	i = w->bb + (size_t)__builtin_ctzll(*m);
	return i < len ? i : len;
}

/* Offset of the next delimiter, LF or CR at or after pos; len if none.
 * Works on 64-byte blocks whose masks are kept between calls, so a short
 * field costs a bit scan. Reads up to 63 bytes past len, which the
 * chunk's padding allows. */
static inline size_t
next_struct(walker *w, const char *d, size_t pos, size_t len)
{
	uint64_t m = bits_from(w, d, pos);

	return next_bit(w, d, &m, len);
}

/* A value of the chunk being walked, in place at offset off, to its
 * column's cells v. */
static inline void
emit(colvec *v, size_t off, size_t n)
{
	if (v->n == v->cap)
		v->v = xgrow(v->v, &v->cap, v->n + 1, sizeof(*v->v));
	v->v[v->n].off = (uint32_t)off;
	v->v[v->n++].len = (uint32_t)n;
}

/* A value from the carry or scratch buffer, copied into the chunk's
 * arena; true_len is nonzero for a value cut at CARRY_MAX. */
static void
emit_copy(walker *w, size_t col, const char *s, size_t n, uint64_t true_len)
{
	chunk *c = w->cur;
	size_t head = true_len ? sizeof(true_len) : 0, at = c->alen + head;
	colvec *v = &c->vec[col];

	/* a byte more: an empty first value still needs an arena */
	if (at + n + 1 > c->acap)
		c->arena = xgrow(c->arena, &c->acap, at + n + 1, 1);
	memcpy(c->arena + c->alen, &true_len, head);
	memcpy(c->arena + at, s, n);
	c->alen = at + n;
	v->copied = 1;
	if (v->n == v->cap)
		v->v = xgrow(v->v, &v->cap, v->n + 1, sizeof(*v->v));
	v->v[v->n].off = (uint32_t)at | CELL_ARENA;
	v->v[v->n++].len = (uint32_t)n | (true_len ? CELL_LONG : 0);
}

static void
carry_add(walker *w, const char *p, size_t n)
{
	size_t room = CARRY_MAX - w->clen;

	w->ctrue += n;
	if (n > room)
		n = room;
	if (w->clen + n > w->ccap)
		w->carry = xgrow(w->carry, &w->ccap, w->clen + n, 1);
	memcpy(w->carry + w->clen, p, n);
	w->clen += n;
}

/* Unquotes as csv.c does: "" is a quote, bytes after the closing quote
 * are kept, an unterminated quote runs to the end. */
static size_t
decode(walker *w, const char *raw, size_t n)
{
	const char *p = raw, *end = raw + n, *q;
	char *o;

	if (n > w->scap)
		w->scratch = xgrow(w->scratch, &w->scap, n, 1);
	o = w->scratch;
	if (p == end || *p != '"') {
		memcpy(o, p, n);
		return n;
	}
	for (p++; p < end;) {
		q = memchr(p, '"', (size_t)(end - p));
		if (!q) {
			q = end;
			/* a field cut to its first CARRY_MAX bytes lost its closing quote */
			w->unterminated |= !(w->in_carry && w->ctrue > w->clen);
		}
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		if (q == end)
			break;
		if (q + 1 < end && q[1] == '"') {
			*o++ = '"';
			p = q + 2;
			continue;
		}
		memcpy(o, q + 1, (size_t)(end - q - 1));
		o += end - q - 1;
		break;
	}
	return (size_t)(o - w->scratch);
}

static long
record_line(walker *w)
{
	const chunk *c = w->cur;

	if (!w->rec_here)
		return w->rec_line;
	return 1 + (long)c->line_base + (long)count_breaks(c->data, w->rec_off, w->sh->cr_lines);
}

static void
end_record(walker *w)
{
	const shared *sh = w->sh;
	size_t nf = w->col, c;

	w->col = 0;
	if (w->in_header) {
		w->in_header = 0;
		return;
	}
	for (c = nf; c < sh->ncols; c++)
		w->cur->vec[c].missing++;
	w->rows++;
	if (nf != sh->ncols) {
		w->ragged++;
		w->short_rows += nf < sh->ncols;
		w->long_rows += nf > sh->ncols;
		if (!w->first_ragged)
			w->first_ragged = record_line(w);
	}
}

/* A field ended at d[end] with terminator term (a delimiter, LF, CR, or
 * -1 at the end of the data). Returns 0 when it was a blank line. */
static int
end_field(walker *w, const char *d, size_t end, int term)
{
	const shared *sh = w->sh;
	const char *raw;
	size_t n, col = w->col;
	int eol = term != (unsigned char)sh->delim;

	if (w->in_carry) {
		carry_add(w, d, end);
		raw = w->carry;
		n = w->clen;
	} else {
		raw = d + w->fstart;
		n = end - w->fstart;
	}
	if (eol && col == 0 && n == 0) {
		w->blank++;
		return 0;
	}
	w->col++;
	if (!w->in_header && col < sh->ncols) {
		if (!w->in_carry && !w->quoted) {
			emit(&w->cur->vec[col], w->fstart, n);
		} else if (!w->in_carry && !w->dirty) {
			emit(&w->cur->vec[col], w->fstart + 1, n - 2);
		} else if (w->in_carry && w->ctrue > w->clen) {
			size_t v = decode(w, raw, n);

			w->long_fields++;
			emit_copy(w, col, w->scratch, v, w->ctrue - (w->quoted ? 2 : 0));
		} else {
			size_t v = decode(w, raw, n);

			emit_copy(w, col, w->scratch, v, 0);
		}
	}
	w->in_carry = 0;
	w->clen = 0;
	w->ctrue = 0;
	if (eol)
		end_record(w);
	return 1;
}

static void
terminate(walker *w, char c)
{
	if (c == '\r')
		w->after_cr = 1;
}

/* The end of a complete record at a line end, taken in the fast run: the
 * next record starts at pos. */
static inline void
fast_record_end(walker *w, size_t pos)
{
	w->rows++;
	w->rec_off = pos;
	w->rec_here = 1;
}

/* Where a clean quoted field starting at d[pos] ends (its closing quote),
 * when the byte after that quote ends the field; else 0. */
static inline size_t
clean_quoted_end(const char *d, size_t pos, size_t len, char delim)
{
	const char *q = memchr(d + pos + 1, '"', len - pos - 1);
	size_t i;

	if (!q)
		return 0;
	i = (size_t)(q - d);
	if (i + 1 >= len || (d[i + 1] != delim && d[i + 1] != '\n' && d[i + 1] != '\r'))
		return 0;
	return i;
}

/* The bulk of most files with the parser state in registers: unquoted
 * fields, quoted ones without doubled quotes, records that end with LF
 * or CRLF and have every field. Starts at a field start and stops at one
 * where anything else begins (the steps below take it), or at the end of
 * the chunk. Returns where it stopped. */
static inline size_t
fast_run(walker *w, const char *d, size_t pos, size_t len)
{
	size_t col = w->col, ncols = w->in_header ? 0 : w->sh->ncols;
	char delim = w->sh->delim;
	/* in a local: the stores of emit() could alias w->cur */
	colvec *vec = w->cur->vec;
	uint64_t m;

	if (pos >= len)
		return pos;
	/* Walks the set bits of the block masks: what ends a field is known
	 * from the masks, without reading it back, so fields do not wait on
	 * each other. */
	m = bits_from(w, d, pos);
	for (;;) {
		size_t i, start = pos, vlen;
		int from_mask = d[pos] != '"';

		if (!from_mask) {
			i = clean_quoted_end(d, pos, len, delim);
			if (!i)
				break;
			start = pos + 1;
			vlen = i - pos - 1;
			i++;
		} else {
			i = next_bit(w, d, &m, len);
			if (i >= len)
				break;
			vlen = i - pos;
		}
		if (d[i] == delim) {
			if (col < ncols)
				emit(&vec[col], start, vlen);
			col++;
			pos = i + 1;
		} else if (col + 1 == ncols && (i > pos || col > 0) &&
			   (d[i] == '\n' || (i + 1 < len && d[i + 1] == '\n'))) {
			emit(&vec[col], start, vlen);
			col = 0;
			pos = i + 1 + (d[i] == '\r');
			fast_record_end(w, pos);
		} else {
			break;
		}
		if (pos >= len)
			break;
		/* the next field starts right after the bit just taken, or
		 * after a quoted field or a CRLF whose bits are passed over */
		if (from_mask && pos == i + 1)
			m &= m - 1;
		else
			m = bits_from(w, d, pos);
	}
	w->col = col;
	return pos;
}

/* The parser's steps: each takes the position in the chunk and returns
 * the next one, switching w->state as the bytes say. */
static size_t
step_start(walker *w, const char *d, size_t pos, size_t len)
{
	size_t i;

	if (w->col == 0) {
		if (w->after_cr) {
			w->after_cr = 0;
			if (d[pos] == '\n')
				return pos + 1;
		}
		w->rec_off = pos;
		w->rec_here = 1;
	}
	i = fast_run(w, d, pos, len);
	if (i != pos)
		return i;
	w->fstart = pos;
	w->dirty = 0;
	w->quoted = d[pos] == '"';
	w->state = w->quoted ? P_QUOTED : P_UNQUOTED;
	return pos + (size_t)w->quoted;
}

static size_t
step_unquoted(walker *w, const char *d, size_t pos, size_t len)
{
	size_t i = next_struct(w, d, pos, len);

	if (i == len)
		return len;
	end_field(w, d, i, (unsigned char)d[i]);
	terminate(w, d[i]);
	w->state = P_START;
	return i + 1;
}

static size_t
step_quoted(walker *w, const char *d, size_t pos, size_t len)
{
	const char *q = memchr(d + pos, '"', len - pos);
	size_t i;

	if (!q)
		return len;
	i = (size_t)(q - d);
	if (i + 1 == len) {
		w->state = P_QUOTE_END;
		return len;
	}
	if (d[i + 1] == '"') {
		w->dirty = 1;
		return i + 2;
	}
	w->state = P_QUOTE_END;
	return i + 1;
}

/* Just after a closing quote: a doubled quote (only when the quote ended
 * the previous chunk), the field's end, or bytes kept as they are. */
static size_t
step_quote_end(walker *w, const char *d, size_t pos, int at_chunk_start)
{
	char delim = w->sh->delim;

	if (at_chunk_start && d[pos] == '"') {
		w->dirty = 1;
		w->state = P_QUOTED;
		return pos + 1;
	}
	if (d[pos] == delim || d[pos] == '\n' || d[pos] == '\r') {
		end_field(w, d, pos, (unsigned char)d[pos]);
		terminate(w, d[pos]);
		w->state = P_START;
		return pos + 1;
	}
	w->dirty = 1;
	w->state = P_UNQUOTED;
	return pos;
}

/* A field left open keeps its bytes in the carry buffer; the line where
 * an open record began is noted. */
static void
chunk_done(walker *w, const chunk *c)
{
	size_t len = c->len;

	if (w->state != P_START) {
		if (!w->in_carry) {
			w->in_carry = 1;
			w->clen = 0;
			w->ctrue = 0;
			carry_add(w, c->data + w->fstart, len - w->fstart);
		} else {
			carry_add(w, c->data, len);
		}
	}
	if (w->rec_here && (w->state != P_START || w->col > 0)) {
		w->rec_line = 1 + (long)c->line_base + (long)c->breaks -
			      (long)count_breaks(c->data + w->rec_off, len - w->rec_off, w->sh->cr_lines);
	}
	w->rec_here = 0;
}

static void
walk_chunk(walker *w, chunk *c, size_t pos)
{
	const char *d = c->data;
	size_t len = c->len, first = pos, i;

	w->cur = c;
	for (i = 0; i < w->sh->ncols; i++) {
		c->vec[i].n = 0;
		c->vec[i].missing = 0;
		c->vec[i].copied = 0;
	}
	c->alen = 0;
	w->fstart = 0;
	w->bb = ~(size_t)0 / 2;
	while (pos < len) {
		switch (w->state) {
		case P_START:
			pos = step_start(w, d, pos, len);
			break;
		case P_UNQUOTED:
			pos = step_unquoted(w, d, pos, len);
			break;
		case P_QUOTED:
			pos = step_quoted(w, d, pos, len);
			break;
		case P_QUOTE_END:
			pos = step_quote_end(w, d, pos, pos == first);
			break;
		}
	}
	chunk_done(w, c);
}

/* The data ended: finishes a record left open without a final newline. */
static void
walk_end(walker *w, chunk *c)
{
	w->cur = c;
	if (w->state == P_START && w->col == 0)
		return;
	if (w->state == P_QUOTED)
		w->unterminated = 1;
	if (w->state == P_START) {
		w->in_carry = 0;
		w->fstart = c->len;
		w->quoted = 0;
	} else {
		w->dirty = 1;
	}
	if (w->in_carry)
		end_field(w, c->data, 0, -1);
	else
		end_field(w, c->data, c->len, -1);
	w->state = P_START;
}

/* ---- the workers ---- */

static inline colstat_val
cell_value(const chunk *c, cell x)
{
	colstat_val v;

	v.s = (x.off & CELL_ARENA) ? c->arena + (x.off & ~CELL_ARENA) : c->data + x.off;
	v.len = x.len & ~CELL_LONG;
	return v;
}

/* Cells [i, to) of a column: the values, to its statistics. */
static void
add_cells(const chunk *c, const colvec *v, size_t i, size_t to, colstat *cs)
{
	colstat_val batch[CELL_BATCH];
	size_t m;

	while (!v->copied && i < to) {
		size_t k;

		/* one bound a value, not two */
		m = to - i < CELL_BATCH ? to - i : CELL_BATCH;
		for (k = 0; k < m; k++) {
			batch[k].s = c->data + v->v[i + k].off;
			batch[k].len = v->v[i + k].len;
		}
		i += m;
		colstat_add_batch(cs, batch, m);
	}
	while (i < to) {
		for (m = 0; i < to && m < CELL_BATCH && !(v->v[i].len & CELL_LONG); i++, m++)
			batch[m] = cell_value(c, v->v[i]);
		if (m)
			colstat_add_batch(cs, batch, m);
		if (i < to && (v->v[i].len & CELL_LONG)) {
			colstat_val x = cell_value(c, v->v[i++]);
			uint64_t true_len;

			memcpy(&true_len, x.s - sizeof(true_len), sizeof(true_len));
			colstat_add_long(cs, x.s, x.len, true_len);
		}
	}
}

static double
thread_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* The worker's own columns of a chunk, CELL_BATCH rows at a time across
 * them, so that the rows' bytes stay in cache from one column to the
 * next; sampled by the clock when timed. */
static void
add_columns(worker *w, const chunk *c, int timed)
{
	shared *sh = w->sh;
	size_t from, most = 0, k;

	for (k = 0; k < w->nmine; k++)
		if (c->vec[w->mine[k]].n > most)
			most = c->vec[w->mine[k]].n;
	for (from = 0; from < most; from += CELL_BATCH) {
		size_t batch = from / CELL_BATCH, left = (most - from + CELL_BATCH - 1) / CELL_BATCH;
		int clock = timed && batch % TIME_EVERY == 0;
		/* the batches this one stands for */
		double weight = left < TIME_EVERY ? (double)left : TIME_EVERY;

		for (k = 0; k < w->nmine; k++) {
			size_t col = w->mine[k], n = c->vec[col].n, to = from + CELL_BATCH < n ? from + CELL_BATCH : n;
			double t0;

			if (from >= to)
				continue;
			t0 = clock ? thread_ns() : 0;
			add_cells(c, &c->vec[col], from, to, sh->cols[col]);
			if (clock)
				sh->col_ns[col] += (thread_ns() - t0) * weight;
		}
	}
	for (k = 0; k < w->nmine; k++)
		colstat_add_missing(sh->cols[w->mine[k]], c->vec[w->mine[k]].missing);
}

static int
size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* Longest processing time first: each column, by decreasing cost, to the
 * least loaded worker; worker 0 starts with the walk's cost. */
static void
assign_by_cost(worker *ws, int nw, const double *cost, size_t ncols, double walk)
{
	double load[MAX_WORKERS] = {0};
	size_t *order = xmalloc((ncols + 1) * sizeof(*order)), i, j;
	int k;

	load[0] = walk;
	for (i = 0; i < ncols; i++)
		order[i] = i;
	for (i = 1; i < ncols; i++)
		for (j = i; j > 0 && cost[order[j]] > cost[order[j - 1]]; j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (k = 0; k < nw; k++)
		ws[k].nmine = 0;
	for (i = 0; i < ncols; i++) {
		int best = 0;

		for (k = 1; k < nw; k++)
			if (load[k] < load[best])
				best = k;
		ws[best].mine[ws[best].nmine++] = order[i];
		load[best] += cost[order[i]];
	}
	/* in file order: each worker's columns stay sorted */
	for (k = 0; k < nw; k++)
		qsort(ws[k].mine, ws[k].nmine, sizeof(*ws[k].mine), size_cmp);
	free(order);
}

/* All workers stop at the same chunk boundary, so a column can change
 * hands: whoever owns it next continues its statistics. The times start
 * again for the next round. */
static void
rebalance(worker *w)
{
	shared *sh = w->sh;

	pthread_barrier_wait(&sh->barrier);
	if (w->id == 0) {
		assign_by_cost(sh->workers, sh->nworkers, sh->col_ns, sh->ncols, sh->walk_ns);
		memset(sh->col_ns, 0, sh->ncols * sizeof(*sh->col_ns));
		sh->walk_ns = 0;
	}
	pthread_barrier_wait(&sh->barrier);
}

/* Waits until *count passes seq. */
static void
wait_for(shared *sh, const uint64_t *count, uint64_t seq)
{
	pthread_mutex_lock(&sh->mu);
	while (*count <= seq)
		pthread_cond_wait(&sh->ready, &sh->mu);
	pthread_mutex_unlock(&sh->mu);
}

/* Worker 0 walks each chunk, then every worker adds its own columns. */
static void *
worker_main(void *arg)
{
	worker *w = arg;
	shared *sh = w->sh;
	uint64_t seq;
	int last = 0;

	for (seq = 0; !last; seq++) {
		chunk *c = &sh->ring[seq % NCHUNK];
		int go, timed = sh->nworkers > 1 && seq % REBALANCE_EVERY < TIMED_CHUNKS;

		if (w->id == 0) {
			double t0 = timed ? thread_ns() : 0;

			wait_for(sh, &sh->published, seq);
			last = c->last;
			if (!atomic_load_explicit(&sh->abort, memory_order_relaxed)) {
				walk_chunk(&sh->walk, c, seq == 0 ? sh->start_off : 0);
				if (last)
					walk_end(&sh->walk, c);
			}
			if (timed)
				sh->walk_ns += thread_ns() - t0;
			pthread_mutex_lock(&sh->mu);
			sh->walked = seq + 1;
			pthread_cond_broadcast(&sh->ready);
			pthread_mutex_unlock(&sh->mu);
		} else {
			wait_for(sh, &sh->walked, seq);
			last = c->last;
		}
		go = !atomic_load_explicit(&sh->abort, memory_order_relaxed);
		if (go)
			add_columns(w, c, timed);
		if (timed && seq % REBALANCE_EVERY == TIMED_CHUNKS - 1 && !last)
			rebalance(w);
		pthread_mutex_lock(&sh->mu);
		if (--c->refs == 0)
			pthread_cond_signal(&sh->freed);
		pthread_mutex_unlock(&sh->mu);
	}
	return NULL;
}

/* ---- reading side ---- */

typedef struct u8check {
	int need;		/* continuation bytes still expected */
	unsigned char lo, hi;	/* allowed range of the next one */
	uint64_t invalid;
	long first_line;
	uint64_t nul;
	long first_nul_line;
} u8check;

/* Validates UTF-8 across chunk boundaries; returns the offset of the
 * first invalid byte in this chunk or (size_t)-1. */
static size_t
check_utf8(u8check *u, const unsigned char *p, size_t n)
{
	size_t i = 0, first = (size_t)-1;

	while (i < n) {
		unsigned char b = p[i];

		if (u->need == 0) {
			uint64_t word;

			if (i + 8 <= n) {
				memcpy(&word, p + i, 8);
				if (!(word & 0x8080808080808080ull)) {
					i += 8;
					continue;
				}
			}
			i++;
			if (b < 0x80)
				continue;
			u->lo = 0x80;
			u->hi = 0xbf;
			if (b >= 0xc2 && b <= 0xdf)
				u->need = 1;
			else if (b >= 0xe0 && b <= 0xef)
				u->need = 2;
			else if (b >= 0xf0 && b <= 0xf4)
				u->need = 3;
			else
				goto bad;
			if (b == 0xe0)
				u->lo = 0xa0;
			else if (b == 0xed)
				u->hi = 0x9f;
			else if (b == 0xf0)
				u->lo = 0x90;
			else if (b == 0xf4)
				u->hi = 0x8f;
			continue;
		}
		if (b < u->lo || b > u->hi) {
			/* re-read this byte as the start of a new sequence */
			u->need = 0;
			goto bad_here;
		}
		u->lo = 0x80;
		u->hi = 0xbf;
		u->need--;
		i++;
		continue;
bad:
		u->invalid++;
		if (first == (size_t)-1)
			first = i - 1;
		continue;
bad_here:
		u->invalid++;
		if (first == (size_t)-1)
			first = i;
	}
	return first;
}

/* The UTF-8 and NUL checks of bytes [from, to) of a chunk. */
static void
check_block(u8check *u, const chunk *c, size_t from, size_t to, int cr)
{
	size_t bad = check_utf8(u, (const unsigned char *)c->data + from, to - from);
	const char *z = memchr(c->data + from, 0, to - from);

	if (bad != (size_t)-1 && !u->first_line)
		u->first_line = 1 + (long)c->line_base + (long)count_breaks(c->data, from + bad, cr);
	if (z && !u->first_nul_line)
		u->first_nul_line = 1 + (long)c->line_base + (long)count_breaks(c->data, (size_t)(z - c->data), cr);
	while (z) {
		u->nul++;
		z = memchr(z + 1, 0, (size_t)(c->data + to - z - 1));
	}
}

/* One pass over a chunk for what the reader checks: line breaks, NUL
 * bytes and UTF-8. A block of 16 plain ASCII bytes costs a few vector
 * instructions; only blocks with other bytes go through check_block. */
static void
check_chunk(u8check *u, chunk *c, int cr)
{
	const char *d = c->data;
	size_t n = c->len, i = 0;
	uint64_t breaks = 0;
	char want = cr ? '\r' : '\n';

#ifdef __SSE2__
	const __m128i vw = _mm_set1_epi8(want), zero = _mm_setzero_si128();

	while (i + 16 <= n) {
		__m128i acc = zero, sums;
		size_t blocks = 0;

		for (; i + 16 <= n && blocks < 255; i += 16, blocks++) {
			__m128i x = _mm_loadu_si128((const __m128i *)(d + i));

			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, vw));
			if (_mm_movemask_epi8(_mm_or_si128(x, _mm_cmpeq_epi8(x, zero))) || u->need)
				check_block(u, c, i, i + 16, cr);
		}
		sums = _mm_sad_epu8(acc, zero);
		breaks += (uint64_t)_mm_cvtsi128_si32(sums) + (uint64_t)_mm_extract_epi16(sums, 4);
	}
#endif
	if (i < n) {
		breaks += count_breaks(d + i, n - i, cr);
		check_block(u, c, i, n, cr);
	}
	c->breaks = breaks;
}

static const char *
line_ending_of(const char *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (d[i] == '\n')
			return "LF";
		if (d[i] == '\r')
			return i + 1 < n && d[i + 1] == '\n' ? "CRLF" : "CR";
	}
	return "none";
}

/* ---- setup ---- */

typedef struct probe {
	char delim;
	int header;
	size_t ncols;
	char **names;
	double *cost;
} probe;

static int
all_numeric(const csv_record *rec)
{
	size_t i;

	for (i = 0; i < rec->nfields; i++) {
		double num;
		unsigned flags;
		enum infer_kind k = infer_value(rec->fields[i], rec->lens[i], &num, &flags);

		if (k != INFER_INT && k != INFER_FLOAT)
			return 0;
	}
	return rec->nfields > 0;
}

/* Column names as pandas makes them: "Unnamed: i" for empty ones, and
 * ".1", ".2" suffixes on repeats. */
static char **
make_names(const csv_record *rec, int header)
{
	char **names = xcalloc(rec->nfields ? rec->nfields : 1, sizeof(*names));
	size_t i, j;

	for (i = 0; i < rec->nfields; i++) {
		if (!header)
			names[i] = xasprintf("column_%zu", i + 1);
		else if (rec->lens[i] == 0)
			names[i] = xasprintf("Unnamed: %zu", i);
		else
			names[i] = infer_clean(rec->fields[i], rec->lens[i]);
	}
	for (i = 1; i < rec->nfields; i++) {
		int dup = 0;

		for (j = 0; j < i; j++)
			dup += strcmp(names[i], names[j]) == 0;
		if (dup) {
			char *renamed = xasprintf("%s.%d", names[i], dup);

			free(names[i]);
			names[i] = renamed;
		}
	}
	return names;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Cost guesses from the first records, to split columns between workers:
 * long values cost more to hash, and values that rarely repeat cost a
 * parse and the sketches every time (measured: about 4 times a repeated
 * value). The sample shrinks with the number of columns. */
static void
sample_costs(csv_reader *r, probe *p, int first_is_data, const csv_record *first, ak_err *e)
{
	size_t nrec = 0, c, i, cap = SAMPLE_CELLS / (p->ncols ? p->ncols : 1);
	double *len = xcalloc(p->ncols + 1, sizeof(double));
	uint64_t *hashes;
	csv_record rec;

	if (cap > SAMPLE_RECORDS)
		cap = SAMPLE_RECORDS;
	hashes = xcalloc(cap * p->ncols + 1, sizeof(uint64_t));
	if (first_is_data && cap) {
		for (c = 0; c < p->ncols && c < first->nfields; c++)
			hashes[c * cap] = strhash(first->fields[c], first->lens[c]);
		nrec = 1;
	}
	while (nrec < cap && csv_next(r, &rec, e) == 1) {
		for (c = 0; c < p->ncols && c < rec.nfields; c++) {
			len[c] += (double)rec.lens[c];
			hashes[c * cap + nrec] = strhash(rec.fields[c], rec.lens[c]);
		}
		nrec++;
	}
	for (c = 0; c < p->ncols; c++) {
		uint64_t *h = hashes + c * cap;
		size_t distinct = nrec > 0;
		double ratio;

		qsort(h, nrec, sizeof(*h), u64_cmp);
		for (i = 1; i < nrec; i++)
			distinct += h[i] != h[i - 1];
		ratio = nrec ? (double)distinct / (double)nrec : 0;
		p->cost[c] = 10 + (nrec ? len[c] / (double)nrec / 8 : 0) + 30 * ratio * ratio;
	}
	free(len);
	free(hashes);
}

static int
probe_file(const char *path, probe *p, ak_err *e)
{
	csv_reader *r = csv_open(path, e);
	csv_record rec;
	int k;

	if (!r)
		return -1;
	p->delim = csv_delimiter(r);
	k = csv_next(r, &rec, e);
	if (k < 0) {
		csv_close(r);
		return -1;
	}
	if (k == 0) {
		csv_close(r);
		p->header = 0;
		p->ncols = 0;
		p->names = xcalloc(1, sizeof(*p->names));
		p->cost = xcalloc(1, sizeof(*p->cost));
		return 0;
	}
	p->header = !all_numeric(&rec);
	p->ncols = rec.nfields;
	p->names = make_names(&rec, p->header);
	p->cost = xcalloc(p->ncols, sizeof(*p->cost));
	sample_costs(r, p, !p->header, &rec, e);
	csv_close(r);
	return 0;
}

static int
choose_workers(const scan_opts *o, size_t ncols, long long bytes)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int n = o && o->threads > 0 ? o->threads : (cpus >= 2 && bytes > (8 << 20) ? 2 : 1);

	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	if ((size_t)n > ncols)
		n = ncols ? (int)ncols : 1;
	return n;
}

static ssize_t
fill_chunk(shared *sh, chunk *c, csvsrc *src, ak_err *e)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t n, mapped;
	ssize_t got;

	if (!sh->map) {
		if (!c->buf)
			c->buf = xmalloc(sh->chunk_size + PAD);
		got = csvsrc_read_full(src, c->buf, sh->chunk_size, e);
		if (got >= 0)
			memset(c->buf + got, 0, PAD);
		c->data = c->buf;
		return got;
	}
	if (c->data && c->data != c->buf)
		madvise((void *)c->data, c->len, MADV_DONTNEED);
	n = sh->map_size - sh->map_off;
	if (n > sh->chunk_size)
		n = sh->chunk_size;
	mapped = (sh->map_size + (size_t)page - 1) / (size_t)page * (size_t)page;
	c->data = sh->map + sh->map_off;
	if (sh->map_off + n + PAD > mapped) {
		free(c->buf);
		c->buf = xcalloc(n + PAD, 1);
		memcpy(c->buf, c->data, n);
		c->data = c->buf;
	}
	sh->map_off += n;
	return (ssize_t)n;
}

static void
read_loop(shared *sh, csvsrc *src, scan_result *res, u8check *u, ak_err *e)
{
	uint64_t seq, lines = 0;
	int last = 0;

	for (seq = 0; !last; seq++) {
		chunk *c = &sh->ring[seq % NCHUNK];
		ssize_t got;

		pthread_mutex_lock(&sh->mu);
		while (c->refs > 0)
			pthread_cond_wait(&sh->freed, &sh->mu);
		pthread_mutex_unlock(&sh->mu);
		got = atomic_load_explicit(&sh->abort, memory_order_relaxed) ? 0 : fill_chunk(sh, c, src, e);
		if (got < 0) {
			atomic_store_explicit(&sh->abort, 1, memory_order_relaxed);
			got = 0;
		}
		c->len = (size_t)got;
		c->last = last = c->len < sh->chunk_size ||
				 (sh->map && sh->map_off == sh->map_size);
		if (seq == 0) {
			res->bom = c->len >= 3 && memcmp(c->data, "\xef\xbb\xbf", 3) == 0;
			sh->start_off = res->bom ? 3 : 0;
			res->line_ending = line_ending_of(c->data, c->len);
			sh->cr_lines = strcmp(res->line_ending, "CR") == 0;
		}
		res->bytes += c->len;
		c->line_base = lines;
		check_chunk(u, c, sh->cr_lines);
		lines += c->breaks;
		pthread_mutex_lock(&sh->mu);
		c->refs = sh->nworkers;
		sh->published = seq + 1;
		pthread_cond_broadcast(&sh->ready);
		pthread_mutex_unlock(&sh->mu);
	}
}

/* Maps a large plain file; reading stays the fallback. */
static void
map_file(shared *sh, csvsrc *src, long long size)
{
	void *m;

	if (csvsrc_plain_fd(src) < 0 || size < (long long)SCAN_CHUNK || (unsigned long long)size > SIZE_MAX)
		return;
	m = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, csvsrc_plain_fd(src), 0);
	if (m == MAP_FAILED)
		return;
	madvise(m, (size_t)size, MADV_SEQUENTIAL);
	sh->map = m;
	sh->map_size = (size_t)size;
}

static void
collect(scan_result *res, const walker *w, const u8check *u)
{
	res->rows = w->rows;
	res->blank_lines = w->blank;
	res->ragged_rows = w->ragged;
	res->short_rows = w->short_rows;
	res->long_rows = w->long_rows;
	res->first_ragged_line = w->first_ragged;
	res->long_fields = w->long_fields;
	res->unterminated_quote = w->unterminated;
	res->invalid_utf8 = u->invalid;
	res->first_invalid_utf8_line = u->first_line;
	res->nul_bytes = u->nul;
	res->first_nul_line = u->first_nul_line;
}

static void
probe_free(probe *p)
{
	size_t i;

	for (i = 0; i < p->ncols; i++)
		free(p->names[i]);
	free(p->names);
	free(p->cost);
}

static scan_result *
result_new(const char *path, const probe *p, csvsrc *src)
{
	scan_result *res = xcalloc(1, sizeof(*res));

	res->path = xstrdup(path);
	res->disk_bytes = csvsrc_disk_bytes(src);
	res->compression = csvsrc_kind_name(src);
	res->member = csvsrc_member(src) ? xstrdup(csvsrc_member(src)) : NULL;
	res->delimiter = p->delim;
	res->header = p->header;
	res->ncols = p->ncols;
	return res;
}

/* The shared state, the columns and the workers, before any thread runs. */
static void
setup(shared *sh, worker *ws, int nw, const probe *p, csvsrc *src, long long disk_bytes,
      colstat_budget *cb, size_t budget)
{
	colstat_params cp;
	size_t i, fixed;
	double walk = 0;
	int k;

	colstat_params_for(&cp, p->ncols, budget);
	fixed = colstat_fixed_bytes(&cp) * p->ncols;
	atomic_init(&cb->avail, fixed < budget ? (long long)(budget - fixed) : 0);
	memset(sh, 0, sizeof(*sh));
	atomic_init(&sh->abort, 0);
	pthread_mutex_init(&sh->mu, NULL);
	pthread_cond_init(&sh->ready, NULL);
	pthread_cond_init(&sh->freed, NULL);
	pthread_barrier_init(&sh->barrier, NULL, (unsigned)nw);
	sh->delim = p->delim;
	sh->ncols = p->ncols;
	sh->header = p->header;
	sh->nworkers = nw;
	sh->workers = ws;
	sh->cols = xcalloc(p->ncols + 1, sizeof(*sh->cols));
	for (i = 0; i < p->ncols; i++)
		sh->cols[i] = colstat_new(&cp, cb);
	/* a small plain file needs no more than its size */
	sh->chunk_size = SCAN_CHUNK;
	if (csvsrc_kind(src) == CSVSRC_PLAIN && disk_bytes < (long long)SCAN_CHUNK)
		sh->chunk_size = (size_t)disk_bytes + 1;
	map_file(sh, src, disk_bytes);
	for (k = 0; k < NCHUNK; k++)
		sh->ring[k].vec = xcalloc(p->ncols + 1, sizeof(*sh->ring[k].vec));
	sh->col_ns = xcalloc(p->ncols + 1, sizeof(*sh->col_ns));
	sh->walk.sh = sh;
	sh->walk.in_header = p->header;
	memset(ws, 0, sizeof(*ws) * (size_t)nw);
	for (k = 0; k < nw; k++) {
		ws[k].sh = sh;
		ws[k].id = k;
		ws[k].mine = xcalloc(p->ncols + 1, sizeof(*ws[k].mine));
	}
	for (i = 0; i < p->ncols; i++)
		walk += WALK_SHARE * p->cost[i];
	assign_by_cost(ws, nw, p->cost, p->ncols, walk);
}

static void
teardown(shared *sh, worker *ws, int nw)
{
	size_t i;
	int k;

	for (k = 0; k < nw; k++)
		free(ws[k].mine);
	free(sh->walk.carry);
	free(sh->walk.scratch);
	for (k = 0; k < NCHUNK; k++) {
		for (i = 0; i < sh->ncols; i++)
			free(sh->ring[k].vec[i].v);
		free(sh->ring[k].vec);
		free(sh->ring[k].arena);
		free(sh->ring[k].buf);
	}
	free(sh->col_ns);
	if (sh->map)
		munmap((void *)sh->map, sh->map_size);
	free(sh->cols);
	pthread_mutex_destroy(&sh->mu);
	pthread_cond_destroy(&sh->ready);
	pthread_cond_destroy(&sh->freed);
	pthread_barrier_destroy(&sh->barrier);
}

scan_result *
scan_file(const char *path, const scan_opts *o, ak_err *e)
{
	size_t budget = o && o->mem_budget ? o->mem_budget : SCAN_DEFAULT_BUDGET, i;
	scan_result *res;
	colstat_budget cb;
	probe p = {0};
	shared sh;
	worker ws[MAX_WORKERS];
	u8check u = {0};
	csvsrc *src;
	int nw, k, failed;

	if (probe_file(path, &p, e) < 0)
		return NULL;
	src = csvsrc_open(path, e);
	if (!src) {
		probe_free(&p);
		return NULL;
	}
	res = result_new(path, &p, src);
	nw = res->threads = choose_workers(o, p.ncols, res->disk_bytes);
	setup(&sh, ws, nw, &p, src, res->disk_bytes, &cb, budget);
	for (k = 0; k < nw; k++)
		pthread_create(&ws[k].tid, NULL, worker_main, &ws[k]);
	read_loop(&sh, src, res, &u, e);
	for (k = 0; k < nw; k++)
		pthread_join(ws[k].tid, NULL);
	collect(res, &sh.walk, &u);
	res->cols = xcalloc(p.ncols + 1, sizeof(*res->cols));
	for (i = 0; i < p.ncols; i++)
		res->cols[i] = colstat_finish(sh.cols[i], p.names[i]);
	failed = atomic_load(&sh.abort);
	teardown(&sh, ws, nw);
	probe_free(&p);
	csvsrc_close(src);
	if (failed) {
		scan_result_free(res);
		return NULL;
	}
	return res;
}

void
scan_result_free(scan_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->ncols; i++)
		colsum_free(r->cols[i]);
	free(r->cols);
	free(r->path);
	free(r->member);
	free(r);
}
