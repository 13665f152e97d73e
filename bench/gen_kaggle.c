/* Writes a Kaggle-like CSV of about the requested size to stdout: ints,
 * floats with missing values, a 50-level categorical, quoted text with
 * commas and quotes, a near-unique string, dates, datetimes, booleans and
 * a 0/1 target. Deterministic. Usage: gen_kaggle MIB */
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

static int
text(char *o)
{
	int n = 3 + (int)(next() % 12), i, len = 0;

	o[len++] = '"';
	for (i = 0; i < n; i++) {
		const char *w = words[next() % (sizeof(words) / sizeof(*words))];

		if (i)
			o[len++] = (next() % 6 == 0) ? ',' : ' ';
		len += sprintf(o + len, "%s", w);
		if (next() % 40 == 0)
			len += sprintf(o + len, " \"\"really\"\"");
	}
	o[len++] = '"';
	o[len] = 0;
	return len;
}

int
main(int argc, char **argv)
{
	uint64_t want = (uint64_t)((argc > 1 ? atof(argv[1]) : 1024) * 1048576.0), written = 0, row;
	static char buf[1 << 20];
	size_t used = 0;

	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	used += (size_t)sprintf(buf, "id,int_a,int_b,float_a,float_b,cat50,text,code,date,datetime,flag,price,"
				     "year,grade,target\n");
	for (row = 1; written < want; row++) {
		char line[512], t[256];
		int n = 0, y = 2010 + (int)(next() % 10), mo = 1 + (int)(next() % 12), d = 1 + (int)(next() % 28);
		double fa = 50 + 12 * normal(), fb = unif() * 1000;

		n += sprintf(line + n, "%llu,%llu,%llu,", (unsigned long long)row,
			     (unsigned long long)(next() % 1000000), (unsigned long long)(next() % 101));
		if (next() % 100 < 15)
			n += sprintf(line + n, ",");
		else
			n += sprintf(line + n, "%.4f,", fa);
		if (next() % 100 < 5)	/* missing, as pandas writes NaN */
			n += sprintf(line + n, ",");
		else
			n += sprintf(line + n, "%.6g,", fb * fb);
		n += sprintf(line + n, "cat_%02d,", (int)(next() % 50));
		text(t);
		n += sprintf(line + n, "%s,", t);
		if (next() % 100 == 0)
			n += sprintf(line + n, "dup%05d,", (int)(next() % 1000));
		else
			n += sprintf(line + n, "%016llx,", (unsigned long long)next());
		n += sprintf(line + n, "%04d-%02d-%02d,", y, mo, d);
		n += sprintf(line + n, "%04d-%02d-%02d %02d:%02d:%02d,", y, mo, d, (int)(next() % 24),
			     (int)(next() % 60), (int)(next() % 60));
		n += sprintf(line + n, "%s,", next() % 2 ? "True" : "False");
		n += sprintf(line + n, "%.2f,", unif() * 500);
		n += sprintf(line + n, "%d,", 1990 + (int)(next() % 31));
		if (next() % 10 == 0)
			n += sprintf(line + n, ",");
		else
			n += sprintf(line + n, "%c,", "ABCDE"[next() % 5]);
		n += sprintf(line + n, "%d\n", fa > 55 ? 1 : 0);
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
