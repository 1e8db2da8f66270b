package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkSign/wl=standard/lib=zerojwt         	 1000000	      100.0 ns/op	     320 B/op	       1 allocs/op
BenchmarkSign/wl=standard/lib=zerojwt         	 1000000	      300.0 ns/op	     320 B/op	       1 allocs/op
BenchmarkSign/wl=standard/lib=zerojwt         	 1000000	      200.0 ns/op	     320 B/op	       1 allocs/op
BenchmarkSign/wl=standard/lib=golang-jwt-2    	  500000	     1000 ns/op	    2000 B/op	      30 allocs/op
BenchmarkSign/wl=standard/lib=kataras         	  500000	      600 ns/op	    2000 B/op	      15 allocs/op
BenchmarkSign/wl=standard/lib=floor           	 5000000	       50.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkVerify/wl=standard/lib=zerojwt       	 1000000	      400 ns/op	     100 B/op	       2 allocs/op
BenchmarkVerify/wl=standard/lib=kataras       	 1000000	     2000 ns/op	     100 B/op	      50 allocs/op
BenchmarkVerify/wl=standard/lib=floor         	 1000000	      100 ns/op	       0 B/op	       0 allocs/op
BenchmarkVerify/wl=foreign/lib=zerojwt        	 1000000	      480 ns/op	     100 B/op	       2 allocs/op
BenchmarkVerify/wl=standard-map/lib=zerojwt   	 1000000	      900 ns/op	     100 B/op	      12 allocs/op
BenchmarkVerify/wl=standard-map/lib=floor     	 1000000	      100 ns/op	       0 B/op	       0 allocs/op
PASS
`

func TestParseName(t *testing.T) {
	for _, tc := range []struct {
		name string
		want key
		ok   bool
	}{
		{"BenchmarkSign/wl=idp/lib=zerojwt", key{"Sign", "idp", "zerojwt"}, true},
		{"BenchmarkVerify/wl=idp-map/lib=go-jose-2", key{"Verify", "idp-map", "go-jose"}, true},
		{"BenchmarkSign/lib=golang-jwt", key{"Sign", standard, "golang-jwt"}, true},
		{"BenchmarkSign/wl=idp", key{}, false},
		{"BenchmarkSign/x=idp/lib=zerojwt", key{}, false},
		{"BenchmarkSign", key{}, false},
		{"goos: linux", key{}, false},
	} {
		got, ok := parseName(tc.name)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseName(%q) = %v, %v; want %v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func parsed(t *testing.T) *table {
	t.Helper()
	tab := newTable()
	if err := tab.read(strings.NewReader(sample)); err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestMedians(t *testing.T) {
	tab := parsed(t)
	if len(tab.order) != 10 {
		t.Fatalf("rows %v", tab.order)
	}
	if m, _ := tab.med("Sign", standard, "zerojwt", "ns/op"); m != 200 {
		t.Fatalf("median %v, want 200", m)
	}
	if n := tab.runs(); n != 1 {
		t.Fatalf("runs %d, want 1", n)
	}
}

func TestLead(t *testing.T) {
	tab := parsed(t)
	for _, tc := range []struct {
		op, wl string
		lead   float64
		peer   string
		ok     bool
	}{
		{"Sign", standard, 3, "kataras", true},
		{"Verify", standard, 5, "kataras", true},
		{"Verify", foreign, 0, "", false},
	} {
		l, p, ok := tab.lead(tc.op, tc.wl)
		if l != tc.lead || p != tc.peer || ok != tc.ok {
			t.Errorf("lead(%s, %s) = %v, %q, %v; want %v, %q, %v", tc.op, tc.wl, l, p, ok, tc.lead, tc.peer, tc.ok)
		}
	}
}

func TestWrite(t *testing.T) {
	var out strings.Builder
	if err := parsed(t).write(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"medians of 1 runs",
		"golang-jwt", "5.00x", "20.00x", "2000", "30", // rows
		"| standard | 200 | 4.00 | 1 | 3.00x (kataras) | 400 | 4.00 | 2 | 5.00x (kataras) |",
		"| foreign | - | - | - | - | 480 | - | 2 | - |",
		"foreign token / zerojwt's own (verify, ns/op): 1.20x",
		"sign ≤ 3× floor                    NOT met missed: [standard 4.00]",
		"verify lead ≥ 4×                   met     missed: []  met: [standard 5.00]",
		"verify allocs ≤ 10 (standard-map)  NOT met missed: [standard-map 12.00]",
		"foreign ≤ 1.1× own                 NOT met missed: [foreign 1.20]",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestOver(t *testing.T) {
	const runs = `BenchmarkVerify/wl=idp/lib=zerojwt 1 100 ns/op
BenchmarkVerify/wl=idp/lib=floor 1 50 ns/op
BenchmarkVerify/wl=idp/lib=zerojwt 1 300 ns/op
BenchmarkVerify/wl=idp/lib=floor 1 300 ns/op
BenchmarkVerify/wl=idp/lib=kataras 1 900 ns/op
`
	tab := newTable()
	if err := tab.read(strings.NewReader(runs)); err != nil {
		t.Fatal(err)
	}
	z, fl, k := key{"Verify", "idp", "zerojwt"}, key{"Verify", "idp", "floor"}, key{"Verify", "idp", "kataras"}
	for _, tc := range []struct {
		name string
		a, b key
		want float64
		ok   bool
	}{
		{"one sample per run: median of the per-run ratios 2 and 1", z, fl, 1.5, true},
		{"sample counts differ: ratio of the medians", k, z, 4.5, true},
		{"missing row", key{"Sign", "idp", "zerojwt"}, fl, 0, false},
	} {
		if got, ok := tab.over(tc.a, tc.b); got != tc.want || ok != tc.ok {
			t.Errorf("%s: over = %v, %v; want %v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}
