#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kaggle/zipname.h"
#include "util/xalloc.h"

static int
zipname_is_sep(char c)
{
	return c == '/' || c == '\\';
}

static const char *
zipname_refusal(const char *raw)
{
	const unsigned char *p;

	if (!*raw)
		return "has an empty name";
	if (zipname_is_sep(raw[0]))
		return "has an absolute path";
	for (p = (const unsigned char *)raw; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return "has a control character in its name";
	return NULL;
}

char *
zipname_clean(const char *raw, int *is_dir, const char **why)
{
	size_t len = strlen(raw), n = 0;
	char *out = xmalloc(len + 1);
	const char *p = raw;

	*why = zipname_refusal(raw);
	if (*why) {
		free(out);
		return NULL;
	}
	*is_dir = zipname_is_sep(raw[len - 1]);
	while (*p) {
		size_t clen = 0;

		while (p[clen] && !zipname_is_sep(p[clen]))
			clen++;
		if (clen == 2 && p[0] == '.' && p[1] == '.') {
			*why = "has a '..' component that leads out of the directory";
			free(out);
			return NULL;
		}
		if (clen && !(clen == 1 && p[0] == '.')) {
			if (n)
				out[n++] = '/';
			memcpy(out + n, p, clen);
			n += clen;
		}
		p += clen;
		while (zipname_is_sep(*p))
			p++;
	}
	out[n] = '\0';
	if (!n) {
		*why = "has a name with no file in it";
		free(out);
		return NULL;
	}
	return out;
}
