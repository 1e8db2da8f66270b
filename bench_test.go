package jwt_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
	shared "github.com/zerojwt/jwt/internal/workload"
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
	floorBench(tok)(b)
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
	// Verify as handlers do: a new destination per request, and the clock read each time.
	want.Now = nil
	b.Run("Verify", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				var c benchClaims
				if err := k.Decode(tok, &c, want); err != nil || c.Subject != "1234567890" {
					b.Error("verify failed:", err)
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

// ---- the workloads of the peer comparison (benchmarks/), for zerojwt alone ----

// The private claims of the workloads, shared with benchmarks/ (internal/workload, imported as shared).
type (
	Flat30 = shared.Flat30
	Roles  = shared.Roles
	Access = shared.Access
	IdP    = shared.IdP
)

type flatClaims struct {
	jwt.Claims
	Flat30
}

type rolesClaims struct {
	jwt.Claims
	Roles
}

type idpClaims struct {
	jwt.Claims
	IdP
}

// benchWorkload is one workload of BenchmarkWorkload: the token verified, the claims value
// signed (nil when the workload does not sign) and the value verify must decode.
type benchWorkload struct {
	name   string
	claims any        // a pointer to the claims value Encode signs; nil: no op=sign
	tok    string     // the token verified
	want   jwt.Expect // Issuer and Audience; Now nil
	// expect is the value verify must decode (a pointer to the destination type), or, for
	// the map destinations, checkMap checks the decoded map.
	expect   any
	checkMap func(m map[string]any) error
	// decode decodes tok into a new destination and returns a pointer to it; verify runs
	// the same in its timed loop.
	decode func(k *jwt.Key, tok string, want jwt.Expect) (any, error)
	verify func(b *testing.B, k *jwt.Key, w *benchWorkload)
}

// decodeNew decodes tok into a new T.
func decodeNew[T any](k *jwt.Key, tok string, want jwt.Expect) (any, error) {
	var c T
	err := k.Decode(tok, &c, want)
	return &c, err
}

// Sinks of BenchmarkWorkload, package-level so that nothing is optimized away.
var (
	sinkDecoded any
	sinkSum     []byte
)

// benchVerifyInto is op=verify into a T, as a handler runs it: a new destination per
// operation, the clock not fixed.
func benchVerifyInto[T any](b *testing.B, k *jwt.Key, w *benchWorkload) {
	floor := floorNs(w.tok)
	b.ReportAllocs()
	for b.Loop() {
		var c T
		if err := k.Decode(w.tok, &c, w.want); err != nil {
			b.Fatal(err)
		}
		sinkDecoded = &c
	}
	reportXFloor(b, floor)
}

func structWorkload[T any](name string, claims *T, tok string, want jwt.Expect) *benchWorkload {
	return &benchWorkload{name: name, claims: claims, tok: tok, want: want, expect: claims,
		decode: decodeNew[T], verify: benchVerifyInto[T]}
}

func mapWorkload(name, tok string, want jwt.Expect, check func(map[string]any) error) *benchWorkload {
	return &benchWorkload{name: name, tok: tok, want: want, checkMap: check,
		decode: decodeNew[map[string]any], verify: benchVerifyInto[map[string]any]}
}

// benchWorkloads signs every workload's token with k at now (truncated to whole seconds) and
// builds the foreign one with crypto/hmac.
func benchWorkloads(tb testing.TB, k *jwt.Key) []*benchWorkload {
	now := time.Now().Truncate(time.Second)
	registered := func(iss, sub, jti string, aud ...string) jwt.Claims {
		return jwt.Claims{
			Issuer:    iss,
			Subject:   sub,
			Audience:  jwt.Audience(aud),
			ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
			NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        jti,
		}
	}
	encode := func(c any) string {
		tok, err := k.Encode(c)
		if err != nil {
			tb.Fatal(err)
		}
		return tok
	}

	std, stdWant := workload(now)
	stdWant.Now = nil
	stdTok := encode(std)

	flat := &flatClaims{registered(std.Issuer, std.Subject, std.ID, std.Audience...), shared.FlatClaims()}
	roles := &rolesClaims{registered(std.Issuer, std.Subject, std.ID, std.Audience...), shared.RoleClaims()}
	idp := &idpClaims{registered(shared.IdPIssuer, shared.IdPSubject, shared.IdPID, shared.IdPAudience, shared.IdPAudience2), shared.IdPClaims()}
	idpWant := jwt.Expect{Issuer: shared.IdPIssuer, Audience: []string{shared.IdPAudience}}
	idpTok := encode(idp)

	// foreign: the standard claims as another library writes them, signed with crypto/hmac.
	fhdr := `{"alg":"HS256"}`
	fpay := fmt.Sprintf(`{"admin":%t,"aud":%q,"exp":%d,"iat":%d,"iss":%q,"jti":%q,"name":%q,"nbf":%d,"sub":%q}`,
		std.Admin, std.Audience[0], std.ExpiresAt.Unix(), std.IssuedAt.Unix(), std.Issuer, std.ID,
		std.Name, std.NotBefore.Unix(), std.Subject)
	enc := base64.RawURLEncoding
	finput := enc.EncodeToString([]byte(fhdr)) + "." + enc.EncodeToString([]byte(fpay))
	mac := hmac.New(sha256.New, benchSecret[:32])
	mac.Write([]byte(finput))
	foreignTok := finput + "." + enc.EncodeToString(mac.Sum(nil))
	foreign := structWorkload("foreign", std, foreignTok, stdWant)
	foreign.claims = nil // verify only

	return []*benchWorkload{
		structWorkload("standard", std, stdTok, stdWant),
		foreign,
		mapWorkload("standard-map", stdTok, stdWant, func(m map[string]any) error {
			if m["iss"] != std.Issuer || m["sub"] != std.Subject || m["jti"] != std.ID ||
				m["name"] != std.Name || m["admin"] != std.Admin {
				return fmt.Errorf("standard claims %v", m)
			}
			return nil
		}),
		structWorkload("flat30", flat, encode(flat), stdWant),
		structWorkload("roles4k", roles, encode(roles), stdWant),
		structWorkload("idp", idp, idpTok, idpWant),
		mapWorkload("idp-map", idpTok, idpWant, func(m map[string]any) error {
			if m["iss"] != idp.Issuer || m["sub"] != idp.Subject || m["azp"] != idp.Azp || m["scope"] != idp.Scope {
				return fmt.Errorf("idp claims %v", m)
			}
			ra, _ := m["realm_access"].(map[string]any)
			if roles, _ := ra["roles"].([]any); len(roles) != len(idp.RealmAccess.Roles) || roles[0] != idp.RealmAccess.Roles[0] {
				return fmt.Errorf("realm_access %v", m["realm_access"])
			}
			rs, _ := m["resource_access"].(map[string]any)
			orders, _ := rs[shared.IdPAudience].(map[string]any)
			if roles, _ := orders["roles"].([]any); len(rs) != 2 || len(roles) != len(idp.ResourceAccess[shared.IdPAudience].Roles) {
				return fmt.Errorf("resource_access %v", m["resource_access"])
			}
			return nil
		}),
	}
}

// checkWorkload checks, once and outside any timed loop, that w's token verifies into the
// value that was signed (for a map destination, what encoding/json reads from the payload,
// and w's field checks) and that the token with one payload character flipped fails on its
// MAC.
func checkWorkload(tb testing.TB, k *jwt.Key, w *benchWorkload) {
	tb.Helper()
	got, err := w.decode(k, w.tok, w.want)
	if err != nil {
		tb.Fatalf("%s: verify: %v", w.name, err)
	}
	if w.checkMap != nil {
		m := *got.(*map[string]any)
		if err := w.checkMap(m); err != nil {
			tb.Fatalf("%s: %v", w.name, err)
		}
		var want map[string]any
		if err := json.Unmarshal(wlPayload(tb, w.tok), &want); err != nil {
			tb.Fatal(err)
		}
		if !reflect.DeepEqual(m, want) {
			tb.Fatalf("%s: decoded %#v,\nencoding/json reads %#v", w.name, m, want)
		}
	} else if !reflect.DeepEqual(got, w.expect) {
		tb.Fatalf("%s: decoded %+v, want %+v", w.name, got, w.expect)
	}
	if w.claims != nil {
		if tok, err := k.Encode(w.claims); err != nil || tok != w.tok {
			tb.Fatalf("%s: Encode gives %q, %v; want %q", w.name, tok, err, w.tok)
		}
	}
	bad := wlFlip(tb, w.tok)
	if _, err := w.decode(k, bad, w.want); !errors.Is(err, jwt.ErrSignature) {
		tb.Fatalf("%s: token with a flipped payload character: %v, want ErrSignature", w.name, err)
	}
}

// wlPayload returns the decoded payload segment of tok.
func wlPayload(tb testing.TB, tok string) []byte {
	tb.Helper()
	seg := tok[strings.IndexByte(tok, '.')+1 : strings.LastIndexByte(tok, '.')]
	raw, err := base64.RawURLEncoding.Strict().DecodeString(seg)
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// wlFlip flips one character in the middle of tok's payload segment such that the payload
// is still valid base64url of valid JSON, so that only the MAC can catch it.
func wlFlip(tb testing.TB, tok string) string {
	tb.Helper()
	dot1, dot2 := strings.IndexByte(tok, '.'), strings.LastIndexByte(tok, '.')
	p := []byte(tok[dot1+1 : dot2])
	for i := len(p) / 2; i < len(p)-1; i++ {
		orig := p[i]
		for _, c := range []byte("AbQw") {
			if c == orig {
				continue
			}
			p[i] = c
			raw, err := base64.RawURLEncoding.Strict().DecodeString(string(p))
			if err == nil && json.Valid(raw) {
				return tok[:dot1+1] + string(p) + tok[dot2:]
			}
		}
		p[i] = orig
	}
	tb.Fatalf("no flip of %q keeps the payload valid JSON", tok)
	return ""
}

// floorBench is the floor of tok: HMAC-SHA256 over its signing input with crypto/hmac,
// keyed once and Reset per operation.
func floorBench(tok string) func(b *testing.B) {
	input := []byte(tok[:strings.LastIndexByte(tok, '.')])
	return func(b *testing.B) {
		h := hmac.New(sha256.New, benchSecret[:32])
		sum := make([]byte, 0, sha256.Size)
		b.ReportAllocs()
		for b.Loop() {
			h.Reset()
			h.Write(input)
			sum = h.Sum(sum[:0])
		}
		sinkSum = sum
	}
}

// floorNsCache holds floorNs by signing input.
var floorNsCache = map[string]float64{}

// floorNs returns the ns/op of the floor of tok (the loop of floorBench), measured once. It
// times the loop itself rather than through testing.Benchmark, which cannot run inside a
// benchmark: it waits for the lock that the running benchmark holds, and deadlocks.
func floorNs(tok string) float64 {
	input := tok[:strings.LastIndexByte(tok, '.')]
	if ns, ok := floorNsCache[input]; ok {
		return ns
	}
	h := hmac.New(sha256.New, benchSecret[:32])
	in, sum := []byte(input), make([]byte, 0, sha256.Size)
	sum = floorRun(h, in, sum, 100) // warm up
	var ns float64
	for n := 1000; ; n *= 2 {
		runtime.GC()
		start := time.Now()
		sum = floorRun(h, in, sum, n)
		if d := time.Since(start); d >= 100*time.Millisecond || n >= 1<<30 {
			ns = float64(d.Nanoseconds()) / float64(n)
			break
		}
	}
	sinkSum = sum
	floorNsCache[input] = ns
	return ns
}

// floorRun runs n operations of the floor over input with h, as floorBench does per op.
func floorRun(h hash.Hash, input, sum []byte, n int) []byte {
	for range n {
		h.Reset()
		h.Write(input)
		sum = h.Sum(sum[:0])
	}
	return sum
}

// reportXFloor reports the ns/op of b as a multiple of floor ns/op.
func reportXFloor(b *testing.B, floor float64) {
	if b.N > 0 && floor > 0 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/floor, "x-floor")
	}
}

// BenchmarkWorkload measures zerojwt alone on the workloads of the peer comparison: sign
// (Encode), verify (Decode into a new destination per operation, as a handler does, with the
// clock not fixed) and the HMAC-SHA256 floor of each workload's token, with verify and sign
// also reported as a multiple of that floor (x-floor). The comparison with the peer
// libraries on the same workloads lives in benchmarks/run.sh.
func BenchmarkWorkload(b *testing.B) {
	k := benchKey(b, jwt.HS256)
	for _, w := range benchWorkloads(b, k) {
		b.Run("wl="+w.name, func(b *testing.B) {
			if w.claims != nil {
				b.Run("op=sign", func(b *testing.B) {
					checkWorkload(b, k, w)
					floor := floorNs(w.tok)
					c := w.claims
					b.ReportAllocs()
					for b.Loop() {
						tok, err := k.Encode(c)
						if err != nil {
							b.Fatal(err)
						}
						sinkToken = tok
					}
					reportXFloor(b, floor)
				})
			}
			b.Run("op=verify", func(b *testing.B) {
				checkWorkload(b, k, w)
				w.verify(b, k, w)
			})
			b.Run("op=floor", floorBench(w.tok))
		})
	}
}

// TestWorkloadTokens runs the setup checks of BenchmarkWorkload: every workload's token
// verifies into the value that was signed, and fails with one payload character flipped.
func TestWorkloadTokens(t *testing.T) {
	k := benchKey(t, jwt.HS256)
	for _, w := range benchWorkloads(t, k) {
		t.Run(w.name, func(t *testing.T) { checkWorkload(t, k, w) })
		// The sizes of the peer comparison's workloads (benchmarks/workload_test.go).
		var m map[string]any
		if err := json.Unmarshal(wlPayload(t, w.tok), &m); err != nil {
			t.Fatal(err)
		}
		switch n := len(wlPayload(t, w.tok)); {
		case w.name == "roles4k" && (n < 3900 || n > 4300):
			t.Errorf("roles4k: payload of %d bytes, want 3900..4300", n)
		case w.name == "idp" && (len(w.tok) < 1150 || len(w.tok) > 1300):
			t.Errorf("idp: token of %d bytes, want 1150..1300", len(w.tok))
		case w.name == "flat30" && len(m) != 30:
			t.Errorf("flat30: %d members, want 30", len(m))
		}
	}
}
