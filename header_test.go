package jwt_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
)

func TestDecodeHeaderJSON(t *testing.T) {
	runDecodeCases(t, []decodeCase{
		{name: "baseline", token: hdrTok(hdr256)},
		{name: "members reordered with CRLF", token: hdrTok("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}")},
		{name: "no typ", token: hdrTok(`{"alg":"HS256"}`)},
		{name: "surrounding whitespace", token: hdrTok(" \t{\"alg\":\"HS256\"}\n ")},
		{name: "cty string", token: hdrTok(`{"alg":"HS256","cty":"example"}`)},
		{name: "unknown members ignored", token: hdrTok(`{"alg":"HS256","x-custom":{"alg":"none","crit":["exp"]},"list":[1,"two",null]}`)},
		{name: "member names are case-sensitive (Crit, B64 unknown)", token: hdrTok(`{"alg":"HS256","Crit":["exp"],"B64":false}`)},
		{name: "escaped typ value", token: hdrTok(`{"alg":"HS256","typ":"J\u0057T"}`)},

		{name: "truncated", token: hdrTok(`{"alg":"HS256"`), err: jwt.ErrMalformed},
		{name: "trailing comma", token: hdrTok(`{"alg":"HS256",}`), err: jwt.ErrMalformed},
		{name: "unquoted name", token: hdrTok(`{alg:"HS256"}`), err: jwt.ErrMalformed},
		{name: "single quotes", token: hdrTok(`{'alg':'HS256'}`), err: jwt.ErrMalformed},
		{name: "trailing garbage", token: hdrTok(`{"alg":"HS256"}x`), err: jwt.ErrMalformed},
		{name: "two objects", token: hdrTok(`{"alg":"HS256"}{"alg":"HS256"}`), err: jwt.ErrMalformed},
		{name: "two objects with space", token: hdrTok(`{"alg":"HS256"} {}`), err: jwt.ErrMalformed},
		{name: "only whitespace", token: hdrTok(`   `), err: jwt.ErrMalformed},
		{name: "NUL byte", token: hdrTok("\x00"), err: jwt.ErrMalformed},
		{name: "raw control character in string", token: hdrTok("{\"alg\":\"HS256\",\"typ\":\"J\x01T\"}"), err: jwt.ErrMalformed},
		{name: "bad escape", token: hdrTok(`{"alg":"HS256","typ":"\x"}`), err: jwt.ErrMalformed},
		{name: "byte order mark", token: hdrTok("\ufeff{\"alg\":\"HS256\"}"), err: jwt.ErrMalformed},

		{name: "array", token: hdrTok(`["HS256"]`), err: jwt.ErrMalformed},
		{name: "empty array", token: hdrTok(`[]`), err: jwt.ErrMalformed},
		{name: "string", token: hdrTok(`"HS256"`), err: jwt.ErrMalformed},
		{name: "null", token: hdrTok(`null`), err: jwt.ErrMalformed},
		{name: "number", token: hdrTok(`256`), err: jwt.ErrMalformed},
		{name: "true", token: hdrTok(`true`), err: jwt.ErrMalformed},

		{name: "duplicate alg", token: hdrTok(`{"alg":"HS256","alg":"HS256"}`), err: jwt.ErrMalformed},
		{name: "duplicate alg none first", token: hdrTok(`{"alg":"none","alg":"HS256"}`), err: jwt.ErrMalformed},
		{name: "duplicate alg none last", token: hdrTok(`{"alg":"HS256","alg":"none"}`), err: jwt.ErrMalformed},
		{name: "duplicate alg escaped name", token: hdrTok(`{"alg":"HS256","\u0061lg":"HS256"}`), err: jwt.ErrMalformed},
		{name: "duplicate typ", token: hdrTok(`{"alg":"HS256","typ":"JWT","typ":"JWT"}`), err: jwt.ErrMalformed},
		{name: "duplicate unknown member", token: hdrTok(`{"alg":"HS256","x":1,"x":2}`), err: jwt.ErrMalformed},
		// Names equal under encoding/json's case folding count as the same name.
		{name: "alg and ALG", token: hdrTok(`{"alg":"HS256","ALG":"none"}`), err: jwt.ErrMalformed},
		{name: "kid and KID", token: hdrTok(`{"alg":"HS256","kid":"a","KID":"b"}`), err: jwt.ErrMalformed},
		{name: "typ and Typ", token: hdrTok(`{"alg":"HS256","Typ":"x","typ":"JWT"}`), err: jwt.ErrMalformed},
		{name: "crit and CRIT", token: hdrTok(`{"alg":"HS256","Crit":1,"CRIT":2}`), err: jwt.ErrMalformed},
		{name: "unknown names equal under folding (Kelvin sign)", token: hdrTok(`{"alg":"HS256","k":1,"K":2}`), err: jwt.ErrMalformed},
		{name: "nested names equal under folding", token: hdrTok(`{"alg":"HS256","x":{"a":1,"A":2}}`), err: jwt.ErrMalformed},

		{name: "invalid UTF-8 in value", token: hdrTok("{\"alg\":\"HS256\",\"typ\":\"JWT\xff\"}"), err: jwt.ErrMalformed},
		{name: "invalid UTF-8 in name", token: hdrTok("{\"alg\":\"HS256\",\"\xfe\":1}"), err: jwt.ErrMalformed},
		{name: "overlong UTF-8", token: hdrTok("{\"alg\":\"HS256\",\"typ\":\"\xc0\xaf\"}"), err: jwt.ErrMalformed},
		{name: "unpaired high surrogate", token: hdrTok(`{"alg":"HS256","typ":"\ud800"}`), err: jwt.ErrMalformed},
		{name: "unpaired low surrogate", token: hdrTok(`{"alg":"HS256","typ":"\udc00"}`), err: jwt.ErrMalformed},
		{name: "high surrogate then letter", token: hdrTok(`{"alg":"HS256","typ":"\ud800\u0041"}`), err: jwt.ErrMalformed},

		{name: "typ number", token: hdrTok(`{"alg":"HS256","typ":1}`), err: jwt.ErrMalformed},
		{name: "typ bool", token: hdrTok(`{"alg":"HS256","typ":true}`), err: jwt.ErrMalformed},
		{name: "typ null", token: hdrTok(`{"alg":"HS256","typ":null}`), err: jwt.ErrMalformed},
		{name: "typ array", token: hdrTok(`{"alg":"HS256","typ":["JWT"]}`), err: jwt.ErrMalformed},
		{name: "kid number", token: hdrTok(`{"alg":"HS256","kid":7}`), err: jwt.ErrMalformed},
		{name: "kid object", token: hdrTok(`{"alg":"HS256","kid":{}}`), err: jwt.ErrMalformed},
		{name: "cty number", token: hdrTok(`{"alg":"HS256","cty":1}`), err: jwt.ErrMalformed},
		{name: "cty array", token: hdrTok(`{"alg":"HS256","cty":[]}`), err: jwt.ErrMalformed},
	})
}

