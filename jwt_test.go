package jwt_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"hash"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
)

// sentinels lists every exported error of the package. A returned error must
// match exactly one of them.
var sentinels = []struct {
	name string
	err  error
}{
	{"ErrMalformed", jwt.ErrMalformed},
	{"ErrTooLarge", jwt.ErrTooLarge},
	{"ErrAlgorithm", jwt.ErrAlgorithm},
	{"ErrUnknownKey", jwt.ErrUnknownKey},
	{"ErrSignature", jwt.ErrSignature},
	{"ErrTokenType", jwt.ErrTokenType},
	{"ErrExpired", jwt.ErrExpired},
	{"ErrNotYetValid", jwt.ErrNotYetValid},
	{"ErrIssuedInFuture", jwt.ErrIssuedInFuture},
	{"ErrIssuer", jwt.ErrIssuer},
	{"ErrAudience", jwt.ErrAudience},
	{"ErrSubject", jwt.ErrSubject},
	{"ErrMissingClaim", jwt.ErrMissingClaim},
	{"ErrKeyTooShort", jwt.ErrKeyTooShort},
	{"ErrInvalidConfig", jwt.ErrInvalidConfig},
	{"ErrEncode", jwt.ErrEncode},
	{"ErrReused", jwt.ErrReused},
	{"ErrRevoked", jwt.ErrRevoked},
	{"ErrUnknownSession", jwt.ErrUnknownSession},
	{"ErrRefreshDenied", jwt.ErrRefreshDenied},
	{"ErrStore", jwt.ErrStore},
	{"ErrReservedClaim", jwt.ErrReservedClaim},
	{"ErrClaimValue", jwt.ErrClaimValue},
}

// TestSentinelListComplete keeps sentinels equal to the package's exported Err variables,
// and (issue 12 §4) requires each of them in errors.go, documented in the standard
// library's form ("ErrX is returned when …").
func TestSentinelListComplete(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
				for _, spec := range g.Specs {
					vs := spec.(*ast.ValueSpec)
					for _, n := range vs.Names {
						if !strings.HasPrefix(n.Name, "Err") {
							continue
						}
						declared[n.Name] = true
						if name != "errors.go" {
							t.Errorf("%s is declared in %s, not in errors.go", n.Name, name)
						}
						if doc := vs.Doc.Text(); !strings.HasPrefix(doc, n.Name+" is returned ") {
							t.Errorf("the doc of %s does not start %q: %q", n.Name, n.Name+" is returned ", doc)
						}
					}
				}
			}
		}
	}
	listed := map[string]bool{}
	for _, s := range sentinels {
		listed[s.name] = true
		if !declared[s.name] {
			t.Errorf("sentinels lists %s, which the package does not declare", s.name)
		}
	}
	for name := range declared {
		if !listed[name] {
			t.Errorf("the package declares %s, missing from sentinels", name)
		}
	}
}

func sentinelName(err error) string {
	for _, s := range sentinels {
		if s.err == err {
			return s.name
		}
	}
	return fmt.Sprintf("%v", err)
}

// matchingSentinels returns the names of the sentinels err matches with errors.Is.
func matchingSentinels(err error) []string {
	var names []string
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			names = append(names, s.name)
		}
	}
	return names
}

// Test secrets. Each one is distinctive text so that a leak into an error
// message or a printed key is easy to spot.
var (
	secret256   = testSecret("hs256-main", 32)
	secret384   = testSecret("hs384-main", 48)
	secret512   = testSecret("hs512-main", 64)
	secretOther = testSecret("hs256-other", 32)
	secretOld   = testSecret("rotation-old", 32)
	secretNew   = testSecret("rotation-new", 64)
	// RFC 7515 Appendix A.1 JWK "k" (64 bytes).
	rfcA1Secret = mustHex("0323354b2b0fa5bc837e0665777ba68f5ab328e6f054c928a90f84b2d2502ebfd3fb5a92d20647ef968ab4c377623d223d2e2172052e4f08c0cd9af567d080a3")

	allSecrets = [][]byte{secret256, secret384, secret512, secretOther, secretOld, secretNew, rfcA1Secret}
)

func testSecret(label string, n int) []byte {
	s := "zerojwt/" + label + "/"
	b := make([]byte, n)
	for i := range b {
		b[i] = s[i%len(s)]
	}
	return b
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// t0 is the fixed fake "now" of the tests: 2023-11-14T22:13:20Z.
var t0 = time.Unix(1_700_000_000, 0)

func clock(t time.Time) func() time.Time { return func() time.Time { return t } }

func mustKey(t testing.TB, alg jwt.Algorithm, secret []byte) *jwt.Key {
	t.Helper()
	k, err := jwt.NewKey(alg, secret)
	if err != nil {
		t.Fatalf("NewKey(%s, %d bytes): %v", alg, len(secret), err)
	}
	if k == nil {
		t.Fatalf("NewKey(%s, %d bytes) returned a nil key and no error", alg, len(secret))
	}
	return k
}

func mustKeySet(t testing.TB, keys ...*jwt.Key) *jwt.KeySet {
	t.Helper()
	s, err := jwt.NewKeySet(keys...)
	if err != nil {
		t.Fatalf("NewKeySet: %v", err)
	}
	return s
}

// b64 is the reference Base64URL encoding (RFC 7515 §2) of the tests.
func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func hashFor(alg string) func() hash.Hash {
	switch alg {
	case "HS256":
		return sha256.New
	case "HS384":
		return sha512.New384
	case "HS512":
		return sha512.New
	}
	panic("no hash for " + alg)
}

// macOf is an independent HMAC (crypto/hmac) over the signing input.
func macOf(alg string, secret []byte, signingInput string) []byte {
	m := hmac.New(hashFor(alg), secret)
	m.Write([]byte(signingInput))
	return m.Sum(nil)
}

// craft builds a compact token from header and payload JSON text written by
// the test, MAC'd with crypto/hmac, so the test controls every byte.
func craft(macAlg string, secret []byte, header, payload string) string {
	return craftRaw(macAlg, secret, b64(header), b64(payload))
}

// craftRaw signs the given (possibly invalid) encoded segments.
func craftRaw(macAlg string, secret []byte, h64, p64 string) string {
	in := h64 + "." + p64
	return in + "." + base64.RawURLEncoding.EncodeToString(macOf(macAlg, secret, in))
}

const (
	hdr256 = `{"alg":"HS256","typ":"JWT"}`
	// expOK is valid at t0 (one hour later).
	expOK = 1_700_003_600
)

// payloadOK is a claims set valid at t0 under the zero Expect.
var payloadOK = fmt.Sprintf(`{"iss":"iss-val-91c3","sub":"sub-val-5d2e","aud":"aud-val-a1","exp":%d,"name":"name-val-0f0f"}`, expOK)

// tok256 crafts an HS256 token under secret256 with the standard header.
func tok256(payload string) string { return craft("HS256", secret256, hdr256, payload) }

// hdrTok crafts an HS256 token under secret256 with payloadOK and the given header.
func hdrTok(header string) string { return craft("HS256", secret256, header, payloadOK) }

func segments(token string) []string { return strings.Split(token, ".") }

// testClaims is the struct destination of the tests.
type testClaims struct {
	jwt.Claims
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
	Count int    `json:"count"`
}

// prefilled returns a destination holding sentinel values that no test token
// carries, so any write by a failing Decode is visible.
func prefilled() testClaims {
	return testClaims{
		Claims: jwt.Claims{
			Issuer:    "prefill-iss",
			Subject:   "prefill-sub",
			Audience:  jwt.Audience{"prefill-aud"},
			ExpiresAt: jwt.NewNumericDate(time.Unix(42, 0)),
			NotBefore: jwt.NewNumericDate(time.Unix(43, 0)),
			IssuedAt:  jwt.NewNumericDate(time.Unix(44, 0)),
			ID:        "prefill-jti",
		},
		Name:  "prefill-name",
		Admin: true,
		Count: -7,
	}
}

func prefilledMap() map[string]any {
	return map[string]any{"prefill": "untouched", "sub": "prefill-sub", "n": -7.0}
}

var (
	reJSONString = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"(\s*:)?`)
	reJSONNumber = regexp.MustCompile(`-?[0-9][0-9.eE+-]*`)
)

// valuesIn extracts the string values (6+ characters) and numbers (6+
// characters) of a JSON text, which an error message must never repeat.
func valuesIn(text string) []string {
	var out []string
	for _, m := range reJSONString.FindAllStringSubmatch(text, -1) {
		if m[2] == "" && len(m[1]) >= 6 {
			out = append(out, m[1])
		}
	}
	for _, m := range reJSONNumber.FindAllString(text, -1) {
		if len(m) >= 6 {
			out = append(out, m)
		}
	}
	return out
}

// forbiddenIn lists what an error about token must not contain: the token,
// its longer segments, and the header and claim values found in it.
func forbiddenIn(token string) []string {
	var out []string
	if len(token) >= 8 {
		out = append(out, token)
	}
	for _, s := range segments(token) {
		if len(s) >= 12 {
			out = append(out, s)
		}
	}
	for _, s := range segments(token) {
		if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
			out = append(out, valuesIn(string(b))...)
		}
	}
	return out
}

// secretForms lists spellings of secret that must never be printed.
func secretForms(secret []byte) []string {
	forms := []string{
		string(secret),
		string(secret[:12]),
		hex.EncodeToString(secret),
		hex.EncodeToString(secret[:12]),
		strings.ToUpper(hex.EncodeToString(secret[:12])),
		base64.StdEncoding.EncodeToString(secret),
		base64.RawURLEncoding.EncodeToString(secret),
		strings.Trim(fmt.Sprint(secret[:12]), "[]"),
		strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%#v", secret[:12]), "[]byte{"), "}"),
	}
	return forms
}

// checkErr asserts that err matches want and no other sentinel, starts with
// "jwt: " and contains no secret and none of forbidden.
func checkErr(t testing.TB, err, want error, forbidden ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("got nil error, want %s", sentinelName(want))
		return
	}
	if !errors.Is(err, want) {
		t.Errorf("error %q does not match %s (matches %v)", err, sentinelName(want), matchingSentinels(err))
	}
	if hits := matchingSentinels(err); len(hits) != 1 {
		t.Errorf("error %q matches %d sentinels %v, want exactly one", err, len(hits), hits)
	}
	checkMessage(t, err, forbidden...)
}

func checkMessage(t testing.TB, err error, forbidden ...string) {
	t.Helper()
	msg := err.Error()
	if !strings.HasPrefix(msg, "jwt: ") {
		t.Errorf("error %q does not start with %q", msg, "jwt: ")
	}
	for _, f := range forbidden {
		if f != "" && strings.Contains(msg, f) {
			t.Errorf("error %q contains %q", msg, f)
		}
	}
	for _, s := range allSecrets {
		for _, f := range secretForms(s) {
			if strings.Contains(msg, f) {
				t.Errorf("error %q contains a secret (%q)", msg, f)
			}
		}
	}
}

type decodeFunc func(token string, dst any, want jwt.Expect) error

// callDecode turns a panic into a test failure.
func callDecode(t *testing.T, decode decodeFunc, token string, dst any, want jwt.Expect) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("Decode panicked: %v", r)
			err = errors.New("panic")
		}
	}()
	return decode(token, dst, want)
}

