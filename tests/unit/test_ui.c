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
#include <unistd.h>

#include "ui/app.h"
#include "ui/keys.h"
#include "ui/pysyntax.h"
#include "ui/screen.h"
#include "testlib.h"
#include "ui/outview.h"
#include "ui/selection.h"
#include "ui/theme.h"
#include "ui/vt.h"
#include "util/xalloc.h"

/* The workbench's models without a terminal: key decoding, the terminal
 * model of the output pane, Python colours, the output pane's follow,
 * pause and search driven through its ops table (drawn into a headless
 * screen and read back), and the line selections of the output and code
 * panes that y copies. */

static void
test_keys_decode(void **state)
{
	static const struct {
		const char *bytes;
		size_t used;
		int key;
	} cases[] = {
		{ "\033[A", 3, KEYS_UP }, { "\033OB", 3, KEYS_DOWN }, { "\033[Z", 3, KEYS_BTAB },
		{ "\033[5~", 4, KEYS_PGUP }, { "\033[F", 3, KEYS_END }, { "\t", 1, KEYS_TAB },
		{ "\r", 1, KEYS_ENTER }, { "\n", 1, KEYS_ENTER }, { "q", 1, 'q' }, { "\x12", 1, KEYS_CTRL('r') },
		{ "\xc3\xa9", 2, 0xe9 }, { "\xe4\xb8\xad", 3, 0x4e2d }, { "\033x", 1, KEYS_ESC },
		{ "\033[99~", 5, -1 },
	};
	size_t i;
	int key;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		key = 0;
		assert_int_equal(keys_decode(cases[i].bytes, strlen(cases[i].bytes), &key), cases[i].used);
		assert_int_equal(key, cases[i].key);
	}
	/* An SGR mouse report: the wheel at column 10, row 5 (1-based). */
	assert_int_equal(keys_decode("\033[<64;10;5M", 11, &key), 11);
	assert_int_equal(key, KEYS_MOUSE);
	assert_int_equal(keys_mouse.button, 64);
	assert_int_equal(keys_mouse.x, 9);
	assert_int_equal(keys_mouse.y, 4);
	assert_int_equal(keys_decode("\033[<0;3;2m", 9, &key), 9);
	assert_int_equal(keys_mouse.press, 0);
	/* The start of a sequence or of a character waits for the rest. */
	assert_int_equal(keys_decode("\033", 1, &key), 0);
	assert_int_equal(keys_decode("\033[", 2, &key), 0);
	assert_int_equal(keys_decode("\xe4\xb8", 2, &key), 0);
	assert_int_equal(keys_from_name("<Tab>"), KEYS_TAB);
	assert_int_equal(keys_from_name("<S-Tab>"), KEYS_BTAB);
	assert_int_equal(keys_from_name("<C-r>"), KEYS_CTRL('r'));
	assert_int_equal(keys_from_name("<enter>"), KEYS_ENTER);
	assert_int_equal(keys_from_name("x"), 'x');
	assert_int_equal(keys_from_name("<Nope>"), -1);
	assert_string_equal(keys_name(KEYS_PGDN), "PgDn");
}

static char *
vt_text(vt *v, long i)
{
	static char buf[1024];

	vt_line_text(v, i, buf, sizeof(buf), NULL);
	return buf;
}

