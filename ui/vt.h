#ifndef AK_UI_VT_H
#define AK_UI_VT_H

#include <stddef.h>
#include <stdint.h>

/* A child's output as a terminal shows it: bytes go through libvterm (so
 * carriage returns, erase-line, colours and cursor moves of progress bars
 * collapse as in a terminal), and lines that scroll off its screen go to
 * a bounded scrollback. Pure model: nothing here draws, and no byte of the
 * child ever reaches the real terminal (only cells do). */

typedef struct vt vt;

#define VT_ATTR_BOLD 1
#define VT_ATTR_UNDERLINE 2
#define VT_ATTR_REVERSE 4

typedef struct vt_cell {
	uint32_t ch;      /* 0 = blank; the second half of a wide character is 0 too */
	int16_t fg, bg;   /* xterm colour 0-255, -1 default (true colour is dropped) */
	uint8_t attrs;
	int8_t width;
} vt_cell;

/* A terminal model of rows x cols keeping at most scrollback lines. */
vt *vt_new(int rows, int cols, int scrollback);
void vt_free(vt *v);
void vt_feed(vt *v, const char *data, size_t len);
/* New size (scrollback lines keep their width). */
void vt_resize(vt *v, int rows, int cols);
/* Lines there are: scrollback, then the screen down to its last used row. */
long vt_lines(vt *v);
/* Lines dropped from the scrollback so far (absolute index of line 0). */
long vt_dropped(const vt *v);
/* Copies line i (0 = the oldest kept) into out[0, max); returns its cells. */
int vt_line(vt *v, long i, vt_cell *out, int max);
/* Line i as UTF-8 into buf (size n), with cellof[k] the cell of byte k
 * (cellof may be NULL); returns the length. */
size_t vt_line_text(vt *v, long i, char *buf, size_t n, int *cellof);

#endif
