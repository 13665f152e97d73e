#ifndef AK_LINEDIFF_H
#define AK_LINEDIFF_H

#include <stddef.h>

/* How one text became another, line by line: the lines of both in order,
 * each kept, removed (only in the old text) or added (only in the new),
 * with as few removed and added as a longest common subsequence gives. */

typedef enum linediff_kind { LINEDIFF_SAME, LINEDIFF_DEL, LINEDIFF_ADD } linediff_kind;

typedef struct linediff_line {
	linediff_kind kind;
	const char *text;   /* into a or b, without its newline */
	size_t len;
} linediff_line;

/* The lines of a[0, alen) against b[0, blen) into *out (free it); returns
 * how many. Past a size where the comparison would cost too much, the
 * differing middle is given as all removed then all added. */
size_t linediff(const char *a, size_t alen, const char *b, size_t blen, linediff_line **out);

#endif
