#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "ui/cmdhist.h"
#include "ui/cmdline.h"
#include "ui/commands.h"
#include "ui/complete.h"
#include "ui/input.h"
#include "ui/keymap.h"
#include "ui/keys.h"
#include "util/fs.h"
#include "util/loop.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* The workbench's keys without a terminal: the keymap and its keys file,
 * the ":" command line's editing, history (kept in a file across
 * sessions) and completion, and the Escape delay of the terminal reader. */

static void
test_keymap_defaults(void **state)
{
	static const int left_alone[] = { KEYS_CTRL('a'), KEYS_CTRL('b'), KEYS_CTRL('s'), KEYS_CTRL('q'),
		KEYS_CTRL('h'), KEYS_BACKSPACE };
	char buf[64];
	size_t i;

	(void)state;
	keymap_reset();
	/* tmux's and screen's prefixes, flow control and Backspace are not ours. */
	for (i = 0; i < sizeof(left_alone) / sizeof(left_alone[0]); i++)
		assert_int_equal(keymap_action_of(left_alone[i]), -1);
	assert_int_equal(keymap_action_of('r'), KEYMAP_RERUN);
	assert_int_equal(keymap_action_of('s'), KEYMAP_SUBMIT);
	assert_int_equal(keymap_action_of(':'), KEYMAP_COMMAND);
	assert_int_equal(keymap_action_of(KEYS_TAB), KEYMAP_NEXT_PANE);
	assert_int_equal(keymap_action_of(KEYS_F1), KEYMAP_HELP);
	assert_int_equal(keymap_action_of(KEYS_CTRL('l')), KEYMAP_REDRAW);
	assert_string_equal(keymap_keys_of(KEYMAP_HELP, buf, sizeof(buf)), "? F1");
	assert_string_equal(keymap_name(KEYMAP_RERUN_FROM), "rerun-from");
	/* Every action has a key by default. */
	for (i = 0; i < KEYMAP_COUNT; i++)
		assert_true(keymap_first_key((keymap_action)i) >= 0);
}

static void
test_keymap_lines(void **state)
{
	char msg[256], buf[64];

	(void)state;
	keymap_reset();
	assert_int_equal(keymap_parse_line("bind <C-r> rerun", msg, sizeof(msg)), 0);
	assert_int_equal(keymap_parse_line("  unbind r   # no more r", msg, sizeof(msg)), 0);
	assert_int_equal(keymap_parse_line("# a comment", msg, sizeof(msg)), 0);
	assert_int_equal(keymap_parse_line("", msg, sizeof(msg)), 0);
	assert_int_equal(keymap_parse_line("bind # help", msg, sizeof(msg)), 0);
	assert_int_equal(keymap_action_of(KEYS_CTRL('r')), KEYMAP_RERUN);
	assert_int_equal(keymap_action_of('r'), -1);
	assert_int_equal(keymap_action_of('#'), KEYMAP_HELP);
	assert_string_equal(keymap_keys_of(KEYMAP_RERUN, buf, sizeof(buf)), "C-r");
	/* A key bound again moves to its new action. */
	assert_int_equal(keymap_parse_line("bind q help", msg, sizeof(msg)), 0);
	assert_int_equal(keymap_action_of('q'), KEYMAP_HELP);
	assert_int_equal(keymap_first_key(KEYMAP_QUIT), -1);

	assert_int_equal(keymap_parse_line("bind x", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "expected \"bind KEY ACTION\""));
	assert_int_equal(keymap_parse_line("bind x cancel extra", msg, sizeof(msg)), -1);
	assert_int_equal(keymap_parse_line("bnid x cancel", msg, sizeof(msg)), -1);
	assert_int_equal(keymap_parse_line("bind <Nope> cancel", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "unknown key '<Nope>'"));
	assert_int_equal(keymap_parse_line("bind x frobnicate", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "unknown action 'frobnicate'"));
	assert_int_equal(keymap_action_of('x'), KEYMAP_CANCEL);
}

