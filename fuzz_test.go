package jwt_test

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
)

// rfcA1Token is RFC 7515 Appendix A.1 (and RFC 7519 §3.1), valid before
// 1300819380 under rfcA1Secret.
const rfcA1Token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

var fuzzNow = time.Unix(1_300_819_379, 0)

// fuzzSeeds returns valid tokens under rfcA1Secret (as HS256 and, with kid
// "k1", through a set) and mutations of each.
func fuzzSeeds(f *testing.F, key *jwt.Key) []string {
	f.Helper()
	exp := jwt.NewNumericDate(fuzzNow.Add(time.Hour))
	past := jwt.NewNumericDate(fuzzNow.Add(-time.Hour))
	valid := []string{rfcA1Token}
	for _, c := range []any{
		jwt.Claims{Issuer: "joe", ExpiresAt: exp},
		&testClaims{Claims: jwt.Claims{Issuer: "joe", Subject: "s", Audience: jwt.Audience{"api", "web"}, ExpiresAt: exp, NotBefore: past, IssuedAt: past, ID: "j"}, Name: "n", Admin: true, Count: 3},
		map[string]any{"iss": "joe", "exp": exp.Time().Unix(), "x": []any{1, "two", nil}},
	} {
		for _, k := range []*jwt.Key{key, key.WithKeyID("k1"), key.WithType("at+jwt")} {
			tok, err := k.Encode(c)
			if err != nil {
				f.Fatalf("Encode seed: %v", err)
			}
			valid = append(valid, tok)
		}
	}
	hdr := `{"alg":"HS256","typ":"JWT"}`
	for _, p := range []string{
		`{"iss":"joe","exp":1300819380.5}`,
		`{"iss":"joe","exp":1300819380,"aud":["api"],"nbf":1300819379,"iat":1e9}`,
		`{"iss":"j\u006fe","exp":13008193800e-1,"name":"\ud83d\ude00"}`,
		`{"exp":1300819380,"exp":1300819381}`,
		`{"iss":"joe","exp":1300819380,"ISS":"eve"}`,
		`{"iss":"joe","exp":1300819380,"x":{"ſ":1,"s":2}}`,
		`{"exp":"1300819380"}`,
		`{"exp":1e400}`,
		`[]`,
		`plain text`,
	} {
		valid = append(valid, craft("HS256", rfcA1Secret, hdr, p))
	}
	for _, h := range []string{
		`{"alg":"none"}`, `{"alg":"HS512"}`, `{"alg":"hs256"}`, `{"alg":"HS256","crit":[]}`,
		`{"alg":"HS256","b64":false}`, `{"alg":"HS256","alg":"HS256"}`, `{"alg":"HS256","kid":"k1"}`,
		`{"alg":"HS256","ALG":"none"}`, `{"alg":"HS256","kid":"k1","\u212aID":"k2"}`,
		`{"alg":"HS256","kid":"k2"}`, `{"alg":"HS256","typ":"application/AT+JWT"}`,
	} {
		valid = append(valid, craft("HS256", rfcA1Secret, h, `{"iss":"joe","exp":1300819380}`))
	}

	seeds := append([]string(nil), valid...)
	for _, tok := range valid {
		s := segments(tok)
		mid := len(tok) / 2
		seeds = append(seeds,
			tok+"=",
			s[0]+"."+s[1]+"."+s[2]+"==",
			s[0]+"=."+s[1]+"."+s[2],
			tok[:mid]+"\r\n"+tok[mid:],
			s[0]+"."+s[1]+"."+s[2][:10]+"\r\n"+s[2][10:],
			tok+".",
			"."+tok,
			tok+"."+s[2],
			s[0]+"."+s[1],
			s[0]+".."+s[2],
			s[0]+"."+s[1]+".",
			strings.Replace(tok, ".", "..", 1),
			strings.ReplaceAll(tok, ".", ""),
			tok[:len(tok)-1],
			tok[:len(tok)-1]+string(tok[len(tok)-1]^1),
			strings.ReplaceAll(strings.ReplaceAll(tok, "-", "+"), "_", "/"),
		)
		if nc, ok := nonCanonical(s[2]); ok {
			seeds = append(seeds, s[0]+"."+s[1]+"."+nc)
		}
	}
	return append(seeds, "", ".", "..", "...", strings.Repeat(".", 9000), strings.Repeat("A", 8193), "a.b.c", "e30.e30.e30")
}

