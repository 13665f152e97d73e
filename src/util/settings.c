#include "config.h"

#include "util/paths.h"
#include "util/settings.h"
#include "util/fs.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETTINGS_KEY_NAME(k, what) k,
static const char *const settings_keys[] = { SETTINGS_KEYS(SETTINGS_KEY_NAME) };
#undef SETTINGS_KEY_NAME
#define SETTINGS_NKEYS (sizeof(settings_keys) / sizeof(settings_keys[0]))
/* A settings file is a few lines; a larger one is not ours. */
#define SETTINGS_MAX_BYTES (1 << 20)

#define SETTINGS_FAMILY_NAME(k, what) k,
static const char *const settings_families[] = { SETTINGS_FAMILIES(SETTINGS_FAMILY_NAME) };
#undef SETTINGS_FAMILY_NAME

static int settings_loaded;
static char *settings_values[SETTINGS_NKEYS];
/* The family keys the file set, newest first (so a later line wins). */
typedef struct settings_extra {
	char *key, *value;
	struct settings_extra *next;
} settings_extra;
static settings_extra *settings_extras;

char *
settings_path(void)
{
	const char *own = getenv("AUTOKAGGLE_CONFIG");

	if (own && *own)
		return xstrdup(own);
	return paths_config_file("config");
}

void
settings_reset(void)
{
	size_t i;

	for (i = 0; i < SETTINGS_NKEYS; i++) {
		free(settings_values[i]);
		settings_values[i] = NULL;
	}
	while (settings_extras) {
		settings_extra *x = settings_extras;
		settings_extras = x->next;
		free(x->key);
		free(x->value);
		free(x);
	}
	settings_loaded = 0;
}

static char *
settings_trim(char *s)
{
	char *end = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static void
settings_line(const char *path, int n, char *line)
{
	char *eq = strchr(line, '='), *key, *value;
	size_t i;

	key = settings_trim(line);
	if (!*key || *key == '#')
		return;
	if (!eq) {
		termsafe_error("warning: %s, line %d: not \"key = value\"; skipped", path, n);
		return;
	}
	*eq = '\0';
	key = settings_trim(key);
	value = settings_trim(eq + 1);
	for (i = 0; i < SETTINGS_NKEYS; i++) {
		if (strcmp(key, settings_keys[i]) == 0) {
			free(settings_values[i]);
			settings_values[i] = xstrdup(value);
			return;
		}
	}
	for (i = 0; i < sizeof(settings_families) / sizeof(settings_families[0]); i++) {
		size_t plen = strlen(settings_families[i]);
		if (strncmp(key, settings_families[i], plen) == 0 && key[plen]) {
			settings_extra *x = xmalloc(sizeof(*x));
			x->key = xstrdup(key);
			x->value = xstrdup(value);
			x->next = settings_extras;
			settings_extras = x;
			return;
		}
	}
	termsafe_error("warning: %s, line %d: unknown setting '%.60s'; skipped", path, n, key);
}

static void
settings_load(void)
{
	char *path = settings_path(), *text, *line, *next;
	size_t len;
	int n = 0;

	settings_loaded = 1;
	if (!path || !fs_exists(path)) {
		free(path);
		return;
	}
	text = fs_read_file(path, &len, NULL);
	if (!text || len > SETTINGS_MAX_BYTES) {
		termsafe_error("warning: cannot read the settings in %s; going without them", path);
		free(text);
		free(path);
		return;
	}
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		settings_line(path, ++n, line);
	}
	free(text);
	free(path);
}

const char *
settings_get(const char *key)
{
	const settings_extra *x;
	size_t i;

	if (!settings_loaded)
		settings_load();
	for (i = 0; i < SETTINGS_NKEYS; i++)
		if (strcmp(key, settings_keys[i]) == 0)
			return settings_values[i];
	for (x = settings_extras; x; x = x->next)
		if (strcmp(key, x->key) == 0)
			return x->value;
	return NULL;
}