static void
test_keymap_file(void **state)
{
	char *dir = testlib_tmpdir("keymap"), *good = testlib_path(dir, "good"), *bad = testlib_path(dir, "bad"), msg[512];
	char keys[64], want[64], *text;
	int i;

	(void)state;
	testlib_write(good, "# mine\nbind <C-x> cancel\nunbind x\n\nbind K help\n");
	assert_int_equal(keymap_load(good, msg, sizeof(msg)), 0);
	assert_int_equal(keymap_action_of(KEYS_CTRL('x')), KEYMAP_CANCEL);
	assert_int_equal(keymap_action_of('x'), -1);
	assert_int_equal(keymap_action_of('K'), KEYMAP_HELP);
	/* A bad line: named with its file and line, and none of the file counts. */
	testlib_write(bad, "unbind q\nbind <C-x> cancel\nbind y copyy\n");
	assert_int_equal(keymap_load(bad, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, bad));
	assert_non_null(strstr(msg, ":3: unknown action 'copyy'"));
	assert_non_null(strstr(msg, "the default keys stay"));
	assert_int_equal(keymap_action_of('q'), KEYMAP_QUIT);
	assert_int_equal(keymap_action_of('x'), KEYMAP_CANCEL);
	assert_int_equal(keymap_action_of(KEYS_CTRL('x')), -1);
	/* The shipped example loads, names every action and binds the defaults. */
	assert_int_equal(keymap_load(ABS_TOP_SRCDIR "/share/keys.example", msg, sizeof(msg)), 0);
	text = fs_read_file(ABS_TOP_SRCDIR "/share/keys.example", NULL, NULL);
	assert_non_null(text);
	for (i = 0; i < KEYMAP_COUNT; i++) {
		char *line = xasprintf(" %s ", keymap_name((keymap_action)i));
		assert_non_null(strstr(text, line));
		keymap_keys_of((keymap_action)i, keys, sizeof(keys));
		keymap_reset();
		assert_string_equal(keymap_keys_of((keymap_action)i, want, sizeof(want)), keys);
		keymap_load(ABS_TOP_SRCDIR "/share/keys.example", msg, sizeof(msg));
		free(line);
	}
	free(text);
	/* No file: the defaults. */
	assert_int_equal(keymap_load("/nonexistent/keys", msg, sizeof(msg)), 0);
	assert_int_equal(keymap_action_of('x'), KEYMAP_CANCEL);
	testlib_rmtree(dir);
	free(dir);
	free(good);
	free(bad);
}

static void
cmdline_type(cmdline *c, const char *text)
{
	for (; *text; text++)
		assert_int_equal(cmdline_key(c, (unsigned char)*text, commands_complete, NULL), CMDLINE_EDITED);
}

static void
test_cmdline_edit_history(void **state)
{
	cmdline *c = cmdline_new(2);

	(void)state;
	cmdline_type(c, "budget 3m");
	cmdline_key(c, KEYS_LEFT, NULL, NULL);
	cmdline_type(c, "0");
	assert_string_equal(cmdline_text(c), "budget 30m");
	assert_int_equal(cmdline_cursor(c), 9);
	assert_int_equal(cmdline_key(c, KEYS_ENTER, NULL, NULL), CMDLINE_DONE);
	cmdline_clear(c);
	cmdline_type(c, "repair 2");
	cmdline_key(c, KEYS_CTRL('w'), NULL, NULL);
	assert_string_equal(cmdline_text(c), "repair ");
	cmdline_type(c, "5");
	cmdline_key(c, KEYS_ENTER, NULL, NULL);
	cmdline_clear(c);
	cmdline_type(c, "th");
	/* Up walks back through the history; Down comes back to the draft. */
	cmdline_key(c, KEYS_UP, NULL, NULL);
	assert_string_equal(cmdline_text(c), "repair 5");
	cmdline_key(c, KEYS_UP, NULL, NULL);
	assert_string_equal(cmdline_text(c), "budget 30m");
	cmdline_key(c, KEYS_UP, NULL, NULL);
	assert_string_equal(cmdline_text(c), "budget 30m");
	cmdline_key(c, KEYS_DOWN, NULL, NULL);
	cmdline_key(c, KEYS_DOWN, NULL, NULL);
	assert_string_equal(cmdline_text(c), "th");
	cmdline_key(c, KEYS_CTRL('u'), NULL, NULL);
	assert_string_equal(cmdline_text(c), "");
	/* The history keeps the last two. */
	cmdline_type(c, "quit");
	cmdline_key(c, KEYS_ENTER, NULL, NULL);
	cmdline_clear(c);
	cmdline_key(c, KEYS_UP, NULL, NULL);
	cmdline_key(c, KEYS_UP, NULL, NULL);
	cmdline_key(c, KEYS_UP, NULL, NULL);
	assert_string_equal(cmdline_text(c), "repair 5");
	/* Escape cancels; so does Backspace on an empty line. */
	assert_int_equal(cmdline_key(c, KEYS_ESC, NULL, NULL), CMDLINE_CANCEL);
	cmdline_clear(c);
	assert_int_equal(cmdline_key(c, KEYS_BACKSPACE, NULL, NULL), CMDLINE_CANCEL);
	cmdline_free(c);
}