func TestDecodeHeaderAlgorithm(t *testing.T) {
	withAlg := func(alg string) string {
		b, _ := json.Marshal(alg)
		return `{"alg":` + string(b) + `,"typ":"JWT"}`
	}
	key512 := mustKey(t, jwt.HS512, secret512)
	key384 := mustKey(t, jwt.HS384, secret384)
	cases := []decodeCase{
		{name: "missing", token: hdrTok(`{"typ":"JWT"}`), err: jwt.ErrAlgorithm},
		{name: "empty object", token: hdrTok(`{}`), err: jwt.ErrAlgorithm},
		{name: "only upper-case ALG", token: hdrTok(`{"ALG":"HS256"}`), err: jwt.ErrAlgorithm},
		{name: "number", token: hdrTok(`{"alg":256}`), err: jwt.ErrMalformed},
		{name: "bool", token: hdrTok(`{"alg":true}`), err: jwt.ErrMalformed},
		{name: "null", token: hdrTok(`{"alg":null}`), err: jwt.ErrMalformed},
		{name: "array", token: hdrTok(`{"alg":["HS256"]}`), err: jwt.ErrMalformed},
		{name: "object", token: hdrTok(`{"alg":{"name":"HS256"}}`), err: jwt.ErrMalformed},
		// Valid MACs of the named algorithm over the same secret: the key decides.
		{name: "HS512 under HS256 key", token: craft("HS512", secret256, withAlg("HS512"), payloadOK), err: jwt.ErrAlgorithm},
		{name: "HS384 under HS256 key", token: craft("HS384", secret256, withAlg("HS384"), payloadOK), err: jwt.ErrAlgorithm},
		{name: "HS256 under HS512 key", key: key512, token: craft("HS256", secret512, withAlg("HS256"), payloadOK), err: jwt.ErrAlgorithm},
		{name: "HS512 under HS384 key", key: key384, token: craft("HS512", secret384, withAlg("HS512"), payloadOK), err: jwt.ErrAlgorithm},
		{name: "HS384 under HS384 key", key: key384, token: craft("HS384", secret384, withAlg("HS384"), payloadOK)},
		{name: "HS512 under HS512 key", key: key512, token: craft("HS512", secret512, withAlg("HS512"), payloadOK)},
		// A forged token with the wrong algorithm reports the algorithm only.
		{name: "RS256 forged", token: craft("HS256", secretOther, withAlg("RS256"), payloadOK), err: jwt.ErrAlgorithm},
	}
	for _, alg := range []string{
		"none", "None", "NONE", "nOnE", "none ", "",
		"RS256", "ES256", "PS256", "EdDSA", "HS384", "HS512",
		"hs256", "Hs256", "hS256", "HS256 ", " HS256", "HS256\x00", "HS2566", "HS25", "HMAC-SHA256", "HS256\u200b",
	} {
		cases = append(cases, decodeCase{name: fmt.Sprintf("alg %q", alg), token: hdrTok(withAlg(alg)), err: jwt.ErrAlgorithm})
	}
	runDecodeCases(t, cases)
}

