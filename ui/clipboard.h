#ifndef AK_UI_CLIPBOARD_H
#define AK_UI_CLIPBOARD_H

#include <stddef.h>

/* Copying text out of the workbench, over SSH too: through the first path
 * that works, a local clipboard tool (wl-copy under Wayland, xclip or xsel
 * under X), tmux's buffer (load-buffer -w, which also sets the outer
 * terminal's clipboard), OSC 52 on the terminal (wrapped for tmux and
 * screen; only on a real terminal), else the file fallback. */

/* Copies text; used gets what took it ("xclip", "tmux", "the terminal
 * (OSC 52)", or the fallback file's path). 0, or -1 when even the file
 * could not be written (used then says why). */
int clipboard_copy(const char *text, size_t len, int terminal, const char *fallback, char *used, size_t usedsz);

#endif
