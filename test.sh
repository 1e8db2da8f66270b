#!/usr/bin/env bash
# Runs every test of every module (the root module and each nested one), installing what the
# tests need first. Usage: ./test.sh
set -euo pipefail
cd "$(dirname "$0")"

echo "== root module: go test -race ./..."
go test -race -count=1 ./...
echo "== root module: allocation budgets (built without -race)"
go test -count=1 -run 'Allocs' .

for mod in benchmarks interop redisstore; do
	[ -f "$mod/go.mod" ] || continue
	if [ -x "$mod/test.sh" ]; then
		echo "== $mod: $mod/test.sh"
		"$mod/test.sh"
	else
		echo "== $mod: go test -race ./..."
		(cd "$mod" && go test -race -count=1 ./...)
	fi
done
