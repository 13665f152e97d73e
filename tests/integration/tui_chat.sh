#!/bin/sh
# The workbench's chat pane (3) against the fake LLM, one demo run for the
# whole file: from key scripts first (no provider: how to set one up; keys
# typed there are the input's; a streamed reply in markdown; Esc cancels a
# slow reply and keeps what arrived, marked interrupted; a paste of three
# lines waits for Enter; Ctrl-X Ctrl-E edits in $EDITOR; Ctrl-R searches
# the history, which the next session and `autokaggle chat` share; vi keys
# from INPUTRC; PgUp's
# reading mode, where Up picks a message and y copies its markdown), then
# on a real terminal in tmux (a streamed reply, the bell, a bracketed paste).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tui.sh"
. "$top_srcdir/tests/lib/fake_llm.sh"
unset TMUX STY DISPLAY WAYLAND_DISPLAY VISUAL

plan 43

demo_run # before any LLM key: the templates write the code

# Without a provider: how to set one up, and no prompt.
steps <<EOF2
:wait 1 competition
3
:wait no LLM provider is set up
:dump $T/none.txt
EOF2
tui tui "$id"
expect_grep '^no LLM provider is set up: set OPENAI_API_KEY' "$T/none.txt" "without a provider the chat says how to set one up"
expect_no_grep '^you>' "$T/none.txt" "... instead of a prompt"

fake_llm_start
llm_env openai
cat >"$T/editor.sh" <<'EOF2'
#!/bin/sh
printf '%s and more from the editor\n' "$(cat "$1")" >"$1"
EOF2
chmod +x "$T/editor.sh"
EDITOR=$T/editor.sh
export EDITOR
llm_script '[{"text": "## Plan\n\nUse **LightGBM** with `ratio` features:\n\n- first item\n- second item\n\n```python\nimport numpy as np\n```\n"}]'
llm_script '[{"text": "{\"model_family\": \"lightgbm\"}"}]'
llm_script '[{"text": "This slow reply arrives word by word, on purpose, to be interrupted.", "delay_ms": 300}]'
llm_script '[{"text": "Three lines read."}]'
llm_script '[{"text": "{\"model_family\": \"lightgbm\"}"}]'
steps <<EOF2
:wait 1 competition
3
:wait you>
:type qrgyx?
:dump $T/typed.txt
<C-c>
:wait-gone qrgx
?
:wait keys (Esc closes)
:dump $T/help.txt
<Esc>
:type What should I try?
<Enter>
:wait reply done
:dump $T/turn.txt
:type Tell me slowly.
<Enter>
:wait This slow
<Esc>
:wait reply interrupted
:dump $T/cancel.txt
:paste first line\nsecond line\nthird line
:wait pasted into the message
:dump $T/paste.txt
<Enter>
:wait Three lines read.
:wait reply done
:type draft
<C-x> <C-e>
:wait back from the editor
:dump $T/edited.txt
<C-c>
<C-r>
:type second
:dump $T/search.txt
<C-g>
<Tab>
:wait classify.py
EOF2
tui tui "$id"
ok "the TUI ran the chat's script and exited 0" test "$rc" -eq 0
expect_grep '^you> qrgyx\?$' "$T/typed.txt" "keys typed in the chat go to its input, q, y and ? too"
expect_grep '^ +1 competition' "$T/typed.txt" "... and the workbench did not act on them"
expect_grep 'Tab S-Tab +leave the chat' "$T/help.txt" "? on an empty line lists the chat's keys"
expect_grep '^Plan$' "$T/turn.txt" "the reply is markdown: a heading without its #"
expect_grep '^Use LightGBM with ratio features:$' "$T/turn.txt" "... emphasis and code without their markers"
expect_grep '^• first item$' "$T/turn.txt" "... list items with bullets"
expect_grep '^  import numpy as np$' "$T/turn.txt" "... a code fence's lines"
expect_grep '^62 in / 24 out tokens, \$0\.0+ \(2 calls\)$' "$T/turn.txt" "the turn's tokens and cost (reply and decisions)"
expect_grep '^chat with openai gpt-5-mini +tokens: turn 62/24 \$0\.0+, run 62/24 \$0\.0+$' "$T/turn.txt" \
	"... and the run's, in the header"
expect_grep '^This slow' "$T/cancel.txt" "Esc stops a slow reply and keeps what arrived"
expect_grep '^\(interrupted\)$' "$T/cancel.txt" "... marked interrupted"
expect_no_grep 'to be interrupted\.' "$T/cancel.txt" "... where it stopped"
expect_grep '^\(interrupted\)$' "$dir/input/chat_transcript.md" "the transcript keeps the cut reply marked"
expect_grep '^you> first line$' "$T/paste.txt" "a paste lands in the input"
expect_grep '^     third line$' "$T/paste.txt" "... as one message of three lines"
expect_no_grep '^first line$' "$T/paste.txt" "... not sent by itself"
llm_requests "$T/requests.json"
ok "Enter sent the three lines as one message" json_is "$T/requests.json" \
	'"first line\\nsecond line\\nthird line" in j[3]["body"] and len([r for r in j if r["method"] == "POST"]) == 5' true