static void
test_vt_progress_and_scrollback(void **state)
{
	static const char seqs[] = "\033]0;title\007\033]52;c;aGVsbG8=\007\033[31mred\033[0m\n";
	vt *v = vt_new(5, 40, 10);
	vt_cell cells[40];
	char line[64];
	int i;

	(void)state;
	vt_feed(v, "epoch 1\n", 8);
	vt_feed(v, "10%\r20%\r", 8);
	vt_feed(v, "30% done\n", 9);
	assert_int_equal(vt_lines(v), 2);
	assert_string_equal(vt_text(v, 0), "epoch 1");
	assert_string_equal(vt_text(v, 1), "30% done");
	/* Escape sequences act inside the model; none becomes text. */
	vt_feed(v, seqs, strlen(seqs));
	assert_string_equal(vt_text(v, 2), "red");
	assert_int_equal(vt_line(v, 2, cells, 40), 3);
	assert_int_equal(cells[0].fg, 1);
	/* Lines scroll into a scrollback that keeps the newest 10. */
	for (i = 0; i < 30; i++) {
		int n = snprintf(line, sizeof(line), "line %d\n", i);
		vt_feed(v, line, (size_t)n);
	}
	assert_int_equal(vt_dropped(v) + vt_lines(v), 33);
	assert_int_equal(vt_lines(v), 10 + 4);
	assert_string_equal(vt_text(v, vt_lines(v) - 1), "line 29");
	vt_free(v);
}

static void
test_pysyntax(void **state)
{
	const char *l1 = "def fit(x):  # train", *l2 = "s = '''a", *l3 = "b''' + 42";
	theme_element el[64];
	pysyntax_state st = { 0 };

	(void)state;
	pysyntax_line(&st, l1, strlen(l1), el);
	assert_int_equal(el[0], THEME_PY_KEYWORD);
	assert_int_equal(el[4], THEME_PY_DEF);
	assert_int_equal(el[8], THEME_TEXT);
	assert_int_equal(el[13], THEME_PY_COMMENT);
	pysyntax_line(&st, l2, strlen(l2), el);
	assert_int_equal(el[0], THEME_TEXT);
	assert_int_equal(el[4], THEME_PY_STRING);
	assert_true(st.triple != 0);
	pysyntax_line(&st, l3, strlen(l3), el);
	assert_int_equal(el[0], THEME_PY_STRING);
	assert_int_equal(st.triple, 0);
	assert_int_equal(el[7], THEME_PY_NUMBER);
}

/* The output pane, driven through its ops like the app does. */
typedef struct output_fixture {
	app a;
	runview rv;
	pane p;
	WINDOW *w;
} output_fixture;

static int
output_setup(void **state)
{
	output_fixture *f = calloc(1, sizeof(*f));

	setenv("AUTOKAGGLE_TUI_SIZE", "60x12", 1);
	assert_int_equal(screen_open(1), 0);
	f->a.l = loop_new();
	f->a.rv = &f->rv;
	f->p.ops = &pane_output_ops;
	f->p.app = &f->a;
	f->p.ops->open(&f->p);
	f->w = newwin(10, 60, 0, 0);
	*state = f;
	return 0;
}

static int
output_teardown(void **state)
{
	output_fixture *f = *state;

	delwin(f->w);
	f->p.ops->close(&f->p);
	loop_free(f->a.l);
	screen_close();
	free(f);
	return 0;
}

static void
output_draw(output_fixture *f, char rows[10][61])
{
	int y;

	werase(f->w);
	f->p.rows = 10;
	f->p.cols = 60;
	f->p.ops->draw(&f->p, f->w, 10, 60);
	for (y = 0; y < 10; y++) {
		mvwinnstr(f->w, y, 0, rows[y], 60);
		rows[y][60] = '\0';
	}
}

