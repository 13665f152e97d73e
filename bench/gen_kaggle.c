/* Writes a Kaggle-like CSV of about the requested size to stdout: ints,
 * floats with missing values, a 50-level categorical, quoted text with
 * commas and quotes, a near-unique string, dates, datetimes, booleans and
 * a 0/1 target. Deterministic.
 *
 *   gen_kaggle MIB           rows of ~170 bytes (long quoted text)
 *   gen_kaggle --short MIB   rows of ~114 bytes, 15 columns, short text:
 *                            many more values per byte, the harder case
 *   gen_kaggle --wide MIB    3,000 columns: an id, a 0/1 target and
 *                            anonymised features (small ints, floats,
 *                            10-level codes, 5 % missing) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
unif(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

static double
normal(void)
{
	double s = 0;
	int i;

	for (i = 0; i < 12; i++)
		s += unif();
	return s - 6;
}

static const char *const words[] = {
	"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "data", "model",
	"kaggle", "train", "test", "value", "score", "great", "product", "would", "buy", "again",
	"not", "good", "very", "price", "shipping", "fast", "slow", "item", "broken", "works",
};

/* Quoted words, min to min + spread - 1 of them, separated by a comma
 * one time in comma_every (else a space); with quotes, a doubled-quote
 * "really" now and then. */
static int
text(char *o, int min, int spread, int comma_every, int quotes)
{
	int n = min + (int)(next() % (uint64_t)spread), i, len = 0;

	o[len++] = '"';
	for (i = 0; i < n; i++) {
		const char *w = words[next() % (sizeof(words) / sizeof(*words))];

		if (i)
			o[len++] = (next() % (uint64_t)comma_every == 0) ? ',' : ' ';
		len += sprintf(o + len, "%s", w);
		if (quotes && next() % 40 == 0)
			len += sprintf(o + len, " \"\"really\"\"");
	}
	o[len++] = '"';
	o[len] = 0;
	return len;
}

/* The original file: ~170-byte rows. */
static int
long_row(char *line, uint64_t row)
{
	char t[256];
	int n = 0, y = 2010 + (int)(next() % 10), mo = 1 + (int)(next() % 12), d = 1 + (int)(next() % 28);
	double fa = 50 + 12 * normal(), fb = unif() * 1000;

	n += sprintf(line + n, "%llu,%llu,%llu,", (unsigned long long)row, (unsigned long long)(next() % 1000000),
		     (unsigned long long)(next() % 101));
	if (next() % 100 < 15)
		n += sprintf(line + n, ",");
	else
		n += sprintf(line + n, "%.4f,", fa);
	if (next() % 100 < 5)	/* missing, as pandas writes NaN */
		n += sprintf(line + n, ",");
	else
		n += sprintf(line + n, "%.6g,", fb * fb);
	n += sprintf(line + n, "cat_%02d,", (int)(next() % 50));
	text(t, 3, 12, 6, 1);
	n += sprintf(line + n, "%s,", t);
	if (next() % 100 == 0)
		n += sprintf(line + n, "dup%05d,", (int)(next() % 1000));
	else
		n += sprintf(line + n, "%016llx,", (unsigned long long)next());
	n += sprintf(line + n, "%04d-%02d-%02d,", y, mo, d);
	n += sprintf(line + n, "%04d-%02d-%02d %02d:%02d:%02d,", y, mo, d, (int)(next() % 24), (int)(next() % 60),
		     (int)(next() % 60));
	n += sprintf(line + n, "%s,", next() % 2 ? "True" : "False");
	n += sprintf(line + n, "%.2f,", unif() * 500);
	n += sprintf(line + n, "%d,", 1990 + (int)(next() % 31));
	if (next() % 10 == 0)
		n += sprintf(line + n, ",");
	else
		n += sprintf(line + n, "%c,", "ABCDE"[next() % 5]);
	n += sprintf(line + n, "%d\n", fa > 55 ? 1 : 0);
	return n;
}

