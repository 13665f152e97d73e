#ifndef AK_SCHEMA_H
#define AK_SCHEMA_H

#include <stddef.h>

/* The workspace database schema as an ordered list of migration steps:
 * step i takes a database from PRAGMA user_version i to i + 1. Steps are
 * only ever appended, never edited, so any older database can catch up. */

size_t schema_step_count(void);
/* SQL of step i (one or more statements); NULL past the end. */
const char *schema_step_sql(size_t i);

#endif
