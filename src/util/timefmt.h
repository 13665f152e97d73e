#ifndef AK_TIMEFMT_H
#define AK_TIMEFMT_H

#include <time.h>

/* Time stamps as run.json, the logs and the database write them. */

#define TIMEFMT_ISO_LEN 32

/* "2026-11-25T16:30:12Z" for t in UTC. */
void timefmt_iso_utc(time_t t, char out[TIMEFMT_ISO_LEN]);
/* Parses what timefmt_iso_utc writes; -1 when s is not such a stamp. */
int timefmt_parse_iso_utc(const char *s, time_t *t);
/* Wall-clock seconds since the epoch, with sub-second precision. */
double timefmt_wall_now(void);

#endif