static void
test_output_follow_pause_search(void **state)
{
	output_fixture *f = *state;
	char rows[10][61], line[32];
	int i, n;

	for (i = 0; i < 50; i++) {
		n = snprintf(line, sizeof(line), "step %02d\n", i);
		f->p.ops->log(&f->p, STAGE_TRAIN, line, (size_t)n);
	}
	output_draw(f, rows);
	assert_non_null(strstr(rows[0], "following"));
	assert_non_null(strstr(rows[9], "step 49"));
	/* Up pauses, the cursor a line above the end; new output then does
	 * not move the view. */
	assert_int_equal(f->p.ops->key(&f->p, KEYS_UP), PANE_HANDLED);
	f->p.ops->log(&f->p, STAGE_TRAIN, "step 50\n", 8);
	output_draw(f, rows);
	assert_non_null(strstr(rows[0], "paused, 1 new line:"));
	assert_non_null(strstr(rows[9], "step 49"));
	/* The cursor moves up to the top row, then the view scrolls. */
	for (i = 0; i < 9; i++)
		f->p.ops->key(&f->p, KEYS_UP);
	output_draw(f, rows);
	assert_non_null(strstr(rows[1], "step 39"));
	/* End follows again. */
	assert_int_equal(f->p.ops->key(&f->p, KEYS_END), PANE_HANDLED);
	output_draw(f, rows);
	assert_non_null(strstr(rows[0], "following"));
	assert_non_null(strstr(rows[9], "step 50"));
	/* n after a search goes to the previous (older) match. */
	assert_int_equal(f->p.ops->key(&f->p, '/'), PANE_HANDLED);
	assert_non_null(f->a.prompt_done);
	f->a.prompt_done(&f->a, "step 1", f->a.prompt_arg);
	output_draw(f, rows);
	assert_non_null(strstr(rows[0], "/step 1"));
	assert_non_null(strstr(rows[5], "step 19"));
	assert_int_equal(f->p.ops->key(&f->p, 'n'), PANE_HANDLED);
	output_draw(f, rows);
	assert_non_null(strstr(rows[5], "step 18"));
	assert_int_equal(f->p.ops->key(&f->p, 'x'), PANE_IGNORED);
}

/* Folding never splits a wide character: it moves to the next row. */
static void
test_outview_fold(void **state)
{
	vt_cell cells[5] = {
		{ 'a', -1, -1, 0, 1 }, { 'b', -1, -1, 0, 1 }, { 0x4e2d, -1, -1, 0, 2 }, { 0, -1, -1, 0, 1 }, { 'c', -1, -1, 0, 1 },
	};
	int starts[4];

	(void)state;
	assert_int_equal(outview_fold(cells, 5, 3, starts, 4), 2);
	assert_int_equal(starts[1], 2);
	assert_int_equal(outview_fold(cells, 5, 80, starts, 4), 1);
	assert_int_equal(outview_fold(cells, 0, 80, starts, 4), 1);
	assert_int_equal(outview_fold(cells, 5, 2, starts, 4), 3);
}

/* w cuts long lines; Left/Right scroll sideways; the offset outlives a
 * wrap and an unwrap. */
static void
test_output_wrap(void **state)
{
	output_fixture *f = *state;
	char rows[10][61], line[128];
	int i;

	memset(line, 'x', 100);
	memcpy(line + 100, "END\n", 4);
	f->p.ops->log(&f->p, STAGE_TRAIN, line, 104);
	output_draw(f, rows);
	assert_non_null(strstr(rows[2], "xxxEND"));
	assert_int_equal(f->p.ops->key(&f->p, 'w'), PANE_HANDLED);
	output_draw(f, rows);
	assert_null(strstr(rows[1], "END"));
	assert_null(strstr(rows[2], "x"));
	assert_non_null(strstr(rows[0], "cut, from col 1"));
	for (i = 0; i < 6; i++)
		f->p.ops->key(&f->p, KEYS_RIGHT);
	output_draw(f, rows);
	assert_non_null(strstr(rows[1], "xxxEND"));
	assert_int_equal(strspn(rows[1], "x"), 52);
	f->p.ops->key(&f->p, 'w');
	output_draw(f, rows);
	assert_null(strstr(rows[0], "cut"));
	f->p.ops->key(&f->p, 'w');
	output_draw(f, rows);
	assert_non_null(strstr(rows[0], "cut, from col 49"));
	assert_int_equal(strspn(rows[1], "x"), 52);
	f->p.ops->key(&f->p, KEYS_LEFT);
	output_draw(f, rows);
	assert_int_equal(strspn(rows[1], "x"), 60);
}

/* Enter (following) finds the newest frame of the run's code and the app
 * shows that line, marked, in the pane that shows code. */