// decodeCase is one row of a Decode table. A nil err means the token must be
// accepted.
type decodeCase struct {
	name       string
	token      string
	key        *jwt.Key    // nil: HS256 key over secret256
	set        *jwt.KeySet // non-nil: decode through the set instead of key
	want       jwt.Expect  // Now nil: the fixed clock t0
	err        error
	structOnly bool                          // the defect exists only for the struct destination
	check      func(*testing.T, *testClaims) // extra checks after a success
}

// runDecodeCases decodes every case into a pre-filled struct, a pre-filled
// map and a nil destination. On error it asserts the exact sentinel, the
// message rules and that the destination is untouched.
func runDecodeCases(t *testing.T, cases []decodeCase) {
	t.Helper()
	def := mustKey(t, jwt.HS256, secret256)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var decode decodeFunc
			switch {
			case tc.set != nil:
				decode = tc.set.Decode
			case tc.key != nil:
				decode = tc.key.Decode
			default:
				decode = def.Decode
			}
			want := tc.want
			if want.Now == nil {
				want.Now = clock(t0)
			}
			forbidden := forbiddenIn(tc.token)

			dst := prefilled()
			err := callDecode(t, decode, tc.token, &dst, want)
			if tc.err == nil {
				if err != nil {
					t.Fatalf("struct destination: unexpected error %v", err)
				}
				if reflect.DeepEqual(dst, prefilled()) {
					t.Errorf("struct destination not written after success")
				}
				if tc.check != nil {
					tc.check(t, &dst)
				}
			} else {
				checkErr(t, err, tc.err, forbidden...)
				if !reflect.DeepEqual(dst, prefilled()) {
					t.Errorf("struct destination changed after error:\n got %+v\nwant %+v", dst, prefilled())
				}
			}
			if tc.structOnly {
				return
			}

			m := prefilledMap()
			err = callDecode(t, decode, tc.token, &m, want)
			if tc.err == nil {
				if err != nil {
					t.Fatalf("map destination: unexpected error %v", err)
				}
			} else {
				checkErr(t, err, tc.err, forbidden...)
				if !reflect.DeepEqual(m, prefilledMap()) {
					t.Errorf("map destination changed after error: %v", m)
				}
			}

			err = callDecode(t, decode, tc.token, nil, want)
			if tc.err == nil {
				if err != nil {
					t.Fatalf("nil destination: unexpected error %v", err)
				}
			} else {
				checkErr(t, err, tc.err, forbidden...)
			}
		})
	}
}

func TestSentinels(t *testing.T) {
	seen := map[string]bool{}
	for i, a := range sentinels {
		if a.err == nil {
			t.Fatalf("%s is nil", a.name)
		}
		msg := a.err.Error()
		if !strings.HasPrefix(msg, "jwt: ") || len(msg) <= len("jwt: ") {
			t.Errorf("%s = %q, want a message after %q", a.name, msg, "jwt: ")
		}
		if seen[msg] {
			t.Errorf("%s repeats the message %q", a.name, msg)
		}
		seen[msg] = true
		for j, b := range sentinels {
			if i != j && errors.Is(a.err, b.err) {
				t.Errorf("errors.Is(%s, %s) = true", a.name, b.name)
			}
		}
	}
}

// rfcVectors mirrors the parts of testdata/rfc.json these tests read.
type rfcVectors struct {
	ValidTokens []struct {
		ID      string          `json:"id"`
		Level   string          `json:"level"`
		Token   string          `json:"token"`
		Alg     string          `json:"alg"`
		KeyHex  string          `json:"key_hex"`
		Now     int64           `json:"now"`
		LeewayS int64           `json:"leeway_s"`
		Header  map[string]any  `json:"header"`
		Claims  json.RawMessage `json:"claims"`
		Payload string          `json:"payload_text"`
	} `json:"valid_tokens"`
}

func loadRFC(t testing.TB) rfcVectors {
	t.Helper()
	b, err := os.ReadFile("testdata/rfc.json")
	if err != nil {
		t.Fatalf("reading RFC vectors: %v", err)
	}
	var v rfcVectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("parsing testdata/rfc.json: %v", err)
	}
	if len(v.ValidTokens) == 0 {
		t.Fatal("testdata/rfc.json has no valid_tokens")
	}
	return v
}

// rfcClaims is RFC 7519 §3.1's claims set as a struct embedding jwt.Claims.
type rfcClaims struct {
	jwt.Claims
	IsRoot bool `json:"http://example.com/is_root"`
}

// normJSON re-encodes v and decodes it with UseNumber, so a float64 and a
// json.Number of the same literal compare equal.
func normJSON(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %v: %v", v, err)
	}
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	var out any
	if err := d.Decode(&out); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	return out
}

func TestRFCValidTokens(t *testing.T) {
	v := loadRFC(t)
	levels := map[string]int{}
	for _, vec := range v.ValidTokens {
		levels[vec.Level]++
		t.Run(vec.ID, func(t *testing.T) {
			key := mustKey(t, jwt.Algorithm(vec.Alg), mustHex(vec.KeyHex))
			if kid, ok := vec.Header["kid"].(string); ok {
				key = key.WithKeyID(kid)
			}
			want := jwt.Expect{Now: clock(time.Unix(vec.Now, 0)), Leeway: time.Duration(vec.LeewayS) * time.Second}

			// The vector's MAC is genuine: an independent HMAC agrees.
			seg := segments(vec.Token)
			if got := base64.RawURLEncoding.EncodeToString(macOf(vec.Alg, mustHex(vec.KeyHex), seg[0]+"."+seg[1])); got != seg[2] {
				t.Fatalf("vector MAC does not verify with crypto/hmac")
			}

			switch vec.Level {
			case "jwt":
				var m map[string]any
				if err := key.Decode(vec.Token, &m, want); err != nil {
					t.Fatalf("Decode into map: %v", err)
				}
				var wantClaims map[string]any
				if err := json.Unmarshal(vec.Claims, &wantClaims); err != nil {
					t.Fatal(err)
				}
				if got, exp := normJSON(t, m), normJSON(t, wantClaims); !reflect.DeepEqual(got, exp) {
					t.Errorf("map claims = %v, want %v", got, exp)
				}

				var c rfcClaims
				if err := key.Decode(vec.Token, &c, want); err != nil {
					t.Fatalf("Decode into struct: %v", err)
				}
				if iss, _ := wantClaims["iss"].(string); c.Issuer != iss {
					t.Errorf("Issuer = %q, want %q", c.Issuer, iss)
				}
				if exp, _ := wantClaims["exp"].(float64); !c.ExpiresAt.Time().Equal(time.Unix(int64(exp), 0)) {
					t.Errorf("ExpiresAt = %v, want %v", c.ExpiresAt.Time(), time.Unix(int64(exp), 0))
				}
				if root, _ := wantClaims["http://example.com/is_root"].(bool); c.IsRoot != root {
					t.Errorf("IsRoot = %t, want %t", c.IsRoot, root)
				}
				if c.Subject != "" || len(c.Audience) != 0 || !c.NotBefore.IsZero() || !c.IssuedAt.IsZero() || c.ID != "" {
					t.Errorf("claims absent from the token were set: %+v", c.Claims)
				}
				if err := key.Decode(vec.Token, nil, want); err != nil {
					t.Errorf("Decode with nil dst: %v", err)
				}

				// InspectUnverified returns the exact payload bytes (CR LF included).
				h, raw, err := jwt.InspectUnverified(vec.Token)
				if err != nil {
					t.Fatalf("InspectUnverified: %v", err)
				}
				if string(raw) != vec.Payload {
					t.Errorf("InspectUnverified payload = %q, want %q", raw, vec.Payload)
				}
				if h.Algorithm != vec.Alg || h.Type != vec.Header["typ"] {
					t.Errorf("InspectUnverified header = %+v, want %v", h, vec.Header)
				}

				// The same token at its exp is expired; the struct stays untouched.
				exp, _ := wantClaims["exp"].(float64)
				c2 := prefilled()
				err = key.Decode(vec.Token, &c2, jwt.Expect{Now: clock(time.Unix(int64(exp), 0))})
				checkErr(t, err, jwt.ErrExpired, forbiddenIn(vec.Token)...)
				if !reflect.DeepEqual(c2, prefilled()) {
					t.Errorf("destination changed after ErrExpired")
				}
			case "jws":
				// RFC 7520 §4.4: the MAC is valid but the payload is plain text.
				c := prefilled()
				checkErr(t, key.Decode(vec.Token, &c, want), jwt.ErrMalformed, forbiddenIn(vec.Token)...)
				if !reflect.DeepEqual(c, prefilled()) {
					t.Errorf("destination changed after ErrMalformed")
				}
				m := prefilledMap()
				checkErr(t, key.Decode(vec.Token, &m, want), jwt.ErrMalformed, forbiddenIn(vec.Token)...)
				checkErr(t, key.Decode(vec.Token, nil, want), jwt.ErrMalformed, forbiddenIn(vec.Token)...)
				// The MAC is checked before the payload is parsed: a wrong key
				// reports the signature, not the plain-text payload.
				wrong := mustKey(t, jwt.Algorithm(vec.Alg), secretOther)
				if kid, ok := vec.Header["kid"].(string); ok {
					wrong = wrong.WithKeyID(kid)
				}
				checkErr(t, wrong.Decode(vec.Token, nil, want), jwt.ErrSignature, forbiddenIn(vec.Token)...)
			default:
				t.Fatalf("unknown level %q", vec.Level)
			}
		})
	}
	if levels["jwt"] == 0 || levels["jws"] == 0 {
		t.Errorf("vector levels = %v, want both jwt and jws", levels)
	}
}

func TestNewKeyErrors(t *testing.T) {
	long := testSecret("long-enough", 128)
	cases := []struct {
		name   string
		alg    jwt.Algorithm
		secret []byte
		err    error
	}{
		{"HS256/31", jwt.HS256, testSecret("short-256", 31), jwt.ErrKeyTooShort},
		{"HS384/47", jwt.HS384, testSecret("short-384", 47), jwt.ErrKeyTooShort},
		{"HS512/63", jwt.HS512, testSecret("short-512", 63), jwt.ErrKeyTooShort},
		{"HS256/empty", jwt.HS256, []byte{}, jwt.ErrKeyTooShort},
		{"HS256/nil", jwt.HS256, nil, jwt.ErrKeyTooShort},
		{"HS384/32", jwt.HS384, testSecret("short-384b", 32), jwt.ErrKeyTooShort},
		{"HS512/32", jwt.HS512, testSecret("short-512b", 32), jwt.ErrKeyTooShort},
		{"HS512/48", jwt.HS512, testSecret("short-512c", 48), jwt.ErrKeyTooShort},
		{"RS256", "RS256", long, jwt.ErrAlgorithm},
		{"ES256", "ES256", long, jwt.ErrAlgorithm},
		{"none", "none", long, jwt.ErrAlgorithm},
		{"empty", "", long, jwt.ErrAlgorithm},
		{"lowercase", "hs256", long, jwt.ErrAlgorithm},
		{"trailing space", "HS256 ", long, jwt.ErrAlgorithm},
		{"HS1", "HS1", long, jwt.ErrAlgorithm},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k, err := jwt.NewKey(tc.alg, tc.secret)
			forbidden := []string{}
			if len(tc.secret) > 0 {
				forbidden = append(forbidden, secretForms(tc.secret)...)
			}
			checkErr(t, err, tc.err, forbidden...)
			if k != nil {
				t.Errorf("NewKey returned a key with the error")
			}
		})
	}
}

