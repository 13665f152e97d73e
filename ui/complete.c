#include "config.h"

#include "llm/llm.h"
#include "ui/complete.h"
#include "ui/theme.h"
#include "util/strv.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A growing NULL-terminated array. */
typedef struct complete_list {
	char **v;
	size_t n, cap;
} complete_list;

static void
complete_add(complete_list *l, char *s)
{
	if (l->n + 2 > l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

static int
complete_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, or NULL when empty. */
static char **
complete_done(complete_list *l)
{
	size_t i, k = 1;

	if (l->n == 0) {
		free(l->v);
		return NULL;
	}
	qsort(l->v, l->n, sizeof(*l->v), complete_cmp);
	for (i = 1; i < l->n; i++) {
		if (strcmp(l->v[i], l->v[k - 1]) == 0)
			free(l->v[i]);
		else
			l->v[k++] = l->v[i];
	}
	l->v[k] = NULL;
	return l->v;
}

char **
complete_words(const char *const *words, const char *word)
{
	complete_list l = { 0 };
	size_t n = strlen(word), i;

	for (i = 0; words[i]; i++)
		if (strncmp(words[i], word, n) == 0)
			complete_add(&l, xstrdup(words[i]));
	return complete_done(&l);
}

char **
complete_providers(const char *word)
{
	const char *names[8];
	size_t i;

	for (i = 0; llm_providers[i] && i < 6; i++)
		names[i] = llm_provider_name(llm_providers[i]);
	names[i++] = "auto";
	names[i] = NULL;
	return complete_words(names, word);
}

char **
complete_themes(const char *word)
{
	char **names = theme_list(), **v = complete_words((const char *const *)names, word);

	strv_free(names);
	return v;
}

/* The directory part of word ("" or ending in "/") as typed, and where
 * it is on disk ("~/" meaning HOME). */
static char *
complete_dir_on_disk(const char *typed)
{
	const char *home = getenv("HOME");

	if (!*typed)
		return xstrdup(".");
	if (strncmp(typed, "~/", 2) == 0 && home && *home)
		return xasprintf("%s/%s", home, typed + 2);
	return xstrdup(typed);
}

char **
complete_files(const char *word)
{
	const char *slash = strrchr(word, '/'), *base = slash ? slash + 1 : word;
	char *typed = xstrndup(word, (size_t)(base - word)), *dir = complete_dir_on_disk(typed), *path;
	complete_list l = { 0 };
	size_t n = strlen(base);
	struct dirent *d;
	struct stat st;
	DIR *dh = opendir(dir);

	while (dh && (d = readdir(dh)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0 || strncmp(d->d_name, base, n) != 0 ||
		    (d->d_name[0] == '.' && base[0] != '.'))
			continue;
		path = xasprintf("%s/%s", dir, d->d_name);
		complete_add(&l, xasprintf("%s%s%s", typed, d->d_name, stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? "/" : ""));
		free(path);
	}
	if (dh)
		closedir(dh);
	free(typed);
	free(dir);
	return complete_done(&l);
}
