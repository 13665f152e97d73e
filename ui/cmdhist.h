#ifndef AK_UI_CMDHIST_H
#define AK_UI_CMDHIST_H

#include <stddef.h>

#include "ui/cmdline.h"

/* The ":" command line's history across sessions: WORKSPACE/cmdline_history,
 * a command a line, the newest last. It is written whole (atomically,
 * 0600) after each command, so that a killed workbench or a dropped SSH
 * link loses none; a bad or unreadable file is ignored (the history then
 * starts empty) and never stops the workbench. */

#define CMDHIST_FILE "cmdline_history"

/* Adds the commands of the file at path to c's history (a missing file:
 * none). 0, or -1 with msg saying why the file was ignored. */
int cmdhist_load(cmdline *c, const char *path, char *msg, size_t msgsz);
/* Writes c's history to path: 0, or -1 with msg saying why not. */
int cmdhist_save(const cmdline *c, const char *path, char *msg, size_t msgsz);

#endif
