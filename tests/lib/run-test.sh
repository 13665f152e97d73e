#!/bin/sh
# Runs one test program; shell tests are run with sh, binaries directly.
case "$1" in
  *.sh) exec sh "$@" ;;
  *) exec "$@" ;;
esac