/* The harder file: ~114-byte rows of 15 short columns. */
static int
short_row(char *line, uint64_t row)
{
	char t[128];
	int n = 0, y = 2015 + (int)(next() % 8), mo = 1 + (int)(next() % 12), d = 1 + (int)(next() % 28);
	double fa = 50 + 12 * normal();

	n += sprintf(line + n, "%llu,%llu,%d,", (unsigned long long)row, (unsigned long long)(next() % 1000000),
		     (int)(next() % 100));
	if (next() % 100 < 15)
		n += sprintf(line + n, ",");
	else
		n += sprintf(line + n, "%.3f,", fa);
	if (next() % 100 < 5)
		n += sprintf(line + n, ",");
	else
		n += sprintf(line + n, "%.4g,", unif() * 1000);
	n += sprintf(line + n, "c%02d,", (int)(next() % 50));
	text(t, 2, 4, 4, 0);
	n += sprintf(line + n, "%s,", t);
	if (next() % 50 == 0)
		n += sprintf(line + n, "D%04d,", (int)(next() % 1000));
	else
		n += sprintf(line + n, "%012llx,", (unsigned long long)(next() >> 16));
	n += sprintf(line + n, "%04d-%02d-%02d,", y, mo, d);
	n += sprintf(line + n, "%04d-%02d-%02dT%02d:%02d:%02d,", y, mo, d, (int)(next() % 24), (int)(next() % 60),
		     (int)(next() % 60));
	n += sprintf(line + n, "%s,", next() % 2 ? "true" : "false");
	n += sprintf(line + n, "%d,", 1 + (int)(next() % 5));
	n += sprintf(line + n, "%.2f,", unif() * 100);
	if (next() % 10 == 0)
		n += sprintf(line + n, ",");
	else
		n += sprintf(line + n, "%c,", "ABCDE"[next() % 5]);
	n += sprintf(line + n, "%d\n", fa > 55 ? 1 : 0);
	return n;
}

#define WIDE_FEATURES 2998

/* A wide row: id, target, then the features. */
static int
wide_row(char *line, uint64_t row)
{
	int n = sprintf(line, "%llu,%d", (unsigned long long)row, (int)(next() % 2)), j;

	for (j = 0; j < WIDE_FEATURES; j++) {
		line[n++] = ',';
		if (next() % 100 < 5)
			continue;
		if (j % 10 == 0)
			n += sprintf(line + n, "c%d", (int)(next() % 10));
		else if (j % 10 <= 3)
			n += sprintf(line + n, "%d", (int)(next() % 100));
		else
			n += sprintf(line + n, "%.3f", normal());
	}
	line[n++] = '\n';
	return n;
}

static int
header(char *buf, int mode)
{
	int n, j;

	if (mode == 's')
		return sprintf(buf, "id,user,age,score,amount,segment,comment,code,date,timestamp,active,rating,"
				    "discount,grade,target\n");
	if (mode != 'w')
		return sprintf(buf, "id,int_a,int_b,float_a,float_b,cat50,text,code,date,datetime,flag,price,year,"
				    "grade,target\n");
	n = sprintf(buf, "id,target");
	for (j = 0; j < WIDE_FEATURES; j++)
		n += sprintf(buf + n, ",f%04d", j + 1);
	buf[n++] = '\n';
	return n;
}

int
main(int argc, char **argv)
{
	int mode = argc > 1 && !strcmp(argv[1], "--short") ? 's' : argc > 1 && !strcmp(argv[1], "--wide") ? 'w' : 0;
	const char *mib = argc > 1 + !!mode ? argv[1 + !!mode] : "1024";
	uint64_t want = (uint64_t)(atof(mib) * 1048576.0), written = 0, row;
	static char buf[1 << 20], line[1 << 16];
	size_t used;

	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	used = (size_t)header(buf, mode);
	for (row = 1; written < want; row++) {
		int n = mode == 's' ? short_row(line, row) : mode == 'w' ? wide_row(line, row) : long_row(line, row);

		if (used + (size_t)n > sizeof(buf)) {
			fwrite(buf, 1, used, stdout);
			used = 0;
		}
		memcpy(buf + used, line, (size_t)n);
		used += (size_t)n;
		written += (uint64_t)n;
	}
	fwrite(buf, 1, used, stdout);
	return ferror(stdout) ? 1 : 0;
}
