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

#include "testlib.h"
#include "ui/chatinput.h"
#include "ui/chatlog.h"
#include "ui/chatview.h"
#include "ui/input.h"
#include "ui/keys.h"
#include "ui/markdown.h"
#include "util/fs.h"
#include "util/loop.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The chat pane's models without a terminal: the markdown layout, the
 * transcript (which message each line is of, each message as it came),
 * where the pane looks in it (reading mode's mark), the input line's
 * layout (cursor with wide and combining characters), bracketed pastes
 * through the input choke point (one whose end marker never comes too),
 * and readline fed key by key (a paste stays one message until Enter). */

static md_lines
render(const char *text, int cols)
{
	md_lines l = { 0 };

	markdown_render(text, strlen(text), cols, &l);
	return l;
}

/* The element of the first byte of word in line i. */
static int
el_of(const md_lines *l, size_t i, const char *word)
{
	const char *at = strstr(l->v[i].text, word);

	assert_non_null(at);
	return l->v[i].el[at - l->v[i].text];
}

static void
test_markdown_blocks(void **state)
{
	md_lines l;

	(void)state;
	l = render("## Plan ##\n\nUse **LightGBM** with `ratio` and *care*, not feature_name_x.\n"
		   "- first\n3. third\n> quoted\n---\n", 40);
	assert_int_equal(l.n, 8);
	assert_string_equal(l.v[0].text, "Plan");
	assert_int_equal(l.v[0].el[0], THEME_MD_HEADING);
	assert_string_equal(l.v[1].text, "");
	assert_string_equal(l.v[2].text, "Use LightGBM with ratio and care, not");
	assert_int_equal(el_of(&l, 2, "Use"), THEME_TEXT);
	assert_int_equal(el_of(&l, 2, "LightGBM"), THEME_MD_BOLD);
	assert_int_equal(el_of(&l, 2, "ratio"), THEME_MD_CODE);
	assert_int_equal(el_of(&l, 2, "care"), THEME_MD_EMPHASIS);
	/* Words wrap whole; underscores inside a word are no emphasis. */
	assert_string_equal(l.v[3].text, "feature_name_x.");
	assert_int_equal(el_of(&l, 3, "name"), THEME_TEXT);
	assert_string_equal(l.v[4].text, "\xe2\x80\xa2 first");
	assert_int_equal(l.v[4].el[0], THEME_MD_BULLET);
	assert_string_equal(l.v[5].text, "3. third");
	assert_string_equal(l.v[6].text, "> quoted");
	assert_int_equal(l.v[6].el[0], THEME_DIM);
	assert_int_equal(strlen(l.v[7].text), 40 * 3); /* a rule of box-drawing dashes */
	md_lines_free(&l);
}

static void
test_markdown_wrap_and_safety(void **state)
{
	md_lines l;
	size_t i;

	(void)state;
	/* A list item wraps under its text; a word longer than the width is cut. */
	l = render("- one two three four five six\nabcdefghijklmnopqrstuvwxyz", 16);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].text, "\xe2\x80\xa2 one two three");
	assert_string_equal(l.v[1].text, "  four five six");
	assert_string_equal(l.v[2].text, "abcdefghijklmnop");
	assert_string_equal(l.v[3].text, "qrstuvwxyz");
	md_lines_free(&l);
	/* Unclosed markers stay as typed (a reply still arriving); escape
	 * sequences and control characters never reach a line. */
	l = render("**bold not closed and `code\n\033[2J\033]52;c;QUJD\007evil\001 text", 80);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].text, "**bold not closed and `code");
	assert_string_equal(l.v[1].text, "evil text");
	md_lines_free(&l);
	/* Wide characters count two columns. */
	l = render("\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2", 8);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].text, "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97");
	md_lines_free(&l);
	/* Fenced code: Python in its colours, indented, cut (not word-wrapped). */
	l = render("```python code/train.py\nimport numpy as np  # why\n```\n```\nplain = 1\n```", 80);
	assert_int_equal(l.n, 6);
	assert_string_equal(l.v[0].text, "```python code/train.py");
	assert_int_equal(l.v[0].el[0], THEME_DIM);
	assert_string_equal(l.v[1].text, "  import numpy as np  # why");
	assert_int_equal(el_of(&l, 1, "import"), THEME_PY_KEYWORD);
	assert_int_equal(el_of(&l, 1, "numpy"), THEME_TEXT);
	assert_int_equal(el_of(&l, 1, "# why"), THEME_PY_COMMENT);
	assert_int_equal(el_of(&l, 4, "plain"), THEME_MD_CODE);
	for (i = 0; i < l.n; i++)
		assert_int_equal(strlen(l.v[i].text), l.v[i].len);
	md_lines_free(&l);
	l = (md_lines){ 0 };
	md_plain("a **b**\n\nc", 10, 20, THEME_TEXT, &l);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].text, "a **b**");
	md_lines_free(&l);
}

