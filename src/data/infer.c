#include "config.h"

#include "data/infer.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

static int
token_eq(const char *s, size_t len, const char *t, size_t tlen)
{
	return len == tlen && memcmp(s, t, tlen) == 0;
}

#define TOKEN(lit) token_eq(s, len, lit, sizeof(lit) - 1)

int
infer_missing(const char *s, size_t len)
{
	if (len == 0)
		return 1;
	if (len > 8)
		return 0;
	switch (s[0]) {
	case '#':
		return TOKEN("#N/A") || TOKEN("#NA") || TOKEN("#N/A N/A");
	case '-':
		return len >= 4 && (TOKEN("-NaN") || TOKEN("-nan") || TOKEN("-1.#IND") || TOKEN("-1.#QNAN"));
	case '1':
		return len >= 6 && s[2] == '#' && (TOKEN("1.#IND") || TOKEN("1.#QNAN"));
	case '<':
		return TOKEN("<NA>");
	case 'N':
		return TOKEN("NA") || TOKEN("N/A") || TOKEN("NaN") || TOKEN("NULL");
	case 'n':
		return TOKEN("nan") || TOKEN("n/a") || TOKEN("null");
	default:
		return 0;
	}
}

static const double pow10_tab[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Locale-independent strtod for what the fast path cannot do exactly. */
static double
slow_strtod(const char *s, size_t len)
{
	static locale_t c_locale;
	char small[64], *buf = len < sizeof(small) ? small : xmalloc(len + 1);
	double v;

	if (!c_locale)
		c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	memcpy(buf, s, len);
	buf[len] = 0;
	v = c_locale ? strtod_l(buf, NULL, c_locale) : strtod(buf, NULL);
	if (buf != small)
		free(buf);
	return v;
}

static int
match_inf(const char *p, const char *end, double *num, int neg)
{
	size_t n = (size_t)(end - p);

	if ((n == 3 && strncasecmp(p, "inf", 3) == 0) || (n == 8 && strncasecmp(p, "infinity", 8) == 0)) {
		*num = neg ? -INFINITY : INFINITY;
		return 1;
	}
	return 0;
}

/* The digits of a decimal number: up to 19 significant ones in mant,
 * the value being mant * 10^exp10. */
typedef struct numdigits {
	uint64_t mant;
	int ndig, exp10, int_digits, frac_digits, is_float, exact;
} numdigits;

static const char *
scan_digits(const char *p, const char *end, numdigits *g)
{
	for (; p < end && is_digit(*p); p++, g->int_digits++) {
		if (g->ndig < 19) {
			g->mant = g->mant * 10 + (uint64_t)(*p - '0');
			g->ndig += g->mant != 0;
		} else {
			g->exp10++;
			g->exact &= *p == '0';
		}
	}
	if (p < end && *p == '.') {
		g->is_float = 1;
		for (p++; p < end && is_digit(*p); p++, g->frac_digits++) {
			if (g->ndig < 19) {
				g->mant = g->mant * 10 + (uint64_t)(*p - '0');
				g->ndig += g->mant != 0;
				g->exp10--;
			} else if (*p != '0') {
				g->exact = 0;
			}
		}
	}
	return p;
}

/* An exponent after the digits; NULL when it is malformed. */
static const char *
scan_exponent(const char *p, const char *end, numdigits *g)
{
	int neg = 0, e = 0, edig = 0;

	if (p == end || (*p != 'e' && *p != 'E'))
		return p;
	g->is_float = 1;
	p++;
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < end && is_digit(*p); p++, edig++)
		if (e < 100000)
			e = e * 10 + (*p - '0');
	g->exp10 += neg ? -e : e;
	return edig ? p : NULL;
}

/* The digits at p as a number (mant * 10 + digit each); where they end. */
static inline const char *
plain_digits(const char *p, const char *end, uint64_t *mant)
{
	uint64_t m = *mant;
	unsigned d;

	while (p < end && (d = (unsigned)(unsigned char)*p - '0') < 10) {
		m = m * 10 + d;
		p++;
	}
	*mant = m;
	return p;
}

/* The shape of most numbers in data files, -?digits[.digits] with at
 * most 19 digits, in one pass: the same answer as the general parser
 * below, or INFER_NKINDS when the value has another shape or needs more
 * than Clinger's fast path. A byte that no number holds after the first
 * digit ends it as text. */