func TestNewKeyMinimumLengths(t *testing.T) {
	for _, tc := range []struct {
		alg jwt.Algorithm
		n   int
	}{{jwt.HS256, 32}, {jwt.HS384, 48}, {jwt.HS512, 64}, {jwt.HS256, 200}, {jwt.HS512, 65}} {
		k := mustKey(t, tc.alg, testSecret("minimum", tc.n))
		if k.Algorithm() != tc.alg {
			t.Errorf("Algorithm() = %q, want %q", k.Algorithm(), tc.alg)
		}
		if k.KeyID() != "" {
			t.Errorf("ID() = %q, want empty", k.KeyID())
		}
	}
}

func TestNewKeyCopiesSecret(t *testing.T) {
	secret := testSecret("copy-me", 32)
	k := mustKey(t, jwt.HS256, secret)
	ref := mustKey(t, jwt.HS256, testSecret("copy-me", 32))
	for i := range secret {
		secret[i] = 'X'
	}
	tok, err := k.Encode(jwt.Claims{Subject: "s", ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	if err := ref.Decode(tok, nil, jwt.Expect{Now: clock(t0)}); err != nil {
		t.Errorf("key changed when the caller's secret slice was overwritten: %v", err)
	}
}

func TestGenerateSecret(t *testing.T) {
	for alg, n := range map[jwt.Algorithm]int{jwt.HS256: 32, jwt.HS384: 48, jwt.HS512: 64} {
		a, b := jwt.GenerateSecret(alg), jwt.GenerateSecret(alg)
		if len(a) != n || len(b) != n {
			t.Errorf("GenerateSecret(%s) lengths %d, %d, want %d", alg, len(a), len(b), n)
		}
		if string(a) == string(b) {
			t.Errorf("GenerateSecret(%s) returned the same secret twice", alg)
		}
		mustKey(t, alg, a)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("GenerateSecret(\"RS256\") did not panic")
		}
	}()
	jwt.GenerateSecret("RS256")
}

func TestNewKeySetErrors(t *testing.T) {
	a := mustKey(t, jwt.HS256, secret256).WithKeyID("kid-a")
	a2 := mustKey(t, jwt.HS256, secretOther).WithKeyID("kid-a")
	b := mustKey(t, jwt.HS512, secret512).WithKeyID("kid-b")
	b2 := mustKey(t, jwt.HS384, secret384).WithKeyID("kid-b")
	noID := mustKey(t, jwt.HS256, secret256)
	cases := []struct {
		name string
		keys []*jwt.Key
	}{
		{"two keys without ID", []*jwt.Key{noID, a, mustKey(t, jwt.HS256, secretOther)}},
		{"two keys without ID, one via WithKeyID(\"\")", []*jwt.Key{a, noID, mustKey(t, jwt.HS256, secretOther).WithKeyID("")}},
		{"the key without ID twice", []*jwt.Key{noID, b, noID}},
		{"duplicate ID same alg", []*jwt.Key{a, a2}},
		{"duplicate ID other alg", []*jwt.Key{b, b2}},
		{"same key twice", []*jwt.Key{a, b, a}},
		{"nil key", []*jwt.Key{a, nil}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var s *jwt.KeySet
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("NewKeySet panicked: %v", r)
						err = jwt.ErrInvalidConfig
					}
				}()
				s, err = jwt.NewKeySet(tc.keys...)
			}()
			checkErr(t, err, jwt.ErrInvalidConfig, "kid-a", "kid-b")
			if s != nil {
				t.Errorf("NewKeySet returned a set with the error")
			}
		})
	}
	// An empty set is either refused as a configuration error or knows no key.
	t.Run("empty", func(t *testing.T) {
		s, err := jwt.NewKeySet()
		if err != nil {
			checkErr(t, err, jwt.ErrInvalidConfig)
			return
		}
		tok := craft("HS256", secret256, `{"alg":"HS256","kid":"kid-a"}`, payloadOK)
		checkErr(t, s.Decode(tok, nil, jwt.Expect{Now: clock(t0)}), jwt.ErrUnknownKey)
	})
}

type withChan struct {
	jwt.Claims
	C chan int `json:"c"`
}

func TestEncodeErrors(t *testing.T) {
	key := mustKey(t, jwt.HS256, secret256)
	var nilClaims *testClaims
	cases := []struct {
		name   string
		claims any
	}{
		{"nil", nil},
		{"int", 42},
		{"string", "claims-string-value"},
		{"slice", []string{"a", "b"}},
		{"pointer to int", new(int)},
		{"nil struct pointer", nilClaims},
		{"map with func", map[string]any{"sub": "sub-val-5d2e", "f": func() {}}},
		{"map with NaN", map[string]any{"sub": "sub-val-5d2e", "x": math.NaN()}},
		{"struct with chan", &withChan{C: make(chan int)}},
		// Invalid UTF-8 would be silently repaired to U+FFFD by a lax encoder.
		{"invalid UTF-8 value", map[string]any{"sub": "sub-val-5d2e\xff"}},
		{"invalid UTF-8 member name", map[string]any{"sub-val-5d2e\xff": 1}},
		{"invalid UTF-8 in struct", &testClaims{Claims: jwt.Claims{Subject: "sub-val-5d2e\xc3\x28"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var tok string
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("Encode panicked: %v", r)
						err = jwt.ErrEncode
					}
				}()
				tok, err = key.Encode(tc.claims)
			}()
			checkErr(t, err, jwt.ErrEncode, "sub-val-5d2e", "claims-string-value")
			if tok != "" {
				t.Errorf("Encode returned token %q with the error", tok)
			}
			buf, err := key.AppendEncode([]byte("prefix"), tc.claims)
			checkErr(t, err, jwt.ErrEncode, "sub-val-5d2e", "claims-string-value")
			if len(buf) > len("prefix") {
				t.Errorf("AppendEncode appended %q with the error", buf[len("prefix"):])
			}
		})
	}
}

func TestDecodeInvalidDestination(t *testing.T) {
	key := mustKey(t, jwt.HS256, secret256)
	tok := tok256(payloadOK)
	var nilStruct *testClaims
	var i int
	var sl []any
	cases := []struct {
		name string
		dst  any
	}{
		{"struct value", testClaims{}},
		{"map value", map[string]any{}},
		{"nil struct pointer", nilStruct},
		{"pointer to int", &i},
		{"pointer to slice", &sl},
		{"string", "x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := callDecode(t, key.Decode, tok, tc.dst, jwt.Expect{Now: clock(t0)})
			checkErr(t, err, jwt.ErrInvalidConfig, forbiddenIn(tok)...)
		})
	}
}

func TestDecodeSegments(t *testing.T) {
	good := tok256(payloadOK)
	s := segments(good)
	runDecodeCases(t, []decodeCase{
		{name: "empty", token: "", err: jwt.ErrMalformed},
		{name: "one segment", token: s[0], err: jwt.ErrMalformed},
		{name: "two segments", token: s[0] + "." + s[1], err: jwt.ErrMalformed},
		{name: "four segments", token: good + "." + s[2], err: jwt.ErrMalformed},
		{name: "five segments", token: good + "." + s[1] + "." + s[2], err: jwt.ErrMalformed},
		{name: "trailing dot", token: good + ".", err: jwt.ErrMalformed},
		{name: "leading dot", token: "." + good, err: jwt.ErrMalformed},
		{name: "double dot", token: s[0] + ".." + s[1] + "." + s[2], err: jwt.ErrMalformed},
		{name: "empty header", token: "." + s[1] + "." + s[2], err: jwt.ErrMalformed},
		{name: "empty payload", token: s[0] + ".." + s[2], err: jwt.ErrMalformed},
		{name: "empty signature", token: s[0] + "." + s[1] + ".", err: jwt.ErrMalformed},
		{name: "unsigned alg none", token: b64(`{"alg":"none"}`) + "." + s[1] + ".", err: jwt.ErrMalformed},
		{name: "two dots", token: "..", err: jwt.ErrMalformed},
		{name: "only dots", token: strings.Repeat(".", 4000), err: jwt.ErrMalformed},
		{name: "whitespace around", token: " " + good + " ", err: jwt.ErrMalformed},
		{name: "trailing newline", token: good + "\n", err: jwt.ErrMalformed},
		{name: "bearer prefix", token: "Bearer " + good, err: jwt.ErrMalformed},
		{name: "baseline", token: good},
	})
}

// nonCanonical changes the last character of seg so that it decodes to the
// same bytes with non-zero unused trailing bits (RFC 4648 §3.5). ok is false
// when seg has no unused bits.
func nonCanonical(seg string) (string, bool) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	if len(seg)%4 != 2 && len(seg)%4 != 3 {
		return "", false
	}
	v := strings.IndexByte(alphabet, seg[len(seg)-1])
	return seg[:len(seg)-1] + string(alphabet[v|1]), true
}

// badEncodings returns spellings of the valid segment seg that a strict
// Base64URL decoder must reject.
func badEncodings(t *testing.T, seg string) map[string]string {
	t.Helper()
	mid := len(seg) / 2
	bad := map[string]string{
		"padding =":          seg + strings.Repeat("=", 4-len(seg)%4),
		"single =":           seg + "=",
		"CRLF inside":        seg[:mid] + "\r\n" + seg[mid:],
		"LF inside":          seg[:mid] + "\n" + seg[mid:],
		"CR at end":          seg + "\r",
		"space inside":       seg[:mid] + " " + seg[mid:],
		"tab inside":         seg[:mid] + "\t" + seg[mid:],
		"plus":               seg[:mid] + "+" + seg[mid+1:],
		"slash":              seg[:mid] + "/" + seg[mid+1:],
		"byte 0x80":          seg[:mid] + "\x80" + seg[mid:],
		"byte 0xff":          seg[:mid] + "\xff" + seg[mid+1:],
		"utf-8 letter":       seg[:mid] + "é" + seg[mid+1:],
		"NUL":                seg[:mid] + "\x00" + seg[mid+1:],
		"percent-encoded =":  seg + "%3D",
		"star":               seg[:mid] + "*" + seg[mid+1:],
		"length 1 mod 4":     seg + strings.Repeat("A", (5-len(seg)%4)%4),
		"length 1 mod 4 (w)": seg[:len(seg)-len(seg)%4] + "w",
	}
	if nc, ok := nonCanonical(seg); ok {
		bad["non-canonical trailing bits"] = nc
	} else {
		t.Fatalf("segment %q has no unused bits; pick another test input", seg)
	}
	for name, s := range bad {
		if _, err := base64.RawURLEncoding.Strict().DecodeString(s); err == nil && !strings.ContainsAny(s, "\r\n") {
			t.Fatalf("badEncodings %q: %q is valid base64url", name, s)
		}
	}
	return bad
}