// fuzzPolicies are the validation policies FuzzDecode checks each input under.
var fuzzPolicies = []jwt.Expect{
	{Now: clock(fuzzNow)},
	{Now: clock(fuzzNow), ExpiryOptional: true, Leeway: time.Hour},
	{Now: clock(fuzzNow), Issuer: "joe", Audience: []string{"api"}, Subject: "s", Type: "at+jwt", CheckIssuedAt: true},
}

// checkVerifiedToken asserts what a successful Decode implies, using only the
// standard library: exactly three segments, strict Base64URL, the header alg
// exactly alg, and a MAC that crypto/hmac agrees with.
func checkVerifiedToken(t *testing.T, token string, alg jwt.Algorithm, secret []byte) {
	t.Helper()
	if strings.ContainsAny(token, "\r\n") {
		t.Fatalf("accepted a token containing CR or LF: %q", token)
	}
	s := strings.Split(token, ".")
	if len(s) != 3 {
		t.Fatalf("accepted a token of %d segments: %q", len(s), token)
	}
	strict := base64.RawURLEncoding.Strict()
	sig, err := strict.DecodeString(s[2])
	if err != nil {
		t.Fatalf("accepted a signature that is not strict base64url: %q (%v)", s[2], err)
	}
	if want := macOf(string(alg), secret, s[0]+"."+s[1]); !hmac.Equal(sig, want) {
		t.Fatalf("accepted a token whose MAC crypto/hmac rejects: %q", token)
	}
	h, err := strict.DecodeString(s[0])
	if err != nil {
		t.Fatalf("accepted a header that is not strict base64url: %q", s[0])
	}
	var hdr map[string]any
	if err := json.Unmarshal(h, &hdr); err != nil {
		t.Fatalf("accepted a header that is not a JSON object: %q", h)
	}
	if hdr["alg"] != string(alg) {
		t.Fatalf("accepted header alg %#v under a %s key", hdr["alg"], alg)
	}
	for _, banned := range []string{"crit", "b64"} {
		if _, ok := hdr[banned]; ok {
			t.Fatalf("accepted a header with %q: %s", banned, h)
		}
	}
	p, err := strict.DecodeString(s[1])
	if err != nil {
		t.Fatalf("accepted a payload that is not strict base64url: %q", s[1])
	}
	if foldedTwins(h) || foldedTwins(p) {
		t.Fatalf("accepted members whose names are equal under case folding: %s.%s", h, p)
	}
}

// foldedTwins reports whether an object of the JSON text js has two members whose names are
// equal under case folding (strings.EqualFold, as encoding/json compares names).
func foldedTwins(js []byte) bool {
	dec := json.NewDecoder(strings.NewReader(string(js)))
	type level struct {
		object, key bool // an object, whose next token is a name
		names       []string
	}
	var stack []level
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		top := len(stack) - 1
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				if top >= 0 {
					stack[top].key = stack[top].object
				}
				stack = append(stack, level{object: d == '{', key: d == '{'})
			} else {
				stack = stack[:top]
			}
			continue
		}
		if top < 0 || !stack[top].object {
			continue
		}
		if name, ok := tok.(string); ok && stack[top].key {
			for _, n := range stack[top].names {
				if strings.EqualFold(n, name) {
					return true
				}
			}
			stack[top].names = append(stack[top].names, name)
			stack[top].key = false
			continue
		}
		stack[top].key = true
	}
}

// checkFuzzError asserts that err matches exactly one sentinel and follows
// the message rules.
func checkFuzzError(t *testing.T, err error, token string) {
	t.Helper()
	if hits := matchingSentinels(err); len(hits) != 1 {
		t.Fatalf("error %q matches sentinels %v, want exactly one", err, hits)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "jwt: ") {
		t.Fatalf("error %q does not start with \"jwt: \"", msg)
	}
	if len(token) >= 8 && strings.Contains(msg, token) {
		t.Fatalf("error %q contains the token", msg)
	}
	if strings.Contains(msg, string(rfcA1Secret)) || strings.Contains(msg, fmt.Sprintf("%x", rfcA1Secret[:12])) {
		t.Fatalf("error %q contains the secret", msg)
	}
}

