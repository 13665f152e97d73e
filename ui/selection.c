#include "config.h"

#include "ui/keys.h"
#include "ui/selection.h"

const char *
selection_key(selection *s, int key, long cur)
{
	if (key == 'v' && !s->on) {
		s->on = 1;
		s->anchor = cur;
		return "selecting lines: move the cursor, y copies them, Esc or v drops them";
	}
	if ((key == 'v' || key == KEYS_ESC) && s->on) {
		selection_drop(s);
		return "selection dropped";
	}
	return NULL;
}

void
selection_drop(selection *s)
{
	s->on = 0;
	s->anchor = 0;
}

int
selection_range(const selection *s, long cur, long *first, long *last)
{
	if (!s->on)
		return -1;
	*first = s->anchor < cur ? s->anchor : cur;
	*last = s->anchor < cur ? cur : s->anchor;
	return 0;
}

int
selection_has(const selection *s, long cur, long line)
{
	long first, last;

	return selection_range(s, cur, &first, &last) == 0 && line >= first && line <= last;
}