static inline enum infer_kind
parse_plain(const char *s, size_t len, double *num, unsigned *flags)
{
	const char *p = s + (*s == '-'), *end = s + len, *dot = NULL;
	uint64_t mant = 0;
	size_t digits, frac;

	if (len > 20 || p == end || ((unsigned)(unsigned char)*p - '0' >= 10 && *p != '.'))
		return INFER_NKINDS;
	p = plain_digits(p, end, &mant);
	if (p < end && *p == '.') {
		dot = p;
		p = plain_digits(p + 1, end, &mant);
	}
	if (p < end) {
		if (*p == 'e' || *p == 'E' || *p == '+' || *p == '-' || *p == ' ' || *p == '.')
			return INFER_NKINDS;
		return INFER_TEXT;	/* no number has this byte */
	}
	digits = len - (*s == '-') - (dot != NULL);
	if (digits == 0 || digits > 19)
		return INFER_NKINDS;
	if (!dot && digits > 1 && s[*s == '-'] == '0') {
		*flags |= INFER_LEADZERO;
		return INFER_TEXT;
	}
	frac = dot ? (size_t)(end - dot - 1) : 0;
	if (mant > (1ull << 53) || frac > 22)
		return INFER_NKINDS;
	*num = frac ? (double)mant / pow10_tab[frac] : (double)mant;
	if (*s == '-')
		*num = -*num;
	if (!dot || fabs(*num) >= 4503599627370496.0 || (double)(int64_t)*num == *num)
		*flags |= INFER_INTEGRAL;
	return dot ? INFER_FLOAT : INFER_INT;
}

/* Numbers of any shape (parse_plain takes the common one first):
 * returns INFER_INT, INFER_FLOAT or INFER_TEXT (not a number). */
static enum infer_kind
parse_number(const char *s, size_t len, double *num, unsigned *flags)
{
	const char *p = s, *end = s + len, *start;
	numdigits g = {0, 0, 0, 0, 0, 0, 1};
	int neg = 0;

	if (len == 0)
		return INFER_TEXT;
	switch (*p) {
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
	case '-': case '.': case '+': case ' ': case 'i': case 'I':
		break;
	default:
		return INFER_TEXT;
	}
	if (*p == ' ' || end[-1] == ' ') {
		while (p < end && *p == ' ')
			p++;
		while (end > p && end[-1] == ' ')
			end--;
	}
	start = p;
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	if (p < end && !is_digit(*p) && *p != '.') {
		if (!match_inf(p, end, num, neg))
			return INFER_TEXT;
		*flags |= INFER_INFINITE;
		return INFER_FLOAT;
	}
	p = scan_digits(p, end, &g);
	if (g.int_digits + g.frac_digits == 0)
		return INFER_TEXT;
	p = scan_exponent(p, end, &g);
	if (p != end)
		return INFER_TEXT;
	if (!g.is_float && g.int_digits > 1 && *(start + (*start == '-' || *start == '+')) == '0') {
		*flags |= INFER_LEADZERO;
		return INFER_TEXT;
	}
	/* Clinger's fast path is exact: both operands are exact doubles. */
	if (g.exact && g.mant <= (1ull << 53) && g.exp10 >= -22 && g.exp10 <= 22) {
		*num = g.exp10 >= 0 ? (double)g.mant * pow10_tab[g.exp10] : (double)g.mant / pow10_tab[-g.exp10];
		if (neg)
			*num = -*num;
	} else {
		/* the sign is part of the text */
		*num = slow_strtod(start, (size_t)(end - start));
	}
	if (isinf(*num))
		*flags |= INFER_INFINITE;
	else if (!g.is_float || fabs(*num) >= 4503599627370496.0 || (double)(int64_t)*num == *num)
		*flags |= INFER_INTEGRAL;
	return g.is_float ? INFER_FLOAT : INFER_INT;
}