func FuzzDecode(f *testing.F) {
	key := mustKey(f, jwt.HS256, rfcA1Secret)
	set := mustKeySet(f, key.WithKeyID("k1"), mustKey(f, jwt.HS512, secret512).WithKeyID("k2"))
	for _, s := range fuzzSeeds(f, key) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		for _, want := range fuzzPolicies {
			dst := prefilled()
			err := key.Decode(token, &dst, want)
			if err == nil {
				checkVerifiedToken(t, token, jwt.HS256, rfcA1Secret)
				if _, _, err := jwt.InspectUnverified(token); err != nil {
					t.Fatalf("Decode accepted what InspectUnverified rejects: %v", err)
				}
			} else {
				checkFuzzError(t, err, token)
				if !reflect.DeepEqual(dst, prefilled()) {
					t.Fatalf("struct destination changed after %v", err)
				}
			}

			m := prefilledMap()
			mErr := key.Decode(token, &m, want)
			if err == nil && mErr != nil {
				t.Fatalf("struct destination accepted what the map destination rejects: %v", mErr)
			}
			if mErr != nil {
				checkFuzzError(t, mErr, token)
				if !reflect.DeepEqual(m, prefilledMap()) {
					t.Fatalf("map destination changed after %v", mErr)
				}
			} else {
				checkVerifiedToken(t, token, jwt.HS256, rfcA1Secret)
			}

			nErr := key.Decode(token, nil, want)
			if (nErr == nil) != (mErr == nil) {
				t.Fatalf("nil and map destinations disagree: %v vs %v", nErr, mErr)
			}
			if nErr != nil {
				checkFuzzError(t, nErr, token)
			} else {
				checkVerifiedToken(t, token, jwt.HS256, rfcA1Secret)
			}

			sErr := set.Decode(token, nil, want)
			if sErr != nil {
				checkFuzzError(t, sErr, token)
			} else {
				h, _, err := jwt.InspectUnverified(token)
				switch {
				case err != nil:
					t.Fatalf("KeySet accepted what InspectUnverified rejects: %v", err)
				case h.KeyID == "k1":
					checkVerifiedToken(t, token, jwt.HS256, rfcA1Secret)
				case h.KeyID == "k2":
					checkVerifiedToken(t, token, jwt.HS512, secret512)
				default:
					t.Fatalf("KeySet accepted kid %q", h.KeyID)
				}
			}
		}
	})
}

func FuzzInspectUnverified(f *testing.F) {
	key := mustKey(f, jwt.HS256, rfcA1Secret)
	for _, s := range fuzzSeeds(f, key) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		h, payload, err := jwt.InspectUnverified(token)
		if err != nil {
			checkFuzzError(t, err, token)
			return
		}
		s := strings.Split(token, ".")
		if len(s) != 3 {
			t.Fatalf("InspectUnverified accepted %d segments: %q", len(s), token)
		}
		strict := base64.RawURLEncoding.Strict()
		if strings.ContainsAny(s[0]+s[1], "\r\n") {
			t.Fatalf("InspectUnverified accepted CR or LF: %q", token)
		}
		raw, err := strict.DecodeString(s[1])
		if err != nil || string(raw) != string(payload) {
			t.Fatalf("payload %q is not the strict decoding of %q (%v)", payload, s[1], err)
		}
		hb, err := strict.DecodeString(s[0])
		if err != nil {
			t.Fatalf("accepted header segment %q: %v", s[0], err)
		}
		var hdr map[string]any
		if err := json.Unmarshal(hb, &hdr); err != nil {
			t.Fatalf("accepted header %q that is not a JSON object: %v", hb, err)
		}
		for name, got := range map[string]string{"alg": h.Algorithm, "typ": h.Type, "kid": h.KeyID, "cty": h.ContentType} {
			if v, ok := hdr[name]; ok && v != got || !ok && got != "" {
				t.Fatalf("header %s: %s = %q, JSON says %#v", hb, name, got, v)
			}
		}
	})
}
