#ifndef AK_SETTINGS_H
#define AK_SETTINGS_H

/* The user's settings: $AUTOKAGGLE_CONFIG, else
 * ${XDG_CONFIG_HOME:-~/.config}/autokaggle/config. Lines "key = value",
 * '#' starting a comment line, blank lines ignored; values run to the end
 * of the line, blanks around them trimmed. The environment variable of a
 * setting, where it has one, wins over the file.
 *
 * X(key, what it sets): the keys known, and the families of keys that end
 * with a name of the user's (SETTINGS_FAMILIES: "llm.price.gpt-4o"); another
 * key, or a line that is not "key = value", is skipped with a warning
 * naming the file and line. */
#define SETTINGS_KEYS(X)                                                                                    \
	X("kaggle.endpoint", "the Kaggle API's prefix up to and including /v1 (env KAGGLE_API_ENDPOINT)")        \
	X("llm.provider", "gemini, openai, anthropic or ollama (default: picked from the keys set)")            \
	X("llm.model", "the model (default: the provider's, see autokaggle models)")                          \
	X("llm.base_url", "the provider's base URL (env OPENAI_BASE_URL, ANTHROPIC_BASE_URL, OLLAMA_HOST...)")  \
	X("llm.connect_timeout", "how long to wait for the connection to the LLM (default 10s)")               \
	X("llm.first_byte_timeout", "how long the LLM may think before its reply starts (default 5m)")         \
	X("llm.idle_timeout", "how long a started reply may pause (default 2m)") \
	X("run.executor", "where TRAIN and PREDICT run unless --executor says: local or kaggle") \
	X("ui.ascii", "on or off (the default): frames and bars in ASCII only, as --ascii")          \
	X("ui.mouse", "on (the default) or off: the workbench leaves the mouse to the terminal, as --no-mouse")
#define SETTINGS_FAMILIES(X)                                                                                \
	X("llm.price.", "MODEL's price in dollars per million tokens: \"INPUT CACHED OUTPUT\"")               \
	X("llm.window.", "MODEL's input window in tokens")

/* The value of a key (of SETTINGS_KEYS, or a family's prefix and a name),
 * or NULL when the file does not set it. The file is
 * read once, on the first call; warnings go to stderr then. */
const char *settings_get(const char *key);
/* Where the file is looked for; caller frees. NULL when neither
 * AUTOKAGGLE_CONFIG, XDG_CONFIG_HOME nor HOME tells. */
char *settings_path(void);
/* Forgets what was read, so the next settings_get reads the file again. */
void settings_reset(void);

#endif