/* The history file: a command a line, the newest last, the last
 * history_max kept; a missing one is an empty history, a bad or
 * unreadable one is ignored whole, saying why. */
static void
test_cmdline_history_file(void **state)
{
	char *dir = testlib_tmpdir("cmdhist"), *path = testlib_path(dir, CMDHIST_FILE), *text, msg[512];
	cmdline *c = cmdline_new(3), *again = cmdline_new(3);
	int i;

	(void)state;
	assert_int_equal(cmdhist_load(c, path, msg, sizeof(msg)), 0);
	assert_int_equal(cmdline_history_count(c), 0);
	for (i = 0; i < 4; i++) {
		char line[32];
		snprintf(line, sizeof(line), "budget %dm", i + 1);
		cmdline_history_add(c, line);
	}
	cmdline_history_add(c, "budget 4m");
	cmdline_history_add(c, "");
	assert_int_equal(cmdhist_save(c, path, msg, sizeof(msg)), 0);
	text = fs_read_file(path, NULL, NULL);
	assert_string_equal(text, "budget 2m\nbudget 3m\nbudget 4m\n");
	free(text);
	/* Read back, Up walks it newest first; a longer file keeps its end. */
	testlib_write(path, "theme mono\nquit\n\nbudget 1h\nrepair 3");
	assert_int_equal(cmdhist_load(again, path, msg, sizeof(msg)), 0);
	assert_int_equal(cmdline_history_count(again), 3);
	assert_string_equal(cmdline_history_get(again, 0), "quit");
	cmdline_key(again, KEYS_UP, NULL, NULL);
	assert_string_equal(cmdline_text(again), "repair 3");
	cmdline_free(again);
	/* A control character (an escape sequence): the whole file is ignored. */
	again = cmdline_new(3);
	testlib_write(path, "theme mono\n\033[31mquit\n");
	assert_int_equal(cmdhist_load(again, path, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "line 2 holds a control character"));
	assert_non_null(strstr(msg, path));
	assert_int_equal(cmdline_history_count(again), 0);
	/* Unreadable (a directory there): said, and nothing is read. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(cmdhist_load(again, path, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "the : history was ignored"));
	assert_int_equal(cmdhist_save(c, path, msg, sizeof(msg)), -1);
	assert_true(msg[0] != '\0');
	cmdline_free(again);
	cmdline_free(c);
	testlib_rmtree(dir);
	free(path);
	free(dir);
}

static void
test_cmdline_complete(void **state)
{
	char *dir = testlib_tmpdir("complete"), *cwd = getcwd(NULL, 0), **v;
	cmdline *c = cmdline_new(10);
	int i;

	(void)state;
	/* Command names: one candidate is completed with a blank after it. */
	cmdline_type(c, "th");
	cmdline_key(c, KEYS_TAB, commands_complete, NULL);
	assert_string_equal(cmdline_text(c), "theme ");
	/* Several: their common part, and the list of them. */
	cmdline_clear(c);
	cmdline_type(c, "provider o");
	cmdline_key(c, KEYS_TAB, commands_complete, NULL);
	assert_string_equal(cmdline_text(c), "provider o");
	assert_string_equal(cmdline_matches(c), "ollama  openai");
	cmdline_type(c, "p");
	assert_string_equal(cmdline_matches(c), "");
	cmdline_key(c, KEYS_TAB, commands_complete, NULL);
	assert_string_equal(cmdline_text(c), "provider openai ");
	/* A prefix of a command names it; only its first argument completes. */
	cmdline_clear(c);
	cmdline_type(c, "prov gem");
	cmdline_key(c, KEYS_TAB, commands_complete, NULL);
	assert_string_equal(cmdline_text(c), "prov gemini ");
	cmdline_type(c, "x");
	cmdline_key(c, KEYS_TAB, commands_complete, NULL);
	assert_string_equal(cmdline_text(c), "prov gemini x");
	/* Themes: the shipped ones (here: the source tree's). */
	setenv("AUTOKAGGLE_DATADIR", ABS_TOP_SRCDIR, 1);
	v = commands_complete("theme ", "mo", NULL);
	assert_non_null(v);
	assert_string_equal(v[0], "mono");
	assert_null(v[1]);
	strv_free(v);
	v = commands_complete("theme ", "template", NULL);
	assert_null(v);
	/* Files: folders end with a slash, hidden files only when asked. */
	for (i = 0; i < 3; i++) {
		static const char *const files[] = { "notes/overview.md", "notes/.hidden", "numbers.csv" };
		char *p = testlib_path(dir, files[i]);
		testlib_write(p, "x\n");
		free(p);
	}
	assert_int_equal(chdir(dir), 0);
	cmdline_clear(c);
	cmdline_type(c, "overview no");
	cmdline_key(c, KEYS_TAB, commands_complete, NULL);
	assert_string_equal(cmdline_text(c), "overview notes/");
	cmdline_key(c, KEYS_TAB, commands_complete, NULL);
	assert_string_equal(cmdline_text(c), "overview notes/overview.md ");
	v = complete_files("n");
	assert_non_null(v);
	assert_string_equal(v[0], "notes/");
	assert_string_equal(v[1], "numbers.csv");
	assert_null(v[2]);
	strv_free(v);
	v = complete_files("notes/.");
	assert_non_null(v);
	assert_string_equal(v[0], "notes/.hidden");
	strv_free(v);
	assert_null(complete_files("nothing-like-it"));
	assert_int_equal(chdir(cwd), 0);
	/* Nothing after the command's argument, nor for an unknown command. */
	assert_null(commands_complete("budget 30m ", "", NULL));
	assert_null(commands_complete("frob ", "", NULL));
	cmdline_free(c);
	testlib_rmtree(dir);
	free(dir);
	free(cwd);
}

