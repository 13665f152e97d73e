#include "config.h"

#include "codegen/metric.h"

#include <ctype.h>
#include <stddef.h>
#include <strings.h>

typedef struct metric_row {
	metric_info info;
	const char *const *aliases;   /* NULL-terminated */
} metric_row;

#define METRIC_ROW_(id, nm, ttl, hib, proba, tk, ...) \
	{ { METRIC_##id, nm, ttl, hib, proba, tk }, \
	  (const char *const[]){ __VA_ARGS__, NULL } },
static const metric_row metric_rows[METRIC_COUNT] = {
	METRIC_TABLE(METRIC_ROW_)
};
#undef METRIC_ROW_

static const char *const task_names[] = {
	[TASK_UNKNOWN] = "unknown",
	[TASK_BINARY] = "binary",
	[TASK_MULTICLASS] = "multiclass",
	[TASK_REGRESSION] = "regression",
};

const char *
task_name(task_kind t)
{
	if ((unsigned)t >= sizeof task_names / sizeof *task_names)
		return task_names[TASK_UNKNOWN];
	return task_names[t];
}

task_kind
task_from_name(const char *s)
{
	size_t i;

	if (!s)
		return TASK_UNKNOWN;
	for (i = TASK_BINARY; i < sizeof task_names / sizeof *task_names; i++)
		if (strcasecmp(s, task_names[i]) == 0)
			return (task_kind)i;
	return TASK_UNKNOWN;
}

const metric_info *
metric_get(metric_id id)
{
	if ((unsigned)id >= METRIC_COUNT)
		return NULL;
	return &metric_rows[id].info;
}

/* Compares a and b looking only at letters and digits, ignoring case. */
static int
metric_same_words(const char *a, const char *b)
{
	for (;;) {
		while (*a && !isalnum((unsigned char)*a))
			a++;
		while (*b && !isalnum((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}

const metric_info *
metric_lookup(const char *text)
{
	const char *p;
	size_t i, j;

	if (!text)
		return NULL;
	for (p = text; *p && !isalnum((unsigned char)*p); p++)
		;
	if (!*p)
		return NULL;
	for (i = 0; i < METRIC_COUNT; i++) {
		const metric_row *r = &metric_rows[i];

		if (metric_same_words(text, r->info.name))
			return &r->info;
		for (j = 0; r->aliases[j]; j++)
			if (metric_same_words(text, r->aliases[j]))
				return &r->info;
	}
	return NULL;
}

const metric_info *
metric_default(task_kind t, int proba_columns)
{
	switch (t) {
	case TASK_BINARY:
		return metric_get(METRIC_AUC);
	case TASK_MULTICLASS:
		return metric_get(proba_columns ? METRIC_LOGLOSS : METRIC_ACCURACY);
	case TASK_REGRESSION:
		return metric_get(METRIC_RMSE);
	case TASK_UNKNOWN:
		break;
	}
	return NULL;
}

int
metric_fits_task(const metric_info *m, task_kind t)
{
	return m && t != TASK_UNKNOWN && (m->tasks & TASK_BIT(t)) != 0;
}