/* Reads 1 to max digits; returns how many. */
static int
read_num(const char *p, const char *end, int max, int *out)
{
	int n = 0, v = 0;

	while (p + n < end && n < max && is_digit(p[n]))
		v = v * 10 + (p[n++] - '0');
	*out = v;
	return n;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

long
infer_days_from_civil(long y, unsigned m, unsigned d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
valid_ymd(int y, int m, int d)
{
	return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* A date at the start of [p, end); returns the bytes used, 0 if none. */
static int
parse_date(const char *p, const char *end, long *days)
{
	int a, b, c, na, nb, nc;
	char sep;

	na = read_num(p, end, 4, &a);
	if (na == 0 || p + na >= end)
		return 0;
	sep = p[na];
	if (sep != '-' && sep != '/' && sep != '.')
		return 0;
	nb = read_num(p + na + 1, end, 2, &b);
	if (nb == 0 || p + na + 1 + nb >= end || p[na + 1 + nb] != sep)
		return 0;
	if (na == 4) {
		nc = read_num(p + na + nb + 2, end, 2, &c);
		if (nc == 0 || !valid_ymd(a, b, c))
			return 0;
		*days = infer_days_from_civil(a, (unsigned)b, (unsigned)c);
		return na + nb + nc + 2;
	}
	if (na > 2)
		return 0;
	nc = read_num(p + na + nb + 2, end, 4, &c);
	if (nc != 4)
		return 0;
	/* Dots are day-first (European); slashes and dashes month-first
	 * unless that cannot be a month. */
	if (sep != '.' && valid_ymd(c, a, b))
		*days = infer_days_from_civil(c, (unsigned)a, (unsigned)b);
	else if (valid_ymd(c, b, a))
		*days = infer_days_from_civil(c, (unsigned)b, (unsigned)a);
	else
		return 0;
	return na + nb + nc + 2;
}

static int
parse_zone(const char *p, const char *end, double *offset)
{
	int hh, mm = 0, n;
	int sign;

	*offset = 0;
	if (p == end)
		return 1;
	if (end - p == 1 && *p == 'Z')
		return 1;
	if (end - p == 4 && memcmp(p, " UTC", 4) == 0)
		return 1;
	if (*p != '+' && *p != '-')
		return 0;
	sign = *p++ == '-' ? -1 : 1;
	n = read_num(p, end, 2, &hh);
	if (n != 2 || hh > 14)
		return 0;
	p += 2;
	if (p < end && *p == ':')
		p++;
	if (p < end) {
		if (read_num(p, end, 2, &mm) != 2 || mm > 59)
			return 0;
		p += 2;
	}
	*offset = sign * (hh * 3600.0 + mm * 60.0);
	return p == end;
}

/* "H:MM[:SS[.fff]]" and a zone: *secs gets the seconds into the day in
 * UTC (negative or past a day when the offset says so); 1 when valid. */
static int
parse_time(const char *p, const char *end, double *secs)
{
	int h, m, s = 0, n;
	double frac = 0, scale = 0.1, offset;

	n = read_num(p, end, 2, &h);
	if (n == 0 || p + n >= end || p[n] != ':' || h > 24)
		return 0;
	p += n + 1;
	if (read_num(p, end, 2, &m) != 2 || m > 59)
		return 0;
	p += 2;
	if (p < end && *p == ':') {
		if (read_num(p + 1, end, 2, &s) != 2 || s > 60)
			return 0;
		p += 3;
		if (p < end && *p == '.') {
			for (p++; p < end && is_digit(*p); p++, scale *= 0.1)
				frac += (*p - '0') * scale;
		}
	}
	if (!parse_zone(p, end, &offset))
		return 0;
	*secs = h * 3600.0 + m * 60.0 + s + frac - offset;
	return 1;
}

/* Two digits at p as a number, or -1. */
static inline int
two_digits(const char *p)
{
	unsigned a = (unsigned)(unsigned char)p[0] - '0', b = (unsigned)(unsigned char)p[1] - '0';

	return a < 10 && b < 10 ? (int)(a * 10 + b) : -1;
}

/* "YYYY-MM-DD" and "YYYY-MM-DD[T ]HH:MM:SS", the shapes of most dates in
 * data files, read at fixed offsets: the same answer as parse_date and
 * parse_time, or INFER_NKINDS for anything else. */
static enum infer_kind
parse_iso(const char *s, size_t len, double *num)
{
	int yh, yl, mo, d, h, mi, sec;
	long days;

	if ((len != 10 && len != 19) || s[4] != '-' || s[7] != '-')
		return INFER_NKINDS;
	yh = two_digits(s);
	yl = two_digits(s + 2);
	mo = two_digits(s + 5);
	d = two_digits(s + 8);
	if (yh < 0 || yl < 0 || mo < 0 || d < 0 || !valid_ymd(yh * 100 + yl, mo, d))
		return INFER_NKINDS;
	days = infer_days_from_civil(yh * 100 + yl, (unsigned)mo, (unsigned)d);
	if (len == 10) {
		*num = days * 86400.0;
		return INFER_DATE;
	}
	if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
		return INFER_NKINDS;
	h = two_digits(s + 11);
	mi = two_digits(s + 14);
	sec = two_digits(s + 17);
	if (h < 0 || mi < 0 || sec < 0 || h > 24 || mi > 59 || sec > 60)
		return INFER_NKINDS;
	*num = days * 86400.0 + (h * 3600.0 + mi * 60.0 + sec);
	return INFER_DATETIME;
}

static enum infer_kind
parse_datetime(const char *s, size_t len, double *num)
{
	const char *end = s + len;
	enum infer_kind k = parse_iso(s, len, num);
	long days;
	int n;
	double t;

	if (k != INFER_NKINDS)
		return k;
	n = parse_date(s, end, &days);
	if (n == 0)
		return INFER_TEXT;
	if ((size_t)n == len) {
		*num = days * 86400.0;
		return INFER_DATE;
	}
	if ((s[n] != 'T' && s[n] != ' ') || !parse_time(s + n + 1, end, &t))
		return INFER_TEXT;
	*num = days * 86400.0 + t;
	return INFER_DATETIME;
}

/* Whether a value of 8 bytes or more that starts with a digit can be a
 * date: parse_iso and parse_date both need 1 to 4 digits and then one
 * of their separators. Hex ids and the like stop here. */
static inline int
may_be_date(const char *s)
{
	size_t i = 1;

	while (i < 5 && is_digit(s[i]))
		i++;
	return i < 5 && (s[i] == '-' || s[i] == '/' || s[i] == '.');
}

enum infer_kind
infer_value_hint(const char *s, size_t len, double *num, unsigned *flags, enum infer_kind hint)
{
	enum infer_kind k;
	int dateish = len >= 8 && len <= 40 && is_digit(s[0]);

	*flags = 0;
	*num = 0;
	/* No value is both a date and a number, so the order is free. */
	if (dateish && (hint == INFER_DATE || hint == INFER_DATETIME)) {
		k = parse_datetime(s, len, num);
		if (k != INFER_TEXT)
			return k;
	}
	/* Most numbers in one pass; a value it shows is no number can only
	 * be a date (no boolean starts so). */
	if (len && (is_digit(s[0]) || s[0] == '-' || s[0] == '.')) {
		k = parse_plain(s, len, num, flags);
		if (k == INFER_INT || k == INFER_FLOAT || (*flags & INFER_LEADZERO))
			return k;
		if (k == INFER_TEXT)
			return dateish && may_be_date(s) ? parse_datetime(s, len, num) : INFER_TEXT;
	}
	if (len == 4 && (s[0] | 0x20) == 't' && strncasecmp(s, "true", 4) == 0) {
		*num = 1;
		return INFER_BOOL;
	}
	if (len == 5 && (s[0] | 0x20) == 'f' && strncasecmp(s, "false", 5) == 0)
		return INFER_BOOL;
	k = parse_number(s, len, num, flags);
	if (k != INFER_TEXT || (*flags & INFER_LEADZERO) || !dateish || !may_be_date(s))
		return k;
	return parse_datetime(s, len, num);
}

enum infer_kind
infer_value(const char *s, size_t len, double *num, unsigned *flags)
{
	return infer_value_hint(s, len, num, flags, INFER_INT);
}

const char *
infer_kind_name(enum infer_kind k)
{
	static const char *const names[] = {"integer", "float", "boolean", "date", "datetime", "text"};

	return k < INFER_NKINDS ? names[k] : "text";
}

static int
luhn_ok(const char *digits, size_t n)
{
	int sum = 0, dbl = 0;
	size_t i;

	for (i = n; i-- > 0;) {
		int d = digits[i] - '0';

		if (dbl) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
		dbl = !dbl;
	}
	return sum % 10 == 0;
}

static int
looks_email(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len), *dot;
	size_t i;

	if (!at || at == s || len > 254)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == ' ' || s[i] == ',' || s[i] == '<' || s[i] == '>')
			return 0;
	dot = memchr(at + 1, '.', (size_t)(s + len - at - 1));
	return dot && dot > at + 1 && dot < s + len - 1 && !memchr(at + 1, '@', (size_t)(s + len - at - 1));
}

enum infer_pii
infer_pii(const char *s, size_t len)
{
	char digits[24];
	size_t i, nd = 0, seps = 0;
	int plus = 0, paren = 0;
	double num;
	unsigned flags;

	if (len < 7 || len > 254)
		return INFER_PII_NONE;
	if (looks_email(s, len))
		return INFER_PII_EMAIL;
	if (len > 24)
		return INFER_PII_NONE;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (is_digit(c)) {
			if (nd == sizeof(digits))
				return INFER_PII_NONE;
			digits[nd++] = c;
		} else if (c == '+' && i == 0) {
			plus = 1;
		} else if (c == '(' || c == ')') {
			paren = 1;
		} else if (c == ' ' || c == '-' || c == '.') {
			seps++;
		} else {
			return INFER_PII_NONE;
		}
	}
	if (nd >= 13 && nd <= 19 && !plus && !paren && luhn_ok(digits, nd) && (seps == 0 || seps >= 2))
		return INFER_PII_CARD;
	/* A bare run of digits is more often a number than a phone, and
	 * dates and signed or decimal numbers have separators too. */
	if (nd >= 7 && nd <= 15 && (plus || paren || seps) && infer_value(s, len, &num, &flags) == INFER_TEXT)
		return INFER_PII_PHONE;
	return INFER_PII_NONE;
}