typedef struct esc_seen {
	int key, n;
	double at;
} esc_seen;

static void
esc_key(int key, void *arg)
{
	esc_seen *s = arg;

	s->key = key;
	s->at = loop_now();
	s->n++;
}

static void
esc_none(void *arg)
{
	(void)arg;
}

/* How long a lone Escape waits for the rest of a sequence: 25 ms, or
 * ESCDELAY's milliseconds. */
static double
esc_delay(const char *escdelay)
{
	static const input_ops ops = { .key = esc_key, .lost = esc_none };
	loop *l = loop_new();
	esc_seen s = { 0 };
	input *in;
	double start;
	int p[2];

	if (escdelay)
		setenv("ESCDELAY", escdelay, 1);
	else
		unsetenv("ESCDELAY");
	assert_int_equal(pipe(p), 0);
	in = input_open_tty(l, p[0], &ops, &s);
	/* A whole sequence is a key at once. */
	assert_int_equal(write(p[1], "\033[A", 3), 3);
	while (s.n == 0)
		loop_run_once(l, 1000);
	assert_int_equal(s.key, KEYS_UP);
	start = loop_now();
	assert_int_equal(write(p[1], "\033", 1), 1);
	while (s.n == 1 && loop_now() - start < 5)
		loop_run_once(l, 1000);
	assert_int_equal(s.key, KEYS_ESC);
	input_close(in);
	close(p[0]);
	close(p[1]);
	loop_free(l);
	unsetenv("ESCDELAY");
	return s.at - start;
}

static void
test_escdelay(void **state)
{
	double d;

	(void)state;
	d = esc_delay(NULL);
	assert_true(d >= 0.020);
	assert_true(d < 0.250);
	d = esc_delay("300");
	assert_true(d >= 0.290);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keymap_defaults),
		cmocka_unit_test(test_keymap_lines),
		cmocka_unit_test(test_keymap_file),
		cmocka_unit_test(test_cmdline_edit_history),
		cmocka_unit_test(test_cmdline_history_file),
		cmocka_unit_test(test_cmdline_complete),
		cmocka_unit_test(test_escdelay),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
