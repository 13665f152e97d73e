#ifndef AK_STRV_H
#define AK_STRV_H

/* NULL-terminated arrays of malloc'd strings (argv, environments). */

/* Frees every string and the array; NULL is fine. */
void strv_free(char **v);

#endif