static void
test_chatlog(void **state)
{
	chatlog *c = chatlog_new();
	size_t n, i;
	int interrupted = 0, partial = 0, streaming = 0;

	(void)state;
	chatlog_add(c, "user", "What first?");
	chatlog_add(c, "assistant", "Try **this**.\n\n(interrupted)");
	chatlog_reply_start(c);
	assert_true(chatlog_streaming(c));
	chatlog_reply_text(c, "Half a rep", 10);
	n = chatlog_layout(c, 40);
	for (i = 0; i < n; i++) {
		const md_line *l = chatlog_line(c, i);
		interrupted += strcmp(l->text, "(interrupted)") == 0 && l->el[0] == THEME_CHAT_NOTE;
		partial += strcmp(l->text, "Half a rep") == 0;
		streaming += strcmp(l->text, "assistant ...") == 0;
	}
	assert_int_equal(interrupted, 1); /* the stored one, marked */
	assert_int_equal(partial, 1);
	assert_int_equal(streaming, 1);
	chatlog_reply_text(c, "ly", 2);
	chatlog_reply_end(c, CHATLOG_INTERRUPTED, NULL);
	chatlog_note(c, "7 in / 3 out tokens");
	assert_false(chatlog_streaming(c));
	n = chatlog_layout(c, 40);
	assert_string_equal(chatlog_line(c, n - 4)->text, "Half a reply");
	assert_string_equal(chatlog_line(c, n - 3)->text, "(interrupted)");
	assert_string_equal(chatlog_line(c, n - 2)->text, "7 in / 3 out tokens");
	assert_int_equal(chatlog_line(c, n - 2)->el[0], THEME_CHAT_NOTE);
	assert_string_equal(chatlog_line(c, n - 1)->text, "");
	chatlog_free(c);
}

/* Each line knows its message; each message its first line and its text
 * as it came (markdown, not the laid-out lines; an interrupted reply
 * without its mark). */
static void
test_chatlog_messages(void **state)
{
	static const char reply[] = "## Plan\n\nUse **this**:\n\n- one\n- two\n";
	chatlog *c = chatlog_new();
	const char *text;
	size_t n, i, len;

	(void)state;
	chatlog_add(c, "user", "What first?");
	chatlog_add(c, "assistant", reply);
	chatlog_add(c, "assistant", "Cut sh\n\n(interrupted)");
	assert_int_equal(chatlog_count(c), 3);
	n = chatlog_layout(c, 40);
	assert_int_equal(chatlog_nlines(c), n);
	assert_int_equal(chatlog_first_line(c, 0), 0);
	assert_string_equal(chatlog_line(c, chatlog_first_line(c, 1))->text, "assistant");
	assert_string_equal(chatlog_line(c, chatlog_first_line(c, 2))->text, "assistant");
	assert_int_equal(chatlog_first_line(c, 3), n);
	for (i = 0; i < n; i++) {
		size_t m = chatlog_message_of(c, i);
		assert_true(chatlog_first_line(c, m) <= i && i < chatlog_first_line(c, m + 1));
	}
	assert_int_equal(chatlog_message_of(c, n), 3);
	text = chatlog_text(c, 1, &len);
	assert_int_equal(len, strlen(reply));
	assert_string_equal(text, reply);
	assert_true(chatlog_is_reply(c, 1));
	assert_false(chatlog_is_reply(c, 0));
	assert_string_equal(chatlog_text(c, 0, &len), "What first?");
	assert_string_equal(chatlog_text(c, 2, &len), "Cut sh");
	assert_null(chatlog_text(c, 3, &len));
	/* A reply arriving is a message too, its text so far. */
	chatlog_reply_start(c);
	chatlog_reply_text(c, "**par", 5);
	assert_int_equal(chatlog_count(c), 4);
	assert_string_equal(chatlog_text(c, 3, &len), "**par");
	chatlog_free(c);
}

/* Ten messages of four lines each (label, two of text, blank): message i
 * has lines 4i to 4i + 3. */