static void
test_output_enter_frame(void **state)
{
	output_fixture *f = *state;
	char *dir = testlib_tmpdir("frame"), *py = testlib_path(dir, "code/train.py"), *tb, row[61];
	pane *code = &f->a.panes[0];
	WINDOW *w = newwin(10, 60, 0, 0);
	int y, marked = -1;

	testlib_write(py, "import sys\nx = 1\nraise SystemExit(x)\n");
	f->rv.run.dir = dir;
	code->ops = &pane_code_ops;
	code->app = &f->a;
	code->ops->open(code);
	f->a.focus = 1;
	tb = xasprintf("Traceback (most recent call last):\n  File \"%s\", line 3, in <module>\n"
		       "  File \"/usr/lib/python3/x.py\", line 9, in f\nSystemExit: 1\n", py);
	f->p.ops->log(&f->p, STAGE_TRAIN, tb, strlen(tb));
	assert_int_equal(f->p.ops->key(&f->p, KEYS_ENTER), PANE_HANDLED);
	assert_int_equal(f->a.focus, 0);
	assert_non_null(strstr(f->a.status, "train.py, line 3"));
	code->rows = 10;
	code->ops->draw(code, w, 10, 60);
	for (y = 0; y < 10; y++) {
		mvwinnstr(w, y, 0, row, 60);
		if (strstr(row, "3> raise SystemExit"))
			marked = y;
	}
	assert_true(marked > 0);
	/* With the cursor on a library's frame, Enter says it is not the run's. */
	f->p.ops->key(&f->p, KEYS_UP);
	f->p.ops->key(&f->p, KEYS_ENTER);
	assert_non_null(strstr(f->a.status, "x.py is not a file of the run's code"));
	code->ops->close(code);
	code->ops = NULL;
	delwin(w);
	f->rv.run.dir = NULL;
	free(tb);
	free(py);
	testlib_rmtree(dir);
	free(dir);
}

/* v anchors, the cursor stretches it either way, Esc or v drops it. */
static void
test_selection(void **state)
{
	selection s = { 0 };
	long first, last;

	(void)state;
	assert_int_equal(selection_range(&s, 4, &first, &last), -1);
	assert_false(selection_has(&s, 4, 4));
	assert_null(selection_key(&s, KEYS_ESC, 4));
	assert_null(selection_key(&s, 'x', 4));
	assert_non_null(strstr(selection_key(&s, 'v', 4), "y copies"));
	assert_int_equal(selection_range(&s, 7, &first, &last), 0);
	assert_int_equal(first, 4);
	assert_int_equal(last, 7);
	assert_int_equal(selection_range(&s, 1, &first, &last), 0);
	assert_int_equal(first, 1);
	assert_int_equal(last, 4);
	assert_true(selection_has(&s, 1, 3));
	assert_false(selection_has(&s, 1, 5));
	assert_non_null(selection_key(&s, KEYS_ESC, 1));
	assert_false(s.on);
	selection_key(&s, 'v', 2);
	assert_non_null(selection_key(&s, 'v', 2));
	assert_false(s.on);
}

static char *
copy_of(pane *p, char *what, size_t n)
{
	size_t len = 0;
	char *text = p->ops->copy(p, &len, what, n);

	assert_true(!text || strlen(text) == len);
	return text;
}

/* v pauses following and selects from the last line; y copies the lines
 * selected, whole, and ends the selection (the view stays paused);
 * without one y copies the lines on the screen; F drops it. */