func TestDecodeHeaderCritB64(t *testing.T) {
	var cases []decodeCase
	for _, v := range []string{`["exp"]`, `[]`, `["b64"]`, `null`, `"exp"`, `0`, `{}`, `true`} {
		cases = append(cases, decodeCase{name: "crit " + v, token: hdrTok(`{"alg":"HS256","crit":` + v + `}`), err: jwt.ErrMalformed})
	}
	for _, v := range []string{`false`, `true`, `null`, `"false"`} {
		cases = append(cases, decodeCase{name: "b64 " + v, token: hdrTok(`{"alg":"HS256","b64":` + v + `}`), err: jwt.ErrMalformed})
	}
	cases = append(cases,
		decodeCase{name: "crit with b64 (RFC 7797)", token: hdrTok(`{"alg":"HS256","b64":false,"crit":["b64"]}`), err: jwt.ErrMalformed},
		decodeCase{name: "crit before alg", token: hdrTok(`{"crit":["exp"],"alg":"HS256"}`), err: jwt.ErrMalformed},
	)
	runDecodeCases(t, cases)
}

func TestDecodeHeaderType(t *testing.T) {
	tokTyp := func(typ string) string {
		b, _ := json.Marshal(typ)
		return hdrTok(`{"alg":"HS256","typ":` + string(b) + `}`)
	}
	at := jwt.Expect{Type: "at+jwt"}
	plain := jwt.Expect{Type: "JWT"}
	cases := []decodeCase{
		{name: "at+jwt/exact", token: tokTyp("at+jwt"), want: at},
		{name: "at+jwt/upper case", token: tokTyp("AT+JWT"), want: at},
		{name: "at+jwt/mixed case", token: tokTyp("At+Jwt"), want: at},
		{name: "at+jwt/application prefix", token: tokTyp("application/at+jwt"), want: at},
		{name: "at+jwt/application prefix upper case", token: tokTyp("APPLICATION/AT+JWT"), want: at},
		{name: "at+jwt/application prefix mixed case", token: tokTyp("Application/at+JWT"), want: at},
		{name: "at+jwt/got JWT", token: tokTyp("JWT"), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/missing", token: hdrTok(`{"alg":"HS256"}`), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/empty", token: tokTyp(""), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/trailing space", token: tokTyp("at+jwt "), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/leading space", token: tokTyp(" at+jwt"), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/application JWT", token: tokTyp("application/JWT"), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/other prefix", token: tokTyp("text/at+jwt"), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/prefix without slash", token: tokTyp("applicationat+jwt"), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/prefix twice", token: tokTyp("application/application/at+jwt"), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/prefix only", token: tokTyp("application/"), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/refresh type", token: tokTyp("rt+jwt"), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/suffix", token: tokTyp("at+jwtx"), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/NUL", token: tokTyp("at+jwt\x00"), want: at, err: jwt.ErrTokenType},
		{name: "at+jwt/member name case", token: hdrTok(`{"alg":"HS256","TYP":"at+jwt"}`), want: at, err: jwt.ErrTokenType},
		{name: "JWT/exact", token: tokTyp("JWT"), want: plain},
		{name: "JWT/lower case", token: tokTyp("jwt"), want: plain},
		{name: "JWT/application prefix", token: tokTyp("application/jwt"), want: plain},
		{name: "JWT/got at+jwt", token: tokTyp("at+jwt"), want: plain, err: jwt.ErrTokenType},
		{name: "JWT/missing", token: hdrTok(`{"alg":"HS256"}`), want: plain, err: jwt.ErrTokenType},
		{name: "unchecked/any typ", token: tokTyp("something-else")},
		{name: "unchecked/no typ", token: hdrTok(`{"alg":"HS256"}`)},
		{name: "typ not a string even when unchecked", token: hdrTok(`{"alg":"HS256","typ":["at+jwt"]}`), err: jwt.ErrMalformed},
	}
	runDecodeCases(t, cases)
}

