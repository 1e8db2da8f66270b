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
