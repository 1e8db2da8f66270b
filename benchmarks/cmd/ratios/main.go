// Command ratios summarises `go test -bench` output of the benchmarks
// module. Benchmark names are BenchmarkOp/wl=<workload>/lib=<library>
// (BenchmarkOp/lib=<library> counts as the standard workload). Figures are
// medians over the samples of a row, and ratios medians of the per-run
// ratios when both rows have one sample per run, so concatenated output of
// several runs of -count 1 gives medians of interleaved runs.
//
// It prints three tables: every row (median ns/op, ratio to zerojwt and to
// the HMAC floor of the same workload, B/op, allocs/op); the workload table
// in Markdown (zerojwt's ns/op, × floor and allocs/op for sign and verify,
// and its lead over the fastest other library); and the bars of issue 15,
// each met or not.
//
// Usage: go run ./cmd/ratios [file ...]   (standard input when no file)
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

const (
	baseline = "zerojwt"
	floor    = "floor"
	standard = "standard"
	foreign  = "foreign"
)

// key identifies one row: operation, workload and library.
type key struct{ op, wl, lib string }

// samples holds every observation of one row, per unit (ns/op, B/op, allocs/op).
type samples map[string][]float64

// table is the parsed benchmark output, with rows and workloads in
// first-seen order.
type table struct {
	order     []key
	workloads []string
	rows      map[key]samples
}

func main() {
	t := newTable()
	var err error
	if len(os.Args) < 2 {
		err = t.read(os.Stdin)
	} else {
		for _, name := range os.Args[1:] {
			if err = parseFile(t, name); err != nil {
				break
			}
		}
	}
	if err == nil && len(t.order) == 0 {
		err = fmt.Errorf("no lib=<name> benchmark lines found")
	}
	if err == nil {
		err = t.write(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
}

func newTable() *table { return &table{rows: map[key]samples{}} }

func parseFile(t *table, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return t.read(f)
}

// parseName splits BenchmarkOp/wl=W/lib=L[-N] (or BenchmarkOp/lib=L[-N])
// into its key.
func parseName(name string) (key, bool) {
	rest, ok := strings.CutPrefix(name, "Benchmark")
	if !ok {
		return key{}, false
	}
	op, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return key{}, false
	}
	wl := standard
	if w, r, ok := strings.Cut(rest, "/"); ok {
		wl, ok = strings.CutPrefix(w, "wl=")
		if !ok {
			return key{}, false
		}
		rest = r
	}
	lib, ok := strings.CutPrefix(rest, "lib=")
	if !ok || lib == "" {
		return key{}, false
	}
	if i := strings.LastIndexByte(lib, '-'); i >= 0 {
		if _, err := strconv.Atoi(lib[i+1:]); err == nil {
			lib = lib[:i] // GOMAXPROCS suffix
		}
	}
	return key{op: op, wl: wl, lib: lib}, true
}

// read adds every benchmark line of r of the form
// <name> <iterations> <value> <unit> [<value> <unit>]...
func (t *table) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 {
			continue
		}
		k, ok := parseName(f[0])
		if !ok {
			continue
		}
		s, seen := t.rows[k]
		if !seen {
			s = samples{}
			t.rows[k] = s
			t.order = append(t.order, k)
			if !slices.Contains(t.workloads, k.wl) {
				t.workloads = append(t.workloads, k.wl)
			}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return fmt.Errorf("bad value %q in %q", f[i], sc.Text())
			}
			s[f[i+1]] = append(s[f[i+1]], v)
		}
	}
	return sc.Err()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func (t *table) med(op, wl, lib, unit string) (float64, bool) {
	s, ok := t.rows[key{op, wl, lib}]
	if !ok || len(s[unit]) == 0 {
		return 0, false
	}
	return median(s[unit]), true
}

// runs returns the fewest ns/op samples of any row: the number of runs
// every median is taken over at least.
func (t *table) runs() int {
	n := -1
	for _, s := range t.rows {
		if c := len(s["ns/op"]); n < 0 || c < n {
			n = c
		}
	}
	return n
}

