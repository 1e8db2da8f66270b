package interop

import (
	"encoding/hex"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"time"
)

// nowUnix is the clock of every verifier, Go or Node, in every test: the
// tests do not depend on the wall clock.
const nowUnix = 1700000000

var testNow = time.Unix(nowUnix, 0)

// algKey is one algorithm with a key of exactly its hash size. The keys are
// random bytes generated once and fixed here so that failures reproduce.
type algKey struct {
	alg string
	key []byte
}

var algKeys = []algKey{
	{"HS256", mustHex("fa7c3f705d937dbf195a7b3aa972c0a495b17fffe686be1b496c2f7e719b0027")},
	{"HS384", mustHex("3a7749e430ead60d9f343b727a6c1be7b0d94ee581f607f465d603b60818ccad" +
		"2755f2c9a6100e9d2d51850854d7fc09")},
	{"HS512", mustHex("030c1569951443c078013dd5317e9e4511c5d116f26e3a6318c5daabf285a5e1" +
		"59c6c8c2998b219ddbaad6d18e87e3a546fea9a6d1170be5d68d7ba951319685")},
}

// shortKey is 16 bytes: below the minimum of every HMAC algorithm
// (RFC 7518 §3.2).
var shortKey = mustHex("b1e05ae68a46931a3b66c8da5be0fbdb")

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// testKid is the kid written and required in every interop token. It is
// ASCII: node jsonwebtoken (through jws 4) reads and writes the JOSE header
// as latin1, so a non-ASCII kid does not survive it (see README.md).
const testKid = "key/2024+01"

const (
	testIssuer   = "https://issuer.example/ü"
	testAudience = "api"
)

// claimSet is the library-neutral description of a claims set. The dates
// are seconds since the epoch and may carry a fraction; 0 means absent.
type claimSet struct {
	name        string
	iss, sub    string
	jti         string
	aud         []string
	audAsString bool // aud written as a JSON string (len(aud) must be 1)
	exp         float64
	nbf         float64
	iat         float64
}

// fractional reports whether any date carries a fraction of a second.
func (c claimSet) fractional() bool {
	for _, d := range []float64{c.exp, c.nbf, c.iat} {
		if d != math.Trunc(d) {
			return true
		}
	}
	return false
}

// The private claims of every interop token: unicode member names, astral
// characters, U+2028/U+2029 (valid in JSON, line terminators in old
// JavaScript), HTML-sensitive characters, control characters, and a few
// non-string types.
const (
	privName = "Zoë 😀"
	privLS   = "line\u2028sep\u2029end"
	privHTML = `<&>"'\/`
	privCtl  = "tab\tnl\nnul\x00del\x7f"
)

func privateClaims() map[string]any {
	return map[string]any{
		"名前":    privName,
		"ls":    privLS,
		"html":  privHTML,
		"ctl":   privCtl,
		"admin": true,
		"n":     float64(42),
		"roles": []any{"reader", "wrïter"},
		"meta":  map[string]any{"ü": "ß", "e": "😀"},
	}
}

// privateStruct is privateClaims as a Go struct (used by the typed decoders,
// golang-jwt's struct claims and zerojwt).
type privateStruct struct {
	Name  string            `json:"名前"`
	LS    string            `json:"ls"`
	HTML  string            `json:"html"`
	Ctl   string            `json:"ctl"`
	Admin bool              `json:"admin"`
	N     int               `json:"n"`
	Roles []string          `json:"roles"`
	Meta  map[string]string `json:"meta"`
}

func wantPrivateStruct() privateStruct {
	return privateStruct{
		Name: privName, LS: privLS, HTML: privHTML, Ctl: privCtl, Admin: true, N: 42,
		Roles: []string{"reader", "wrïter"},
		Meta:  map[string]string{"ü": "ß", "e": "😀"},
	}
}

// asMap is the claims set in the encoding/json model (numbers float64,
// arrays []any): what a map-based decoder must return for it.
func (c claimSet) asMap() map[string]any {
	m := privateClaims()
	if c.iss != "" {
		m["iss"] = c.iss
	}
	if c.sub != "" {
		m["sub"] = c.sub
	}
	if c.jti != "" {
		m["jti"] = c.jti
	}
	if len(c.aud) > 0 {
		if c.audAsString {
			m["aud"] = c.aud[0]
		} else {
			a := make([]any, len(c.aud))
			for i, s := range c.aud {
				a[i] = s
			}
			m["aud"] = a
		}
	}
	for k, v := range map[string]float64{"exp": c.exp, "nbf": c.nbf, "iat": c.iat} {
		if v != 0 {
			m[k] = v
		}
	}
	return m
}

// payloadJSON is asMap marshalled (what node and the raw signers sign).
func (c claimSet) payloadJSON() []byte {
	b, err := json.Marshal(c.asMap())
	if err != nil {
		panic(err)
	}
	return b
}

// claimSets are the sets signed in both directions. zerojwt writes integer
// seconds only, so the fractional sets are only signed by the peers.
func claimSets() []claimSet {
	base := claimSet{
		iss: testIssuer, sub: "42", jti: "jti-ü-0001",
		exp: 1893456000, nbf: 1699999000, iat: 1699999990,
	}
	audString := base
	audString.name = "aud-string"
	audString.aud = []string{testAudience}
	audString.audAsString = true

	audArray := base
	audArray.name = "aud-array"
	audArray.aud = []string{testAudience, "wëb"}

	audArray1 := base
	audArray1.name = "aud-array-1"
	audArray1.aud = []string{testAudience}

	frac := audArray
	frac.name = "fractional-aud-array"
	frac.exp = 1893456000.5
	frac.nbf = 1699999000.25
	frac.iat = 1699999990.125

	fracString := audString
	fracString.name = "fractional-aud-string"
	fracString.exp = 1893456000.5
	fracString.nbf = 1699999000.75
	fracString.iat = 1699999999.9375

	return []claimSet{audString, audArray, audArray1, frac, fracString}
}

// secondsTime converts float seconds to a time.Time. The fractions used in
// the fixtures are binary fractions (.5, .25, .125, .75, .9375), so the
// conversion is exact whichever way a decoder parses the decimal text.
func secondsTime(s float64) time.Time {
	sec, frac := math.Modf(s)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9)))
}

// timeSeconds is the inverse of secondsTime.
func timeSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

// floorDates returns m with exp, nbf and iat floored to whole seconds: for
// decoders that truncate fractional NumericDates.
func floorDates(m map[string]any) map[string]any {
	m = maps.Clone(m)
	for _, k := range []string{"exp", "nbf", "iat"} {
		if f, ok := m[k].(float64); ok {
			m[k] = math.Floor(f)
		}
	}
	return m
}

// normalizeAud returns m with a string aud turned into a one-element array:
// for decoders that do not keep the JSON form of aud.
func normalizeAud(m map[string]any) map[string]any {
	m = maps.Clone(m)
	if s, ok := m["aud"].(string); ok {
		m["aud"] = []any{s}
	}
	return m
}

func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
