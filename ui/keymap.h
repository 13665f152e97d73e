#ifndef AK_UI_KEYMAP_H
#define AK_UI_KEYMAP_H

#include <stddef.h>

/* The workbench's global keys: one table of actions, each with its
 * default keys, remapped by the user's keys file
 * (${XDG_CONFIG_HOME:-~/.config}/autokaggle/keys): lines "bind KEY ACTION"
 * and "unbind KEY", "#" comments. The app dispatches through it, and ?
 * lists what is bound. The defaults leave C-a, C-b, C-s, C-q and C-h
 * (Backspace) to tmux, screen and the terminal. A pane's own keys
 * (scrolling, search) come before these.
 *
 * X(ENUM, name in the keys file, default keys, 1 when it acts on an open
 * run, what it does) */
#define KEYMAP_ACTIONS(X)                                                               \
	X(NEXT_PANE, "next-pane", "<Tab>", 1, "next pane")                                 \
	X(PREV_PANE, "prev-pane", "<S-Tab>", 1, "previous pane")                           \
	X(PANE_1, "pane-1", "1", 1, "the competition pane")                                \
	X(PANE_2, "pane-2", "2", 1, "the data profile pane")                               \
	X(PANE_3, "pane-3", "3", 1, "the chat pane")                                       \
	X(PANE_4, "pane-4", "4", 1, "the code pane")                                       \
	X(PANE_5, "pane-5", "5", 1, "the output pane")                                     \
	X(RERUN, "rerun", "r", 1, "re-run the failed, cancelled and stale stages")         \
	X(RERUN_FROM, "rerun-from", "R", 1, "pick a stage to re-run from")                 \
	X(REGENERATE, "regenerate", "g", 1, "write the code again (CODE and what follows)") \
	X(CANCEL, "cancel", "x", 1, "cancel the running stage")                            \
	X(EDIT, "edit", "e", 1, "edit the code pane's file in $EDITOR")                    \
	X(SUBMIT, "submit", "s", 1, "submit the validated submission (asks first)")        \
	X(COPY, "copy", "y", 1, "copy the pane's text (clipboard, tmux, OSC 52, a file)")  \
	X(RUN_LIST, "run-list", "L", 1, "back to the run list")                            \
	X(COMMAND, "command", ":", 0, "the command line (:budget 30m, :theme mono...)")    \
	X(REDRAW, "redraw", "<C-l>", 0, "draw the whole screen again")                     \
	X(MOUSE_TOGGLE, "mouse-toggle", "m", 0, "mouse on / off (off: the terminal selects)") \
	X(HELP, "help", "? <F1>", 0, "this help (Esc closes it)")                          \
	X(QUIT, "quit", "q", 0, "quit; a running stage keeps running")

#define KEYMAP_ENUM(e, n, k, r, w) KEYMAP_##e,
typedef enum keymap_action { KEYMAP_ACTIONS(KEYMAP_ENUM) KEYMAP_COUNT } keymap_action;
#undef KEYMAP_ENUM

/* Back to the default keys. */
void keymap_reset(void);
/* One line of a keys file applied: 0, or -1 with msg saying what is
 * wrong with it (nothing changed). */
int keymap_parse_line(const char *line, char *msg, size_t msgsz);
/* Reads the keys file at path (NULL: the user's, which may be missing)
 * over the defaults. 0; -1 with msg ("FILE:LINE: what is wrong; the
 * default keys stay") when a line is bad: then no line of it counts. */
int keymap_load(const char *path, char *msg, size_t msgsz);
/* The action key is bound to, or -1. */
int keymap_action_of(int key);
/* The keys bound to action, by name ("r", "? F1"), "" when none. */
const char *keymap_keys_of(keymap_action a, char *buf, size_t n);
const char *keymap_name(keymap_action a);
const char *keymap_help(keymap_action a);
/* 1 when a acts on an open run (nothing on the run list). */
int keymap_needs_run(keymap_action a);
/* The first key bound to a, or -1 (for hints: "s submits"). */
int keymap_first_key(keymap_action a);

#endif