static chatlog *
ten_messages(void)
{
	chatlog *c = chatlog_new();
	char text[32];
	int i;

	for (i = 0; i < 10; i++) {
		snprintf(text, sizeof(text), "message %d\nsecond line", i);
		chatlog_add(c, i % 2 ? "assistant" : "user", text);
	}
	assert_int_equal(chatlog_layout(c, 40), 40);
	return c;
}

/* PgUp starts reading mode with the newest message in sight marked; Up
 * and Down move the mark, the view following it; scrolled out of sight
 * the mark moves to the nearest message; PgDn to the end leaves. */
static void
test_chatview_reading(void **state)
{
	chatlog *c = ten_messages();
	chatview v = { .height = 10 };

	(void)state;
	assert_int_equal(chatview_top(&v, c), 30);
	chatview_scroll(&v, c, 5);
	assert_false(v.reading);
	/* Back 9 lines: lines 21-30 show; the mark was message 9 (line 39),
	 * out of sight below, so it is the one at the bottom now. */
	chatview_scroll(&v, c, -9);
	assert_true(v.reading);
	assert_int_equal(chatview_top(&v, c), 21);
	assert_int_equal(v.mark, 7);
	assert_int_equal(chatview_below(&v, c), 9);
	chatview_pick(&v, c, -1);
	assert_int_equal(v.mark, 6);
	assert_int_equal(chatview_top(&v, c), 21);
	chatview_pick(&v, c, -1);
	assert_int_equal(v.mark, 5);
	assert_int_equal(chatview_top(&v, c), 20); /* its label in sight */
	chatview_pick(&v, c, -100);
	assert_int_equal(v.mark, 0);
	assert_int_equal(chatview_top(&v, c), 0);
	/* Message 2's label is in sight (line 8): the view stays. Down to one
	 * below the view: it shows whole, at the bottom. */
	chatview_pick(&v, c, 2);
	assert_int_equal(v.mark, 2);
	assert_int_equal(chatview_top(&v, c), 0);
	chatview_pick(&v, c, 1);
	assert_int_equal(v.mark, 3);
	assert_int_equal(chatview_top(&v, c), 6);
	chatview_pick(&v, c, 100);
	assert_int_equal(v.mark, 9);
	assert_int_equal(chatview_top(&v, c), 30);
	assert_true(v.reading);
	/* A reply arriving does not move what is read. */
	chatview_pick(&v, c, -5);
	assert_int_equal(chatview_top(&v, c), 16);
	chatlog_reply_start(c);
	chatlog_reply_text(c, "new", 3);
	chatlog_layout(c, 40);
	assert_int_equal(chatview_top(&v, c), 16);
	assert_int_equal(chatview_below(&v, c), chatlog_nlines(c) - 26);
	/* Scrolling down past the mark takes the message at the top. */
	chatview_scroll(&v, c, 9);
	assert_int_equal(v.mark, 6);
	/* To the end: reading is over. */
	chatview_scroll(&v, c, 1000);
	assert_false(v.reading);
	assert_int_equal(chatview_top(&v, c), chatlog_nlines(c) - 10);
	/* Reading where the view is: the newest message in sight. */
	chatview_read(&v, c);
	assert_true(v.reading);
	assert_int_equal(v.mark, 10);
	chatview_leave(&v);
	assert_false(v.reading);
	chatlog_free(c);
}

/* Nothing to read: no reading mode. A resize lays the log out anew and
 * the mark is brought back into sight. */
static void
test_chatview_edges(void **state)
{
	chatlog *empty = chatlog_new(), *c = ten_messages();
	chatview v = { .height = 10 };

	(void)state;
	chatlog_layout(empty, 40);
	chatview_scroll(&v, empty, -5);
	chatview_read(&v, empty);
	assert_false(v.reading);
	assert_int_equal(chatview_top(&v, empty), 0);
	chatview_scroll(&v, c, -10);
	chatview_pick(&v, c, -100);
	assert_int_equal(chatview_top(&v, c), 0);
	v.height = 3;
	v.top = 30;
	assert_int_equal(chatview_top(&v, c), 0);
	chatlog_free(empty);
	chatlog_free(c);
}

typedef struct rows {
	char text[8][128];
	size_t prompt[8];
} rows;

static void
collect_row(int row, const wchar_t *chars, size_t n, size_t prompt_chars, void *arg)
{
	rows *r = arg;

	assert_true(row < 8);
	assert_int_equal(wcslen(chars), n);
	snprintf(r->text[row], sizeof(r->text[row]), "%ls", chars);
	r->prompt[row] = prompt_chars;
}

