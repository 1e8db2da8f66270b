package benchmarks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The standard workload, identical for every library: HS256 with a fixed
// 32-byte secret, header {"alg":"HS256","typ":"JWT"}, the seven registered
// claims below and two private claims (name, admin).
const (
	wlIssuer   = "https://auth.example.com"
	wlSubject  = "1234567890"
	wlAudience = "api.example.com"
	wlID       = "4f1g23a12aa"
	wlName     = "John Doe"
	wlAdmin    = true
)

// wlSecret is the fixed 32-byte HS256 secret.
var wlSecret = []byte("zerojwt benchmark secret 32 byte")

// wlTimes holds the temporal claims: exp = now+1h, nbf = now-1m, iat = now.
// now is truncated to whole seconds so that every library emits the same
// integer NumericDate values.
type wlTimes struct {
	iat, nbf, exp time.Time
}

func newTimes() wlTimes {
	now := time.Now().Truncate(time.Second)
	return wlTimes{iat: now, nbf: now.Add(-time.Minute), exp: now.Add(time.Hour)}
}

// decoded is what a verify function hands back from the claims it decoded.
type decoded struct {
	sub, name string
	admin     bool
}

var wantDecoded = decoded{sub: wlSubject, name: wlName, admin: wlAdmin}

// peer is one library under test.
type peer struct {
	name string
	// newSign prepares the key/signer and the claims value once and returns
	// the per-operation function: claims value -> compact token string.
	newSign func(tb testing.TB) func() (string, error)
	// newVerify prepares the key, parser and expectations once and returns
	// the per-operation function: token string -> signature checked, claims
	// decoded into the library's struct, exp/nbf/iss/aud validated.
	newVerify func(tb testing.TB) func(token string) (decoded, error)
}

// peerOrder fixes the column order; zerojwt first so benchstat uses it as
// the baseline. Each library registers itself from its own file.
var peerOrder = []string{
	"zerojwt", "golang-jwt", "cristalhq", "kataras", "pascaldekloe",
	"gbrlsnchs", "jwx", "go-jose",
}

var registered = map[string]peer{}

func register(p peer) {
	if _, dup := registered[p.name]; dup {
		panic("benchmarks: duplicate peer " + p.name)
	}
	registered[p.name] = p
}

// peers returns the registered libraries in peerOrder.
func peers() []peer {
	var ps []peer
	for _, name := range peerOrder {
		if p, ok := registered[name]; ok {
			ps = append(ps, p)
		}
	}
	if len(ps) != len(registered) {
		panic("benchmarks: a registered peer is missing from peerOrder")
	}
	return ps
}

// mustSign signs one token with p, failing tb on error.
func mustSign(tb testing.TB, p peer) string {
	tb.Helper()
	tok, err := p.newSign(tb)()
	if err != nil {
		tb.Fatalf("%s: sign: %v", p.name, err)
	}
	return tok
}

// checkPeer verifies, once and outside any timed loop, that p really does
// the standard workload: its token carries exactly the standard header and
// claims, its verify succeeds and decodes the right sub/name/admin, and it
// rejects the token with one payload character flipped. It returns the
// token that p signed.
func checkPeer(tb testing.TB, p peer) string {
	tb.Helper()
	tok := mustSign(tb, p)
	if err := checkWorkloadToken(tok); err != nil {
		tb.Fatalf("%s: signed token is not the standard workload: %v\n%s", p.name, err, tok)
	}
	verify := p.newVerify(tb)
	got, err := verify(tok)
	if err != nil {
		tb.Fatalf("%s: verify of its own token: %v", p.name, err)
	}
	if got != wantDecoded {
		tb.Fatalf("%s: verify decoded %+v, want %+v", p.name, got, wantDecoded)
	}
	bad, err := tamper(tok)
	if err != nil {
		tb.Fatalf("%s: %v", p.name, err)
	}
	if _, err := verify(bad); err == nil {
		tb.Fatalf("%s: verify accepted a token with a flipped payload character", p.name)
	} else if _, isTest := tb.(*testing.T); isTest {
		tb.Logf("%s: tampered token rejected: %v", p.name, err) // not in benchmark output
	}
	return tok
}