// headerMembers decodes a header segment token by token and returns every
// member, failing on duplicates (which json.Unmarshal would hide).
func headerMembers(t *testing.T, seg string) map[string]string {
	t.Helper()
	raw, err := base64.RawURLEncoding.Strict().DecodeString(seg)
	if err != nil {
		t.Fatalf("header segment: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("header %s is not an object", raw)
	}
	out := map[string]string{}
	for dec.More() {
		name, err := dec.Token()
		if err != nil {
			t.Fatalf("header %s: %v", raw, err)
		}
		var v string
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("header %s: member %v is not a string: %v", raw, name, err)
		}
		if _, dup := out[name.(string)]; dup {
			t.Errorf("header %s repeats member %q", raw, name)
		}
		out[name.(string)] = v
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		t.Fatalf("header %s does not end its object", raw)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Errorf("header %s has data after the object", raw)
	}
	return out
}

func TestEncodeEscapesHeader(t *testing.T) {
	claims := jwt.Claims{Subject: "s", ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))}
	for _, kid := range []string{
		`k1","alg":"none`,
		`k1\",\"alg\":\"none`,
		"k1\"}\x00{\"alg\":\"none",
		"line\nbreak\r\ttab",
		"\u2028\u2029<>&",
		`back\slash`,
		"ünïcødé 🔑",
		"\x01\x1f\x7f",
	} {
		t.Run(fmt.Sprintf("%q", kid), func(t *testing.T) {
			key := mustKey(t, jwt.HS256, secret256).WithKeyID(kid)
			tok, err := key.Encode(claims)
			if err != nil {
				t.Fatal(err)
			}
			s := segments(tok)
			if len(s) != 3 {
				t.Fatalf("token has %d segments", len(s))
			}
			members := headerMembers(t, s[0])
			if members["alg"] != "HS256" || members["kid"] != kid || members["typ"] != "JWT" || len(members) != 3 {
				t.Errorf("header members = %q", members)
			}
			h, _, err := jwt.InspectUnverified(tok)
			if err != nil || h.KeyID != kid || h.Algorithm != "HS256" {
				t.Errorf("InspectUnverified = %+v, %v", h, err)
			}
			if err := key.Decode(tok, nil, jwt.Expect{Now: clock(t0)}); err != nil {
				t.Errorf("Decode with the same key: %v", err)
			}
			set := mustKeySet(t, key, mustKey(t, jwt.HS256, secretOther).WithKeyID("k1"))
			if err := set.Decode(tok, nil, jwt.Expect{Now: clock(t0)}); err != nil {
				t.Errorf("KeySet.Decode: %v", err)
			}
		})
	}
	for _, typ := range []string{`at+jwt","alg":"none`, "x\"\\\n"} {
		key := mustKey(t, jwt.HS256, secret256).WithType(typ)
		tok, err := key.Encode(claims)
		if err != nil {
			t.Fatal(err)
		}
		members := headerMembers(t, segments(tok)[0])
		if members["alg"] != "HS256" || members["typ"] != typ || len(members) != 2 {
			t.Errorf("typ %q: header members = %q", typ, members)
		}
		if err := key.Decode(tok, nil, jwt.Expect{Now: clock(t0), Type: typ}); err != nil {
			t.Errorf("typ %q: Decode: %v", typ, err)
		}
	}
}
