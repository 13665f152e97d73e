#!/bin/sh
# Runs one test program; shell tests are run with sh, binaries directly.
# A watchdog turns a hung test into an error instead of a stalled suite.
limit=${AK_TEST_TIMEOUT:-900}
case "$1" in
  *.sh) exec timeout -k 10 "$limit" sh "$@" ;;
  *) exec timeout -k 10 "$limit" "$@" ;;
esac
