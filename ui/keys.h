#ifndef AK_UI_KEYS_H
#define AK_UI_KEYS_H

#include <stddef.h>

/* Keys as the workbench sees them: a Unicode code point for a character
 * (control keys included: KEYS_CTRL('r')), or one of the named keys below,
 * which lie above every code point. Decoded from terminal bytes, or read
 * by name from a test's key script. */

/* X(ENUM, name in scripts and help) */
#define KEYS_NAMED(X)          \
	X(UP, "Up")            \
	X(DOWN, "Down")        \
	X(LEFT, "Left")        \
	X(RIGHT, "Right")      \
	X(PGUP, "PgUp")        \
	X(PGDN, "PgDn")        \
	X(HOME, "Home")        \
	X(END, "End")          \
	X(BTAB, "S-Tab")       \
	X(DEL, "Del")          \
	X(F1, "F1")            \
	X(MOUSE, "Mouse")

#define KEYS_BASE 0x110000
#define KEYS_ENUM(e, n) KEYS_##e,
enum { KEYS_FIRST_NAMED = KEYS_BASE - 1, KEYS_NAMED(KEYS_ENUM) KEYS_LAST };
#undef KEYS_ENUM

/* The start of a bracketed paste ("\033[200~"): the bytes up to
 * KEYS_PASTE_END are text, not keys, and input.c hands them over whole. */
#define KEYS_PASTE KEYS_LAST
#define KEYS_PASTE_END "\033[201~"

#define KEYS_CTRL(c) ((c) & 0x1f)
#define KEYS_TAB '\t'
#define KEYS_ENTER '\r'
#define KEYS_ESC 0x1b
#define KEYS_BACKSPACE 0x7f

/* A mouse report (SGR 1006): KEYS_MOUSE, with the event in keys_mouse. */
typedef struct keys_mouse_event {
	int button;   /* 0 left, 1 middle, 2 right, 64 wheel up, 65 wheel down */
	int x, y;     /* 0-based cell */
	int press;    /* 1 press, 0 release */
} keys_mouse_event;
/* The last mouse report decoded (or set by a script). */
extern keys_mouse_event keys_mouse;

/* Decodes one key from the start of buf[0, len): returns the bytes used
 * and the key in *key, or 0 when buf holds only the start of a sequence
 * (more bytes may follow; a lone ESC then is Escape once nothing came). */
size_t keys_decode(const char *buf, size_t len, int *key);
/* A key from its script name ("<Tab>", "<Enter>", "<C-r>", "<Up>", or a
 * single character); -1 when unknown. */
int keys_from_name(const char *name);
/* "Tab", "Up", "C-r", "q" for help and messages: a static buffer. */
const char *keys_name(int key);

#endif
