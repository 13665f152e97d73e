#ifndef AK_UI_COMPLETE_H
#define AK_UI_COMPLETE_H

/* Candidates for the command line's Tab (ui/cmdline.h): each a
 * NULL-terminated malloc'd array (util/strv.h) of the full words that
 * start with word, sorted, or NULL when none does. */

/* Among words (NULL-terminated). */
char **complete_words(const char *const *words, const char *word);
/* The LLM providers' names, and "auto". */
char **complete_providers(const char *word);
/* The themes installed and the user's (ui/theme.h: theme_list). */
char **complete_themes(const char *word);
/* Paths: the entries of word's directory (relative to the current one,
 * or ~/ for the home directory) that start with its last part; folders
 * end with "/". Hidden entries only when that part starts with ".". */
char **complete_files(const char *word);

#endif
