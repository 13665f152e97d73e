#include "config.h"

#include "pipeline/chat_history.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <readline/history.h>

/* readline recognises a timestamp line ("#1700000000") only when the
 * comment character says '#'; an entry then runs to the next timestamp,
 * newlines included. */
static void
chat_history_setup(void)
{
	history_comment_char = '#';
	history_write_timestamps = 1;
	stifle_history(CHAT_HISTORY_MAX);
}

void
chat_history_load(const char *path)
{
	chat_history_setup();
	using_history();
	read_history(path);
}

void
chat_history_add(const char *path, const char *line)
{
	HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
	mode_t old;

	chat_history_setup();
	if (last && strcmp(last->line, line) == 0)
		return;
	add_history(line);
	/* The whole list, each entry after its timestamp (read_history gives
	 * the entries of an old file one too): appending would leave an old
	 * file's first line without one, and readline would not see any. */
	old = umask(077);
	write_history(path);
	umask(old);
}

void
chat_history_clear(void)
{
	clear_history();
}
