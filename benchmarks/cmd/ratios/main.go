// Command ratios summarises `go test -bench` output of the benchmarks
// module: for each operation (BenchmarkSign, BenchmarkVerify) and library
// (sub-benchmark lib=<name>) it prints the median ns/op, its ratio to
// zerojwt and to the HMAC floor, and the median B/op and allocs/op.
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
)

// key identifies one row: operation and library.
type key struct{ op, lib string }

// samples holds every observation of one row, per unit (ns/op, B/op, allocs/op).
type samples map[string][]float64

// table is the parsed benchmark output, with rows in first-seen order.
type table struct {
	order []key
	rows  map[key]samples
}

func main() {
	var t *table
	var err error
	if len(os.Args) < 2 {
		t, err = parse(os.Stdin)
	} else {
		t = &table{rows: map[key]samples{}}
		for _, name := range os.Args[1:] {
			if err = parseFile(t, name); err != nil {
				break
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
	if len(t.order) == 0 {
		fmt.Fprintln(os.Stderr, "ratios: no lib=<name> benchmark lines found")
		os.Exit(1)
	}
	if err := t.write(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
}

func parseFile(t *table, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return t.read(f)
}

func parse(r io.Reader) (*table, error) {
	t := &table{rows: map[key]samples{}}
	return t, t.read(r)
}

// read adds every benchmark line of r of the form
// BenchmarkOp/lib=name[-N] <iterations> <value> <unit> [<value> <unit>]...
func (t *table) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		op, sub, ok := strings.Cut(strings.TrimPrefix(f[0], "Benchmark"), "/lib=")
		if !ok {
			continue
		}
		if i := strings.LastIndexByte(sub, '-'); i >= 0 {
			if _, err := strconv.Atoi(sub[i+1:]); err == nil {
				sub = sub[:i] // GOMAXPROCS suffix
			}
		}
		k := key{op: op, lib: sub}
		s, seen := t.rows[k]
		if !seen {
			s = samples{}
			t.rows[k] = s
			t.order = append(t.order, k)
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

func (t *table) med(op, lib, unit string) (float64, bool) {
	s, ok := t.rows[key{op, lib}]
	if !ok || len(s[unit]) == 0 {
		return 0, false
	}
	return median(s[unit]), true
}

func ratio(v, base float64, ok bool) string {
	if !ok || base == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", v/base)
}

func (t *table) write(w io.Writer) error {
	const row = "%-7s %-13s %10s %10s %9s %7s %9s\n"
	if _, err := fmt.Fprintf(w, row, "op", "lib", "ns/op", "vs zerojwt", "vs floor", "B/op", "allocs/op"); err != nil {
		return err
	}
	prev := ""
	for _, k := range t.order {
		if k.op != prev && prev != "" {
			fmt.Fprintln(w)
		}
		prev = k.op
		ns, _ := t.med(k.op, k.lib, "ns/op")
		base, okBase := t.med(k.op, baseline, "ns/op")
		fl, okFloor := t.med(k.op, floor, "ns/op")
		bytes, okB := t.med(k.op, k.lib, "B/op")
		allocs, okA := t.med(k.op, k.lib, "allocs/op")
		if _, err := fmt.Fprintf(w, row, k.op, k.lib, strconv.FormatFloat(ns, 'f', 0, 64),
			ratio(ns, base, okBase), ratio(ns, fl, okFloor), num(bytes, okB), num(allocs, okA)); err != nil {
			return err
		}
	}
	return nil
}

func num(v float64, ok bool) string {
	if !ok {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