// checkWorkloadToken decodes tok without verifying it and compares its
// header and claims with the standard workload.
func checkWorkloadToken(tok string) error {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return fmt.Errorf("%d segments", len(parts))
	}
	var hdr map[string]any
	if err := decodeSegment(parts[0], &hdr); err != nil {
		return fmt.Errorf("header: %w", err)
	}
	if len(hdr) != 2 || hdr["alg"] != "HS256" || hdr["typ"] != "JWT" {
		return fmt.Errorf("header %v, want {alg:HS256 typ:JWT}", hdr)
	}
	var c map[string]any
	if err := decodeSegment(parts[1], &c); err != nil {
		return fmt.Errorf("payload: %w", err)
	}
	if len(c) != 9 {
		return fmt.Errorf("payload has %d members, want 9: %v", len(c), c)
	}
	for name, want := range map[string]any{
		"iss": wlIssuer, "sub": wlSubject, "jti": wlID, "name": wlName, "admin": wlAdmin,
	} {
		if c[name] != want {
			return fmt.Errorf("claim %s = %#v, want %#v", name, c[name], want)
		}
	}
	switch aud := c["aud"].(type) {
	case string:
		if aud != wlAudience {
			return fmt.Errorf("aud %q", aud)
		}
	case []any:
		if len(aud) != 1 || aud[0] != wlAudience {
			return fmt.Errorf("aud %v", aud)
		}
	default:
		return fmt.Errorf("aud %#v", aud)
	}
	iat, ok1 := c["iat"].(float64)
	nbf, ok2 := c["nbf"].(float64)
	exp, ok3 := c["exp"].(float64)
	if !ok1 || !ok2 || !ok3 || iat != float64(int64(iat)) || nbf != iat-60 || exp != iat+3600 {
		return fmt.Errorf("iat/nbf/exp = %v/%v/%v, want integers now, now-60, now+3600", c["iat"], c["nbf"], c["exp"])
	}
	if d := time.Since(time.Unix(int64(iat), 0)); d < -time.Second || d > time.Minute {
		return fmt.Errorf("iat is %v away from now", d)
	}
	return nil
}

func decodeSegment(seg string, v any) error {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// tamper flips one character of the payload segment such that the payload
// still decodes to valid JSON, so that only the signature can catch it.
func tamper(tok string) (string, error) {
	dot1 := strings.IndexByte(tok, '.')
	dot2 := strings.LastIndexByte(tok, '.')
	if dot1 < 0 || dot2 <= dot1+2 {
		return "", fmt.Errorf("tamper: malformed token %q", tok)
	}
	payload := []byte(tok[dot1+1 : dot2])
	for i := len(payload) / 2; i < len(payload)-1; i++ {
		orig := payload[i]
		for _, c := range []byte("AbQw") {
			if c == orig {
				continue
			}
			payload[i] = c
			raw, err := base64.RawURLEncoding.Strict().DecodeString(string(payload))
			if err == nil && json.Valid(raw) {
				return tok[:dot1+1] + string(payload) + tok[dot2:], nil
			}
		}
		payload[i] = orig
	}
	return "", fmt.Errorf("tamper: found no single-character flip keeping the payload valid JSON")
}

// TestPeers runs the correctness checks for every library, without
// benchmarking anything (CI runs `go test -run . ./...`).
func TestPeers(t *testing.T) {
	if len(wlSecret) != 32 {
		t.Fatalf("secret has %d bytes, want 32", len(wlSecret))
	}
	for _, p := range peers() {
		t.Run(p.name, func(t *testing.T) { checkPeer(t, p) })
	}
}

func BenchmarkSign(b *testing.B) {
	for _, p := range peers() {
		b.Run("lib="+p.name, func(b *testing.B) {
			checkPeer(b, p)
			sign := p.newSign(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sign(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("lib=floor", benchFloor)
}

func BenchmarkVerify(b *testing.B) {
	for _, p := range peers() {
		b.Run("lib="+p.name, func(b *testing.B) {
			tok := checkPeer(b, p)
			verify := p.newVerify(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := verify(tok); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("lib=floor", benchFloor)
}

// benchFloor is the cost no HMAC JWT library can go below: HMAC-SHA256 over
// the signing input (header.payload) of the zerojwt token, with crypto/hmac
// keyed once and Reset per operation. Sign and Verify share it.
func benchFloor(b *testing.B) {
	input := floorInput(b)
	mac := hmac.New(sha256.New, wlSecret)
	var sum [sha256.Size]byte
	b.ReportAllocs()
	for b.Loop() {
		mac.Reset()
		mac.Write(input)
		mac.Sum(sum[:0])
	}
}

func floorInput(tb testing.TB) []byte {
	tb.Helper()
	z, ok := registered["zerojwt"]
	if !ok {
		tb.Fatal("zerojwt is not registered")
	}
	tok := mustSign(tb, z)
	return []byte(tok[:strings.LastIndexByte(tok, '.')])
}

// TestFloorInput checks that the floor hashes a full-size signing input.
func TestFloorInput(t *testing.T) {
	input := floorInput(t)
	if strings.Count(string(input), ".") != 1 || len(input) < 200 {
		t.Fatalf("floor input %q is not header.payload of the workload token", input)
	}
}
