#ifndef AK_UI_MARKDOWN_H
#define AK_UI_MARKDOWN_H

#include <stddef.h>

#include "ui/md.h"

/* Markdown as chat replies use it, laid out for a width: # headings,
 * **strong**, *emphasis*, `code`, lists, > quotes, rules, and fenced code
 * (Python in its syntax colours, ui/pysyntax). Pure: lines of text with a
 * theme element per byte, no drawing. The text is made safe first
 * (util/termsafe), so no line holds a control character. A marker that is
 * not closed stays as typed, as it is while a reply is still arriving. */

/* Appends the lines of markdown text[0, len) laid out in cols columns. */
void markdown_render(const char *text, size_t len, int cols, md_lines *out);

#endif
