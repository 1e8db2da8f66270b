//go:build !race

// Allocation budgets. They are built without the race detector only: under -race, sync.Pool
// drops a random share of what is put back, so pooled code allocates at random. ./test.sh
// runs them in a plain `go test` besides the -race run.

package jwt

import (
	"bytes"
	"testing"
	"time"
)

type allocClaims struct {
	Claims
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

// TestEncodeDecodeAllocs locks the per-operation allocations of the standard workload:
// Encode makes only the token string; Decode, into the struct (filled in place), into Claims
// or into nothing, makes only the payload string and the audience slice.
func TestEncodeDecodeAllocs(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := &allocClaims{
		Claims: Claims{
			Issuer: "https://auth.example.com", Subject: "1234567890", Audience: Audience{"api.example.com"},
			ExpiresAt: NewNumericDate(now.Add(time.Hour)), NotBefore: NewNumericDate(now.Add(-time.Minute)),
			IssuedAt: NewNumericDate(now), ID: "4f1g23a12aa",
		},
		Name: "John Doe", Admin: true,
	}
	want := Expect{Issuer: c.Issuer, Audience: []string{"api.example.com"}, Now: func() time.Time { return now }}
	for _, alg := range []Algorithm{HS256, HS384, HS512} {
		k, err := NewKey(alg, bytes.Repeat([]byte{7}, 64))
		if err != nil {
			t.Fatal(err)
		}
		tok, err := k.Encode(c)
		if err != nil {
			t.Fatal(err)
		}
		if a := testing.AllocsPerRun(200, func() { tok, err = k.Encode(c) }); a > 1 || err != nil {
			t.Errorf("%s Encode: %v allocs/op (err %v); budget 1", alg, a, err)
		}
		buf := make([]byte, 0, 1024)
		if a := testing.AllocsPerRun(200, func() { buf, err = k.AppendEncode(buf[:0], c) }); a != 0 || err != nil {
			t.Errorf("%s AppendEncode: %v allocs/op (err %v); budget 0", alg, a, err)
		}
		var out allocClaims
		if a := testing.AllocsPerRun(200, func() { err = k.Decode(tok, &out, want) }); a > 2 || err != nil {
			t.Errorf("%s Decode: %v allocs/op (err %v); budget 2", alg, a, err)
		}
		var rc Claims
		if a := testing.AllocsPerRun(200, func() { err = k.Decode(tok, &rc, want) }); a > 2 || err != nil {
			t.Errorf("%s Decode into Claims: %v allocs/op (err %v); budget 2", alg, a, err)
		}
		if a := testing.AllocsPerRun(200, func() { err = k.Decode(tok, nil, want) }); a > 2 || err != nil {
			t.Errorf("%s Decode verify-only: %v allocs/op (err %v); budget 2", alg, a, err)
		}
	}
}

func TestMACAllocs(t *testing.T) {
	for _, h := range testHashes {
		m := newMAC(h.new, bytes.Repeat([]byte{1}, 64))
		for _, n := range []int{0, 300, 8 << 10, 40 << 10} {
			msg := bytes.Repeat([]byte{'a'}, n)
			smsg := string(msg)
			sig := stdlibMAC(h.new, bytes.Repeat([]byte{1}, 64), msg)
			buf := make([]byte, 0, 64)
			var ok bool
			if a := testing.AllocsPerRun(200, func() { buf = m.appendSum(buf[:0], msg) }); a != 0 {
				t.Errorf("%s %d bytes: appendSum %v allocs/op; want 0", h.name, n, a)
			}
			if a := testing.AllocsPerRun(200, func() { ok = m.equal(smsg, sig) }); a != 0 || !ok {
				t.Errorf("%s %d bytes: equal %v allocs/op (ok=%v); want 0", h.name, n, a, ok)
			}
			if !bytes.Equal(buf, sig) {
				t.Errorf("%s %d bytes: wrong MAC", h.name, n)
			}
		}
	}
}