// fastestPeer returns the library other than zerojwt and the floor with
// the lowest median ns/op on op and workload wl.
func (t *table) fastestPeer(op, wl string) (string, float64, bool) {
	best, bestNs, found := "", 0.0, false
	for _, k := range t.order {
		if k.op != op || k.wl != wl || k.lib == baseline || k.lib == floor {
			continue
		}
		if ns, ok := t.med(op, wl, k.lib, "ns/op"); ok && (!found || ns < bestNs) {
			best, bestNs, found = k.lib, ns, true
		}
	}
	return best, bestNs, found
}

// over returns the ratio of a's ns/op to b's. When both rows have one
// sample per run, it is the median of the per-run ratios: each pairs two
// measurements taken seconds apart in one pass, so a slow spell of the
// machine that spans a whole pass moves both. Otherwise it is the ratio of
// the medians.
func (t *table) over(a, b key) (float64, bool) {
	sa, sb := t.rows[a]["ns/op"], t.rows[b]["ns/op"]
	if len(sa) == 0 || len(sb) == 0 {
		return 0, false
	}
	if len(sa) != len(sb) {
		mb := median(sb)
		if mb == 0 {
			return 0, false
		}
		return median(sa) / mb, true
	}
	rs := make([]float64, 0, len(sa))
	for i := range sa {
		if sb[i] == 0 {
			return 0, false
		}
		rs = append(rs, sa[i]/sb[i])
	}
	return median(rs), true
}

// overFloor returns zerojwt's ns/op over the floor of the same op and workload.
func (t *table) overFloor(op, wl string) (float64, bool) {
	return t.over(key{op, wl, baseline}, key{op, wl, floor})
}

// lead returns the fastest peer's ns/op over zerojwt's, and the peer.
func (t *table) lead(op, wl string) (float64, string, bool) {
	name, _, ok := t.fastestPeer(op, wl)
	if !ok {
		return 0, "", false
	}
	l, ok := t.over(key{op, wl, name}, key{op, wl, baseline})
	return l, name, ok
}

func ratio(v float64, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.2fx", v)
}

