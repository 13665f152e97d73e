#ifndef AK_COLSTAT_H
#define AK_COLSTAT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "data/infer.h"
#include "data/kll.h"

/* One column's streaming statistics, then its final summary.
 *
 * Each value is hashed once at most. The first distinct values (up to
 * rich_max, short ones only) are kept with their text, parsed number and
 * an exact count, so repeated values cost a hash and a table probe; in
 * columns with few distinct values, a small index by their bytes finds
 * the short ones without a hash. Other values are parsed each time and
 * feed running moments, a KLL sketch, frequent items and a set of hashes
 * that counts distinct values exactly up to exact_max; past that, a
 * HyperLogLog takes over. Memory is bounded by the parameters whatever
 * the number of rows; the sets of hashes draw from a budget shared by
 * all columns (and threads). */

typedef struct colstat_budget {
	atomic_llong avail;	/* bytes still available */
} colstat_budget;

typedef struct colstat_params {
	uint32_t rich_max;	/* values kept with text and exact counts */
	size_t arena_max;	/* bytes of their text */
	uint32_t exact_max;	/* distinct values counted exactly */
	int hll_p;		/* HyperLogLog precision past exact_max */
	unsigned kll_k;
	size_t kll_buf;
	size_t freq_k;
	size_t dist_points;	/* distribution kept for drift */
	size_t thin_start;	/* first size of the set of hashes */
} colstat_params;

/* Parameters for ncols columns sharing budget bytes. */
void colstat_params_for(colstat_params *p, size_t ncols, size_t budget);
/* What a column may hold besides its set of hashes: the budget left
 * after ncols of these is what the sets draw from. */
size_t colstat_fixed_bytes(const colstat_params *p);

enum colsum_type {
	COL_INTEGER,
	COL_FLOAT,
	COL_BOOLEAN,
	COL_DATE,
	COL_DATETIME,
	COL_CATEGORICAL,
	COL_TEXT,
	COL_ID
};

/* A value with its count, as kept for top values and classes. */
typedef struct colsum_value {
	char *s;		/* display text, possibly cut (see len) */
	size_t n;		/* bytes in s */
	size_t len;		/* full length of the value */
	uint64_t count;
	uint64_t h;
	enum infer_kind kind;
	double num;
} colsum_value;

#define COLSUM_NQ 7
#define COLSUM_MAXBINS 16

typedef struct colsum {
	char *name;
	enum colsum_type type;
	uint64_t values;	/* values seen, missing included */
	uint64_t missing;
	uint64_t kinds[INFER_NKINDS];
	uint64_t leading_zero, infinite, long_values;
	uint64_t distinct;
	int distinct_exact;
	double distinct_error;	/* relative standard error when estimated */
	/* numbers, or seconds since the epoch for dates and times */
	int numclass;		/* 0 none, 1 numbers, 2 times */
	uint64_t num_n, zeros, negatives;
	double min, max, mean, std;
	int integral;		/* every number is a whole number */
	double q[COLSUM_NQ];	/* 1, 5, 25, 50, 75, 95, 99 % */
	int q_exact;
	int nbins;
	double edges[COLSUM_MAXBINS + 1];
	uint64_t bins[COLSUM_MAXBINS];
	kll_pt *dist;		/* compact distribution for drift, by value */
	size_t ndist;
	/* values by decreasing count: all of them when values_complete */
	colsum_value *vals;
	size_t nvals;
	int values_complete;	/* every distinct value is listed */
	int counts_exact;	/* the listed counts are exact */
	uint64_t count_error;	/* else the most a count may be short */
	/* text */
	uint64_t len_min, len_max;
	double len_mean;
	uint64_t checked, with_space, pii[4];
	enum infer_pii pii_kind;
	char *samples[5];
	size_t nsamples;
} colsum;

typedef struct colstat colstat;

colstat *colstat_new(const colstat_params *p, colstat_budget *b);
/* Adds one value (raw bytes, already unquoted). */
void colstat_add(colstat *c, const char *s, size_t len);
/* A value for colstat_add_batch(). */
typedef struct colstat_val {
	const char *s;
	size_t len;
} colstat_val;

/* Values per block in colstat_add_batch(): its hashes are computed and
 * their slots prefetched before the values are added. */
#define COLSTAT_BLOCK 16

/* Adds n values in order; the same as n calls of colstat_add(). */
void colstat_add_batch(colstat *c, const colstat_val *v, size_t n);
/* Adds a value of true_len bytes of which only the first len are given. */
void colstat_add_long(colstat *c, const char *s, size_t len, uint64_t true_len);
/* Adds n missing values (cells absent from short rows). */
void colstat_add_missing(colstat *c, uint64_t n);
/* Bytes held now. */
size_t colstat_bytes(const colstat *c);
/* The work done so far, in units of a repeated short value: values that
 * are not among the first distinct ones cost a parse and the sketches. */
double colstat_work(const colstat *c);
/* Finishes: frees c and returns the summary, the type decided. */
colsum *colstat_finish(colstat *c, const char *name);
void colsum_free(colsum *s);
const char *colsum_type_name(enum colsum_type t);
/* Whether a column name reads like an identifier ("id", "user_id",
 * "PassengerId", "key", "uuid"). */
int colsum_name_idlike(const char *name);
/* The value at quantile q in [0, 1] of the compact distribution. */
double colsum_dist_quantile(const colsum *s, double q);
/* Fraction of the distribution at or below x (right-continuous CDF). */
double colsum_dist_cdf(const colsum *s, double x);

#endif