func TestDecodeBadBase64(t *testing.T) {
	// 28 and 46 bytes: both segments end in a character with unused bits.
	header := `{"alg":"HS256", "typ":"JWT"}`
	payload := fmt.Sprintf(`{"sub":"sub-val-5d2e","exp":%d,"x":12}`, expOK)
	h64, p64 := b64(header), b64(payload)
	good := craftRaw("HS256", secret256, h64, p64)
	sig := segments(good)[2]

	cases := []decodeCase{{name: "baseline", token: good}}
	for name, bad := range badEncodings(t, h64) {
		cases = append(cases, decodeCase{name: "header/" + name, token: craftRaw("HS256", secret256, bad, p64), err: jwt.ErrMalformed})
	}
	for name, bad := range badEncodings(t, p64) {
		// The MAC is valid over the defective text: only the encoding is wrong.
		cases = append(cases, decodeCase{name: "payload/" + name, token: craftRaw("HS256", secret256, h64, bad), err: jwt.ErrMalformed})
	}
	for name, bad := range badEncodings(t, sig) {
		cases = append(cases, decodeCase{name: "signature/" + name, token: h64 + "." + p64 + "." + bad, err: jwt.ErrMalformed})
	}
	// The standard alphabet in place of the URL alphabet.
	std := base64.RawStdEncoding.EncodeToString(macOf("HS256", secret256, h64+"."+p64))
	if std != sig {
		cases = append(cases, decodeCase{name: "signature/standard alphabet", token: h64 + "." + p64 + "." + std, err: jwt.ErrMalformed})
	}
	runDecodeCases(t, cases)
}

func TestDecodeSignature(t *testing.T) {
	good := tok256(payloadOK)
	s := segments(good)
	in := s[0] + "." + s[1]
	mac := macOf("HS256", secret256, in)
	enc := base64.RawURLEncoding.EncodeToString
	expired := fmt.Sprintf(`{"sub":"sub-val-5d2e","exp":%d}`, 1_600_000_000)

	cases := []decodeCase{
		{name: "baseline", token: good},
		{name: "wrong key", token: craft("HS256", secretOther, hdr256, payloadOK), err: jwt.ErrSignature},
		{name: "truncated to 31 bytes", token: in + "." + enc(mac[:31]), err: jwt.ErrSignature},
		{name: "truncated to 16 bytes", token: in + "." + enc(mac[:16]), err: jwt.ErrSignature},
		{name: "truncated to 1 byte", token: in + "." + enc(mac[:1]), err: jwt.ErrSignature},
		{name: "extended to 33 bytes", token: in + "." + enc(append(mac[:32:32], 0)), err: jwt.ErrSignature},
		{name: "doubled", token: in + "." + enc(append(mac[:32:32], mac...)), err: jwt.ErrSignature},
		{name: "HS512 MAC under HS256 header", token: in + "." + enc(macOf("HS512", secret256, in)), err: jwt.ErrSignature},
		{name: "zero MAC", token: in + "." + enc(make([]byte, 32)), err: jwt.ErrSignature},
		{name: "MAC of another payload", token: in + "." + segments(tok256(`{"exp":2000000000}`))[2], err: jwt.ErrSignature},
		{name: "MAC over re-serialised header", token: in + "." + segments(craft("HS256", secret256, `{"typ":"JWT","alg":"HS256"}`, payloadOK))[2], err: jwt.ErrSignature},
		{name: "forged and expired", token: craft("HS256", secretOther, hdr256, expired), err: jwt.ErrSignature},
		{name: "forged and not yet valid", token: craft("HS256", secretOther, hdr256, `{"exp":2000000000,"nbf":1900000000}`), err: jwt.ErrSignature},
		{name: "forged without exp", token: craft("HS256", secretOther, hdr256, `{"sub":"sub-val-5d2e"}`), err: jwt.ErrSignature},
		{name: "forged plain-text payload", token: craft("HS256", secretOther, hdr256, `not a claims set`), err: jwt.ErrSignature},
		{name: "forged duplicate claims", token: craft("HS256", secretOther, hdr256, `{"exp":2000000000,"exp":1}`), err: jwt.ErrSignature},
		{name: "forged wrong issuer", token: craft("HS256", secretOther, hdr256, payloadOK), want: jwt.Expect{Issuer: "another-issuer"}, err: jwt.ErrSignature},
		{name: "forged wrong audience", token: craft("HS256", secretOther, hdr256, payloadOK), want: jwt.Expect{Audience: []string{"another-aud"}}, err: jwt.ErrSignature},
		{name: "payload swapped from another token", token: s[0] + "." + segments(tok256(`{"sub":"admin","exp":2000000000}`))[1] + "." + s[2], err: jwt.ErrSignature},
	}
	for i := range mac {
		flipped := append([]byte(nil), mac...)
		flipped[i] ^= 1 << (i % 8)
		cases = append(cases, decodeCase{name: fmt.Sprintf("bit flipped in byte %d", i), token: in + "." + enc(flipped), err: jwt.ErrSignature})
	}
	runDecodeCases(t, cases)
}

// sizedToken crafts a valid HS256 token of exactly n bytes, or (exact false)
// the shortest one of at least n bytes.
func sizedToken(t *testing.T, header string, n int, exact bool) string {
	t.Helper()
	for pad := 0; pad < n; pad++ {
		tok := craft("HS256", secret256, header, fmt.Sprintf(`{"exp":%d,"name":"%s"}`, expOK, strings.Repeat("p", pad)))
		if len(tok) == n || !exact && len(tok) > n {
			return tok
		}
		if len(tok) > n {
			break
		}
	}
	t.Fatalf("cannot build a token of %d bytes", n)
	return ""
}

func TestDecodeSizeLimit(t *testing.T) {
	if jwt.DefaultMaxTokenSize != 8192 {
		t.Fatalf("DefaultMaxTokenSize = %d, want 8192", jwt.DefaultMaxTokenSize)
	}
	atLimit := sizedToken(t, hdr256, 8192, true)
	overLimit := sizedToken(t, hdr256, 8193, false)
	small := tok256(payloadOK)
	keyed := mustKey(t, jwt.HS256, secret256).WithKeyID("kid-a")
	set := mustKeySet(t, keyed)
	setAtLimit := sizedToken(t, `{"alg":"HS256","kid":"kid-a"}`, 8192, true)
	setOverLimit := sizedToken(t, `{"alg":"HS256","kid":"kid-a"}`, 8193, false)
	runDecodeCases(t, []decodeCase{
		{name: "default/valid at 8192 bytes", token: atLimit},
		{name: "default/valid over 8192 bytes", token: overLimit, err: jwt.ErrTooLarge},
		{name: "default/8193 letters", token: strings.Repeat("a", 8193), err: jwt.ErrTooLarge},
		{name: "default/8192 letters is only malformed", token: strings.Repeat("a", 8192), err: jwt.ErrMalformed},
		{name: "default/8193 dots", token: strings.Repeat(".", 8193), err: jwt.ErrTooLarge},
		{name: "default/1 MiB of dots", token: strings.Repeat(".", 1<<20), err: jwt.ErrTooLarge},
		{name: "default/forged and too large", token: overLimit[:len(overLimit)-2] + "AA", err: jwt.ErrTooLarge},
		{name: "custom/raised", token: overLimit, want: jwt.Expect{MaxTokenSize: 1 << 16}},
		{name: "custom/exactly the length", token: small, want: jwt.Expect{MaxTokenSize: len(small)}},
		{name: "custom/one byte short", token: small, want: jwt.Expect{MaxTokenSize: len(small) - 1}, err: jwt.ErrTooLarge},
		{name: "custom/100", token: small, want: jwt.Expect{MaxTokenSize: 100}, err: jwt.ErrTooLarge},
		{name: "custom/lowered below a malformed token", token: strings.Repeat("a", 200), want: jwt.Expect{MaxTokenSize: 100}, err: jwt.ErrTooLarge},
		{name: "custom/negative", token: small, want: jwt.Expect{MaxTokenSize: -1}, err: jwt.ErrInvalidConfig},
		{name: "keyset/valid at 8192 bytes", token: setAtLimit, set: set},
		{name: "keyset/over 8192 bytes", token: setOverLimit, set: set, err: jwt.ErrTooLarge},
		{name: "keyset/custom one byte short", token: setAtLimit, set: set, want: jwt.Expect{MaxTokenSize: 8191}, err: jwt.ErrTooLarge},
		{name: "keyset/custom raised", token: setOverLimit, set: set, want: jwt.Expect{MaxTokenSize: 9000}},
	})
}

func TestDecodeKeyID(t *testing.T) {
	keyA := mustKey(t, jwt.HS256, secret256).WithKeyID("kid-a")
	keyB := mustKey(t, jwt.HS512, secret512).WithKeyID("kid-b")
	set := mustKeySet(t, keyA, keyB)
	hdr := func(alg, kid string) string { return fmt.Sprintf(`{"alg":%q,"typ":"JWT","kid":%q}`, alg, kid) }
	runDecodeCases(t, []decodeCase{
		{name: "key/matching kid", key: keyA, token: craft("HS256", secret256, hdr("HS256", "kid-a"), payloadOK)},
		{name: "key/other kid", key: keyA, token: craft("HS256", secret256, hdr("HS256", "kid-b"), payloadOK), err: jwt.ErrUnknownKey},
		{name: "key/kid missing: the caller chose the key", key: keyA, token: craft("HS256", secret256, hdr256, payloadOK)},
		{name: "key/kid missing, another key's MAC", key: keyA, token: craft("HS256", secretOther, hdr256, payloadOK), err: jwt.ErrSignature},
		{name: "key/kid case differs", key: keyA, token: craft("HS256", secret256, hdr("HS256", "KID-A"), payloadOK), err: jwt.ErrUnknownKey},
		{name: "set/kid a", set: set, token: craft("HS256", secret256, hdr("HS256", "kid-a"), payloadOK)},
		{name: "set/kid b", set: set, token: craft("HS512", secret512, hdr("HS512", "kid-b"), payloadOK)},
		{name: "set/unknown kid", set: set, token: craft("HS256", secret256, hdr("HS256", "kid-c"), payloadOK), err: jwt.ErrUnknownKey},
		{name: "set/unknown long kid", set: set, token: craft("HS256", secret256, hdr("HS256", "kid-value-unknown-77ab"), payloadOK), err: jwt.ErrUnknownKey},
		{name: "set/kid missing", set: set, token: craft("HS256", secret256, hdr256, payloadOK), err: jwt.ErrUnknownKey},
		{name: "set/kid empty", set: set, token: craft("HS256", secret256, hdr("HS256", ""), payloadOK), err: jwt.ErrUnknownKey},
		{name: "set/kid case differs", set: set, token: craft("HS256", secret256, hdr("HS256", "KID-A"), payloadOK), err: jwt.ErrUnknownKey},
		{name: "set/kid trailing space", set: set, token: craft("HS256", secret256, hdr("HS256", "kid-a "), payloadOK), err: jwt.ErrUnknownKey},
		{name: "set/kid member name case differs", set: set, token: craft("HS256", secret256, `{"alg":"HS256","KID":"kid-a"}`, payloadOK), err: jwt.ErrUnknownKey},
		{name: "set/kid not a string", set: set, token: craft("HS256", secret256, `{"alg":"HS256","kid":1}`, payloadOK), err: jwt.ErrMalformed},
		{name: "set/kid picks key, key fixes alg", set: set, token: craft("HS512", secret256, hdr("HS512", "kid-a"), payloadOK), err: jwt.ErrAlgorithm},
		{name: "set/kid b with alg HS256", set: set, token: craft("HS256", secret512, hdr("HS256", "kid-b"), payloadOK), err: jwt.ErrAlgorithm},
		{name: "set/kid b signed with key a", set: set, token: craft("HS512", secret256, hdr("HS512", "kid-b"), payloadOK), err: jwt.ErrSignature},
		{name: "set/kid a signed with key b", set: set, token: craft("HS256", secret512, hdr("HS256", "kid-a"), payloadOK), err: jwt.ErrSignature},
		{name: "set/duplicate kid member", set: set, token: craft("HS256", secret256, `{"alg":"HS256","kid":"kid-b","kid":"kid-a"}`, payloadOK), err: jwt.ErrMalformed},
		{name: "set/alg none", set: set, token: craft("HS256", secret256, hdr("none", "kid-a"), payloadOK), err: jwt.ErrAlgorithm},
		{name: "set/expired", set: set, token: craft("HS256", secret256, hdr("HS256", "kid-a"), `{"exp":1600000000}`), err: jwt.ErrExpired},
		{name: "set/negative leeway", set: set, token: craft("HS256", secret256, hdr("HS256", "kid-a"), payloadOK), want: jwt.Expect{Leeway: -time.Second}, err: jwt.ErrInvalidConfig},
		{name: "set/bad base64", set: set, token: "eyJhbGciOiJIUzI1NiJ9=." + segments(payloadTok())[1] + ".AAAA", err: jwt.ErrMalformed},
	})
}

