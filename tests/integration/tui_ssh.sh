#!/bin/sh
# The workbench over `ssh -t` (Debian's openssh-server, started here on
# 127.0.0.1 with keys of the test's own): the connection dropped mid-TRAIN
# ends the TUI on the far side while TRAIN goes on; a second connection
# re-attaches, shows the output so far and follows the run to its end.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tui.sh"

sshd=/usr/sbin/sshd
[ -x "$sshd" ] || skip_all "openssh-server is not installed"
for tool in ssh ssh-keygen tmux; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool is not installed"
done
# sshd run by root wants its privilege separation directory.
if [ "$(id -u)" -eq 0 ] && [ ! -d /run/sshd ]; then
	mkdir -p /run/sshd 2>/dev/null || skip_all "cannot make /run/sshd"
fi
plan 10

ssh-keygen -q -t ed25519 -N '' -f "$T/hostkey" >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$T/userkey" >/dev/null
cp "$T/userkey.pub" "$T/authorized_keys"
port=$("$AUTOKAGGLE_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$T/sshd_config" <<EOF2
ListenAddress 127.0.0.1
Port $port
HostKey $T/hostkey
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
PrintMotd no
PrintLastLog no
ClientAliveInterval 0
EOF2
background "$sshd" -D -e -f "$T/sshd_config" 2>"$T/sshd.log"
up() { ssh -p "$port" -i "$T/userkey" -o BatchMode=yes -o StrictHostKeyChecking=no \
	-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR 127.0.0.1 true; }
wait_until 20 up || { diag_file "$T/sshd.log"; bail_out "sshd did not come up on 127.0.0.1:$port"; }

demo_run
# TRAIN prints a carriage-return progress line until the test lets it go
# on (no fixed sleeps), then trains for real.
mv "$dir/code/train.py" "$dir/code/train_real.py"
cat >"$dir/code/train.py" <<EOF2
import os, runpy, sys, time
i = 0
while not os.path.exists("$T/go") and i < 1500:
    sys.stdout.write("\rprogress %d" % i); sys.stdout.flush(); time.sleep(0.2); i += 1
print()
runpy.run_path("code/train_real.py", run_name="__main__")
EOF2
expect_exit 0 ak rerun "$id" train --detach

# What runs on the far side: the test's environment, then the TUI.
cat >"$T/remote.sh" <<EOF2
#!/bin/sh
export HOME='$HOME' LC_ALL=C.UTF-8 TZ=UTC AUTOKAGGLE_PYTHON='$AUTOKAGGLE_PYTHON'
cd '$T'
exec '$AUTOKAGGLE_BIN' --workspace '$WS' tui '$id'
EOF2
chmod +x "$T/remote.sh"
cat >"$T/local.sh" <<EOF2
#!/bin/sh
ssh -t -p $port -i '$T/userkey' -o BatchMode=yes -o StrictHostKeyChecking=no \
	-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR 127.0.0.1 '$T/remote.sh'
echo "ssh ended \$?"
sleep 600
EOF2
chmod +x "$T/local.sh"

. "$top_srcdir/tests/lib/tmux.sh"

tm -f /dev/null new-session -d -s ak -x 80 -y 24 "$T/local.sh"
trap 'tm kill-server 2>/dev/null; tap_cleanup' EXIT
wait_screen '^progress [0-9]+' "over ssh -t the TUI follows TRAIN's output"
tui_pid=$(pgrep -f "autokaggle --workspace $WS tui $id" | head -n 1)

# The connection drops: the client is killed, as a lost network does.
pkill -KILL -f "ssh -t -p $port" 2>/dev/null
wait_screen 'ssh ended' "the connection is gone"
ok "the TUI on the far side ends at once" wait_until 10 sh -c "! kill -0 ${tui_pid:-0} 2>/dev/null"
ok "TRAIN goes on without it" json_is_now "$id" '[s["status"] for s in j["stages"] if s["name"] == "train"][0]' running

# Re-attach: the output so far, then the rest, to the end.
tm respawn-pane -k -t ak "$T/local.sh"
wait_screen '^progress [0-9]+' "a new connection re-attaches: TRAIN's output so far is shown"
# The logs on disk come back in the order they were written: PREDICT's of
# the pass before, then TRAIN's of this one.
line_of() { awk -v re="$2" '$0 ~ re { n = NR; if ("'"$1"'" == "first") exit } END { print n + 0 }' "$T/screen.txt"; }
ok "... after the logs of the pass before, not amid them" \
	test "$(line_of last '==> predict started')" -lt "$(line_of first '^progress [0-9]+')"
: >"$T/go"
wait_screen "^run $id done" "... and the run is followed to the end"
ok "the run is done" json_is_now "$id" 'j["run"]["status"]' done
done_testing
