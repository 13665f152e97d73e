#include "config.h"

#include "util/strv.h"

#include <stdlib.h>

void
strv_free(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}
