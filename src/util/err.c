#include "config.h"

#include "util/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int
err_vset(ak_err *e, int errnum, const char *fmt, va_list ap)
{
	if (!e)
		return -1;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	e->errnum = errnum;
	e->kind = ERR_NONE;
	return -1;
}

#define ERR_KIND_ROW(k, code, fix, append) { code, fix, append },
static const struct {
	int code;
	const char *fix;
	int append;
} kinds[] = { ERR_KINDS(ERR_KIND_ROW) };
#undef ERR_KIND_ROW

int
err_kind_set(ak_err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	err_vset(e, 0, fmt, ap);
	va_end(ap);
	e->kind = kind;
	return -1;
}

enum err_kind
err_kind_of(const ak_err *e)
{
	if (!e)
		return ERR_NONE;
	if (err_is_disk_full(e))
		return ERR_DISK;
	return e->kind < ERR_KIND_COUNT ? e->kind : ERR_NONE;
}

int
err_exit_code(const ak_err *e, int fallback)
{
	enum err_kind k = err_kind_of(e);

	return k == ERR_NONE ? fallback : kinds[k].code;
}

const char *
err_fix(const ak_err *e)
{
	return kinds[err_kind_of(e)].fix;
}

const char *
err_fix_to_append(const ak_err *e)
{
	return kinds[err_kind_of(e)].append ? kinds[err_kind_of(e)].fix : NULL;
}

int
err_set(ak_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_cause(ak_err *e, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_is_disk_full(const ak_err *e)
{
	return e && (e->errnum == ENOSPC || e->errnum == EDQUOT);
}

int
err_sys(ak_err *e, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t n;

	if (!e)
		return -1;
	va_start(ap, fmt);
	err_vset(e, saved, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

int
err_prefix(ak_err *e, const char *fmt, ...)
{
	char prefix[512], old[sizeof(e->msg)];
	va_list ap;
	size_t n;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	n = strlen(prefix);
	if (n > sizeof(e->msg) - 3)
		n = sizeof(e->msg) - 3;
	memcpy(e->msg, prefix, n);
	memcpy(e->msg + n, ": ", 2);
	n += 2;
	memcpy(e->msg + n, old, sizeof(e->msg) - n - 1);
	e->msg[sizeof(e->msg) - 1] = '\0';
	return -1;
}

int
err_append(ak_err *e, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	if (!e)
		return -1;
	n = strlen(e->msg);
	va_start(ap, fmt);
	vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
	va_end(ap);
	return -1;
}
