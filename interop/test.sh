#!/bin/sh
# Entry point for the repository's ./test.sh, which runs <module>/test.sh
# when a nested module has one. Same as run.sh.
exec "$(dirname "$0")/run.sh" "$@"
