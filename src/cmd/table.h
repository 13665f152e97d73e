#ifndef AK_TABLE_H
#define AK_TABLE_H

#include <stdio.h>

/* A table for the listing commands (competitions, files, submissions,
 * leaderboard): columns aligned by display width, cells made safe for a
 * terminal, and one flexible column cut (with "…") so that a row fits
 * the terminal's width when output is a terminal. */
typedef struct table table;

/* ncols headers; flex is the column that gives way to the width;
 * right[i] set aligns column i to the right (numbers). */
table *table_new(int ncols, const char *const *headers, const int *right, int flex);
/* Adds a row of ncols cells (copied; NULL is ""). */
void table_add(table *t, const char *const *cells);
/* Prints the header and the rows; width 0 means no limit. */
void table_print(const table *t, FILE *out, int width);
void table_free(table *t);

/* The width to fit: the terminal's columns when out is a terminal (or
 * $COLUMNS), else 0. */
int table_width(FILE *out);

#endif
