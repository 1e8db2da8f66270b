package jwt_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
)

// The standard workload of the benchmarks (the same in benchmarks/ for the peer libraries):
// HS256 with a fixed 32-byte secret, the seven registered claims and two private ones.

var benchSecret = []byte("zerojwt-benchmark-secret-32bytes")

type benchClaims struct {
	jwt.Claims
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

// workload returns the standard claims at now and the expectations that verify them.
func workload(now time.Time) (*benchClaims, jwt.Expect) {
	c := &benchClaims{
		Claims: jwt.Claims{
			Issuer:    "https://auth.example.com",
			Subject:   "1234567890",
			Audience:  jwt.Audience{"api.example.com"},
			ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
			NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        "4f1g23a12aa",
		},
		Name:  "John Doe",
		Admin: true,
	}
	want := jwt.Expect{
		Issuer:   "https://auth.example.com",
		Audience: []string{"api.example.com"},
		Now:      func() time.Time { return now },
	}
	return c, want
}

func benchKey(b testing.TB, alg jwt.Algorithm) *jwt.Key {
	secret := benchSecret
	for len(secret) < 64 {
		secret = append(secret, benchSecret...)
	}
	n := map[jwt.Algorithm]int{jwt.HS256: 32, jwt.HS384: 48, jwt.HS512: 64}[alg]
	k, err := jwt.NewKey(alg, secret[:n])
	if err != nil {
		b.Fatal(err)
	}
	return k
}

// checkedToken signs the workload and checks once that it verifies into the right values and
// that a tampered copy fails, so that no benchmark measures a failing path.
func checkedToken(b testing.TB, k *jwt.Key, now time.Time) (string, jwt.Expect) {
	c, want := workload(now)
	tok, err := k.Encode(c)
	if err != nil {
		b.Fatal(err)
	}
	var got benchClaims
	if err := k.Decode(tok, &got, want); err != nil {
		b.Fatal(err)
	}
	if got.Subject != "1234567890" || got.Name != "John Doe" || !got.Admin {
		b.Fatalf("decoded %+v", got)
	}
	i := strings.IndexByte(tok, '.') + 5
	bad := tok[:i] + string(tok[i]^1) + tok[i+1:]
	if err := k.Decode(bad, &got, want); err == nil {
		b.Fatal("tampered token verified")
	}
	return tok, want
}

var sinkToken string

func BenchmarkSign(b *testing.B) {
	now := time.Now()
	for _, alg := range []jwt.Algorithm{jwt.HS256, jwt.HS384, jwt.HS512} {
		b.Run(string(alg), func(b *testing.B) {
			k := benchKey(b, alg)
			checkedToken(b, k, now)
			c, _ := workload(now)
			b.ReportAllocs()
			for b.Loop() {
				tok, err := k.Encode(c)
				if err != nil {
					b.Fatal(err)
				}
				sinkToken = tok
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	now := time.Now()
	for _, alg := range []jwt.Algorithm{jwt.HS256, jwt.HS384, jwt.HS512} {
		b.Run(string(alg), func(b *testing.B) {
			k := benchKey(b, alg)
			tok, want := checkedToken(b, k, now)
			b.ReportAllocs()
			b.SetBytes(int64(len(tok)))
			var c benchClaims
			for b.Loop() {
				if err := k.Decode(tok, &c, want); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("HS256-Claims", func(b *testing.B) {
		k := benchKey(b, jwt.HS256)
		tok, want := checkedToken(b, k, now)
		b.ReportAllocs()
		var c jwt.Claims
		for b.Loop() {
			if err := k.Decode(tok, &c, want); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("HS256-map", func(b *testing.B) {
		k := benchKey(b, jwt.HS256)
		tok, want := checkedToken(b, k, now)
		b.ReportAllocs()
		var m map[string]any
		for b.Loop() {
			if err := k.Decode(tok, &m, want); err != nil {
				b.Fatal(err)
			}
		}
		if m["name"] != "John Doe" {
			b.Fatalf("decoded %v", m)
		}
	})
}

// BenchmarkFloor is the cost no HMAC JWT library can go below: HMAC-SHA256 over the same
// signing input with crypto/hmac, keyed once and Reset per operation.
func BenchmarkFloor(b *testing.B) {
	k := benchKey(b, jwt.HS256)
	tok, _ := checkedToken(b, k, time.Now())
	input := []byte(tok[:strings.LastIndexByte(tok, '.')])
	h := hmac.New(sha256.New, benchSecret[:32])
	sum := make([]byte, 0, sha256.Size)
	b.ReportAllocs()
	for b.Loop() {
		h.Reset()
		h.Write(input)
		sum = h.Sum(sum[:0])
	}
}

func BenchmarkParallel(b *testing.B) {
	now := time.Now()
	k := benchKey(b, jwt.HS256)
	tok, want := checkedToken(b, k, now)
	b.Run("Sign", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			c, _ := workload(now)
			for pb.Next() {
				if _, err := k.Encode(c); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("Verify", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var c benchClaims
			for pb.Next() {
				if err := k.Decode(tok, &c, want); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// ---- denial of service: the costliest tokens of at most 8 KiB ----

// fillJSON returns prefix, then as many units as fit, separated by sep, then suffix, so that
// a token carrying the result in one segment (and other segments of others bytes) stays
// within 8 KiB.
func fillJSON(prefix string, unit func(i int) string, sep, suffix string, others int) string {
	budget := (jwt.DefaultMaxTokenSize-others-2)*3/4 - len(prefix) - len(suffix)
	var b strings.Builder
	b.WriteString(prefix)
	for i := 0; ; i++ {
		u := unit(i)
		if i > 0 {
			u = sep + u
		}
		if len(u) > budget {
			break
		}
		budget -= len(u)
		b.WriteString(u)
	}
	return b.String() + suffix
}

// name2 returns the i-th distinct name of two lower-case letters and more.
func name2(i int) string {
	s := ""
	for {
		s = string(rune('a'+i%26)) + s
		if i /= 26; i == 0 {
			return s + "a"
		}
	}
}

// dosTokens returns hostile tokens of at most 8 KiB: unsigned ones (garbage MAC), which cost
// the most before the signature is checked, and signed ones, which cost the most after it.
func dosTokens() []struct{ name, token string } {
	const sig = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" // 43 characters: a 32-byte MAC
	const payload = "e30"                                     // {}
	others := len(payload) + len(sig)
	unsigned := func(header string) string {
		return b64(header) + "." + payload + "." + sig
	}
	cyrillic := func(i int) string {
		return string(rune(0x430+i%32)) + string(rune(0x430+i/32%32)) + string(rune(0x430+i/1024))
	}
	var out []struct{ name, token string }
	add := func(name, token string) {
		if len(token) > jwt.DefaultMaxTokenSize {
			panic(name + ": token over 8 KiB")
		}
		out = append(out, struct{ name, token string }{name, token})
	}
	add("HeaderMembers", unsigned(fillJSON(`{"alg":"HS256",`, func(i int) string { return `"` + name2(i) + `":0` }, ",", "}", others)))
	add("HeaderCyrillicNames", unsigned(fillJSON(`{"alg":"HS256",`, func(i int) string { return `"` + cyrillic(i) + `":0` }, ",", "}", others)))
	add("HeaderLongName", unsigned(fillJSON(`{"alg":"HS256","`, func(int) string { return "ж" }, "", `":0}`, others)))
	add("HeaderEscapes", unsigned(fillJSON(`{"alg":"HS256","x":"`, func(int) string { return `\u0416` }, "", `"}`, others)))
	add("HeaderArrays", unsigned(fillJSON(`{"alg":"HS256","x":[`, func(int) string { return deep("[", "]", 62) }, ",", `]}`, others)))
	add("HeaderObjects", unsigned(fillJSON(`{"alg":"HS256",`, func(i int) string {
		return `"` + name2(i) + `":` + strings.Repeat(`{"a":`, 8) + "0" + strings.Repeat("}", 8)
	}, ",", "}", others)))
	add("HeaderObjectMembers", unsigned(fillJSON(`{"alg":"HS256","x":{`, func(i int) string { return `"` + name2(i) + `":0` }, ",", "}}", others)))
	// A valid header and an 8 KiB payload: the whole token goes through the MAC.
	stdHeader := `{"alg":"HS256","typ":"JWT"}`
	add("PayloadMAC", b64(stdHeader)+"."+b64(fillJSON(`{"x":"`, func(int) string { return "A" }, "", `"}`, len(b64(stdHeader))+len(sig)))+"."+sig)

	// Signed with the key itself: the payload is read, into *Claims, only after the MAC.
	signed := func(p string) string { return craft("HS256", benchSecret[:32], stdHeader, p) }
	hdrLen := len(b64(stdHeader))
	add("SignedMembers", signed(fillJSON(`{"exp":9999999999,`, func(i int) string { return `"` + name2(i) + `":0` }, ",", "}", hdrLen+len(sig))))
	add("SignedCyrillicNames", signed(fillJSON(`{"exp":9999999999,`, func(i int) string { return `"` + cyrillic(i) + `":0` }, ",", "}", hdrLen+len(sig))))
	add("SignedObjectMembers", signed(fillJSON(`{"exp":9999999999,"x":{`, func(i int) string { return `"` + name2(i) + `":0` }, ",", "}}", hdrLen+len(sig))))
	return out
}

// BenchmarkDoS measures Decode into *Claims of each token of dosTokens, and reports its cost
// as a multiple of a valid standard verify (x-valid), measured first in "Valid". The bar is
// 20: no token of 8 KiB costs more than 20 valid verifications.
func BenchmarkDoS(b *testing.B) {
	now := time.Now()
	k := benchKey(b, jwt.HS256)
	tok, want := checkedToken(b, k, now)
	want.ExpiryOptional = true
	var valid float64 // ns per valid verify
	b.Run("Valid", func(b *testing.B) {
		var c benchClaims
		for b.Loop() {
			if err := k.Decode(tok, &c, want); err != nil {
				b.Fatal(err)
			}
		}
		valid = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	for _, t := range dosTokens() {
		b.Run(t.name, func(b *testing.B) {
			var c jwt.Claims
			for b.Loop() {
				k.Decode(t.token, &c, want)
			}
			if valid > 0 {
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/valid, "x-valid")
			}
		})
	}
}
