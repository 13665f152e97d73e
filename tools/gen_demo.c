/* Generates the demo competition: a synthetic customer-churn table with
 * the column kinds real competitions have (ids, integers, floats with
 * missing values, categories, a high-cardinality code with leading zeros, a
 * boolean, a date) and a binary target with real but noisy signal.
 *
 *   gen_demo OUTDIR   writes train.csv, test.csv, sample_submission.csv and
 *                     competition.json into OUTDIR (which must exist)
 *
 * The output is the same on every run and machine: a fixed-seed splitmix64
 * generator, and numbers formatted with integer arithmetic, so no locale
 * or printf rounding mode can change a byte. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_TRAIN 5000
#define DEMO_TEST 2000
#define DEMO_ROWS (DEMO_TRAIN + DEMO_TEST)
#define DEMO_SEED 0x5eed2024c0ffeeULL
/* Signup dates run over 2017-01-01 .. 2023-12-31; tenure counts to 2024-01-01. */
#define DEMO_FIRST_DAY 17167   /* 2017-01-01 as days since 1970-01-01 */
#define DEMO_SPAN_DAYS 2556
#define DEMO_REF_DAY 19723     /* 2024-01-01 */

typedef struct demo_rng {
	uint64_t state;
} demo_rng;

static uint64_t
rng_next(demo_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
rng_unit(demo_rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static unsigned
rng_below(demo_rng *r, unsigned n)
{
	return (unsigned)(rng_unit(r) * n);
}

static double
rng_normal(demo_rng *r)
{
	double u = 1.0 - rng_unit(r), v = rng_unit(r);

	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static unsigned
rng_poisson(demo_rng *r, double lambda)
{
	double limit = exp(-lambda), p = rng_unit(r);
	unsigned k = 0;

	while (p > limit) {
		p *= rng_unit(r);
		k++;
	}
	return k;
}

/* An index drawn with the given integer weights. */
static unsigned
rng_weighted(demo_rng *r, const unsigned *w, unsigned n)
{
	unsigned total = 0, i, x;

	for (i = 0; i < n; i++)
		total += w[i];
	x = rng_below(r, total);
	for (i = 0; i + 1 < n && x >= w[i]; i++)
		x -= w[i];
	return i;
}

static const char *const demo_cities[] = {
	"Lisbon", "Porto", "Madrid", "Barcelona", "Lyon", "Paris",
	"Berlin", "Munich", "Milan", "Rome", "Vienna", "Prague",
};
static const unsigned demo_city_weight[] = { 14, 9, 12, 10, 6, 11, 10, 6, 7, 6, 5, 4 };
static const double demo_city_effect[] = {
	0.10, 0.35, -0.05, 0.15, -0.30, 0.05, -0.15, -0.35, 0.25, 0.30, -0.20, 0.00,
};
static const char *const demo_plans[] = { "basic", "standard", "premium" };
static const unsigned demo_plan_weight[] = { 45, 35, 20 };
static const unsigned demo_region_weight[] = { 12, 10, 14, 9, 11, 8, 10, 9, 9, 8 };

typedef struct demo_row {
	unsigned long id;
	int age;                 /* -1: missing */
	unsigned city, plan;
	long signup_day;
	int tenure;
	double monthly, total, usage;   /* NAN: missing */
	unsigned calls;
	int autopay;
	unsigned referral;
	int churned;
} demo_row;

static double
maybe_missing(demo_rng *r, double value, double rate)
{
	return rng_unit(r) < rate ? NAN : value;
}

static void
demo_make_row(demo_rng *r, demo_row *row)
{
	unsigned region;
	double z, age;

	row->city = rng_weighted(r, demo_city_weight, 12);
	row->plan = rng_weighted(r, demo_plan_weight, 3);
	row->signup_day = DEMO_FIRST_DAY + (long)rng_below(r, DEMO_SPAN_DAYS);
	row->tenure = (int)((DEMO_REF_DAY - row->signup_day) / 30.44);
	age = fmin(fmax(44.0 + 14.0 * rng_normal(r), 18.0), 85.0);
	row->age = (int)age;
	row->monthly = fmax(35.0 + 30.0 * row->plan + 8.0 * rng_normal(r), 10.0);
	row->total = row->monthly * (row->tenure > 0 ? row->tenure : 1) *
		     (1.0 + 0.03 * rng_normal(r));
	row->calls = rng_poisson(r, row->plan == 0 ? 2.0 : 1.2);
	row->usage = exp(2.1 + 0.4 * row->plan + 0.6 * rng_normal(r));
	row->autopay = rng_unit(r) < 0.55;
	region = rng_weighted(r, demo_region_weight, 10);
	row->referral = region * 10000 + 137 + 61 * rng_below(r, 160);

	z = -0.9
	    + (row->plan == 0 ? 1.0 : row->plan == 2 ? -0.8 : 0.0)
	    - 0.05 * (row->tenure - 36)
	    + 0.5 * (row->calls - 1.5)
	    + 0.02 * (row->monthly - 60.0)
	    - 1.2 * row->autopay
	    + 1.5 * demo_city_effect[row->city]
	    + (region <= 1 ? 0.8 : 0.0)
	    - 0.02 * (age - 44.0)
	    + (row->usage < 6.0 ? 0.6 : 0.0)
	    + 0.5 * rng_normal(r);
	row->churned = rng_unit(r) < 1.0 / (1.0 + exp(-z));

	if (rng_unit(r) < 0.03)
		row->age = -1;
	row->monthly = maybe_missing(r, row->monthly, 0.06);
	row->total = maybe_missing(r, row->total, 0.05);
	row->usage = maybe_missing(r, row->usage, 0.08);
}

/* Writes x with the given number of decimals (0..4), or nothing for NAN. */
static void
put_fixed(FILE *f, double x, int decimals)
{
	static const long long scale[] = { 1, 10, 100, 1000, 10000 };
	long long v;

	if (isnan(x))
		return;
	v = llround(x * (double)scale[decimals]);
	if (v < 0) {
		fputc('-', f);
		v = -v;
	}
	fprintf(f, "%lld", v / scale[decimals]);
	if (decimals)
		fprintf(f, ".%0*lld", decimals, v % scale[decimals]);
}

/* Days since 1970-01-01 to YYYY-MM-DD (proleptic Gregorian). */
static void
put_date(FILE *f, long days)
{
	long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);

	fprintf(f, "%04ld-%02ld-%02ld", y, m, d);
}

static void
put_row(FILE *f, const demo_row *row, int with_target)
{
	fprintf(f, "%lu,", row->id);
	if (row->age >= 0)
		fprintf(f, "%d", row->age);
	fprintf(f, ",%s,%s,", demo_cities[row->city], demo_plans[row->plan]);
	put_date(f, row->signup_day);
	fprintf(f, ",%d,", row->tenure);
	put_fixed(f, row->monthly, 2);
	fputc(',', f);
	put_fixed(f, row->total, 2);
	fprintf(f, ",%u,", row->calls);
	put_fixed(f, row->usage, 1);
	fprintf(f, ",%s,%05u", row->autopay ? "True" : "False", row->referral);
	if (with_target)
		fprintf(f, ",%d", row->churned);
	fputc('\n', f);
}

static const char demo_header[] =
	"customer_id,age,city,plan,signup_date,tenure_months,monthly_charges,"
	"total_charges,support_calls,data_usage_gb,autopay,referral_code";

static const char demo_competition[] =
	"{\n"
	"  \"ref\": \"autokaggle-demo-churn\",\n"
	"  \"title\": \"autokaggle demo: customer churn\",\n"
	"  \"evaluationMetric\": \"Area Under Receiver Operating Characteristic Curve\",\n"
	"  \"deadline\": \"2030-12-31T23:59:59Z\",\n"
	"  \"reward\": \"Knowledge\",\n"
	"  \"category\": \"Getting Started\",\n"
	"  \"description\": \"Predict which customers of a fictional telecom cancel their "
	"subscription. Each row is one customer: age, city, plan, signup date and tenure, "
	"charges, support calls, data usage, whether they pay automatically, and the "
	"referral code they joined with. The target churned is 1 when the customer left. "
	"Submissions give the probability of churn for every customer_id in test.csv and "
	"are scored by the area under the ROC curve. The data are synthetic, generated by "
	"autokaggle's tools/gen_demo.\",\n"
	"  \"maxDailySubmissions\": 5\n"
	"}\n";

typedef void (*demo_writer)(FILE *f, const demo_row *rows);

static void
write_train(FILE *f, const demo_row *rows)
{
	size_t i;

	fprintf(f, "%s,churned\n", demo_header);
	for (i = 0; i < DEMO_TRAIN; i++)
		put_row(f, &rows[i], 1);
}

static void
write_test(FILE *f, const demo_row *rows)
{
	size_t i;

	fprintf(f, "%s\n", demo_header);
	for (i = DEMO_TRAIN; i < DEMO_ROWS; i++)
		put_row(f, &rows[i], 0);
}

static void
write_sample(FILE *f, const demo_row *rows)
{
	size_t i;

	fputs("customer_id,churned\n", f);
	for (i = DEMO_TRAIN; i < DEMO_ROWS; i++)
		fprintf(f, "%lu,0.5\n", rows[i].id);
}

static void
write_competition(FILE *f, const demo_row *rows)
{
	(void)rows;
	fputs(demo_competition, f);
}

/* Writes dir/name through a temporary file, so make never sees half a file. */
static int
write_file(const char *dir, const char *name, demo_writer w, const demo_row *rows)
{
	char path[4096], tmp[4200];
	FILE *f;
	int bad;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "gen_demo: cannot create %s: ", tmp);
		perror(NULL);
		return -1;
	}
	w(f, rows);
	bad = ferror(f);
	if (fclose(f) != 0 || bad || rename(tmp, path) < 0) {
		fprintf(stderr, "gen_demo: cannot write %s: ", path);
		perror(NULL);
		remove(tmp);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static demo_row rows[DEMO_ROWS];
	demo_rng r = { DEMO_SEED };
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_demo OUTDIR\n");
		return 2;
	}
	/* Distinct, unordered ids: a gapped sequence, shuffled. */
	for (i = 0; i < DEMO_ROWS; i++)
		rows[i].id = 100000 + 13 * i + rng_below(&r, 13);
	for (i = DEMO_ROWS - 1; i > 0; i--) {
		size_t j = rng_below(&r, (unsigned)(i + 1));
		unsigned long t = rows[i].id;

		rows[i].id = rows[j].id;
		rows[j].id = t;
	}
	for (i = 0; i < DEMO_ROWS; i++)
		demo_make_row(&r, &rows[i]);
	if (write_file(argv[1], "train.csv", write_train, rows) < 0 ||
	    write_file(argv[1], "test.csv", write_test, rows) < 0 ||
	    write_file(argv[1], "sample_submission.csv", write_sample, rows) < 0 ||
	    write_file(argv[1], "competition.json", write_competition, rows) < 0)
		return 1;
	return 0;
}
