# ui: the full-screen workbench (ncurses, libvterm). Nothing in src/
# includes curses; main.c reaches it through ui/tui.h.
noinst_LIBRARIES += ui/libui.a
ui_libui_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir) $(VTERM_CFLAGS) -DNCURSES_WIDECHAR=1
ui_libui_a_SOURCES = \
	ui/actions.c ui/actions.h \
	ui/app.c ui/app.h \
	ui/bindings.c ui/bindings.h \
	ui/chatdraw.c ui/chatdraw.h \
	ui/chatinput.c ui/chatinput_layout.c ui/chatinput.h \
	ui/chatlog.c ui/chatlog.h \
	ui/chatview.c ui/chatview.h \
	ui/chrome.c ui/chrome.h \
	ui/clipboard.c ui/clipboard.h \
	ui/cmd_tui.c ui/tui.h \
	ui/cmdhist.c ui/cmdhist.h \
	ui/cmdline.c ui/cmdline.h \
	ui/codedraw.c ui/codedraw.h \
	ui/outdraw.c ui/outdraw.h \
	ui/commands.c ui/commands.h \
	ui/complete.c ui/complete.h \
	ui/draw.c ui/draw.h \
	ui/help.c ui/help.h \
	ui/input.c ui/input.h \
	ui/keymap.c ui/keymap.h \
	ui/keys.c ui/keys.h \
	ui/markdown.c ui/markdown.h \
	ui/md.c ui/md.h \
	ui/pane.h \
	ui/pane_chat.c \
	ui/pane_code.c \
	ui/pane_comp.c \
	ui/outview.c ui/outview.h \
	ui/pane_output.c \
	ui/pane_profile.c \
	ui/pane_start.c \
	ui/pysyntax.c ui/pysyntax.h \
	ui/runview.c ui/runview.h \
	ui/screen.c ui/screen.h \
	ui/selection.c ui/selection.h \
	ui/submit.c ui/submit.h \
	ui/theme.c ui/theme.h \
	ui/theme_file.c \
	ui/vt.c ui/vt.h
autokaggle_LDADD += ui/libui.a libautokaggle.a $(NCURSES_LIBS) $(VTERM_LIBS) $(DEPS_LIBS)

# The models of the panes, tested without a terminal.
UNIT_TESTS += tests/unit/test_ui
tests_unit_test_ui_CPPFLAGS = $(ui_libui_a_CPPFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ui_LDADD = ui/libui.a $(LDADD) $(NCURSES_LIBS) $(VTERM_LIBS)

# The keymap, the command line and the Escape delay.
UNIT_TESTS += tests/unit/test_keymap
tests_unit_test_keymap_CPPFLAGS = $(ui_libui_a_CPPFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_keymap_LDADD = ui/libui.a $(LDADD) $(NCURSES_LIBS) $(VTERM_LIBS)

# The chat pane's models: markdown, transcript, input layout, pastes, readline.
UNIT_TESTS += tests/unit/test_chatpane
tests_unit_test_chatpane_CPPFLAGS = $(ui_libui_a_CPPFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_chatpane_LDADD = ui/libui.a $(LDADD) $(NCURSES_LIBS) $(VTERM_LIBS)
