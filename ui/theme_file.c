#include "config.h"

#include "ui/theme.h"
#include "util/fs.h"
#include "util/paths.h"
#include "util/strv.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Theme files: "element = foreground background [attribute...]" a line,
 * colours by name or number (0-255, "default" for the terminal's own),
 * attributes bold, dim, underline, reverse, normal. themes/template.theme
 * lists every element. */


#define THEME_NAME_ROW(e, n, fg, bg, a, m) n,
static const char *const theme_names[THEME_COUNT] = { THEME_ELEMENTS(THEME_NAME_ROW) };
#undef THEME_NAME_ROW

static const char *const theme_colors[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"brightblack", "brightred", "brightgreen", "brightyellow", "brightblue", "brightmagenta", "brightcyan",
	"brightwhite",
};

static const struct {
	const char *name;
	attr_t attr;
} theme_attrs_named[] = {
	{ "normal", A_NORMAL }, { "bold", A_BOLD }, { "dim", A_DIM }, { "underline", A_UNDERLINE },
	{ "reverse", A_REVERSE },
};

/* -2 when word is not a colour. */
static int
theme_color(const char *word)
{
	char *end;
	long n;
	size_t i;

	if (strcasecmp(word, "default") == 0)
		return -1;
	if (strcasecmp(word, "gray") == 0 || strcasecmp(word, "grey") == 0)
		return 8;
	for (i = 0; i < sizeof(theme_colors) / sizeof(theme_colors[0]); i++)
		if (strcasecmp(word, theme_colors[i]) == 0)
			return (int)i;
	n = strtol(word, &end, 10);
	return *word && !*end && n >= 0 && n <= 255 ? (int)n : -2;
}

static int
theme_element_of(const char *name)
{
	int i;

	for (i = 0; i < THEME_COUNT; i++)
		if (strcmp(theme_names[i], name) == 0)
			return i;
	return -1;
}

static int
theme_attr_of(const char *word, attr_t *a)
{
	size_t i;

	for (i = 0; i < sizeof(theme_attrs_named) / sizeof(theme_attrs_named[0]); i++)
		if (strcasecmp(word, theme_attrs_named[i].name) == 0) {
			*a |= theme_attrs_named[i].attr;
			return 0;
		}
	return -1;
}

int
theme_parse_line(const char *line, char *msg, size_t msgsz)
{
	char buf[512], *eq, *tok, *save = NULL, *name;
	int elem, fg, bg;
	attr_t attr = A_NORMAL;

	snprintf(buf, sizeof(buf), "%s", line);
	buf[strcspn(buf, "#\r\n")] = '\0';
	for (name = buf; isspace((unsigned char)*name); name++)
		;
	if (!*name)
		return 0;
	eq = strchr(name, '=');
	if (!eq) {
		snprintf(msg, msgsz, "expected \"element = foreground background [attributes]\"");
		return -1;
	}
	*eq = '\0';
	name = strtok_r(name, " \t", &save);
	elem = name ? theme_element_of(name) : -1;
	if (elem < 0) {
		snprintf(msg, msgsz, "unknown element '%.60s' (themes/template.theme lists them)", name ? name : "");
		return -1;
	}
	save = NULL;
	tok = strtok_r(eq + 1, " \t", &save);
	fg = tok ? theme_color(tok) : -2;
	tok = tok ? strtok_r(NULL, " \t", &save) : NULL;
	bg = tok ? theme_color(tok) : -2;
	if (fg == -2 || bg == -2) {
		snprintf(msg, msgsz, "'%.60s' needs two colours (a name, 0-255 or default)", name);
		return -1;
	}
	while ((tok = strtok_r(NULL, " \t", &save)) != NULL)
		if (theme_attr_of(tok, &attr) < 0) {
			snprintf(msg, msgsz, "unknown attribute '%.60s' (bold, dim, underline, reverse, normal)", tok);
			return -1;
		}
	theme_set((theme_element)elem, (short)fg, (short)bg, attr);
	return 0;
}

/* Adds dir's NAME.theme files but the template to names (n so far). */
static size_t
theme_names_in(const char *dir, char ***names, size_t n)
{
	char **files = dir ? fs_list_files(dir) : NULL;
	size_t i, len;

	for (i = 0; files && files[i]; i++) {
		len = strlen(files[i]);
		if (len <= 6 || strcmp(files[i] + len - 6, ".theme") != 0 || strcmp(files[i], "template.theme") == 0)
			continue;
		*names = xrealloc(*names, (n + 2) * sizeof(**names));
		(*names)[n++] = xstrndup(files[i], len - 6);
		(*names)[n] = NULL;
	}
	strv_free(files);
	return n;
}

char **
theme_list(void)
{
	/* The shipped themes' folder is where the default one is. */
	char *user = paths_config_file("themes"), *shipped = paths_data_file("themes/default.theme"),
	     **names = xcalloc(1, sizeof(*names));
	size_t n = theme_names_in(user, &names, 0);

	if (shipped)
		*strrchr(shipped, '/') = '\0';

	theme_names_in(shipped, &names, n);
	free(user);
	free(shipped);
	return names;
}

/* Where NAME's file is: the user's themes first, then the shipped ones. */
static char *
theme_path(const char *name)
{
	char *rel, *dir, *p = NULL;

	if (strchr(name, '/'))
		return xstrdup(name);
	dir = paths_config_file("themes");
	if (dir)
		p = xasprintf("%s/%s.theme", dir, name);
	free(dir);
	if (p && fs_exists(p))
		return p;
	free(p);
	rel = xasprintf("themes/%s.theme", name);
	p = paths_data_file(rel);
	free(rel);
	return p;
}

int
theme_load(const char *name, char *msg, size_t msgsz)
{
	char *path = theme_path(name), *text, *line, *save = NULL, why[256], shown[1024];
	int n = 0, rc = 0;

	text = path ? fs_read_file(path, NULL, NULL) : NULL;
	if (!text) {
		snprintf(msg, msgsz, "no theme '%s' (looked in $XDG_CONFIG_HOME/autokaggle/themes and %s/themes): "
			"the default theme stays", name, PKGDATADIR);
		free(path);
		return -1;
	}
	for (line = text; line && rc == 0; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		n++;
		if (theme_parse_line(line, why, sizeof(why)) < 0) {
			snprintf(msg, msgsz, "%s:%d: %s; the rest of the theme is ignored",
				paths_tilde(path, shown, sizeof(shown)), n, why);
			rc = -1;
		}
	}
	free(text);
	free(path);
	return rc;
}
