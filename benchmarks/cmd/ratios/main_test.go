package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkSign/lib=zerojwt         	 1000000	      100.0 ns/op	     320 B/op	       1 allocs/op
BenchmarkSign/lib=zerojwt         	 1000000	      300.0 ns/op	     320 B/op	       1 allocs/op
BenchmarkSign/lib=zerojwt         	 1000000	      200.0 ns/op	     320 B/op	       1 allocs/op
BenchmarkSign/lib=golang-jwt-2    	  500000	     1000 ns/op	    2000 B/op	      30 allocs/op
BenchmarkSign/lib=floor           	 5000000	       50.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkVerify/lib=zerojwt       	 1000000	      400 ns/op	     100 B/op	       2 allocs/op
PASS
`

func TestTable(t *testing.T) {
	tab, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.order) != 4 {
		t.Fatalf("rows %v", tab.order)
	}
	if m, _ := tab.med("Sign", "zerojwt", "ns/op"); m != 200 {
		t.Fatalf("median %v, want 200", m)
	}
	var out strings.Builder
	if err := tab.write(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"golang-jwt", "5.00x", "20.00x", "4.00x", "2000", "30"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// Verify has no floor row: its ratio column shows "-".
	if !strings.Contains(out.String(), "-") {
		t.Errorf("missing placeholder:\n%s", out.String())
	}
}