static void
test_output_selection(void **state)
{
	output_fixture *f = *state;
	char rows[10][61], line[32], what[128], *text;
	int i, n;

	theme_init("mono"); /* the cursor reversed, a selection underlined */
	for (i = 0; i < 50; i++) {
		n = snprintf(line, sizeof(line), "step %02d\n", i);
		f->p.ops->log(&f->p, STAGE_TRAIN, line, (size_t)n);
	}
	output_draw(f, rows);
	assert_int_equal(f->p.ops->key(&f->p, KEYS_ESC), PANE_IGNORED);
	assert_int_equal(f->p.ops->key(&f->p, 'v'), PANE_HANDLED);
	f->p.ops->key(&f->p, KEYS_UP);
	f->p.ops->key(&f->p, KEYS_UP);
	output_draw(f, rows);
	assert_non_null(strstr(rows[0], "selecting"));
	assert_int_equal(mvwinch(f->w, 8, 0) & A_ATTRIBUTES, theme_attr(THEME_SELECTION) & A_ATTRIBUTES);
	assert_int_equal(mvwinch(f->w, 7, 0) & A_ATTRIBUTES, theme_attr(THEME_SELECTED) & A_ATTRIBUTES);
	text = copy_of(&f->p, what, sizeof(what));
	assert_string_equal(text, "step 47\nstep 48\nstep 49\n");
	assert_string_equal(what, "the selection");
	free(text);
	output_draw(f, rows);
	assert_non_null(strstr(rows[0], "paused"));
	text = copy_of(&f->p, what, sizeof(what));
	assert_string_equal(what, "those on the screen");
	assert_non_null(strstr(text, "step 41\n"));
	free(text);
	f->p.ops->key(&f->p, 'v');
	f->p.ops->key(&f->p, 'F');
	output_draw(f, rows);
	assert_non_null(strstr(rows[0], "following"));
	text = copy_of(&f->p, what, sizeof(what));
	assert_string_equal(what, "those on the screen");
	free(text);
}

/* The code pane has a cursor (its number highlighted) that v selects
 * from; y copies those lines of the file, else the whole file. */
static void
test_code_selection(void **state)
{
	output_fixture *f = *state;
	char *dir = testlib_tmpdir("codesel"), *py = testlib_path(dir, "code/train.py"), what[128], *text;
	pane *code = &f->a.panes[0];

	theme_init("mono");
	testlib_write(py, "one = 1\ntwo = 2\nthree = 3\nfour = 4\nfive = 5");
	f->rv.run.dir = dir;
	code->ops = &pane_code_ops;
	code->app = &f->a;
	code->ops->open(code);
	code->rows = 10;
	code->ops->key(code, KEYS_DOWN);
	assert_int_equal(code->ops->key(code, 'v'), PANE_HANDLED);
	code->ops->key(code, KEYS_DOWN);
	code->ops->key(code, KEYS_END);
	code->ops->key(code, KEYS_UP);
	werase(f->w);
	code->ops->draw(code, f->w, 10, 60);
	assert_int_equal(mvwinch(f->w, 4, 0) & A_ATTRIBUTES, theme_attr(THEME_SELECTED) & A_ATTRIBUTES);
	assert_int_equal(mvwinch(f->w, 3, 8) & A_ATTRIBUTES, theme_attr(THEME_SELECTION) & A_ATTRIBUTES);
	assert_int_not_equal(mvwinch(f->w, 5, 8) & A_ATTRIBUTES, theme_attr(THEME_SELECTION) & A_ATTRIBUTES);
	text = copy_of(code, what, sizeof(what));
	assert_string_equal(text, "two = 2\nthree = 3\nfour = 4\n");
	assert_string_equal(what, "the selection, train.py lines 2-4");
	free(text);
	/* Over: the whole file; Esc drops a selection. */
	text = copy_of(code, what, sizeof(what));
	assert_string_equal(text, "one = 1\ntwo = 2\nthree = 3\nfour = 4\nfive = 5");
	assert_string_equal(what, "all of train.py");
	free(text);
	code->ops->key(code, 'v');
	assert_int_equal(code->ops->key(code, KEYS_ESC), PANE_HANDLED);
	assert_int_equal(code->ops->key(code, KEYS_ESC), PANE_IGNORED);
	text = copy_of(code, what, sizeof(what));
	assert_string_equal(what, "all of train.py");
	free(text);
	code->ops->close(code);
	code->ops = NULL;
	f->rv.run.dir = NULL;
	free(py);
	testlib_rmtree(dir);
	free(dir);
}