func payloadTok() string { return tok256(payloadOK) }

func TestInspectUnverifiedErrors(t *testing.T) {
	good := tok256(payloadOK)
	s := segments(good)
	h64, p64 := b64(`{"alg":"HS256", "typ":"JWT"}`), b64(fmt.Sprintf(`{"sub":"sub-val-5d2e","exp":%d,"x":12}`, expOK))
	cases := map[string]string{
		"empty":                 "",
		"one segment":           s[0],
		"two segments":          s[0] + "." + s[1],
		"four segments":         good + "." + s[2],
		"trailing dot":          good + ".",
		"empty header":          "." + s[1] + "." + s[2],
		"empty payload":         s[0] + ".." + s[2],
		"only dots":             strings.Repeat(".", 100),
		"header not JSON":       b64(`{"alg":"HS256"`) + "." + s[1] + "." + s[2],
		"header not an object":  b64(`["HS256"]`) + "." + s[1] + "." + s[2],
		"header two objects":    b64(`{"alg":"HS256"}{}`) + "." + s[1] + "." + s[2],
		"header duplicate alg":  b64(`{"alg":"HS256","alg":"none"}`) + "." + s[1] + "." + s[2],
		"header typ not string": b64(`{"alg":"HS256","typ":1}`) + "." + s[1] + "." + s[2],
		"header kid not string": b64(`{"alg":"HS256","kid":{}}`) + "." + s[1] + "." + s[2],
		"header invalid UTF-8":  b64("{\"alg\":\"HS256\",\"typ\":\"\xff\"}") + "." + s[1] + "." + s[2],
		"header crit":           b64(`{"alg":"HS256","crit":[]}`) + "." + s[1] + "." + s[2],
		"payload not JSON":      s[0] + "." + b64(`{"sub":"sub-val-5d2e"`) + "." + s[2],
		"payload not an object": s[0] + "." + b64(`["sub-val-5d2e"]`) + "." + s[2],
	}
	for name, bad := range badEncodings(t, h64) {
		cases["header base64/"+name] = bad + "." + p64 + "." + s[2]
	}
	for name, bad := range badEncodings(t, p64) {
		cases["payload base64/"+name] = h64 + "." + bad + "." + s[2]
	}
	// The work is bounded like Decode's: the default size limit applies.
	t.Run("too large", func(t *testing.T) {
		tok := sizedToken(t, hdr256, 8193, false)
		h, p, err := jwt.InspectUnverified(tok)
		checkErr(t, err, jwt.ErrTooLarge, forbiddenIn(tok)...)
		if h != (jwt.Header{}) || p != nil {
			t.Errorf("InspectUnverified returned %+v, %q with the error", h, p)
		}
		if _, _, err := jwt.InspectUnverified(sizedToken(t, hdr256, 8192, true)); err != nil {
			t.Errorf("InspectUnverified at 8192 bytes: %v", err)
		}
	})
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			h, p, err := jwt.InspectUnverified(tok)
			checkErr(t, err, jwt.ErrMalformed, forbiddenIn(tok)...)
			if h != (jwt.Header{}) || p != nil {
				t.Errorf("InspectUnverified returned %+v, %q with the error", h, p)
			}
		})
	}
}

func TestInspectUnverified(t *testing.T) {
	key := mustKey(t, jwt.HS384, secret384).WithKeyID("kid-x").WithType("at+jwt")
	tok, err := key.Encode(&testClaims{Claims: jwt.Claims{Subject: "s1", ExpiresAt: jwt.NewNumericDate(time.Unix(1_600_000_000, 0))}, Name: "n1"})
	if err != nil {
		t.Fatal(err)
	}
	h, p, err := jwt.InspectUnverified(tok)
	if err != nil {
		t.Fatal(err)
	}
	if want := (jwt.Header{Algorithm: "HS384", Type: "at+jwt", KeyID: "kid-x"}); h != want {
		t.Errorf("header = %+v, want %+v", h, want)
	}
	raw, _ := base64.RawURLEncoding.Strict().DecodeString(segments(tok)[1])
	if string(p) != string(raw) {
		t.Errorf("payload = %s, want %s", p, raw)
	}
	var m map[string]any
	if err := json.Unmarshal(p, &m); err != nil || m["sub"] != "s1" || m["name"] != "n1" || m["exp"] != 1.6e9 {
		t.Errorf("payload %s decodes to %v (%v)", p, m, err)
	}

	// Nothing is verified: a forged, expired token with alg none inspects fine.
	forged := craft("HS256", secretOther, `{"alg":"none","cty":"JWT","typ":"x"}`, `{"exp":1}`)
	h, p, err = jwt.InspectUnverified(forged)
	if err != nil {
		t.Fatalf("InspectUnverified(forged): %v", err)
	}
	if want := (jwt.Header{Algorithm: "none", Type: "x", ContentType: "JWT"}); h != want || string(p) != `{"exp":1}` {
		t.Errorf("InspectUnverified(forged) = %+v, %s", h, p)
	}
}

type claimsValue struct {
	jwt.Claims
	Role string `json:"role"`
}

func TestRoundTrip(t *testing.T) {
	want := jwt.Expect{Now: clock(t0), Issuer: "iss-1", Subject: "sub-1", Audience: []string{"aud-2"}, CheckIssuedAt: true}
	in := testClaims{
		Claims: jwt.Claims{
			Issuer:    "iss-1",
			Subject:   "sub-1",
			Audience:  jwt.Audience{"aud-1", "aud-2"},
			ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour)),
			NotBefore: jwt.NewNumericDate(t0.Add(-time.Minute)),
			IssuedAt:  jwt.NewNumericDate(t0.Add(-time.Minute)),
			ID:        "jti-1",
		},
		Name:  "Ann \"the\" <admin> \u2028 ü",
		Admin: true,
		Count: 12,
	}
	for _, tc := range []struct {
		alg    jwt.Algorithm
		secret []byte
	}{{jwt.HS256, secret256}, {jwt.HS384, secret384}, {jwt.HS512, secret512}} {
		t.Run(string(tc.alg), func(t *testing.T) {
			key := mustKey(t, tc.alg, tc.secret)
			tok, err := key.Encode(&in)
			if err != nil {
				t.Fatal(err)
			}
			s := segments(tok)
			if len(s) != 3 {
				t.Fatalf("token has %d segments", len(s))
			}
			// Fixed header; every segment canonical base64url; MAC agrees with crypto/hmac.
			if got, want := s[0], b64(fmt.Sprintf(`{"alg":"%s","typ":"JWT"}`, tc.alg)); got != want {
				t.Errorf("header segment = %s, want %s", got, want)
			}
			for i, seg := range s {
				b, err := base64.RawURLEncoding.Strict().DecodeString(seg)
				if err != nil || base64.RawURLEncoding.EncodeToString(b) != seg {
					t.Errorf("segment %d is not canonical base64url: %v", i, err)
				}
			}
			if got := base64.RawURLEncoding.EncodeToString(macOf(string(tc.alg), tc.secret, s[0]+"."+s[1])); got != s[2] {
				t.Errorf("signature does not match crypto/hmac")
			}
			again, err := key.Encode(&in)
			if err != nil || again != tok {
				t.Errorf("Encode is not deterministic: %s vs %s (%v)", tok, again, err)
			}
			// Struct value works like a pointer.
			byValue, err := key.Encode(in)
			if err != nil || byValue != tok {
				t.Errorf("Encode(value) = %s, %v; want %s", byValue, err, tok)
			}

			var out testClaims
			if err := key.Decode(tok, &out, want); err != nil {
				t.Fatal(err)
			}
			if d := diffClaims(out, in); d != "" {
				t.Errorf("round trip: %s", d)
			}
			var c jwt.Claims
			if err := key.Decode(tok, &c, want); err != nil || diffClaims(testClaims{Claims: c}, testClaims{Claims: in.Claims}) != "" {
				t.Errorf("Decode into *jwt.Claims = %+v, %v", c, err)
			}
			var m map[string]any
			if err := key.Decode(tok, &m, want); err != nil {
				t.Fatal(err)
			}
			if m["sub"] != "sub-1" || m["name"] != in.Name || m["admin"] != true || !reflect.DeepEqual(normJSON(t, m["exp"]), normJSON(t, t0.Add(time.Hour).Unix())) {
				t.Errorf("Decode into map = %v", m)
			}
			// The same token under another algorithm's key is refused.
			other := mustKey(t, jwt.HS512, secret512)
			if tc.alg == jwt.HS512 {
				other = mustKey(t, jwt.HS256, secret256)
			}
			checkErr(t, other.Decode(tok, nil, want), jwt.ErrAlgorithm, forbiddenIn(tok)...)
		})
	}
}

func TestRoundTripMap(t *testing.T) {
	key := mustKey(t, jwt.HS256, secret256)
	tok, err := key.Encode(map[string]any{"sub": "map-sub", "exp": expOK, "aud": []string{"x"}, "role": "r"})
	if err != nil {
		t.Fatal(err)
	}
	var c claimsValue
	if err := key.Decode(tok, &c, jwt.Expect{Now: clock(t0), Audience: []string{"x"}}); err != nil {
		t.Fatal(err)
	}
	if c.Subject != "map-sub" || c.Role != "r" || !c.ExpiresAt.Time().Equal(time.Unix(expOK, 0)) || !reflect.DeepEqual(c.Audience, jwt.Audience{"x"}) {
		t.Errorf("decoded %+v", c)
	}
	var m map[string]any
	if err := key.Decode(tok, &m, jwt.Expect{Now: clock(t0)}); err != nil {
		t.Fatal(err)
	}
	if got, want := normJSON(t, m), normJSON(t, map[string]any{"sub": "map-sub", "exp": expOK, "aud": []string{"x"}, "role": "r"}); !reflect.DeepEqual(got, want) {
		t.Errorf("map round trip = %v, want %v", got, want)
	}
	// A nil map pointer target is allocated on success.
	var fresh map[string]any
	if err := key.Decode(tok, &fresh, jwt.Expect{Now: clock(t0)}); err != nil || fresh["role"] != "r" {
		t.Errorf("Decode into nil map = %v, %v", fresh, err)
	}
}

