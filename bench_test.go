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

// fillJSON returns prefix, then as many units as fit in max bytes, separated by sep, then
// suffix.
func fillJSON(max int, prefix string, unit func(i int) string, sep, suffix string) string {
	budget := max - len(prefix) - len(suffix)
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

// dosTokens returns hostile tokens of at most 8 KiB: unsigned ones (a garbage MAC), whose
// header, of at most jwt.MaxHeaderSize bytes, is the costliest to read before the MAC, with
// a payload that makes the MAC run over 8 KiB; and signed ones, whose payload is the
// costliest to read after it.
func dosTokens() []struct{ name, token string } {
	const sig = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" // 43 characters: a 32-byte MAC
	var out []struct{ name, token string }
	add := func(name, token string) {
		if len(token) > jwt.DefaultMaxTokenSize {
			panic(name + ": token over 8 KiB")
		}
		out = append(out, struct{ name, token string }{name, token})
	}
	// payloadFor returns a payload segment that fills the token up to 8 KiB.
	payloadFor := func(hseg string) string {
		n := (jwt.DefaultMaxTokenSize - len(hseg) - len(sig) - 2) * 3 / 4
		return b64(fillJSON(n, `{"x":"`, func(int) string { return "A" }, "", `"}`))
	}
	unsigned := func(name, header string) {
		hseg := b64(header)
		add(name, hseg+"."+payloadFor(hseg)+"."+sig)
	}
	cyrillic := func(i int) string {
		return string(rune(0x430+i%32)) + string(rune(0x430+i/32%32)) + string(rune(0x430+i/1024))
	}
	const h = jwt.MaxHeaderSize
	unsigned("HeaderMembers", fillJSON(h, `{"alg":"HS256",`, func(i int) string { return `"` + name2(i) + `":0` }, ",", "}"))
	unsigned("HeaderCyrillicNames", fillJSON(h, `{"alg":"HS256",`, func(i int) string { return `"` + cyrillic(i) + `":0` }, ",", "}"))
	unsigned("HeaderLongName", fillJSON(h, `{"alg":"HS256","`, func(int) string { return "ж" }, "", `":0}`))
	unsigned("HeaderLongNames", fillJSON(h, `{"alg":"HS256",`, func(i int) string { return `"` + strings.Repeat("ж", 30) + cyrillic(i) + `":0` }, ",", "}"))
	unsigned("HeaderEscapes", fillJSON(h, `{"alg":"HS256","x":"`, func(int) string { return `\u0416` }, "", `"}`))
	unsigned("HeaderEscapedNames", fillJSON(h, `{"alg":"HS256",`, func(i int) string { return `"\u0416` + name2(i) + `":0` }, ",", "}"))
	unsigned("HeaderArrays", fillJSON(h, `{"alg":"HS256","x":[`, func(int) string { return deep("[", "]", 62) }, ",", `]}`))
	unsigned("HeaderObjects", fillJSON(h, `{"alg":"HS256",`, func(i int) string {
		return `"` + name2(i) + `":` + strings.Repeat(`{"a":`, 8) + "0" + strings.Repeat("}", 8)
	}, ",", "}"))
	unsigned("HeaderObjectMembers", fillJSON(h, `{"alg":"HS256","x":{`, func(i int) string { return `"` + name2(i) + `":0` }, ",", "}}"))
	unsigned("HeaderValid", `{"alg":"HS256","typ":"JWT"}`)
	// Over the header limit: refused before it is decoded.
	unsigned("HeaderOverLimit", fillJSON(6000, `{"alg":"HS256",`, func(i int) string { return `"` + name2(i) + `":0` }, ",", "}"))

	// Signed with the key itself: the payload is read, into *Claims, only after the MAC.
	stdHeader := `{"alg":"HS256","typ":"JWT"}`
	signed := func(name, p string) { add(name, craft("HS256", benchSecret[:32], stdHeader, p)) }
	n := (jwt.DefaultMaxTokenSize - len(b64(stdHeader)) - len(sig) - 2) * 3 / 4
	signed("SignedMembers", fillJSON(n, `{"exp":9999999999,`, func(i int) string { return `"` + name2(i) + `":0` }, ",", "}"))
	signed("SignedCyrillicNames", fillJSON(n, `{"exp":9999999999,`, func(i int) string { return `"` + cyrillic(i) + `":0` }, ",", "}"))
	signed("SignedObjectMembers", fillJSON(n, `{"exp":9999999999,"x":{`, func(i int) string { return `"` + name2(i) + `":0` }, ",", "}}"))
	signed("SignedLongString", fillJSON(n, `{"exp":9999999999,"x":"`, func(int) string { return "ж" }, "", `"}`))
	return out
}

// BenchmarkDoS measures Decode into *Claims of each token of dosTokens, and reports its cost
// as a multiple of a valid standard verify (x-valid), measured first in "Valid". The bar is
// 20 for the unsigned tokens: no one without the key makes a token of 8 KiB that costs
// more than 20 valid verifications.
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
