#!/usr/bin/env bash
# Runs the zerojwt-vs-peers comparison on every workload and prints a
# benchstat table (one column per library, ratios vs zerojwt), every row's
# medians (ns/op, ratio to zerojwt and to the HMAC floor, B/op, allocs/op),
# the workload table (zerojwt's × floor, allocs and lead over the fastest
# peer, sign and verify) and the bars of issue 15.
#
# The test binary is built once and run RUNS times, each run going through
# every benchmark once (-count 1): a slow spell of the machine then hits one
# sample of every row rather than all samples of one, and the figures are
# medians of interleaved runs. Runnable from anywhere: benchmarks/run.sh
# Environment: RUNS (default 8; COUNT is its older name), BENCHTIME (default 1s), BENCH (a -bench
# pattern, default ".": e.g. BENCH='/wl=idp' for one workload).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

runs="${RUNS:-${COUNT:-8}}" # COUNT: its older name
benchtime="${BENCHTIME:-1s}"
bench="${BENCH:-.}"
# benchstat from golang.org/x/perf, pinned; fetched through the Go module proxy.
benchstat_version="v0.0.0-20260908200009-22c9c6c9d4da"

cpu_model() {
	if [[ -r /proc/cpuinfo ]]; then
		grep -m1 -E '^(model name|Hardware|cpu model)' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'
	elif command -v sysctl >/dev/null 2>&1; then
		sysctl -n machdep.cpu.brand_string 2>/dev/null || true
	fi
}

load() {
	if [[ -r /proc/loadavg ]]; then
		cut -d' ' -f1-3 /proc/loadavg
	else
		echo "?"
	fi
}

mkdir -p results
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
raw="results/bench-$stamp.txt"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "go:    $(go version)"
echo "cpu:   $(cpu_model) ($(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') online)"
echo "date:  $stamp"
echo "runs:  $runs interleaved, -benchtime $benchtime, -cpu 1, -bench '$bench', raw output: benchmarks/$raw"
load1="$(load | cut -d' ' -f1)"
echo "load:  $(load) (1/5/15-min averages before the run)"
if [[ "$load1" != "?" ]] && awk -v l="$load1" 'BEGIN { exit !(l >= 1.0) }'; then
	echo "WARNING: the machine is busy; ns/op will be noisy (B/op and allocs/op are not affected)." >&2
fi
echo

go test -c -o "$tmp/benchmarks.test" .
for ((i = 1; i <= runs; i++)); do
	echo "== run $i/$runs (load $(load))"
	"$tmp/benchmarks.test" -test.run '^$' -test.bench "$bench" -test.benchmem \
		-test.count 1 -test.cpu 1 -test.benchtime "$benchtime" | tee -a "$raw"
done
echo "load after the runs: $(load)"

GOBIN="$tmp" go install "golang.org/x/perf/cmd/benchstat@$benchstat_version"

echo
echo "== benchstat (columns per library; ratios vs zerojwt) =="
"$tmp/benchstat" -col /lib "$raw"

echo
echo "== summary (medians of $runs interleaved runs) =="
echo "go: $(go version | cut -d' ' -f3-)   cpu: $(cpu_model)   load after: $(load)"
go run ./cmd/ratios "$raw"
