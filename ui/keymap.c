#include "config.h"

#include "ui/keymap.h"
#include "ui/keys.h"
#include "util/fs.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEYMAP_MAX 128

typedef struct keymap_binding {
	int key;
	keymap_action action;
} keymap_binding;

typedef struct keymap_table {
	keymap_binding b[KEYMAP_MAX];
	size_t n;
} keymap_table;

#define KEYMAP_ROW(e, n, k, r, w) { n, k, r, w },
static const struct {
	const char *name, *keys;
	int run;
	const char *help;
} keymap_actions[KEYMAP_COUNT] = { KEYMAP_ACTIONS(KEYMAP_ROW) };
#undef KEYMAP_ROW

static keymap_table keymap_now;
static int keymap_ready;

/* key now means a (-1: nothing); -1 when the table is full. */
static int
keymap_put(keymap_table *t, int key, int a)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->b[i].key == key)
			break;
	if (a < 0) {
		if (i < t->n) {
			memmove(&t->b[i], &t->b[i + 1], (t->n - i - 1) * sizeof(t->b[0]));
			t->n--;
		}
		return 0;
	}
	if (i == t->n && t->n == KEYMAP_MAX)
		return -1;
	if (i == t->n)
		t->n++;
	t->b[i].key = key;
	t->b[i].action = (keymap_action)a;
	return 0;
}

static void
keymap_defaults(keymap_table *t)
{
	char buf[64], *tok, *save = NULL;
	int a;

	t->n = 0;
	for (a = 0; a < KEYMAP_COUNT; a++) {
		snprintf(buf, sizeof(buf), "%s", keymap_actions[a].keys);
		for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
			keymap_put(t, keys_from_name(tok), a);
	}
}

void
keymap_reset(void)
{
	keymap_defaults(&keymap_now);
	keymap_ready = 1;
}

static int
keymap_find_action(const char *name)
{
	int a;

	for (a = 0; a < KEYMAP_COUNT; a++)
		if (strcmp(keymap_actions[a].name, name) == 0)
			return a;
	return -1;
}

/* The words of a line up to a "# comment" (a "#" second is the key #);
 * -1 when there are more than max. */
static int
keymap_words(char *line, char **w, int max)
{
	char *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(line, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (tok[0] == '#' && n != 1)
			break;
		if (n == max)
			return -1;
		w[n++] = tok;
	}
	return n;
}

static int
keymap_apply(keymap_table *t, const char *line, char *msg, size_t msgsz)
{
	char buf[512], *w[3];
	int n, key, a;

	snprintf(buf, sizeof(buf), "%s", line);
	n = keymap_words(buf, w, 3);
	if (n == 0)
		return 0;
	if (n < 0 || !((strcmp(w[0], "bind") == 0 && n == 3) || (strcmp(w[0], "unbind") == 0 && n == 2))) {
		snprintf(msg, msgsz, "expected \"bind KEY ACTION\" or \"unbind KEY\"");
		return -1;
	}
	key = keys_from_name(w[1]);
	if (key < 0 || key == KEYS_MOUSE) {
		snprintf(msg, msgsz, "unknown key '%.40s' (a character, <C-r>, <Tab>, <F1>...)", w[1]);
		return -1;
	}
	a = n == 3 ? keymap_find_action(w[2]) : -1;
	if (n == 3 && a < 0) {
		snprintf(msg, msgsz, "unknown action '%.40s' (see keys.example)", w[2]);
		return -1;
	}
	if (keymap_put(t, key, a) < 0) {
		snprintf(msg, msgsz, "more than %d keys bound", KEYMAP_MAX);
		return -1;
	}
	return 0;
}

int
keymap_parse_line(const char *line, char *msg, size_t msgsz)
{
	if (!keymap_ready)
		keymap_reset();
	return keymap_apply(&keymap_now, line, msg, msgsz);
}

int
keymap_load(const char *path, char *msg, size_t msgsz)
{
	char *own = path ? NULL : paths_config_file("keys"), *text, *line, *next, why[200], shown[1024];
	keymap_table t;
	int n = 0, rc = 0;

	keymap_reset();
	path = path ? path : own;
	text = path && fs_exists(path) ? fs_read_file(path, NULL, NULL) : NULL;
	keymap_defaults(&t);
	for (line = text; line && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		n++;
		if (keymap_apply(&t, line, why, sizeof(why)) < 0) {
			snprintf(msg, msgsz, "%s:%d: %s; the default keys stay", paths_tilde(path, shown, sizeof(shown)), n,
				why);
			rc = -1;
		}
	}
	if (text && rc == 0)
		keymap_now = t;
	free(text);
	free(own);
	return rc;
}

int
keymap_action_of(int key)
{
	size_t i;

	if (!keymap_ready)
		keymap_reset();
	for (i = 0; i < keymap_now.n; i++)
		if (keymap_now.b[i].key == key)
			return (int)keymap_now.b[i].action;
	return -1;
}

/* Keys in the order of their default binding, then the user's. */
const char *
keymap_keys_of(keymap_action a, char *buf, size_t n)
{
	size_t i, len = 0;

	if (!keymap_ready)
		keymap_reset();
	buf[0] = '\0';
	for (i = 0; i < keymap_now.n && len < n; i++)
		if (keymap_now.b[i].action == a)
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? " " : "", keys_name(keymap_now.b[i].key));
	return buf;
}

int
keymap_first_key(keymap_action a)
{
	size_t i;

	if (!keymap_ready)
		keymap_reset();
	for (i = 0; i < keymap_now.n; i++)
		if (keymap_now.b[i].action == a)
			return keymap_now.b[i].key;
	return -1;
}

const char *
keymap_name(keymap_action a)
{
	return keymap_actions[a].name;
}

const char *
keymap_help(keymap_action a)
{
	return keymap_actions[a].help;
}

int
keymap_needs_run(keymap_action a)
{
	return keymap_actions[a].run;
}
