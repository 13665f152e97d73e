#include "config.h"

#include "exec/exec.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads an unsigned decimal number ("12", "1.5", ".5") at *p. */
static int
exec_units_number(const char **p, double *v)
{
	const char *s = *p;
	char *end;

	if (!isdigit((unsigned char)*s) && !(*s == '.' && isdigit((unsigned char)s[1])))
		return -1;
	*v = strtod(s, &end);
	if (end == s)
		return -1;
	*p = end;
	return 0;
}

static const char *
exec_units_skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int
exec_units_blank_to_end(const char *s)
{
	return *exec_units_skip_blanks(s) == '\0';
}

long
exec_parse_duration_ms(const char *s, ak_err *e)
{
	const char *p = s ? exec_units_skip_blanks(s) : "";
	double total = 0, v;
	int parts = 0;

	while (*p && !exec_units_blank_to_end(p)) {
		double unit;

		p = exec_units_skip_blanks(p);
		if (exec_units_number(&p, &v) < 0)
			goto bad;
		if (strncmp(p, "ms", 2) == 0)
			unit = 1, p += 2;
		else if (*p == 's')
			unit = 1000, p++;
		else if (*p == 'm')
			unit = 60e3, p++;
		else if (*p == 'h')
			unit = 3600e3, p++;
		else if (*p == 'd')
			unit = 86400e3, p++;
		else if (parts == 0 && exec_units_blank_to_end(p))
			unit = 1000;
		else
			goto bad;
		total += v * unit;
		parts++;
	}
	if (!parts || !isfinite(total) || total > 1e15)
		goto bad;
	return (long)llround(total);
bad:
	err_set(e, "invalid duration \"%s\": give seconds (45) or a number with a unit h, m, s, as in 90s, 30m, 2h, 1h30m",
		s ? s : "");
	return -1;
}

long long
exec_parse_bytes(const char *s, ak_err *e)
{
	const char *p = s ? exec_units_skip_blanks(s) : "";
	double v, unit = 1;

	if (exec_units_number(&p, &v) < 0)
		goto bad;
	p = exec_units_skip_blanks(p);
	switch (toupper((unsigned char)*p)) {
	case 'K': unit = 1024.0; p++; break;
	case 'M': unit = 1024.0 * 1024; p++; break;
	case 'G': unit = 1024.0 * 1024 * 1024; p++; break;
	case 'T': unit = 1024.0 * 1024 * 1024 * 1024; p++; break;
	default: break;
	}
	if (unit > 1 && *p == 'i')
		p++;
	if (toupper((unsigned char)*p) == 'B')
		p++;
	v *= unit;
	if (!exec_units_blank_to_end(p) || !isfinite(v) || v > 9e18)
		goto bad;
	return (long long)llround(v);
bad:
	err_set(e, "invalid size \"%s\": give bytes (1048576) or a number with a unit K, M, G, T, as in 512M, 8G, 1.5G",
		s ? s : "");
	return -1;
}

void
exec_format_duration(long ms, char *buf, size_t n)
{
	long s;

	if (ms < 0)
		ms = 0;
	s = ms / 1000;
	if (ms < 1000)
		snprintf(buf, n, "%ldms", ms);
	else if (ms < 60000 && ms % 1000)
		snprintf(buf, n, "%.1fs", (double)ms / 1000.0);
	else if (ms < 60000)
		snprintf(buf, n, "%lds", s);
	else if (ms < 3600000)
		snprintf(buf, n, "%ldm%lds", s / 60, s % 60);
	else
		snprintf(buf, n, "%ldh%ldm%lds", s / 3600, s / 60 % 60, s % 60);
}

void
exec_format_bytes(unsigned long long b, char *buf, size_t n)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)b;
	size_t u = 0;

	if (b < 1024) {
		snprintf(buf, n, "%llu B", b);
		return;
	}
	v /= 1024.0;
	while (v >= 1024.0 && u + 1 < sizeof units / sizeof *units) {
		v /= 1024.0;
		u++;
	}
	snprintf(buf, n, "%.1f %s", v, units[u]);
}