static int
screen_setup(void **state)
{
	(void)state;
	setenv("AUTOKAGGLE_TUI_SIZE", "80x24", 1);
	setenv("TERM", "xterm-256color", 1);
	unsetenv("NO_COLOR");
	return screen_open(1) == 0 ? 0 : -1;
}

static int
screen_teardown(void **state)
{
	(void)state;
	theme_reset();
	screen_close();
	return 0;
}

/* themes/default.theme says what the compiled-in table does; a bad line
 * is named by file and line, and what it did not reach keeps the defaults. */
static void
test_theme_files(void **state)
{
	attr_t want[THEME_COUNT];
	char msg[512], *path, *bad;
	FILE *f;
	int i;

	(void)state;
	theme_reset();
	theme_init(NULL);
	for (i = 0; i < THEME_COUNT; i++)
		want[i] = theme_attr((theme_element)i);
	assert_int_equal(theme_load(ABS_TOP_SRCDIR "/themes/default.theme", msg, sizeof(msg)), 0);
	theme_init(NULL);
	for (i = 0; i < THEME_COUNT; i++)
		assert_int_equal(theme_attr((theme_element)i), want[i]);
	theme_reset();
	assert_int_equal(theme_load(ABS_TOP_SRCDIR "/themes/template.theme", msg, sizeof(msg)), 0);
	assert_int_equal(theme_load(ABS_TOP_SRCDIR "/themes/light.theme", msg, sizeof(msg)), 0);
	assert_int_equal(theme_load(ABS_TOP_SRCDIR "/themes/high-contrast.theme", msg, sizeof(msg)), 0);
	assert_int_equal(theme_load(ABS_TOP_SRCDIR "/themes/mono.theme", msg, sizeof(msg)), 0);
	theme_reset();
	bad = xasprintf("/tmp/ak-theme-%d.theme", (int)getpid());
	f = fopen(bad, "w");
	assert_non_null(f);
	fputs("# mine\ntitle = red default bold\nheader = purple default\nerror = blue default\n", f);
	fclose(f);
	assert_int_equal(theme_load(bad, msg, sizeof(msg)), -1);
	path = xasprintf("%s:3: '", bad);
	assert_non_null(strstr(msg, path));
	assert_non_null(strstr(msg, "needs two colours"));
	theme_init(NULL);
	assert_int_equal(PAIR_NUMBER(theme_attr(THEME_ERROR)), PAIR_NUMBER(want[THEME_ERROR]));
	assert_int_equal(theme_parse_line("nope = red default", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "unknown element 'nope'"));
	assert_int_equal(theme_parse_line("text = red default blink", msg, sizeof(msg)), -1);
	assert_int_equal(theme_parse_line("   # only a comment", msg, sizeof(msg)), 0);
	assert_int_equal(theme_load("no-such-theme", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "no theme 'no-such-theme'"));
	unlink(bad);
	free(bad);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_decode),
		cmocka_unit_test(test_vt_progress_and_scrollback),
		cmocka_unit_test(test_pysyntax),
		cmocka_unit_test_setup_teardown(test_output_follow_pause_search, output_setup, output_teardown),
		cmocka_unit_test(test_outview_fold),
		cmocka_unit_test_setup_teardown(test_output_wrap, output_setup, output_teardown),
		cmocka_unit_test_setup_teardown(test_output_enter_frame, output_setup, output_teardown),
		cmocka_unit_test(test_selection),
		cmocka_unit_test_setup_teardown(test_output_selection, output_setup, output_teardown),
		cmocka_unit_test_setup_teardown(test_code_selection, output_setup, output_teardown),
		cmocka_unit_test_setup_teardown(test_theme_files, screen_setup, screen_teardown),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