const char *
infer_pii_name(enum infer_pii p)
{
	static const char *const names[] = {"none", "email", "phone", "card"};

	return names[p];
}

char *
infer_mask(const char *s, size_t len)
{
	enum infer_pii kind = infer_pii(s, len);
	char *out = xstrndup(s, len);
	size_t i, nd = 0, keep, seen = 0;
	const char *at, *dot;

	switch (kind) {
	case INFER_PII_NONE:
		return out;
	case INFER_PII_EMAIL:
		free(out);
		at = memchr(s, '@', len);
		dot = s + len;
		while (dot > at && dot[-1] != '.')
			dot--;
		return xasprintf("%c***@***.%.*s", s[0], (int)(s + len - dot), dot);
	case INFER_PII_PHONE:
	case INFER_PII_CARD:
		break;
	}
	for (i = 0; i < len; i++)
		nd += is_digit(s[i]);
	keep = kind == INFER_PII_CARD ? 4 : 2;
	for (i = 0; i < len; i++) {
		if (!is_digit(out[i]))
			continue;
		if (seen++ < nd - keep)
			out[i] = 'X';
	}
	return out;
}

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char b = p[0], lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (b > 0 && b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		need = 1;
	else if (b >= 0xe0 && b <= 0xef)
		need = 2;
	else if (b >= 0xf0 && b <= 0xf4)
		need = 3;
	else
		return 0;
	if (b == 0xe0)
		lo = 0xa0;
	else if (b == 0xed)
		hi = 0x9f;
	else if (b == 0xf0)
		lo = 0x90;
	else if (b == 0xf4)
		hi = 0x8f;
	if (need >= n)
		return 0;
	for (i = 1; i <= need; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

char *
infer_clean(const char *s, size_t len)
{
	char *out = xmalloc(3 * len + 1), *o = out;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_seq((const unsigned char *)s + i, len - i);

		if (n) {
			memcpy(o, s + i, n);
			o += n;
			i += n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	*o = 0;
	return out;
}

char *
infer_display(const char *s, size_t len)
{
	char *masked, *out;

	if (infer_pii(s, len) == INFER_PII_NONE)
		return infer_clean(s, len);
	masked = infer_mask(s, len);
	out = infer_clean(masked, strlen(masked));
	free(masked);
	return out;
}

static void
civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void
infer_format_time(double secs, int with_time, char *buf, size_t n)
{
	double day = floor(secs / 86400.0), rest = secs - day * 86400.0;
	long y;
	unsigned m, d;
	int hh, mm;
	double ss;

	if (!isfinite(secs) || fabs(secs) > 1e13) {
		snprintf(buf, n, "?");
		return;
	}
	civil_from_days((long)day, &y, &m, &d);
	if (!with_time) {
		snprintf(buf, n, "%04ld-%02u-%02u", y, m, d);
		return;
	}
	hh = (int)(rest / 3600);
	mm = (int)((rest - hh * 3600) / 60);
	ss = rest - hh * 3600 - mm * 60;
	if (ss == floor(ss))
		snprintf(buf, n, "%04ld-%02u-%02u %02d:%02d:%02d", y, m, d, hh, mm, (int)ss);
	else
		snprintf(buf, n, "%04ld-%02u-%02u %02d:%02d:%06.3f", y, m, d, hh, mm, ss);
}

void
infer_json_time(cJSON *o, const char *key, double secs, int with_time)
{
	char buf[40];

	infer_format_time(secs, with_time, buf, sizeof(buf));
	cJSON_AddStringToObject(o, key, buf);
}