func TestAppendEncode(t *testing.T) {
	key := mustKey(t, jwt.HS256, secret256)
	c := &testClaims{Claims: jwt.Claims{Subject: "s", ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))}}
	tok, err := key.Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 4)
	buf = append(buf, "Bearer "...)
	out, err := key.AppendEncode(buf, c)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "Bearer "+tok {
		t.Errorf("AppendEncode = %q, want %q", out, "Bearer "+tok)
	}
	out, err = key.AppendEncode(nil, c)
	if err != nil || string(out) != tok {
		t.Errorf("AppendEncode(nil) = %q, %v", out, err)
	}
}

func TestKeyWithCopies(t *testing.T) {
	k := mustKey(t, jwt.HS256, secret256)
	withID := k.WithKeyID("kid-1")
	withType := k.WithType("at+jwt")
	both := withID.WithType("at+jwt")
	if k.KeyID() != "" || withType.KeyID() != "" || withID.KeyID() != "kid-1" || both.KeyID() != "kid-1" {
		t.Errorf("IDs: %q %q %q %q", k.KeyID(), withID.KeyID(), withType.KeyID(), both.KeyID())
	}
	for _, x := range []*jwt.Key{k, withID, withType, both} {
		if x.Algorithm() != jwt.HS256 {
			t.Errorf("Algorithm() = %q", x.Algorithm())
		}
	}
	c := jwt.Claims{ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))}
	for _, tc := range []struct {
		key  *jwt.Key
		want jwt.Header
	}{
		{k, jwt.Header{Algorithm: "HS256", Type: "JWT"}},
		{withID, jwt.Header{Algorithm: "HS256", Type: "JWT", KeyID: "kid-1"}},
		{withType, jwt.Header{Algorithm: "HS256", Type: "at+jwt"}},
		{both, jwt.Header{Algorithm: "HS256", Type: "at+jwt", KeyID: "kid-1"}},
	} {
		tok, err := tc.key.Encode(c)
		if err != nil {
			t.Fatal(err)
		}
		h, _, err := jwt.InspectUnverified(tok)
		if err != nil || h != tc.want {
			t.Errorf("header = %+v, %v; want %+v", h, err, tc.want)
		}
	}
	tok, err := withType.Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Decode(tok, nil, jwt.Expect{Now: clock(t0), Type: "at+jwt"}); err != nil {
		t.Errorf("Decode at+jwt: %v", err)
	}
	checkErr(t, k.Decode(tok, nil, jwt.Expect{Now: clock(t0), Type: "JWT"}), jwt.ErrTokenType)
}