func num(v float64, ok bool) string {
	if !ok {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func (t *table) write(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "medians of %d runs per row\n\n", t.runs())
	t.writeRows(ew)
	fmt.Fprintln(ew)
	t.writeWorkloads(ew)
	fmt.Fprintln(ew)
	t.writeBars(ew)
	return ew.err
}

// writeRows prints one line per row.
func (t *table) writeRows(w io.Writer) {
	const row = "%-7s %-13s %-13s %10s %10s %9s %7s %9s\n"
	fmt.Fprintf(w, row, "op", "workload", "lib", "ns/op", "vs zerojwt", "vs floor", "B/op", "allocs/op")
	prev := key{}
	for _, k := range t.order {
		if (k.op != prev.op || k.wl != prev.wl) && prev.op != "" {
			fmt.Fprintln(w)
		}
		prev = k
		ns, _ := t.med(k.op, k.wl, k.lib, "ns/op")
		base, okBase := t.over(k, key{k.op, k.wl, baseline})
		fl, okFloor := t.over(k, key{k.op, k.wl, floor})
		bytes, okB := t.med(k.op, k.wl, k.lib, "B/op")
		allocs, okA := t.med(k.op, k.wl, k.lib, "allocs/op")
		fmt.Fprintf(w, row, k.op, k.wl, k.lib, strconv.FormatFloat(ns, 'f', 0, 64),
			ratio(base, okBase), ratio(fl, okFloor), num(bytes, okB), num(allocs, okA))
	}
}

// writeWorkloads prints zerojwt's figures per workload as a Markdown table.
func (t *table) writeWorkloads(w io.Writer) {
	fmt.Fprintln(w, "| workload | sign ns/op | sign × floor | sign allocs | sign lead | verify ns/op | verify × floor | verify allocs | verify lead |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|---:|---:|---:|---|")
	for _, wl := range t.workloads {
		fmt.Fprintf(w, "| %s | %s | %s |\n", wl, t.cells("Sign", wl), t.cells("Verify", wl))
	}
	if f, ok := t.foreignRatio(); ok {
		fmt.Fprintf(w, "\nforeign token / zerojwt's own (verify, ns/op): %.2fx\n", f)
	}
}

func (t *table) cells(op, wl string) string {
	ns, ok := t.med(op, wl, baseline, "ns/op")
	if !ok {
		return "- | - | - | -"
	}
	fl, okF := t.overFloor(op, wl)
	allocs, okA := t.med(op, wl, baseline, "allocs/op")
	ld := "-"
	if l, name, ok := t.lead(op, wl); ok {
		ld = fmt.Sprintf("%.2fx (%s)", l, name)
	}
	flCell := "-"
	if okF {
		flCell = fmt.Sprintf("%.2f", fl)
	}
	return fmt.Sprintf("%.0f | %s | %s | %s", ns, flCell, num(allocs, okA), ld)
}

func (t *table) foreignRatio() (float64, bool) {
	return t.over(key{"Verify", foreign, baseline}, key{"Verify", standard, baseline})
}

// isMap says whether a workload decodes into map[string]any.
func isMap(wl string) bool { return strings.HasSuffix(wl, "-map") }

// bar is one requirement of issue 15 over one figure of one workload.
type bar struct {
	name    string
	value   func(t *table, wl string) (float64, bool)
	max     bool    // the figure must be at most limit (else at least)
	limit   float64 // the bound
	applies func(wl string) bool
}

func always(string) bool { return true }

func structOnly(wl string) bool { return !isMap(wl) }

func only(name string) func(string) bool { return func(wl string) bool { return wl == name } }

var bars = []bar{
	{"verify ≤ 4× floor (struct)", func(t *table, wl string) (float64, bool) { return t.overFloor("Verify", wl) }, true, 4, structOnly},
	{"verify ≤ 3× floor (standard)", func(t *table, wl string) (float64, bool) { return t.overFloor("Verify", wl) }, true, 3, only(standard)},
	{"sign ≤ 3× floor", func(t *table, wl string) (float64, bool) { return t.overFloor("Sign", wl) }, true, 3, always},
	{"verify allocs ≤ 4 (struct)", func(t *table, wl string) (float64, bool) { return t.med("Verify", wl, baseline, "allocs/op") }, true, 4, structOnly},
	{"verify ≤ 5× floor (standard-map)", func(t *table, wl string) (float64, bool) { return t.overFloor("Verify", wl) }, true, 5, only("standard-map")},
	{"verify allocs ≤ 10 (standard-map)", func(t *table, wl string) (float64, bool) { return t.med("Verify", wl, baseline, "allocs/op") }, true, 10, only("standard-map")},
	{"sign lead ≥ 2.5×", func(t *table, wl string) (float64, bool) { l, _, ok := t.lead("Sign", wl); return l, ok }, false, 2.5, always},
	{"verify lead ≥ 4×", func(t *table, wl string) (float64, bool) { l, _, ok := t.lead("Verify", wl); return l, ok }, false, 4, always},
	{"foreign ≤ 1.1× own", func(t *table, _ string) (float64, bool) { return t.foreignRatio() }, true, 1.1, only(foreign)},
}

// writeBars prints each bar with the workloads that meet it and those that
// do not, with their figures.
func (t *table) writeBars(w io.Writer) {
	fmt.Fprintln(w, "bars of issue 15 (zerojwt):")
	for _, b := range bars {
		var met, missed []string
		for _, wl := range t.workloads {
			if !b.applies(wl) {
				continue
			}
			v, ok := b.value(t, wl)
			if !ok {
				continue
			}
			cell := fmt.Sprintf("%s %.2f", wl, v)
			if (b.max && v <= b.limit) || (!b.max && v >= b.limit) {
				met = append(met, cell)
			} else {
				missed = append(missed, cell)
			}
		}
		if len(met)+len(missed) == 0 {
			continue
		}
		verdict := "met"
		if len(missed) > 0 {
			verdict = "NOT met"
		}
		fmt.Fprintf(w, "  %-34s %-7s missed: [%s]  met: [%s]\n", b.name, verdict,
			strings.Join(missed, ", "), strings.Join(met, ", "))
	}
}

// errWriter keeps the first write error, so that the table code can print
// without checking each call.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, nil
}
