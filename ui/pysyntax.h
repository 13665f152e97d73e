#ifndef AK_UI_PYSYNTAX_H
#define AK_UI_PYSYNTAX_H

#include <stddef.h>

#include "ui/theme.h"

/* Python syntax colours, a line at a time: comments, strings (triple
 * quoted ones across lines), keywords, numbers and the names def and
 * class define. Pure: no drawing. */

/* Carried from one line to the next: inside a triple-quoted string. */
typedef struct pysyntax_state {
	char triple;   /* '\'' or '"' inside one, else 0 */
} pysyntax_state;

/* Fills el[0, len) with the element of each byte of line[0, len). */
void pysyntax_line(pysyntax_state *st, const char *line, size_t len, theme_element *el);

#endif
