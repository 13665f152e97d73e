#include "config.h"

#include "ui/keys.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

/* The escape sequences terminals send for the named keys (xterm, vt100,
 * linux console, tmux and screen), normal and application cursor modes. */
static const struct {
	const char *seq;
	int key;
} keys_seqs[] = {
	{ "\033[A", KEYS_UP }, { "\033[B", KEYS_DOWN }, { "\033[C", KEYS_RIGHT }, { "\033[D", KEYS_LEFT },
	{ "\033OA", KEYS_UP }, { "\033OB", KEYS_DOWN }, { "\033OC", KEYS_RIGHT }, { "\033OD", KEYS_LEFT },
	{ "\033[H", KEYS_HOME }, { "\033[F", KEYS_END }, { "\033OH", KEYS_HOME }, { "\033OF", KEYS_END },
	{ "\033[1~", KEYS_HOME }, { "\033[4~", KEYS_END }, { "\033[7~", KEYS_HOME }, { "\033[8~", KEYS_END },
	{ "\033[5~", KEYS_PGUP }, { "\033[6~", KEYS_PGDN }, { "\033[3~", KEYS_DEL }, { "\033[Z", KEYS_BTAB },
	{ "\033OP", KEYS_F1 }, { "\033[11~", KEYS_F1 }, { "\033[[A", KEYS_F1 }, { "\033[200~", KEYS_PASTE },
};

#define KEYS_NAME_ROW(e, n) { n, KEYS_##e },
static const struct {
	const char *name;
	int key;
} keys_names[] = {
	KEYS_NAMED(KEYS_NAME_ROW)
	{ "Tab", KEYS_TAB }, { "Enter", KEYS_ENTER }, { "Esc", KEYS_ESC }, { "Backspace", KEYS_BACKSPACE },
	{ "Space", ' ' },
};
#undef KEYS_NAME_ROW

keys_mouse_event keys_mouse;

/* "\033[<b;x;yM" (press) or "...m" (release), 1-based cells. */
static int
keys_sgr_mouse(const char *buf, size_t n)
{
	char seq[32];
	int b, x, y;
	char end;

	if (n < 6 || n >= sizeof(seq) || buf[2] != '<')
		return -1;
	memcpy(seq, buf, n);
	seq[n] = '\0';
	if (sscanf(seq + 3, "%d;%d;%d%c", &b, &x, &y, &end) != 4 || (end != 'M' && end != 'm'))
		return -1;
	keys_mouse.button = b & ~(4 | 8 | 16); /* without the Shift, Alt and Ctrl bits */
	keys_mouse.x = x - 1;
	keys_mouse.y = y - 1;
	keys_mouse.press = end == 'M';
	return KEYS_MOUSE;
}

/* The end of an escape sequence: CSI ends at a byte in 0x40-0x7e, SS3
 * after one byte. Returns its length, 0 when incomplete. */
static size_t
keys_seq_len(const char *buf, size_t len)
{
	size_t i;

	if (len < 2)
		return 0;
	if (buf[1] == 'O')
		return len >= 3 ? 3 : 0;
	if (buf[1] != '[')
		return 1;
	for (i = 2; i < len; i++)
		if ((unsigned char)buf[i] >= 0x40 && (unsigned char)buf[i] <= 0x7e && !(i == 2 && buf[i] == '['))
			return i + 1;
	return 0;
}

static size_t
keys_decode_escape(const char *buf, size_t len, int *key)
{
	size_t n = keys_seq_len(buf, len), i;

	if (n == 0)
		return 0;
	if (n == 1) { /* ESC then a character: Alt-key, taken as Escape */
		*key = KEYS_ESC;
		return 1;
	}
	if (buf[2] == '<') {
		*key = keys_sgr_mouse(buf, n);
		return n;
	}
	for (i = 0; i < sizeof(keys_seqs) / sizeof(keys_seqs[0]); i++)
		if (strlen(keys_seqs[i].seq) == n && memcmp(keys_seqs[i].seq, buf, n) == 0) {
			*key = keys_seqs[i].key;
			return n;
		}
	*key = -1; /* a sequence we do not know: swallowed whole */
	return n;
}

size_t
keys_decode(const char *buf, size_t len, int *key)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;

	if (len == 0)
		return 0;
	if (buf[0] == KEYS_ESC)
		return keys_decode_escape(buf, len, key);
	if (buf[0] == '\n') {
		*key = KEYS_ENTER;
		return 1;
	}
	if (buf[0] == 0x08) {
		*key = KEYS_BACKSPACE;
		return 1;
	}
	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, buf, len, &st);
	if (n == (size_t)-2)
		return 0;
	if (n == (size_t)-1 || n == 0) {
		*key = -1;
		return 1;
	}
	*key = (int)wc;
	return n;
}

int
keys_from_name(const char *name)
{
	size_t i, len = strlen(name);
	mbstate_t st;
	wchar_t wc;

	if (len > 2 && name[0] == '<' && name[len - 1] == '>') {
		if (len == 5 && (name[1] == 'C' || name[1] == 'c') && name[2] == '-')
			return KEYS_CTRL(name[3]);
		for (i = 0; i < sizeof(keys_names) / sizeof(keys_names[0]); i++)
			if (strlen(keys_names[i].name) == len - 2 && strncasecmp(keys_names[i].name, name + 1, len - 2) == 0)
				return keys_names[i].key;
		return -1;
	}
	memset(&st, 0, sizeof(st));
	if (mbrtowc(&wc, name, len, &st) == len)
		return (int)wc;
	return -1;
}

const char *
keys_name(int key)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(keys_names) / sizeof(keys_names[0]); i++)
		if (keys_names[i].key == key)
			return keys_names[i].name;
	if (key > 0 && key < 0x20)
		snprintf(buf, sizeof(buf), "C-%c", key + 0x60);
	else if (key > 0 && key < 0x80)
		snprintf(buf, sizeof(buf), "%c", key);
	else
		snprintf(buf, sizeof(buf), "U+%04X", (unsigned)key);
	return buf;
}