expect_grep '^you> draft and more from the editor$' "$T/edited.txt" "C-x C-e edits the message in \$EDITOR"
expect_grep "reverse-i-search\)\`second': first line" "$T/search.txt" "C-r searches the history"
ok "the history keeps the pasted message whole" grep -qx 'second line' "$WS/chat_history"
expect_no_grep 'qrgx' "$WS/chat_history" "... and not the line C-c cleared"

# The next session: the messages so far, and the history.
steps <<EOF2
:wait 1 competition
3
:wait Three lines read.
<Up>
:dump $T/again.txt
EOF2
tui tui "$id"
expect_grep '^Three lines read\.$' "$T/again.txt" "the messages of earlier sessions show when the pane opens"
expect_grep '^you> first line$' "$T/again.txt" "Up brings the last message back, from the shared history"

# Reading mode: PgUp marks a message (the rule says which), Up the one
# before, Home the first; y copies the marked one's markdown as it came; a
# letter goes back to the input, typed there; Esc goes back.
steps <<EOF2
:wait 1 competition
3
:wait Three lines read.
<PgUp>
:wait -- reading
:dump $T/reading.txt
<Up>
:dump $T/picked.txt
<Home> <Down>
y
:wait copied
:dump $T/copied.txt
:type w
:dump $T/typed-back.txt
<C-c>
<PgUp>
:wait -- reading
<Esc>
:wait-gone -- reading
:dump $T/esc.txt
EOF2
AUTOKAGGLE_TUI_SIZE=160x24 tui tui "$id" # the status line whole
expect_grep '^-+ reading [0-9]/6: Up Down pick, y copies, Esc returns' "$T/reading.txt" "PgUp starts reading mode, a message marked"
marked=$(sed -n 's/^-* reading \([0-9]\)\/6.*/\1/p' "$T/reading.txt")
ok "Up marks the message before" grep -q "^-* reading $((marked - 1))/6:" "$T/picked.txt"
printf '## Plan\n\nUse **LightGBM** with `ratio` features:\n\n- first item\n- second item\n\n```python\nimport numpy as np\n```\n' >"$T/plan.md"
ok "y copies the marked reply's markdown, as it came" cmp "$T/plan.md" "$dir/clipboard.txt"
expect_grep "^copied 10 lines to .*/clipboard\.txt \(reply 2 of 6\)" "$T/copied.txt" "... and says what it copied, and where"
expect_grep '^you> w$' "$T/typed-back.txt" "a letter in reading mode goes back to the input, typed there"
expect_no_grep ' reading [0-9]+/6' "$T/typed-back.txt" "... and reading mode is over"
expect_grep '^you>' "$T/esc.txt" "Esc goes back to the input"

# vi keys from the user's inputrc: Esc is readline's (command mode) when no
# reply is coming, 0 goes to the start, x deletes, i inserts.
printf 'set editing-mode vi\n' >"$T/inputrc"
steps <<EOF2
:wait 1 competition
3
:wait you>
:type hello world
<Esc>
0
x
i
:type Y
:dump $T/vi.txt
EOF2
INPUTRC=$T/inputrc
export INPUTRC
tui tui "$id"
unset INPUTRC
expect_grep '^you> Yello world$' "$T/vi.txt" "vi keys from INPUTRC edit the chat's input (Esc 0 x i)"

# On a real terminal.
if ! command -v tmux >/dev/null 2>&1; then
	skip 8 "tmux is not installed"
	exit 0
fi
. "$top_srcdir/tests/lib/tmux.sh"
flag() { [ "$(tm display-message -p -t ak "#{$1}")" = "$2" ]; }
cat >"$T/ak.sh" <<EOF2
#!/bin/sh
export HOME='$HOME' LC_ALL=C.UTF-8 TZ=UTC TERM=tmux-256color OPENAI_API_KEY='$OPENAI_API_KEY' OPENAI_BASE_URL='$OPENAI_BASE_URL'
"\$@"
echo "exit status \$?"
sleep 600
EOF2
chmod +x "$T/ak.sh"
llm_reset
llm_script '[{"text": "A streamed answer on the terminal, **in markdown**."}]'
llm_script '[{"text": "{\"model_family\": \"lightgbm\"}"}]'
tm -f /dev/null new-session -d -s ak -x 80 -y 24 "$T/ak.sh" "$AUTOKAGGLE_BIN" --workspace "$WS" tui "$id"
trap 'tm kill-server 2>/dev/null; tap_cleanup' EXIT
wait_screen '^ 1 competition' "tui RUN opens the workbench in tmux"
tm send-keys -t ak 3
wait_screen '^you>' "3 shows the chat's prompt"
tm send-keys -t ak -l 'Hello from tmux'
tm send-keys -t ak Enter
wait_screen '^A streamed answer on the terminal, in markdown\.$' "the reply streams onto the terminal"
wait_screen 'reply done' "... to its end"
ok "the bell rang when the reply was done" flag window_bell_flag 1
tm set-buffer -b chat "$(printf 'pasted one\npasted two')"
tm paste-buffer -p -b chat -t ak
wait_screen '^ +pasted two$' "a bracketed paste from the terminal lands in the input, lines kept"
ok "... and is not sent (its newlines are no Enter)" test "$(llm_request_count)" -eq 2
tm send-keys -t ak Tab q
wait_screen '^exit status 0' "Tab leaves the chat; q then quits"
