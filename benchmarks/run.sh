#!/usr/bin/env bash
# Runs the zerojwt-vs-peers comparison in one `go test -bench` invocation and
# prints a benchstat table (one column per library, ratios vs zerojwt) and a
# compact table (median ns/op, ratio to zerojwt and to the HMAC floor, B/op,
# allocs/op). Runnable from anywhere: benchmarks/run.sh
# Environment: COUNT (default 6) overrides -count.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

count="${COUNT:-6}"
# benchstat from golang.org/x/perf, pinned; fetched through the Go module proxy.
benchstat_version="v0.0.0-20260908200009-22c9c6c9d4da"

cpu_model() {
	if [[ -r /proc/cpuinfo ]]; then
		grep -m1 -E '^(model name|Hardware|cpu model)' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'
	elif command -v sysctl >/dev/null 2>&1; then
		sysctl -n machdep.cpu.brand_string 2>/dev/null || true
	fi
}

mkdir -p results
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
raw="results/bench-$stamp.txt"

echo "go:    $(go version)"
echo "cpu:   $(cpu_model) ($(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') online)"
echo "date:  $stamp"
echo "count: $count, -cpu 1, raw output: benchmarks/$raw"
if [[ -r /proc/loadavg ]]; then
	read -r load1 _ </proc/loadavg
	echo "load:  $load1 (1-min average before the run)"
	if awk -v l="$load1" 'BEGIN { exit !(l >= 1.0) }'; then
		echo "WARNING: the machine is busy; ns/op will be noisy (B/op and allocs/op are not affected)." >&2
	fi
fi
echo

go test -run '^$' -bench . -benchmem -count "$count" -cpu 1 . | tee "$raw"

gobin="$(mktemp -d)"
trap 'rm -rf "$gobin"' EXIT
GOBIN="$gobin" go install "golang.org/x/perf/cmd/benchstat@$benchstat_version"

echo
echo "== benchstat (columns per library; ratios vs zerojwt) =="
"$gobin/benchstat" -col /lib "$raw"

echo
echo "== summary (median of $count runs) =="
echo "go: $(go version | cut -d' ' -f3-)   cpu: $(cpu_model)"
go run ./cmd/ratios "$raw"