func TestKeySetRotation(t *testing.T) {
	oldKey := mustKey(t, jwt.HS256, secretOld).WithKeyID("2025-01")
	newKey := mustKey(t, jwt.HS512, secretNew).WithKeyID("2025-02")
	both := mustKeySet(t, oldKey, newKey)
	onlyNew := mustKeySet(t, newKey)
	want := jwt.Expect{Now: clock(t0)}

	encode := func(k *jwt.Key, sub string) string {
		tok, err := k.Encode(&jwt.Claims{Subject: sub, ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	oldTok, newTok := encode(oldKey, "by-old"), encode(newKey, "by-new")
	for _, tc := range []struct {
		tok, sub string
	}{{oldTok, "by-old"}, {newTok, "by-new"}} {
		var c jwt.Claims
		if err := both.Decode(tc.tok, &c, want); err != nil || c.Subject != tc.sub {
			t.Errorf("rotation set: %+v, %v; want sub %q", c, err, tc.sub)
		}
	}
	if err := onlyNew.Decode(newTok, nil, want); err != nil {
		t.Errorf("new key after retiring the old: %v", err)
	}
	checkErr(t, onlyNew.Decode(oldTok, nil, want), jwt.ErrUnknownKey, forbiddenIn(oldTok)...)
	// An attacker who knows a kid but not its secret.
	forged := encode(mustKey(t, jwt.HS256, secretOther).WithKeyID("2025-01"), "by-old")
	checkErr(t, both.Decode(forged, nil, want), jwt.ErrSignature, forbiddenIn(forged)...)
	// A token without kid finds no key in a set whose keys all have IDs.
	anon := encode(mustKey(t, jwt.HS256, secretOld), "anon")
	checkErr(t, both.Decode(anon, nil, want), jwt.ErrUnknownKey, forbiddenIn(anon)...)
	// The set applies the policy.
	checkErr(t, both.Decode(oldTok, nil, jwt.Expect{Now: clock(t0.Add(2 * time.Hour))}), jwt.ErrExpired, forbiddenIn(oldTok)...)
	c := prefilled()
	checkErr(t, both.Decode(oldTok, &c, jwt.Expect{Now: clock(t0), Subject: "someone-else"}), jwt.ErrSubject, forbiddenIn(oldTok)...)
	if !reflect.DeepEqual(c, prefilled()) {
		t.Errorf("KeySet.Decode wrote the destination on error")
	}
}

func TestKeyFormatHidesSecret(t *testing.T) {
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%p"}
	for _, tc := range []struct {
		alg    jwt.Algorithm
		secret []byte
	}{{jwt.HS256, secret256}, {jwt.HS384, secret384}, {jwt.HS512, secret512}, {jwt.HS256, rfcA1Secret}} {
		key := mustKey(t, tc.alg, tc.secret).WithKeyID("kid-fmt")
		forms := secretForms(tc.secret)
		// Derived material (RFC 2104 inner and outer pads) reveals the secret too.
		for _, pad := range []byte{0x36, 0x5c} {
			x := make([]byte, len(tc.secret))
			for i := range x {
				x[i] = tc.secret[i] ^ pad
			}
			forms = append(forms, hex.EncodeToString(x[:12]), string(x[:12]), strings.Trim(fmt.Sprint(x[:12]), "[]"))
		}
		value := reflect.ValueOf(key).Elem().Interface()
		holder := struct{ K *jwt.Key }{key}
		for _, verb := range verbs {
			for name, v := range map[string]any{"pointer": key, "value": value, "field": holder, "slice": []*jwt.Key{key}} {
				out := fmt.Sprintf(verb, v)
				for _, f := range forms {
					if strings.Contains(out, f) || strings.Contains(strings.ToLower(out), strings.ToLower(f)) {
						t.Errorf("%s %s printed with %s shows the secret: %q", tc.alg, name, verb, out)
						break
					}
				}
			}
		}
		if s := fmt.Sprint(key); !strings.Contains(s, string(tc.alg)) {
			t.Logf("%%v of a key = %q (does not name its algorithm)", s)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	key := mustKey(t, jwt.HS256, secret256).WithKeyID("kid-c")
	set := mustKeySet(t, key, mustKey(t, jwt.HS512, secret512).WithKeyID("kid-d"))
	var wg sync.WaitGroup
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				sub := fmt.Sprintf("g%d-i%d", g, i)
				in := testClaims{Claims: jwt.Claims{Subject: sub, ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))}, Count: i}
				tok, err := key.Encode(&in)
				if err != nil {
					t.Errorf("Encode: %v", err)
					return
				}
				var out testClaims
				decode := key.Decode
				if i%2 == 1 {
					decode = set.Decode
				}
				if err := decode(tok, &out, jwt.Expect{Now: clock(t0), Subject: sub}); err != nil || diffClaims(out, in) != "" {
					t.Errorf("Decode: %+v, %v; want %+v", out, err, in)
					return
				}
				if i%10 == 0 {
					bad := tok[:len(tok)-2] + "AA"
					if bad != tok && !errors.Is(key.Decode(bad, nil, jwt.Expect{Now: clock(t0)}), jwt.ErrSignature) {
						t.Errorf("concurrent forged token not refused")
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestDecodeDefaultClock(t *testing.T) {
	key := mustKey(t, jwt.HS256, secret256)
	now := time.Now()
	future := tok256(fmt.Sprintf(`{"exp":%d}`, now.Add(time.Hour).Unix()))
	past := tok256(fmt.Sprintf(`{"exp":%d}`, now.Add(-time.Hour).Unix()))
	early := tok256(fmt.Sprintf(`{"exp":%d,"nbf":%d}`, now.Add(2*time.Hour).Unix(), now.Add(time.Hour).Unix()))
	if err := key.Decode(future, nil, jwt.Expect{}); err != nil {
		t.Errorf("zero Expect, exp in an hour: %v", err)
	}
	checkErr(t, key.Decode(past, nil, jwt.Expect{}), jwt.ErrExpired)
	checkErr(t, key.Decode(early, nil, jwt.Expect{}), jwt.ErrNotYetValid)
	checkErr(t, key.Decode(tok256(`{"sub":"sub-val-5d2e"}`), nil, jwt.Expect{}), jwt.ErrMissingClaim)
}

// diffClaims compares two destinations by meaning (times with Time.Equal) and
// describes the first difference, or returns "".
func diffClaims(got, want testClaims) string {
	g, w := got.Claims, want.Claims
	switch {
	case g.Issuer != w.Issuer:
		return fmt.Sprintf("Issuer %q, want %q", g.Issuer, w.Issuer)
	case g.Subject != w.Subject:
		return fmt.Sprintf("Subject %q, want %q", g.Subject, w.Subject)
	case !slices.Equal(g.Audience, w.Audience):
		return fmt.Sprintf("Audience %q, want %q", g.Audience, w.Audience)
	case g.ID != w.ID:
		return fmt.Sprintf("ID %q, want %q", g.ID, w.ID)
	case got.Name != want.Name || got.Admin != want.Admin || got.Count != want.Count:
		return fmt.Sprintf("private claims %q %t %d, want %q %t %d", got.Name, got.Admin, got.Count, want.Name, want.Admin, want.Count)
	}
	for _, d := range []struct {
		name string
		g, w jwt.NumericDate
	}{{"ExpiresAt", g.ExpiresAt, w.ExpiresAt}, {"NotBefore", g.NotBefore, w.NotBefore}, {"IssuedAt", g.IssuedAt, w.IssuedAt}} {
		if d.g.IsZero() != d.w.IsZero() || !d.g.IsZero() && !d.g.Time().Equal(d.w.Time()) {
			return fmt.Sprintf("%s %v (zero %t), want %v (zero %t)", d.name, d.g.Time(), d.g.IsZero(), d.w.Time(), d.w.IsZero())
		}
	}
	return ""
}

// TestDecodeReplacesStruct checks that a successful Decode replaces a struct as a whole, the
// fields the token does not name and unexported ones included, and that a failed one leaves
// it alone, both for a struct filled in place (only flat fields) and for one decoded into a
// fresh value first (a map field).
func TestDecodeReplacesStruct(t *testing.T) {
	k := mustKey(t, jwt.HS256, secret256)
	exp := jwt.NewNumericDate(t0.Add(time.Hour))
	tok, err := k.Encode(&jwt.Claims{Subject: "s", ExpiresAt: exp})
	if err != nil {
		t.Fatal(err)
	}
	ok := jwt.Expect{Now: clock(t0)}
	expired := jwt.Expect{Now: clock(t0.Add(2 * time.Hour))}

	type inPlace struct {
		jwt.Claims
		Name string `json:"name"`
		n    int
	}
	old := inPlace{Claims: jwt.Claims{Issuer: "old", Audience: jwt.Audience{"old"}}, Name: "old", n: 7}
	got := old
	if err := k.Decode(tok, &got, expired); !errors.Is(err, jwt.ErrExpired) || !reflect.DeepEqual(got, old) {
		t.Errorf("in place, expired: err %v, dst %+v; want ErrExpired and dst untouched", err, got)
	}
	if err := k.Decode(tok, &got, ok); err != nil || !reflect.DeepEqual(got, inPlace{Claims: jwt.Claims{Subject: "s", ExpiresAt: exp}}) {
		t.Errorf("in place: err %v, dst %+v; want only sub and exp", err, got)
	}

	type exported struct {
		jwt.Claims
		Name  string `json:"name"`
		Other string `json:"-"`
		Count int
	}
	oldExported := exported{Claims: jwt.Claims{ID: "old"}, Name: "old", Other: "old", Count: 3}
	gotExported := oldExported
	if err := k.Decode(tok, &gotExported, expired); !errors.Is(err, jwt.ErrExpired) || !reflect.DeepEqual(gotExported, oldExported) {
		t.Errorf("exported, expired: err %v, dst %+v; want ErrExpired and dst untouched", err, gotExported)
	}
	if err := k.Decode(tok, &gotExported, ok); err != nil || !reflect.DeepEqual(gotExported, exported{Claims: jwt.Claims{Subject: "s", ExpiresAt: exp}}) {
		t.Errorf("exported: err %v, dst %+v; want only sub and exp", err, gotExported)
	}

	type fresh struct {
		jwt.Claims
		Name string         `json:"name"`
		M    map[string]any `json:"m"`
		n    int
	}
	oldFresh := fresh{Claims: jwt.Claims{Issuer: "old"}, Name: "old", M: map[string]any{"k": "v"}, n: 7}
	gotFresh := oldFresh
	if err := k.Decode(tok, &gotFresh, expired); !errors.Is(err, jwt.ErrExpired) || !reflect.DeepEqual(gotFresh, oldFresh) {
		t.Errorf("fresh, expired: err %v, dst %+v; want ErrExpired and dst untouched", err, gotFresh)
	}
	if err := k.Decode(tok, &gotFresh, ok); err != nil || !reflect.DeepEqual(gotFresh, fresh{Claims: jwt.Claims{Subject: "s", ExpiresAt: exp}}) {
		t.Errorf("fresh: err %v, dst %+v; want only sub and exp", err, gotFresh)
	}
}

type testRole string

// TestDecodeNamedStringSlice round-trips a slice of a named string type, which the reader
// cannot fill by conversion and leaves to encoding/json (it once panicked there).
func TestDecodeNamedStringSlice(t *testing.T) {
	type withRoles struct {
		jwt.Claims
		Roles []testRole `json:"roles"`
	}
	k := mustKey(t, jwt.HS256, secret256)
	in := withRoles{Claims: jwt.Claims{ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))}, Roles: []testRole{"admin", "ops"}}
	tok, err := k.Encode(&in)
	if err != nil {
		t.Fatal(err)
	}
	var out withRoles
	if err := k.Decode(tok, &out, jwt.Expect{Now: clock(t0)}); err != nil || !reflect.DeepEqual(out, in) {
		t.Errorf("Decode: %v, %+v; want %+v", err, out, in)
	}
}

// Issue 11 §5: typ is a media type, compared ASCII case-insensitively (RFC 7515 §4.1.9,
// RFC 2045 §5.1), never with Unicode case folding, under which U+017F (long s) equals "s"
// and U+212A (Kelvin sign) equals "k".
func TestTypUnicodeFolding(t *testing.T) {
	tokTyp := func(typ string) string {
		b, _ := json.Marshal(typ)
		return hdrTok(`{"alg":"HS256","typ":` + string(b) + `}`)
	}
	secevent := jwt.Expect{Type: "secevent+jwt"}
	kjwt := jwt.Expect{Type: "k+jwt"}
	runDecodeCases(t, []decodeCase{
		{name: "long s", token: tokTyp("\u017fecevent+jwt"), want: secevent, err: jwt.ErrTokenType},
		{name: "long s after application/", token: tokTyp("application/\u017fecevent+jwt"), want: secevent, err: jwt.ErrTokenType},
		{name: "Kelvin sign", token: tokTyp("\u212a+jwt"), want: kjwt, err: jwt.ErrTokenType},
		{name: "expected with long s", token: tokTyp("secevent+jwt"), want: jwt.Expect{Type: "\u017fecevent+jwt"}, err: jwt.ErrTokenType},
		{name: "expected with Kelvin sign", token: tokTyp("K+JWT"), want: jwt.Expect{Type: "\u212a+jwt"}, err: jwt.ErrTokenType},
		{name: "ASCII upper case still matches", token: tokTyp("SECEVENT+JWT"), want: secevent},
		{name: "ASCII upper K still matches", token: tokTyp("Application/K+jwt"), want: kjwt},
		{name: "same non-ASCII text matches", token: tokTyp("\u017fecevent+jwt"), want: jwt.Expect{Type: "\u017fecevent+jwt"}},
	})
}

// zeroKeyErr calls f and fails the test if it panics or does not return ErrInvalidConfig
// and that sentinel alone.
func zeroKeyErr(t *testing.T, what string, f func() error) {
	t.Helper()
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		err = f()
	}()
	if !errors.Is(err, jwt.ErrInvalidConfig) {
		t.Errorf("%s: %v, want ErrInvalidConfig", what, err)
		return
	}
	checkErr(t, err, jwt.ErrInvalidConfig)
}

// Issue 11 §5: a zero Key (var k jwt.Key) and a nil *Key used to panic in Decode and
// Encode. Every method must return ErrInvalidConfig from the calls that return errors, and
// the keys WithKeyID and WithType derive from them must be just as unusable.
func TestZeroKey(t *testing.T) {
	var zero jwt.Key
	good := mustKey(t, jwt.HS256, secret256)
	tok, err := good.Encode(jwt.Claims{Subject: "s", ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	want := jwt.Expect{Now: clock(t0)}
	for _, kc := range []struct {
		name string
		k    *jwt.Key
	}{
		{"zero", &zero},
		{"nil", nil},
		{"zero WithKeyID", zero.WithKeyID("k1")},
		{"zero WithType", zero.WithType("at+jwt")},
		{"nil WithKeyID", (*jwt.Key)(nil).WithKeyID("k1")},
		{"nil WithType", (*jwt.Key)(nil).WithType("at+jwt")},
	} {
		t.Run(kc.name, func(t *testing.T) {
			k := kc.k
			if k == nil && kc.name != "nil" {
				t.Fatal("WithKeyID or WithType returned nil")
			}
			zeroKeyErr(t, "Encode", func() error {
				s, err := k.Encode(jwt.Claims{Subject: "s"})
				if s != "" {
					t.Errorf("Encode returned %q with an error", s)
				}
				return err
			})
			zeroKeyErr(t, "AppendEncode", func() error {
				dst := []byte("prefix")
				out, err := k.AppendEncode(dst, jwt.Claims{Subject: "s"})
				if string(out) != "prefix" {
					t.Errorf("AppendEncode changed dst to %q", out)
				}
				return err
			})
			zeroKeyErr(t, "Decode into nil", func() error { return k.Decode(tok, nil, want) })
			zeroKeyErr(t, "Decode into *Claims", func() error {
				var c jwt.Claims
				return k.Decode(tok, &c, want)
			})
			zeroKeyErr(t, "Decode into *map", func() error {
				m := prefilledMap()
				err := k.Decode(tok, &m, want)
				if !reflect.DeepEqual(m, prefilledMap()) {
					t.Errorf("Decode changed the map: %v", m)
				}
				return err
			})
			zeroKeyErr(t, "Decode into a struct", func() error {
				c := prefilled()
				err := k.Decode(tok, &c, want)
				if !reflect.DeepEqual(c, prefilled()) {
					t.Errorf("Decode changed the struct: %+v", c)
				}
				return err
			})
			zeroKeyErr(t, "Decode of an empty token", func() error { return k.Decode("", nil, want) })
			zeroKeyErr(t, "NewKeySet", func() error {
				s, err := jwt.NewKeySet(k.WithKeyID("k1"))
				if s != nil {
					t.Error("NewKeySet returned a set with an error")
				}
				return err
			})
			if got := k.Algorithm(); got != "" {
				t.Errorf("Algorithm() = %q, want none", got)
			}
			if got, want := k.KeyID(), map[bool]string{true: "k1"}[strings.HasSuffix(kc.name, "WithKeyID")]; got != want {
				t.Errorf("KeyID() = %q, want %q", got, want)
			}
			// String, GoString and Format have value receivers, so that no fmt verb reaches
			// the secret even through a Key value; fmt prints a nil *Key as <nil>.
			if s := fmt.Sprintf("%v %+v %#v %x %s", k, k, k, k, k); strings.Contains(s, "PANIC") {
				t.Errorf("fmt printed %q", s)
			}
			if k != nil {
				if s := k.String() + k.GoString(); !strings.Contains(s, "jwt.Key{") {
					t.Errorf("String, GoString: %q", s)
				}
			}
		})
	}
}

// Issue 11 §5: a zero KeySet and a nil *KeySet return ErrInvalidConfig from Decode.
func TestZeroKeySet(t *testing.T) {
	good := mustKey(t, jwt.HS256, secret256).WithKeyID("k1")
	tok, err := good.Encode(jwt.Claims{Subject: "s", ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	var zero jwt.KeySet
	for name, s := range map[string]*jwt.KeySet{"zero": &zero, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			zeroKeyErr(t, "Decode into nil", func() error { return s.Decode(tok, nil, jwt.Expect{Now: clock(t0)}) })
			zeroKeyErr(t, "Decode into a struct", func() error {
				c := prefilled()
				err := s.Decode(tok, &c, jwt.Expect{Now: clock(t0)})
				if !reflect.DeepEqual(c, prefilled()) {
					t.Errorf("Decode changed the struct: %+v", c)
				}
				return err
			})
			zeroKeyErr(t, "Decode of a token without kid", func() error { return s.Decode(hdrTok(`{"alg":"HS256"}`), nil, jwt.Expect{Now: clock(t0)}) })
		})
	}
}

// Issue 11 §5: a string member holding invalid UTF-8 (or another unreadable string) was
// reported as "<name> must be a string", naming the wrong cause. The message must name the
// member and say the string is not valid UTF-8; a value that is not a string keeps "must be
// a string". The text is what a person reads, so this test reads it.
func TestInvalidUTF8ErrorText(t *testing.T) {
	exp := fmt.Sprintf(`,"exp":%d`, expOK)
	for _, tc := range []struct {
		name, token string
		cause       string // what the message must say
	}{
		{"sub", tok256(`{"sub":"a` + "\xff" + `"` + exp + `}`), "UTF-8"},
		{"iss", tok256(`{"iss":"` + "\xc3" + `"` + exp + `}`), "UTF-8"},
		{"jti", tok256(`{"jti":"` + "\xed\xa0\x80" + `"` + exp + `}`), "UTF-8"},
		{"aud string", tok256(`{"aud":"` + "\xff" + `"` + exp + `}`), "UTF-8"},
		{"aud array", tok256(`{"aud":["ok","` + "\xff" + `"]` + exp + `}`), "UTF-8"},
		{"sub escape", tok256(`{"sub":"\ud800"` + exp + `}`), "surrogate"},
		{"alg", hdrTok(`{"alg":"HS256` + "\xff" + `"}`), "UTF-8"},
		{"typ", hdrTok(`{"alg":"HS256","typ":"` + "\xff" + `"}`), "UTF-8"},
		{"kid", hdrTok(`{"alg":"HS256","kid":"k` + "\xfe" + `"}`), "UTF-8"},
		{"cty", hdrTok(`{"alg":"HS256","cty":"` + "\xc0\xaf" + `"}`), "UTF-8"},
		{"sub not a string", tok256(`{"sub":1` + exp + `}`), "sub must be a string"},
		{"typ not a string", hdrTok(`{"alg":"HS256","typ":1}`), "typ must be a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := mustKey(t, jwt.HS256, secret256).Decode(tc.token, nil, jwt.Expect{Now: clock(t0)})
			checkErr(t, err, jwt.ErrMalformed)
			if err == nil {
				return
			}
			msg := err.Error()
			member, _, _ := strings.Cut(tc.name, " ")
			if !strings.Contains(msg, member) || !strings.Contains(msg, tc.cause) {
				t.Errorf("error %q does not name %s and %q", msg, member, tc.cause)
			}
			if tc.cause != member+" must be a string" && strings.Contains(msg, "must be a") {
				t.Errorf("error %q blames the JSON type for an unreadable string", msg)
			}
		})
	}
}

// Issue 13 §2: a deployment whose tokens have no kid could not move into a KeySet
// ("key 0 has no ID"). A set holds one key without ID, which verifies the tokens without
// kid; the keys with IDs verify theirs; a kid of no key of the set is refused.
func TestKeySetLegacyKeyWithoutID(t *testing.T) {
	legacy := mustKey(t, jwt.HS256, secretOld)
	next := mustKey(t, jwt.HS512, secretNew).WithKeyID("2026-01")
	migrating := mustKeySet(t, legacy, next)
	hdrKid := func(alg, kid string) string { return fmt.Sprintf(`{"alg":%q,"typ":"JWT","kid":%q}`, alg, kid) }
	legacyTok := craft("HS256", secretOld, hdr256, payloadOK)
	runDecodeCases(t, []decodeCase{
		{name: "legacy token, no kid", set: migrating, token: legacyTok},
		{name: "legacy token, written by the key", set: migrating, token: encodeClaims(t, legacy)},
		{name: "new token, its kid", set: migrating, token: craft("HS512", secretNew, hdrKid("HS512", "2026-01"), payloadOK)},
		{name: "new token, written by the key", set: migrating, token: encodeClaims(t, next)},
		{name: "no kid, signed by the new key", set: migrating, token: craft("HS512", secretNew, `{"alg":"HS512"}`, payloadOK), err: jwt.ErrAlgorithm},
		{name: "no kid, HS256 MAC by the new key", set: migrating, token: craft("HS256", secretNew, hdr256, payloadOK), err: jwt.ErrSignature},
		{name: "kid of no key, signed by the legacy key", set: migrating, token: craft("HS256", secretOld, hdrKid("HS256", "2025-12"), payloadOK), err: jwt.ErrUnknownKey},
		{name: "empty kid is no kid", set: migrating, token: craft("HS256", secretOld, hdrKid("HS256", ""), payloadOK)},
		{name: "legacy token, expired", set: migrating, token: craft("HS256", secretOld, hdr256, `{"exp":1600000000}`), err: jwt.ErrExpired},
		{name: "legacy retired", set: mustKeySet(t, next), token: legacyTok, err: jwt.ErrUnknownKey},
		{name: "only the legacy key", set: mustKeySet(t, legacy), token: legacyTok},
	})
}

// encodeClaims signs payloadOK's claims with k.
func encodeClaims(t *testing.T, k *jwt.Key) string {
	t.Helper()
	var c map[string]any
	if err := json.Unmarshal([]byte(payloadOK), &c); err != nil {
		t.Fatal(err)
	}
	tok, err := k.Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Issue 13 §2: a token of a replaced key read "header alg is not the key's", which names the
// wrong cause. The texts of the key-choosing step say what happened and what to do; they are
// what a person reads, so this test reads them.
func TestKeyChoiceErrorText(t *testing.T) {
	legacy := mustKey(t, jwt.HS256, secretOld)
	k1 := mustKey(t, jwt.HS256, secret256).WithKeyID("k1")
	k2 := mustKey(t, jwt.HS512, secret512).WithKeyID("k2")
	withIDs := mustKeySet(t, k1, k2)
	hdrKid := func(alg, kid string) string { return fmt.Sprintf(`{"alg":%q,"kid":%q}`, alg, kid) }
	for _, tc := range []struct {
		name   string
		decode decodeFunc
		token  string
		want   error
		says   []string
	}{
		{"set, kid of no key", withIDs.Decode, craft("HS256", secret256, hdrKid("HS256", "k0"), payloadOK), jwt.ErrUnknownKey, []string{"unknown or retired"}},
		{"set, no kid, no key without ID", withIDs.Decode, craft("HS256", secretOld, hdr256, payloadOK), jwt.ErrUnknownKey, []string{"no kid", "without ID"}},
		{"set, alg of another key", withIDs.Decode, craft("HS512", secret256, hdrKid("HS512", "k1"), payloadOK), jwt.ErrAlgorithm, []string{"HS512", "HS256", "until its tokens expire"}},
		{"key, alg of the key it replaced", legacy.Decode, craft("HS512", secret512, `{"alg":"HS512"}`, payloadOK), jwt.ErrAlgorithm, []string{"HS512", "HS256", "until its tokens expire"}},
		{"key, kid of another key", k1.Decode, craft("HS256", secret256, hdrKid("HS256", "k2"), payloadOK), jwt.ErrUnknownKey, []string{"another key", "KeySet"}},
		{"key, alg none", legacy.Decode, craft("HS256", secretOld, `{"alg":"none"}`, payloadOK), jwt.ErrAlgorithm, []string{`"none"`, "HS256"}},
		{"key, alg too long to name", legacy.Decode, craft("HS256", secretOld, `{"alg":"`+strings.Repeat("X", 40)+`"}`, payloadOK), jwt.ErrAlgorithm, []string{"HS256"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := callDecode(t, tc.decode, tc.token, nil, jwt.Expect{Now: clock(t0)})
			checkErr(t, err, tc.want, "k0", strings.Repeat("X", 40))
			if err == nil {
				return
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
		})
	}
}

// Issue 14 §4: Decode("Bearer "+tok) read "illegal base64url data at offset 6", with no hint
// about the prefix. A token with an Authorization scheme or white space is still
// ErrMalformed, and the text says to pass the token alone.
func TestDecodeSpaceHint(t *testing.T) {
	key := mustKey(t, jwt.HS256, secret256)
	set := mustKeySet(t, key.WithKeyID("kid-a"))
	tok := tok256(payloadOK)
	setTok := craft("HS256", secret256, `{"alg":"HS256","kid":"kid-a"}`, payloadOK)
	inspect := func(token string, _ any, _ jwt.Expect) error { _, _, err := jwt.InspectUnverified(token); return err }
	for _, tc := range []struct {
		name   string
		decode decodeFunc
		token  string
		says   string
	}{
		{"Bearer prefix", key.Decode, "Bearer " + tok, `"Bearer "`},
		{"bearer prefix", key.Decode, "bearer " + tok, `"Bearer "`},
		{"BEARER prefix, key set", set.Decode, "BEARER " + setTok, `"Bearer "`},
		{"Bearer prefix, InspectUnverified", inspect, "Bearer " + tok, `"Bearer "`},
		{"leading space", key.Decode, " " + tok, "white space at offset 0"},
		{"trailing line break", key.Decode, tok + "\n", "white space"},
		{"tab in the header", key.Decode, tok[:5] + "\t" + tok[5:], "white space at offset 5"},
		{"another scheme", key.Decode, "Token " + tok, "white space at offset 5"},
		{"no segments", key.Decode, "Bearer abc", `"Bearer "`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := callDecode(t, tc.decode, tc.token, nil, jwt.Expect{Now: clock(t0)})
			checkErr(t, err, jwt.ErrMalformed, forbiddenIn(tc.token)...)
			if err != nil && !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
		})
	}
	// The hint replaces ErrMalformed only: a token too large stays ErrTooLarge.
	checkErr(t, key.Decode("Bearer "+tok, nil, jwt.Expect{Now: clock(t0), MaxTokenSize: 10}), jwt.ErrTooLarge)
}

// Issue 14 §4: errors that say what to do next: a missing exp names Expect.ExpiryOptional, a
// short secret names GenerateSecret. They are what a person reads, so this test reads them.
func TestErrorTextsSayWhatToDo(t *testing.T) {
	key := mustKey(t, jwt.HS256, secret256)
	noExp := craft("HS256", secret256, hdr256, `{"sub":"sub-val-5d2e"}`)
	err := key.Decode(noExp, nil, jwt.Expect{Now: clock(t0)})
	checkErr(t, err, jwt.ErrMissingClaim)
	if err != nil && !strings.Contains(err.Error(), "Expect.ExpiryOptional") {
		t.Errorf("error %q does not name Expect.ExpiryOptional", err)
	}
	if err := key.Decode(noExp, nil, jwt.Expect{Now: clock(t0), ExpiryOptional: true}); err != nil {
		t.Errorf("ExpiryOptional: %v", err)
	}
	// Another missing claim gets no exp hint.
	err = key.Decode(tok256(payloadOK), nil, jwt.Expect{Now: clock(t0), Subject: "x"})
	checkErr(t, err, jwt.ErrSubject)
	err = key.Decode(craft("HS256", secret256, hdr256, fmt.Sprintf(`{"exp":%d}`, expOK)), nil, jwt.Expect{Now: clock(t0), Issuer: "iss-a"})
	checkErr(t, err, jwt.ErrMissingClaim)
	if err != nil && strings.Contains(err.Error(), "ExpiryOptional") {
		t.Errorf("error %q for a missing iss names ExpiryOptional", err)
	}
	for _, alg := range []jwt.Algorithm{jwt.HS256, jwt.HS384, jwt.HS512} {
		_, err := jwt.NewKey(alg, []byte("short"))
		checkErr(t, err, jwt.ErrKeyTooShort)
		if err != nil && !strings.Contains(err.Error(), "GenerateSecret("+string(alg)+")") {
			t.Errorf("error %q does not name GenerateSecret", err)
		}
	}
}
