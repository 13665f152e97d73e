# Helpers for the tests that drive the real binary on a real terminal:
# a tmux server of the test's own (sourced after tap.sh).

sock=$T/tmux.sock
tm() { tmux -S "$sock" "$@"; }
# The pane's text now, in $T/screen.txt.
screen() { tm capture-pane -p -t ak >"$T/screen.txt" 2>/dev/null; }
shows() { screen && grep -Eq -- "$1" "$T/screen.txt"; }
# wait_screen ERE DESCRIPTION: one check, passed once the screen matches
# (30 s at most); else the screen goes to the diagnostics.
wait_screen() {
	if wait_until 30 shows "$1"; then
		pass "$2"
	else
		fail "$2"
		diag_file "$T/screen.txt" 30
	fi
}