static void
test_input_layout(void **state)
{
	rows r;
	int crow, ccol;

	(void)state;
	/* Wide characters take two cells, a combining one none. */
	assert_int_equal(chatinput_layout("you> ", "a\xe6\xbc\xa2" "e\xcc\x81x", 7, 20, NULL, NULL, &crow, &ccol), 1);
	assert_int_equal(crow, 0);
	assert_int_equal(ccol, 5 + 1 + 2 + 1); /* before the x: e and its accent are one cell */
	chatinput_layout("you> ", "a\xe6\xbc\xa2", 1, 20, NULL, NULL, &crow, &ccol);
	assert_int_equal(ccol, 6);
	/* Newlines start rows under the text; control characters show as ^X. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(chatinput_layout("you> ", "one\ntwo\001\nthree", 9, 20, collect_row, &r, &crow, &ccol), 3);
	assert_string_equal(r.text[0], "you> one");
	assert_int_equal(r.prompt[0], 5);
	assert_string_equal(r.text[1], "     two^A");
	assert_int_equal(r.prompt[1], 0);
	assert_string_equal(r.text[2], "     three");
	assert_int_equal(crow, 2);
	assert_int_equal(ccol, 5);
	/* A long line wraps; a wide character that does not fit moves down
	 * whole; the cursor after a full row goes to the next. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(chatinput_layout("> ", "abcdefg\xe6\xbc\xa2", 11, 10, collect_row, &r, &crow, &ccol), 2);
	assert_string_equal(r.text[0], "> abcdefg");
	assert_string_equal(r.text[1], "  \xe6\xbc\xa2");
	assert_int_equal(crow, 1);
	assert_int_equal(ccol, 4);
	assert_int_equal(chatinput_layout("> ", "abcdefgh", 8, 10, NULL, NULL, &crow, &ccol), 2);
	assert_int_equal(crow, 1);
	assert_int_equal(ccol, 2);
}

/* ---- pastes through the input choke point ---- */

/* What the terminal reader gave, from bytes written into a pipe. */
typedef struct got {
	strbuf keys, pastes;
	loop *l;
	input *in;
	int fds[2];
} got;

static void
got_key(int key, void *arg)
{
	strbuf_addf(&((got *)arg)->keys, "%s,", keys_name(key));
}

static void
got_paste(const char *text, size_t len, void *arg)
{
	strbuf_add(&((got *)arg)->pastes, text, len);
	strbuf_addch(&((got *)arg)->pastes, '|');
}

static void
got_lost(void *arg)
{
	(void)arg;
}

static void
got_note(const char *msg, void *arg)
{
	strbuf_addf(&((got *)arg)->keys, "note: %s,", msg);
}

static void
got_open(got *g)
{
	static const input_ops ops = { .key = got_key, .paste = got_paste, .lost = got_lost, .note = got_note };

	memset(g, 0, sizeof(*g));
	g->l = loop_new();
	assert_int_equal(pipe(g->fds), 0);
	g->in = input_open_tty(g->l, g->fds[0], &ops, g);
}

/* Writes bytes and reads them: until nothing more happens (a reader's
 * timer pending counts as nothing). */
static void
got_send(got *g, const char *bytes)
{
	assert_true(write(g->fds[1], bytes, strlen(bytes)) == (ssize_t)strlen(bytes));
	while (loop_run_once(g->l, 50) > 0)
		;
}

static void
got_close(got *g)
{
	input_close(g->in);
	close(g->fds[0]);
	close(g->fds[1]);
	loop_free(g->l);
	strbuf_free(&g->keys);
	strbuf_free(&g->pastes);
}

static void
test_bracketed_paste(void **state)
{
	got g;

	(void)state;
	got_open(&g);
	/* Keys, a paste whose end marker comes split over two reads, keys. */
	got_send(&g, "ab\033[200~one\rtwo\r\nq\033[2");
	assert_string_equal(strbuf_str(&g.keys), "a,b,");
	assert_int_equal(g.pastes.len, 0);
	got_send(&g, "01~c\033[200~\033[201~");
	/* Carriage returns are newlines; a q inside is text, not a key. */
	assert_string_equal(strbuf_str(&g.pastes), "one\ntwo\nq||");
	assert_string_equal(strbuf_str(&g.keys), "a,b,c,");
	got_close(&g);
}

/* A paste whose end marker never comes ends after half a second quiet,
 * with what arrived (what looked like the marker's start included), and
 * the keys after it are keys again. */
static void
test_paste_without_end(void **state)
{
	double start = loop_now();
	got g;

	(void)state;
	got_open(&g);
	got_send(&g, "a\033[200~lost end\033[20");
	assert_int_equal(g.pastes.len, 0);
	while (g.pastes.len == 0 && loop_now() - start < 5)
		loop_run_once(g.l, 100);
	assert_true(loop_now() - start >= 0.45);
	assert_string_equal(strbuf_str(&g.pastes), "lost end\033[20|");
	assert_non_null(strstr(strbuf_str(&g.keys), "a,note: the paste's end marker never came"));
	got_send(&g, "z");
	assert_non_null(strstr(strbuf_str(&g.keys), "came: what arrived was pasted, and keys work again,z,"));
	got_close(&g);
}

/* ---- readline fed key by key ---- */

static strbuf sent;
static int changes;

static void
on_line(char *text, void *arg)
{
	(void)arg;
	strbuf_addstr(&sent, text);
	strbuf_addch(&sent, '|');
	free(text);
}

static void
on_changed(void *arg)
{
	(void)arg;
	changes++;
}

static char *
on_edit(const char *text, void *arg)
{
	(void)arg;
	return xasprintf("%s, edited", text);
}

static void
type(const char *s)
{
	for (; *s; s++)
		chatinput_key((unsigned char)*s);
}

static void
test_readline_input(void **state)
{
	static const chatinput_ops ops = { .line = on_line, .changed = on_changed, .edit = on_edit };
	char *dir = testlib_tmpdir("chatinput"), *hist, *text;

	(void)state;
	hist = xasprintf("%s/chat_history", dir);
	chatinput_open("you> ", hist, &ops, NULL);
	assert_true(chatinput_idle());
	/* Editing keys: Left twice, then a character goes in there. */
	type("hello");
	chatinput_key(KEYS_LEFT);
	chatinput_key(KEYS_LEFT);
	chatinput_key('X');
	assert_string_equal(chatinput_text(), "helXlo");
	assert_int_equal(chatinput_point(), 4);
	assert_true(changes > 0);
	assert_false(chatinput_idle());
	chatinput_key(KEYS_ENTER);
	assert_string_equal(strbuf_str(&sent), "helXlo|");
	/* A paste of three lines is one message, sent only by Enter. */
	chatinput_paste("first\nsecond\nthird", 18);
	assert_string_equal(chatinput_text(), "first\nsecond\nthird");
	assert_string_equal(strbuf_str(&sent), "helXlo|");
	chatinput_key(KEYS_ENTER);
	assert_string_equal(strbuf_str(&sent), "helXlo|first\nsecond\nthird|");
	/* History: Up brings the pasted message back whole; Ctrl-R searches. */
	chatinput_key(KEYS_UP);
	assert_string_equal(chatinput_text(), "first\nsecond\nthird");
	chatinput_clear();
	assert_string_equal(chatinput_text(), "");
	chatinput_key(KEYS_CTRL('r'));
	type("lX");
	assert_non_null(strstr(chatinput_prompt(), "reverse-i-search"));
	assert_string_equal(chatinput_text(), "helXlo");
	chatinput_clear();
	assert_true(chatinput_idle());
	/* Ctrl-X Ctrl-E hands the line to the editor and takes its text. */
	type("draft");
	chatinput_key(KEYS_CTRL('x'));
	chatinput_key(KEYS_CTRL('e'));
	assert_string_equal(chatinput_text(), "draft, edited");
	chatinput_clear();
	chatinput_close();
	/* The history file keeps the message of three lines as one entry. */
	text = fs_read_file(hist, NULL, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "\nfirst\nsecond\nthird\n"));
	chatinput_open("you> ", hist, &ops, NULL);
	chatinput_key(KEYS_UP);
	assert_string_equal(chatinput_text(), "first\nsecond\nthird");
	chatinput_key(KEYS_UP);
	assert_string_equal(chatinput_text(), "helXlo");
	chatinput_close();
	testlib_rmtree(dir);
	free(dir);
	free(text);
	free(hist);
	strbuf_free(&sent);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown_blocks),
		cmocka_unit_test(test_markdown_wrap_and_safety),
		cmocka_unit_test(test_chatlog),
		cmocka_unit_test(test_chatlog_messages),
		cmocka_unit_test(test_chatview_reading),
		cmocka_unit_test(test_chatview_edges),
		cmocka_unit_test(test_input_layout),
		cmocka_unit_test(test_bracketed_paste),
		cmocka_unit_test(test_paste_without_end),
		cmocka_unit_test(test_readline_input),
	};

	setlocale(LC_ALL, "C.UTF-8");
	unsetenv("INPUTRC");
	setenv("HOME", "/nonexistent", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
