package jwt_test

// The attack suite: hostile tokens that Decode must refuse, each with the rule it breaks and
// the exact sentinel it must produce. Wherever the point of a row is that something other
// than the MAC is wrong, the token carries a correct MAC computed here with crypto/hmac over
// the exact header.payload text sent, so the rejection is proven to come from the check the
// row is about. Rows with a control token also prove that the same token without the
// defect is accepted.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
)

var (
	// attackSecret is the HS256 key every row is decoded with (and, with the ID "a", the
	// first key of the key set).
	attackSecret = []byte("zerojwt attack-suite secret: 0123456789abcdef")
	// attackSecretB is the HS512 key "b" of the key set.
	attackSecretB = []byte("zerojwt attack-suite second secret, HS512, 0123456789abcdef0123456789")
	// attackNow is the clock of every row.
	attackNow = time.Unix(1700000000, 0)
)

const (
	okHeader  = `{"alg":"HS256","typ":"JWT"}`
	okPayload = `{"sub":"42","exp":1700003600}`
	okExp     = `1700003600`
	okTimeNow = `1700000000`
)

// ---- token builders ----

// macSeg returns the base64url MAC of input under secret with the hash h.
func macSeg(h func() hash.Hash, secret []byte, input string) string {
	m := hmac.New(h, secret)
	m.Write([]byte(input))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// rawTok joins two segments, given as sent, and appends their correct HS256 MAC under
// attackSecret, computed over exactly "hseg.pseg".
func rawTok(hseg, pseg string) string {
	in := hseg + "." + pseg
	return in + "." + macSeg(sha256.New, attackSecret, in)
}

// tok builds a token from the raw header and payload JSON text, with a correct HS256 MAC.
func tok(header, payload string) string { return rawTok(b64(header), b64(payload)) }

// tokWith is tok with another hash and secret.
func tokWith(h func() hash.Hash, secret []byte, header, payload string) string {
	in := b64(header) + "." + b64(payload)
	return in + "." + macSeg(h, secret, in)
}

// claims builds a payload {"sub":"42",<members>} (no exp unless members has one).
func claims(members string) string { return `{"sub":"42",` + members + `}` }

// withExp builds a payload with a valid exp and the given extra members.
func withExp(members string) string { return `{"exp":` + okExp + `,` + members + `}` }

// misaligned pads JSON text with trailing white space until its length is 1 mod 3, so its
// base64url form has length 2 mod 4 and four unused trailing bits.
func misaligned(json string) string {
	for len(json)%3 != 1 {
		json += " "
	}
	return json
}

const b64URLAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// flipUnusedBit sets the lowest unused bit of the last character of a segment whose length
// is not a multiple of 4: the same bytes, spelled non-canonically (RFC 4648 §3.5).
func flipUnusedBit(seg string) string {
	if len(seg)%4 == 0 {
		panic("flipUnusedBit: segment has no unused bits")
	}
	i := strings.IndexByte(b64URLAlphabet, seg[len(seg)-1])
	if i < 0 || i&1 != 0 {
		panic("flipUnusedBit: last character is not canonical")
	}
	return seg[:len(seg)-1] + string(b64URLAlphabet[i|1])
}

// insertMid inserts s in the middle of seg.
func insertMid(seg, s string) string { return seg[:len(seg)/2] + s + seg[len(seg)/2:] }

// padded appends the '=' padding the standard encoding would use.
func padded(seg string) string {
	switch len(seg) % 4 {
	case 2:
		return seg + "=="
	case 3:
		return seg + "="
	}
	panic("padded: segment needs no padding")
}

// segContaining returns the base64url form of json, shifted by leading white space (valid
// JSON), chosen so that it contains c ('-' or '_').
func segContaining(json string, c byte) string {
	for i := 0; i < 6; i++ {
		if s := b64(strings.Repeat(" ", i) + json); strings.IndexByte(s, c) >= 0 {
			return s
		}
	}
	panic("segContaining: no shift yields " + string(c))
}

// toStd respells the URL-safe characters of seg in the standard alphabet (RFC 4648 §4).
func toStd(seg string) string {
	return strings.NewReplacer("-", "+", "_", "/").Replace(seg)
}

// stdTok returns a valid token and the same token with segment part (0, 1 or 2) respelled in
// the standard alphabet, where that segment contains c ('-' or '_'). The MAC is computed over
// the header.payload text as sent.
func stdTok(part int, c byte) (control, bad string) {
	const filler = `"x":"???>>>"` // "???" and ">>>" encode to "Pz8_" and "Pj4-" when aligned
	switch part {
	case 0:
		h := segContaining(`{"alg":"HS256",`+filler+`}`, c)
		p := b64(okPayload)
		return rawTok(h, p), rawTok(toStd(h), p)
	case 1:
		h := b64(okHeader)
		p := segContaining(withExp(filler), c)
		return rawTok(h, p), rawTok(h, toStd(p))
	}
	for n := 0; n < 10000; n++ {
		t := tok(okHeader, withExp(`"jti":"`+strconv.Itoa(n)+`"`))
		sig := t[strings.LastIndexByte(t, '.')+1:]
		if strings.IndexByte(sig, c) >= 0 {
			return t, t[:len(t)-len(sig)] + toStd(sig)
		}
	}
	panic("stdTok: no signature with " + string(c))
}

// splitTok returns the three segments of a token built here.
func splitTok(t string) (h, p, s string) {
	parts := strings.Split(t, ".")
	return parts[0], parts[1], parts[2]
}

// withSig replaces the signature segment of t.
func withSig(t, sig string) string {
	h, p, _ := splitTok(t)
	return h + "." + p + "." + sig
}

// deep returns n opening brackets then n closing ones.
func deep(open, close string, n int) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

// ---- decoders ----

type via int

const (
	viaKey    via = iota // the HS256 key without ID
	viaKidKey            // the HS256 key with ID "a"
	viaSet               // the key set {a: HS256, b: HS512}
)

func (v via) String() string { return [...]string{"Key", "Key(kid=a)", "KeySet"}[v] }

type attackKeys struct {
	plain, kidA, kidB *jwt.Key
	set               *jwt.KeySet
}

func newAttackKeys(t testing.TB) *attackKeys {
	t.Helper()
	a, err := jwt.NewKey(jwt.HS256, attackSecret)
	if err != nil {
		t.Fatal(err)
	}
	b, err := jwt.NewKey(jwt.HS512, attackSecretB)
	if err != nil {
		t.Fatal(err)
	}
	k := &attackKeys{plain: a, kidA: a.WithKeyID("a"), kidB: b.WithKeyID("b")}
	if k.set, err = jwt.NewKeySet(k.kidA, k.kidB); err != nil {
		t.Fatal(err)
	}
	return k
}

func (k *attackKeys) decode(v via, token string, dst any, want jwt.Expect) error {
	switch v {
	case viaKidKey:
		return k.kidA.Decode(token, dst, want)
	case viaSet:
		return k.set.Decode(token, dst, want)
	}
	return k.plain.Decode(token, dst, want)
}

// ---- destinations ----

type victim struct {
	jwt.Claims
	Name  string         `json:"name"`
	Admin bool           `json:"admin"`
	Tags  []string       `json:"tags"`
	Extra map[string]any `json:"extra"`
}

func prefilledVictim() victim {
	return victim{
		Claims: jwt.Claims{Issuer: "keep-iss", Subject: "keep-sub", Audience: jwt.Audience{"keep-aud"},
			ExpiresAt: jwt.NewNumericDate(time.Unix(1234567890, 0)), ID: "keep-jti"},
		Name: "keep", Admin: true, Tags: []string{"keep"}, Extra: map[string]any{"keep": 1.0},
	}
}

// ---- the table ----

type attackRow struct {
	name    string
	rule    string
	token   string
	want    error
	opt     jwt.Expect // Now defaults to attackNow
	via     via
	control string // when set, a token differing only by the defect, which must be accepted
}

func attackRows() []attackRow {
	var rows []attackRow
	add := func(name, rule, token string, want error) *attackRow {
		rows = append(rows, attackRow{name: name, rule: rule, token: token, want: want})
		return &rows[len(rows)-1]
	}
	big := jwt.Expect{MaxTokenSize: 1 << 20}
	ok := tok(okHeader, okPayload)
	okH, okP, okS := splitTok(ok)

	// -- alg: none, other algorithms, missing or non-string (RFC 8725 §3.1) --
	add("alg none, empty signature", "RFC 8725 §3.1; RFC 7518 §3.6",
		b64(`{"alg":"none","typ":"JWT"}`)+"."+b64(okPayload)+".", jwt.ErrMalformed)
	for _, none := range []string{"none", "None", "NONE", "nOnE", "noNe"} {
		add("alg "+none+" with valid HS256 MAC", "RFC 8725 §3.1; RFC 7518 §3.6",
			tok(`{"alg":"`+none+`","typ":"JWT"}`, okPayload), jwt.ErrAlgorithm)
	}
	add("alg none, MAC from HS256 key, no typ", "RFC 8725 §3.1",
		tok(`{"alg":"none"}`, okPayload), jwt.ErrAlgorithm)
	add("alg hs256 lower case", "RFC 7515 §4.1.1; RFC 7519 §7.3",
		tok(`{"alg":"hs256"}`, okPayload), jwt.ErrAlgorithm)
	add("alg HS256 with trailing space", "RFC 7515 §4.1.1; RFC 7519 §7.3",
		tok(`{"alg":"HS256 "}`, okPayload), jwt.ErrAlgorithm)
	add("alg HS256 with NUL", "RFC 7515 §4.1.1",
		tok(`{"alg":"HS256\u0000"}`, okPayload), jwt.ErrAlgorithm)
	add("alg HS384 under HS256 key (HS384 MAC)", "RFC 8725 §3.1",
		tokWith(sha512.New384, attackSecret, `{"alg":"HS384","typ":"JWT"}`, okPayload), jwt.ErrAlgorithm)
	add("alg HS512 under HS256 key (HS512 MAC)", "RFC 8725 §3.1",
		tokWith(sha512.New, attackSecret, `{"alg":"HS512","typ":"JWT"}`, okPayload), jwt.ErrAlgorithm)
	for _, alg := range []string{"RS256", "ES256", "PS256", "EdDSA"} {
		add("alg "+alg+" with HMAC signature", "RFC 8725 §3.1; CVE-2015-9235; CVE-2022-23541",
			tok(`{"alg":"`+alg+`","typ":"JWT"}`, okPayload), jwt.ErrAlgorithm)
	}
	add("alg missing", "RFC 7515 §4.1.1", tok(`{"typ":"JWT"}`, okPayload), jwt.ErrAlgorithm)
	add("alg missing, ALG upper case present", "RFC 7515 §4.1.1; RFC 7519 §7.3",
		tok(`{"ALG":"HS256"}`, okPayload), jwt.ErrAlgorithm)
	add("alg missing, empty header object", "RFC 7515 §4.1.1", tok(`{}`, okPayload), jwt.ErrAlgorithm)
	// A present alg of the wrong JSON type is a malformed header, like a non-string typ/kid/cty.
	add("alg null", "RFC 7515 §4.1.1", tok(`{"alg":null}`, okPayload), jwt.ErrMalformed)
	add("alg number", "RFC 7515 §4.1.1", tok(`{"alg":256}`, okPayload), jwt.ErrMalformed)
	add("alg array", "RFC 7515 §4.1.1", tok(`{"alg":["HS256"]}`, okPayload), jwt.ErrMalformed)
	add("alg object", "RFC 7515 §4.1.1", tok(`{"alg":{"HS256":true}}`, okPayload), jwt.ErrMalformed)
	add("alg bool", "RFC 7515 §4.1.1", tok(`{"alg":true}`, okPayload), jwt.ErrMalformed)

	// -- duplicate members (RFC 7515 §4, RFC 7519 §4) --
	add("header alg twice, none last", "RFC 7515 §4",
		tok(`{"alg":"HS256","alg":"none"}`, okPayload), jwt.ErrMalformed)
	add("header alg twice, none first", "RFC 7515 §4",
		tok(`{"alg":"none","alg":"HS256"}`, okPayload), jwt.ErrMalformed)
	add("header alg twice via \\u escape", "RFC 7515 §4; RFC 8259 §7",
		tok(`{"alg":"HS256","\u0061lg":"none"}`, okPayload), jwt.ErrMalformed)
	add("header kid twice", "RFC 7515 §4",
		tok(`{"alg":"HS256","kid":"a","kid":"b"}`, okPayload), jwt.ErrMalformed)
	add("header typ twice", "RFC 7515 §4",
		tok(`{"alg":"HS256","typ":"JWT","typ":"at+jwt"}`, okPayload), jwt.ErrMalformed)
	add("header unknown member twice", "RFC 7515 §4",
		tok(`{"alg":"HS256","x5u":"a","x5u":"b"}`, okPayload), jwt.ErrMalformed)
	add("claims exp twice (expired first)", "RFC 7519 §4",
		tok(okHeader, `{"sub":"42","exp":1,"exp":`+okExp+`}`), jwt.ErrMalformed)
	add("claims exp twice (expired last)", "RFC 7519 §4",
		tok(okHeader, `{"sub":"42","exp":`+okExp+`,"exp":1}`), jwt.ErrMalformed)
	add("claims sub twice", "RFC 7519 §4",
		tok(okHeader, withExp(`"sub":"42","sub":"admin"`)), jwt.ErrMalformed)
	add("claims sub twice via \\u escape", "RFC 7519 §4; RFC 8259 §7",
		tok(okHeader, withExp(`"sub":"42","\u0073ub":"admin"`)), jwt.ErrMalformed)
	add("claims exp twice via \\u escape", "RFC 7519 §4; RFC 8259 §7",
		tok(okHeader, `{"exp":`+okExp+`,"\u0065\u0078\u0070":1}`), jwt.ErrMalformed)
	add("claims private member twice", "RFC 7519 §4",
		tok(okHeader, withExp(`"name":"ann","name":"root"`)), jwt.ErrMalformed)
	add("claims admin twice", "RFC 7519 §4",
		tok(okHeader, withExp(`"admin":false,"admin":true`)), jwt.ErrMalformed)
	add("claims unknown member twice", "RFC 7519 §4",
		tok(okHeader, withExp(`"role":"user","role":"admin"`)), jwt.ErrMalformed)
	add("claims nested object member twice", "RFC 7519 §4; RFC 8259 §4",
		tok(okHeader, withExp(`"extra":{"role":"user","role":"admin"}`)), jwt.ErrMalformed)

	// -- crit and b64 (RFC 7515 §4.1.11, RFC 7797) --
	for _, crit := range []string{`["exp"]`, `[]`, `null`, `"exp"`, `["b64"]`} {
		add("crit "+crit, "RFC 7515 §4.1.11",
			tok(`{"alg":"HS256","crit":`+crit+`,"exp":1}`, okPayload), jwt.ErrMalformed)
	}
	add("b64 false", "RFC 7797 §3", tok(`{"alg":"HS256","b64":false,"crit":["b64"]}`, okPayload), jwt.ErrMalformed)
	add("b64 false without crit", "RFC 7797 §3", tok(`{"alg":"HS256","b64":false}`, okPayload), jwt.ErrMalformed)
	add("b64 true", "RFC 7797 §3", tok(`{"alg":"HS256","b64":true}`, okPayload), jwt.ErrMalformed)

	// -- segment structure (RFC 7515 §7.1, RFC 7519 §7.2) --
	add("two segments", "RFC 7519 §7.2", okH+"."+okP, jwt.ErrMalformed)
	add("one segment", "RFC 7519 §7.2", okH, jwt.ErrMalformed)
	add("empty token", "RFC 7519 §7.2", "", jwt.ErrMalformed)
	add("four segments", "RFC 7515 §7.1; RFC 7519 §7.2", ok+"."+okS, jwt.ErrMalformed)
	add("five segments (JWE shape)", "RFC 7516 §7.1; RFC 7519 §7.2", ok+".a.b", jwt.ErrMalformed)
	add("empty header segment", "RFC 7515 §7.1", "."+okP+"."+okS, jwt.ErrMalformed)
	add("empty payload segment, MAC over it", "RFC 7515 §7.1", rawTok(okH, ""), jwt.ErrMalformed)
	add("empty signature segment", "RFC 7515 §7.1; RFC 8725 §3.1", okH+"."+okP+".", jwt.ErrMalformed)
	add("only dots", "RFC 7515 §7.1", "..", jwt.ErrMalformed)
	add("trailing dot", "RFC 7515 §7.1", ok+".", jwt.ErrMalformed)
	add("leading dot", "RFC 7515 §7.1", "."+ok, jwt.ErrMalformed)
	add("trailing newline", "RFC 7515 §2", ok+"\n", jwt.ErrMalformed)
	add("trailing CRLF", "RFC 7515 §2", ok+"\r\n", jwt.ErrMalformed)
	add("trailing NUL", "RFC 7515 §2", ok+"\x00", jwt.ErrMalformed)
	add("NUL inside header segment, MAC over it", "RFC 7515 §2", rawTok(insertMid(okH, "\x00"), okP), jwt.ErrMalformed)
	add("Bearer prefix", "RFC 6750 §2.1; RFC 7515 §2", "Bearer "+ok, jwt.ErrMalformed)
	add("leading space", "RFC 7515 §2", " "+ok, jwt.ErrMalformed)
	add("trailing space", "RFC 7515 §2", ok+" ", jwt.ErrMalformed)
	add("space after a dot, MAC over it", "RFC 7515 §2", rawTok(okH, " "+okP), jwt.ErrMalformed)

	// -- base64url strictness in each segment (RFC 7515 §2, RFC 4648 §3.5/§5) --
	{
		h := b64(misaligned(okHeader))
		p := b64(misaligned(okPayload))
		r := add("header: '=' padding", "RFC 7515 §2; RFC 4648 §3.2", rawTok(padded(h), okP), jwt.ErrMalformed)
		r.control = rawTok(h, okP)
		r = add("payload: '=' padding", "RFC 7515 §2; RFC 4648 §3.2", rawTok(okH, padded(p)), jwt.ErrMalformed)
		r.control = rawTok(okH, p)
		r = add("signature: '=' padding", "RFC 7515 §2; RFC 4648 §3.2", withSig(ok, padded(okS)), jwt.ErrMalformed)
		r.control = ok

		r = add("header: non-canonical trailing bits", "RFC 4648 §3.5; RFC 7515 §2", rawTok(flipUnusedBit(h), okP), jwt.ErrMalformed)
		r.control = rawTok(h, okP)
		r = add("payload: non-canonical trailing bits", "RFC 4648 §3.5; RFC 7515 §2", rawTok(okH, flipUnusedBit(p)), jwt.ErrMalformed)
		r.control = rawTok(okH, p)
		r = add("signature: non-canonical trailing bits", "RFC 4648 §3.5; RFC 7515 §2", withSig(ok, flipUnusedBit(okS)), jwt.ErrMalformed)
		r.control = ok
		add("signature: impossible length (4n+1)", "RFC 4648 §5; RFC 7515 §2", withSig(ok, okS+"AA"), jwt.ErrMalformed)
		add("header: impossible length (4n+1), MAC over it", "RFC 4648 §5; RFC 7515 §2", rawTok(b64(okHeader)+"A", okP), jwt.ErrMalformed)
	}
	for i, part := range []string{"header", "payload", "signature"} {
		for _, c := range []byte{'-', '_'} {
			control, bad := stdTok(i, c)
			std := map[byte]string{'-': "'+'", '_': "'/'"}[c]
			r := add(part+": standard alphabet "+std, "RFC 7515 §2; RFC 4648 §5", bad, jwt.ErrMalformed)
			r.control = control
		}
	}
	for _, ws := range []struct{ name, s string }{{"space", " "}, {"tab", "\t"}, {"CRLF", "\r\n"}, {"LF", "\n"}, {"CR", "\r"}} {
		add("header: "+ws.name+" inside, MAC over it", "RFC 7515 §2", rawTok(insertMid(okH, ws.s), okP), jwt.ErrMalformed)
		add("payload: "+ws.name+" inside, MAC over it", "RFC 7515 §2", rawTok(okH, insertMid(okP, ws.s)), jwt.ErrMalformed)
		add("signature: "+ws.name+" inside", "RFC 7515 §2", withSig(ok, insertMid(okS, ws.s)), jwt.ErrMalformed)
	}

	// -- header and payload JSON (RFC 7519 §7.2, RFC 8259) --
	for _, v := range []string{`["alg","HS256"]`, `"HS256"`, `256`, `null`, `true`, ``, ` `} {
		add("header not an object: "+strconv.Quote(v), "RFC 7515 §4; RFC 7519 §7.2", tok(v, okPayload), jwt.ErrMalformed)
	}
	for _, v := range []string{`[` + okPayload + `]`, `"` + okExp + `"`, okExp, `null`, `false`} {
		add("payload not an object: "+strconv.Quote(v), "RFC 7519 §7.2 step 10", tok(okHeader, v), jwt.ErrMalformed)
	}
	add("header trailing garbage", "RFC 8259 §2", tok(okHeader+"x", okPayload), jwt.ErrMalformed)
	add("header followed by a second object", "RFC 8259 §2", tok(okHeader+`{"alg":"none"}`, okPayload), jwt.ErrMalformed)
	add("header trailing NUL", "RFC 8259 §2", tok(okHeader+"\x00", okPayload), jwt.ErrMalformed)
	add("header truncated", "RFC 8259 §2", tok(`{"alg":"HS256"`, okPayload), jwt.ErrMalformed)
	add("header trailing comma", "RFC 8259 §4", tok(`{"alg":"HS256",}`, okPayload), jwt.ErrMalformed)
	add("header single-quoted", "RFC 8259 §7", tok(`{'alg':'HS256'}`, okPayload), jwt.ErrMalformed)
	add("payload trailing garbage", "RFC 8259 §2", tok(okHeader, okPayload+"}"), jwt.ErrMalformed)
	add("payload followed by a second object", "RFC 8259 §2", tok(okHeader, okPayload+`{"sub":"admin"}`), jwt.ErrMalformed)
	add("payload trailing number", "RFC 8259 §2", tok(okHeader, okPayload+" 1"), jwt.ErrMalformed)
	add("payload with comment", "RFC 8259 §2", tok(okHeader, `{"exp":`+okExp+` /* c */}`), jwt.ErrMalformed)
	add("payload number with leading zero", "RFC 8259 §6", tok(okHeader, `{"exp":0`+okExp+`}`), jwt.ErrMalformed)
	add("header UTF-8 BOM", "RFC 8259 §8.1", tok("\xef\xbb\xbf"+okHeader, okPayload), jwt.ErrMalformed)
	add("payload UTF-8 BOM", "RFC 8259 §8.1", tok(okHeader, "\xef\xbb\xbf"+okPayload), jwt.ErrMalformed)
	add("header invalid UTF-8 in value", "RFC 8259 §8.1; RFC 8725 §3.7", tok(`{"alg":"HS256","x":"a\xff"}`, okPayload), jwt.ErrMalformed)
	add("header invalid UTF-8 in kid", "RFC 8259 §8.1; RFC 8725 §3.7", tok(`{"alg":"HS256","kid":"\xc3"}`, okPayload), jwt.ErrMalformed)
	add("payload invalid UTF-8 in sub", "RFC 8259 §8.1; RFC 8725 §3.7", tok(okHeader, withExp(`"sub":"a\xff"`)), jwt.ErrMalformed)
	add("payload invalid UTF-8 in name", "RFC 8259 §8.1; RFC 8725 §3.7", tok(okHeader, withExp("\"n\xfeme\":1")), jwt.ErrMalformed)
	add("payload overlong UTF-8 '/'", "RFC 3629 §3; RFC 8259 §8.1", tok(okHeader, withExp("\"sub\":\"\xc0\xaf\"")), jwt.ErrMalformed)
	add("payload UTF-8-encoded surrogate (CESU-8)", "RFC 3629 §3; RFC 8259 §8.1", tok(okHeader, withExp("\"name\":\"\xed\xa0\x80\"")), jwt.ErrMalformed)
	add("header unpaired high surrogate", "RFC 7493 §2.1; RFC 8259 §8.2", tok(`{"alg":"HS256","x":"\ud800"}`, okPayload), jwt.ErrMalformed)
	add("payload unpaired high surrogate in sub", "RFC 7493 §2.1; RFC 8259 §8.2", tok(okHeader, withExp(`"sub":"\ud800"`)), jwt.ErrMalformed)
	add("payload unpaired low surrogate in name", "RFC 7493 §2.1; RFC 8259 §8.2", tok(okHeader, withExp(`"name":"x\udc00"`)), jwt.ErrMalformed)
	add("payload high surrogate then non-surrogate", "RFC 7493 §2.1; RFC 8259 §8.2", tok(okHeader, withExp(`"name":"\ud800\u0041"`)), jwt.ErrMalformed)
	add("payload unpaired surrogate in member name", "RFC 7493 §2.1; RFC 8259 §8.2", tok(okHeader, withExp(`"\udfff":1`)), jwt.ErrMalformed)
	add("payload raw control character in string", "RFC 8259 §7", tok(okHeader, withExp("\"sub\":\"a\x01\"")), jwt.ErrMalformed)
	add("payload invalid escape", "RFC 8259 §7", tok(okHeader, withExp(`"sub":"\x41"`)), jwt.ErrMalformed)
	{
		r := add("header nested 10 000 arrays", "RFC 8259 §9", tok(`{"alg":"HS256","x":`+deep("[", "]", 10000)+`}`, okPayload), jwt.ErrMalformed)
		r.opt = big
		r = add("header nested 10 000 objects", "RFC 8259 §9", tok(`{"alg":"HS256","x":`+strings.Repeat(`{"a":`, 10000)+"1"+strings.Repeat("}", 10000)+`}`, okPayload), jwt.ErrMalformed)
		r.opt = big
		r = add("payload nested 10 000 arrays", "RFC 8259 §9", tok(okHeader, withExp(`"x":`+deep("[", "]", 10000))), jwt.ErrMalformed)
		r.opt = big
		r = add("payload nested 10 000 objects in map field", "RFC 8259 §9", tok(okHeader, withExp(`"extra":`+strings.Repeat(`{"a":`, 10000)+"1"+strings.Repeat("}", 10000))), jwt.ErrMalformed)
		r.opt = big
		r = add("payload top level nested 10 000 arrays", "RFC 8259 §9; RFC 7519 §7.2", tok(okHeader, deep("[", "]", 10000)), jwt.ErrMalformed)
		r.opt = big
	}

	// -- NumericDates (RFC 7519 §2, §4.1.4-§4.1.6) --
	for _, d := range []struct{ claim, rule string }{{"exp", "RFC 7519 §4.1.4"}, {"nbf", "RFC 7519 §4.1.5"}, {"iat", "RFC 7519 §4.1.6"}} {
		for _, v := range []string{`"` + okExp + `"`, `"2030-01-01T00:00:00Z"`, `true`, `null`, `-1`, `-0.5`, `1e19`, `9.3e18`, `1e400`, `[` + okExp + `]`, `{}`} {
			p := `{"sub":"42","` + d.claim + `":` + v + `}`
			if d.claim != "exp" {
				p = withExp(`"` + d.claim + `":` + v)
			}
			r := add(d.claim+" = "+v, d.rule+"; RFC 7519 §2 NumericDate", tok(okHeader, p), jwt.ErrMalformed)
			r.opt.CheckIssuedAt = true
		}
	}
	{
		r := add("exp = 0 (epoch: expired, not absent)", "RFC 7519 §4.1.4", tok(okHeader, claims(`"exp":0`)), jwt.ErrExpired)
		r.control = tok(okHeader, okPayload)
		add("exp = 0.0", "RFC 7519 §4.1.4", tok(okHeader, claims(`"exp":0.0`)), jwt.ErrExpired)
		add("exp = 1e-400 (underflows to 0)", "RFC 7519 §4.1.4", tok(okHeader, claims(`"exp":1e-400`)), jwt.ErrExpired)
		r = add("exp = now - 1ns", "RFC 7519 §4.1.4", tok(okHeader, claims(`"exp":1699999999.999999999`)), jwt.ErrExpired)
		r.control = tok(okHeader, claims(`"exp":1700000000.000000001`))
		add("exp = now exactly", "RFC 7519 §4.1.4", tok(okHeader, claims(`"exp":`+okTimeNow)), jwt.ErrExpired)
		add("exp = now - 1ns as exponent form", "RFC 7519 §4.1.4", tok(okHeader, claims(`"exp":1.699999999999999999e9`)), jwt.ErrExpired)
		r = add("exp = now - 31s, leeway 30s", "RFC 7519 §4.1.4", tok(okHeader, claims(`"exp":1699999969`)), jwt.ErrExpired)
		r.opt.Leeway = 30 * time.Second
		r.control = tok(okHeader, claims(`"exp":1699999971`))
		r = add("nbf = now + 0.5s", "RFC 7519 §4.1.5", tok(okHeader, withExp(`"nbf":1700000000.5`)), jwt.ErrNotYetValid)
		r.control = tok(okHeader, withExp(`"nbf":`+okTimeNow))
		add("nbf = now + 1ns", "RFC 7519 §4.1.5", tok(okHeader, withExp(`"nbf":1700000000.000000001`)), jwt.ErrNotYetValid)
		r = add("iat = now + 0.5s, iat checked", "RFC 7519 §4.1.6", tok(okHeader, withExp(`"iat":1700000000.5`)), jwt.ErrIssuedInFuture)
		r.opt.CheckIssuedAt = true
		r.control = tok(okHeader, withExp(`"iat":`+okTimeNow))
		add("exp absent (required by default)", "RFC 8725 §3.10; RFC 7519 §4.1.4", tok(okHeader, `{"sub":"42"}`), jwt.ErrMissingClaim)
	}

	// -- case-variant claim names (RFC 7519 §7.3: names compare exactly) --
	for _, name := range []string{"EXP", "Exp", "eXp", "exp "} {
		add(`"`+name+`" is not exp`, "RFC 7519 §7.3; RFC 7519 §4.1.4", tok(okHeader, `{"sub":"42","`+name+`":`+okExp+`}`), jwt.ErrMissingClaim)
	}
	{
		r := add(`"ISS" is not iss`, "RFC 7519 §7.3; RFC 7519 §4.1.1", tok(okHeader, withExp(`"ISS":"idp"`)), jwt.ErrMissingClaim)
		r.opt.Issuer = "idp"
		r.control = tok(okHeader, withExp(`"iss":"idp"`))
		r = add(`"Aud" is not aud`, "RFC 7519 §7.3; RFC 7519 §4.1.3", tok(okHeader, withExp(`"Aud":"api"`)), jwt.ErrMissingClaim)
		r.opt.Audience = []string{"api"}
		r.control = tok(okHeader, withExp(`"aud":"api"`))
		r = add(`"SUB" is not sub`, "RFC 7519 §7.3; RFC 7519 §4.1.2", tok(okHeader, `{"exp":`+okExp+`,"SUB":"42"}`), jwt.ErrMissingClaim)
		r.opt.Subject = "42"
	}

	// -- aud, iss, sub, jti types (RFC 7519 §4.1.1-§4.1.3, §4.1.7; CVE-2020-26160) --
	for _, v := range []string{`1`, `{"api":true}`, `["api",1]`, `[null]`, `[["api"]]`, `true`, `null`, `["api",{}]`} {
		r := add("aud = "+v, "RFC 7519 §4.1.3; CVE-2020-26160", tok(okHeader, withExp(`"aud":`+v)), jwt.ErrMalformed)
		r.opt.Audience = []string{"api"}
	}
	{
		r := add("aud = [] with audience expected", "RFC 7519 §4.1.3; CVE-2020-26160", tok(okHeader, withExp(`"aud":[]`)), jwt.ErrMissingClaim)
		r.opt.Audience = []string{"api"}
		r.control = tok(okHeader, withExp(`"aud":["api"]`))
		r = add("aud = [\"other\"] with audience expected", "RFC 7519 §4.1.3; CVE-2020-26160", tok(okHeader, withExp(`"aud":["other"]`)), jwt.ErrAudience)
		r.opt.Audience = []string{"api"}
		r = add("aud = \"API\" (case) with api expected", "RFC 7519 §4.1.3; RFC 7519 §7.3", tok(okHeader, withExp(`"aud":"API"`)), jwt.ErrAudience)
		r.opt.Audience = []string{"api"}
		r = add("aud absent with audience expected", "RFC 7519 §4.1.3", tok(okHeader, okPayload), jwt.ErrMissingClaim)
		r.opt.Audience = []string{"api"}
	}
	for _, c := range []struct{ claim, rule string }{{"iss", "RFC 7519 §4.1.1"}, {"sub", "RFC 7519 §4.1.2"}, {"jti", "RFC 7519 §4.1.7"}} {
		for _, v := range []string{`42`, `["idp"]`, `{"a":"b"}`, `true`, `null`} {
			add(c.claim+" = "+v, c.rule, tok(okHeader, `{"exp":`+okExp+`,"`+c.claim+`":`+v+`}`), jwt.ErrMalformed)
		}
	}
	{
		r := add("iss mismatch", "RFC 7519 §4.1.1", tok(okHeader, withExp(`"iss":"evil"`)), jwt.ErrIssuer)
		r.opt.Issuer = "idp"
		r = add("sub mismatch", "RFC 7519 §4.1.2", tok(okHeader, withExp(`"sub":"43"`)), jwt.ErrSubject)
		r.opt.Subject = "42"
		r = add("sub with NUL suffix", "RFC 7519 §4.1.2; RFC 7519 §7.3", tok(okHeader, `{"exp":`+okExp+`,"sub":"42\u0000"}`), jwt.ErrSubject)
		r.opt.Subject = "42"
	}

	// -- other header members of the wrong type, typ confusion (RFC 7515 §4.1, RFC 8725 §3.11) --
	add("typ number", "RFC 7515 §4.1.9", tok(`{"alg":"HS256","typ":1}`, okPayload), jwt.ErrMalformed)
	add("kid number", "RFC 7515 §4.1.4", tok(`{"alg":"HS256","kid":1}`, okPayload), jwt.ErrMalformed)
	add("cty array", "RFC 7515 §4.1.10", tok(`{"alg":"HS256","cty":["JWT"]}`, okPayload), jwt.ErrMalformed)
	{
		r := add("typ refresh+jwt where JWT expected", "RFC 8725 §3.11", tok(`{"alg":"HS256","typ":"refresh+jwt"}`, okPayload), jwt.ErrTokenType)
		r.opt.Type = "JWT"
		r.control = tok(`{"alg":"HS256","typ":"application/jwt"}`, okPayload)
		r = add("typ absent where at+jwt expected", "RFC 8725 §3.11; RFC 9068 §2.1", tok(`{"alg":"HS256"}`, okPayload), jwt.ErrTokenType)
		r.opt.Type = "at+jwt"
	}

	// -- signature (RFC 7515 §5.2; CVE-2024-51744: a forged token is never "just expired") --
	{
		expired := tok(okHeader, claims(`"exp":1`))
		_, _, s := splitTok(expired)
		flipped := s[:10] + "A" + s[11:]
		if s[10] == 'A' {
			flipped = s[:10] + "B" + s[11:]
		}
		add("forged MAC on expired token", "CVE-2024-51744; RFC 7515 §5.2", withSig(expired, flipped), jwt.ErrSignature)
		add("MAC by another secret", "RFC 7515 §5.2; RFC 7518 §3.2",
			tokWith(sha256.New, []byte("another secret of thirty-two bytes!!"), okHeader, okPayload), jwt.ErrSignature)
		raw, _ := base64.RawURLEncoding.DecodeString(okS)
		add("MAC truncated to 16 bytes", "RFC 7518 §3.2", withSig(ok, base64.RawURLEncoding.EncodeToString(raw[:16])), jwt.ErrSignature)
		add("MAC with an extra byte", "RFC 7518 §3.2", withSig(ok, base64.RawURLEncoding.EncodeToString(append(raw, 0))), jwt.ErrSignature)
		add("HS512-sized MAC under HS256", "RFC 7518 §3.2",
			withSig(ok, macSeg(sha512.New, attackSecret, okH+"."+okP)), jwt.ErrSignature)
		add("payload swapped (admin), old MAC", "RFC 7515 §5.2",
			okH+"."+b64(withExp(`"sub":"42","admin":true`))+"."+okS, jwt.ErrSignature)
		add("MAC over the decoded JSON, not the segments", "RFC 7515 §5.1 step 5",
			withSig(ok, macSeg(sha256.New, attackSecret, okHeader+"."+okPayload)), jwt.ErrSignature)
		add("MAC keyed with the base64 of the secret", "RFC 7518 §3.2; CVE-2015-9235",
			tokWith(sha256.New, []byte(base64.RawURLEncoding.EncodeToString(attackSecret)), okHeader, okPayload), jwt.ErrSignature)
	}

	// -- key set and key ID (RFC 7515 §4.1.4, RFC 8725 §3.10) --
	kidRow := func(name, rule, header string, h func() hash.Hash, secret []byte, want error) *attackRow {
		r := add("KeySet: "+name, rule, tokWith(h, secret, header, okPayload), want)
		r.via = viaSet
		return r
	}
	{
		r := kidRow("kid b with b's alg, MAC by key a's secret", "RFC 8725 §3.1; RFC 7515 §4.1.4",
			`{"alg":"HS512","kid":"b"}`, sha512.New, attackSecret, jwt.ErrSignature)
		r.control = tokWith(sha512.New, attackSecretB, `{"alg":"HS512","kid":"b"}`, okPayload)
		kidRow("kid b with a's alg, MAC by key a", "RFC 8725 §3.1", `{"alg":"HS256","kid":"b"}`, sha256.New, attackSecret, jwt.ErrAlgorithm)
		kidRow("kid a with b's alg, MAC by key b", "RFC 8725 §3.1", `{"alg":"HS512","kid":"a"}`, sha512.New, attackSecretB, jwt.ErrAlgorithm)
		kidRow("kid a with alg none", "RFC 8725 §3.1", `{"alg":"none","kid":"a"}`, sha256.New, attackSecret, jwt.ErrAlgorithm)
		r = kidRow("kid missing", "RFC 7515 §4.1.4", `{"alg":"HS256"}`, sha256.New, attackSecret, jwt.ErrUnknownKey)
		r.control = tok(`{"alg":"HS256","kid":"a"}`, okPayload)
		for _, kid := range []string{"", "A", "a ", " a", "../../../../dev/null", "a' OR '1'='1", `a\u0000`, "a;DROP TABLE keys", "%61", `*`, `\u0061\u0000`} {
			kidRow("kid "+strconv.Quote(kid), "RFC 8725 §3.10; RFC 7515 §4.1.4",
				`{"alg":"HS256","kid":"`+kid+`"}`, sha256.New, attackSecret, jwt.ErrUnknownKey)
		}
		kidRow("KID upper case only", "RFC 7515 §4.1.4; RFC 7519 §7.3", `{"alg":"HS256","KID":"a"}`, sha256.New, attackSecret, jwt.ErrUnknownKey)
		kidRow("kid null", "RFC 7515 §4.1.4", `{"alg":"HS256","kid":null}`, sha256.New, attackSecret, jwt.ErrMalformed)
		kidRow("kid array", "RFC 7515 §4.1.4", `{"alg":"HS256","kid":["a"]}`, sha256.New, attackSecret, jwt.ErrMalformed)
		kidRow("kid twice (b then a)", "RFC 7515 §4", `{"alg":"HS256","kid":"b","kid":"a"}`, sha256.New, attackSecret, jwt.ErrMalformed)
		kidRow("kid object injection", "RFC 8725 §3.10", `{"alg":"HS256","kid":{"$ne":""}}`, sha256.New, attackSecret, jwt.ErrMalformed)

		r = add("Key(kid=a): kid b", "RFC 7515 §4.1.4", tok(`{"alg":"HS256","kid":"b"}`, okPayload), jwt.ErrUnknownKey)
		r.via = viaKidKey
		r.control = tok(`{"alg":"HS256","kid":"a"}`, okPayload)
	}
	return rows
}

// ---- assertions ----

// leaks lists what no error text may contain.
func leaks(token string) []string {
	var out []string
	for _, s := range [][]byte{attackSecret, attackSecretB} {
		out = append(out, string(s), hex.EncodeToString(s), base64.RawURLEncoding.EncodeToString(s), base64.StdEncoding.EncodeToString(s))
	}
	if len(token) >= 8 {
		out = append(out, token)
	}
	for _, seg := range strings.Split(token, ".") {
		if len(seg) >= 16 {
			out = append(out, seg)
		}
	}
	return out
}

// checkErr asserts that err matches want and no other sentinel, and leaks nothing.
func checkAttackErr(t *testing.T, what string, err, want error, token string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: accepted; want %v", what, want)
		return
	}
	if !errors.Is(err, want) {
		t.Errorf("%s: got %q; want %v", what, err, want)
		return
	}
	for _, s := range sentinels {
		if s.err != want && errors.Is(err, s.err) {
			t.Errorf("%s: error %q also matches %s", what, err, s.name)
		}
	}
	msg := err.Error()
	for _, l := range leaks(token) {
		if strings.Contains(msg, l) {
			t.Errorf("%s: error text %q contains the token, a segment or a secret", what, msg)
			break
		}
	}
}

func TestAttackTable(t *testing.T) {
	keys := newAttackKeys(t)
	rows := attackRows()
	if len(rows) < 60 {
		t.Fatalf("only %d rows", len(rows))
	}
	t.Logf("%d hostile tokens", len(rows))
	names := map[string]bool{}
	for _, r := range rows {
		if names[r.name] {
			t.Fatalf("duplicate row name %q", r.name)
		}
		names[r.name] = true
		t.Run(r.name, func(t *testing.T) {
			if r.rule == "" || r.want == nil {
				t.Fatal("row without rule or expected sentinel")
			}
			opt := r.opt
			if opt.Now == nil {
				opt.Now = func() time.Time { return attackNow }
			}
			if r.control != "" {
				if err := keys.decode(r.via, r.control, nil, opt); err != nil {
					t.Fatalf("control token rejected (%v): the row does not isolate its defect", err)
				}
			}
			where := func(dst string) string {
				return dst + " via " + r.via.String() + " [" + r.rule + "] token " + strconv.Quote(short(r.token))
			}

			s := prefilledVictim()
			checkAttackErr(t, where("struct"), keys.decode(r.via, r.token, &s, opt), r.want, r.token)
			if !reflect.DeepEqual(s, prefilledVictim()) {
				t.Errorf("struct destination modified: %+v", s)
			}

			m := map[string]any{"keep": "me"}
			checkAttackErr(t, where("map"), keys.decode(r.via, r.token, &m, opt), r.want, r.token)
			if !reflect.DeepEqual(m, map[string]any{"keep": "me"}) {
				t.Errorf("map destination modified: %v", m)
			}

			var a any = "keep"
			checkAttackErr(t, where("interface"), keys.decode(r.via, r.token, &a, opt), r.want, r.token)
			if a != "keep" {
				t.Errorf("interface destination modified: %v", a)
			}

			checkAttackErr(t, where("nil"), keys.decode(r.via, r.token, nil, opt), r.want, r.token)
		})
	}
}

// short abbreviates a token for failure messages.
func short(s string) string {
	if len(s) > 200 {
		return s[:200] + "...(" + strconv.Itoa(len(s)) + " bytes)"
	}
	return s
}

// TestAttackControls proves the builders produce tokens the core accepts, so that a row
// built with them is rejected for its defect and not for a bad MAC.
func TestAttackControls(t *testing.T) {
	keys := newAttackKeys(t)
	opt := jwt.Expect{Now: func() time.Time { return attackNow }}
	var s victim
	for _, c := range []struct {
		v     via
		token string
	}{
		{viaKey, tok(okHeader, okPayload)},
		{viaKey, rawTok(b64(okHeader), b64(okPayload))},
		{viaKey, tok(`{"alg":"HS256","x":"???>>>"}`, withExp(`"name":"ann","admin":true,"tags":["x"],"extra":{"a":1}`))},
		{viaKidKey, tok(`{"alg":"HS256","kid":"a"}`, okPayload)},
		{viaKidKey, tok(`{"alg":"HS256"}`, okPayload)}, // kid is a hint: the caller chose the key
		{viaSet, tok(`{"alg":"HS256","kid":"a"}`, okPayload)},
		{viaSet, tokWith(sha512.New, attackSecretB, `{"alg":"HS512","kid":"b"}`, okPayload)},
	} {
		if err := keys.decode(c.v, c.token, &s, opt); err != nil {
			t.Errorf("%v: control %q rejected: %v", c.v, c.token, err)
		}
	}
	if s.Subject != "42" {
		t.Errorf("control decoded sub %q", s.Subject)
	}
}

// ---- oversized tokens (CVE-2025-30204, CVE-2025-27144) ----

// bytesPerCall returns the bytes allocated per call of f, averaged over n calls.
func bytesPerCall(n int, f func()) float64 {
	f()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < n; i++ {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
}

// bigSignedToken returns a validly signed HS256 token of at least size bytes.
func bigSignedToken(size int) string {
	n := size*3/4 + 64
	return tok(okHeader, withExp(`"pad":"`+strings.Repeat("A", n)+`"`))
}

func TestAttackOversized(t *testing.T) {
	keys := newAttackKeys(t)
	const tenMiB = 10 << 20
	dots := strings.Repeat(".", tenMiB)
	signed := bigSignedToken(tenMiB)
	if len(signed) < tenMiB {
		t.Fatalf("signed token only %d bytes", len(signed))
	}
	now := func() time.Time { return attackNow }
	// The signed token is genuine: with a limit that admits it, it decodes.
	if err := keys.plain.Decode(signed, nil, jwt.Expect{Now: now, MaxTokenSize: 2 * tenMiB}); err != nil {
		t.Fatalf("control: the 10 MiB token does not verify under a 20 MiB limit: %v", err)
	}
	setSigned := tok(`{"alg":"HS256","kid":"a"}`, withExp(`"pad":"`+strings.Repeat("A", tenMiB)+`"`))

	for _, c := range []struct {
		name, rule, token string
		v                 via
		opt               jwt.Expect
		want              error
	}{
		{"10 MiB of dots", "CVE-2025-30204; CVE-2025-27144", dots, viaKey, jwt.Expect{}, jwt.ErrTooLarge},
		{"10 MiB of dots, KeySet", "CVE-2025-30204", dots, viaSet, jwt.Expect{}, jwt.ErrTooLarge},
		{"10 MiB validly signed", "CVE-2025-30204; RFC 8725 §3", signed, viaKey, jwt.Expect{}, jwt.ErrTooLarge},
		{"10 MiB validly signed, 1 MiB limit", "CVE-2025-30204", signed, viaKey, jwt.Expect{MaxTokenSize: 1 << 20}, jwt.ErrTooLarge},
		{"10 MiB validly signed, limit one byte short", "CVE-2025-30204", signed, viaKey, jwt.Expect{MaxTokenSize: len(signed) - 1}, jwt.ErrTooLarge},
		{"10 MiB validly signed, KeySet", "CVE-2025-30204", setSigned, viaSet, jwt.Expect{}, jwt.ErrTooLarge},
		// With a limit that admits them, 10 MiB of dots must still be cut in O(1) space.
		{"10 MiB of dots under a 64 MiB limit", "CVE-2025-30204", dots, viaKey, jwt.Expect{MaxTokenSize: 64 << 20}, jwt.ErrMalformed},
		{"a.b. then 10 MiB of dots under a 64 MiB limit", "CVE-2025-30204", "a.b." + dots, viaKey, jwt.Expect{MaxTokenSize: 64 << 20}, jwt.ErrMalformed},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.opt.Now = now
			s := prefilledVictim()
			err := keys.decode(c.v, c.token, &s, c.opt)
			checkAttackErr(t, c.name+" ["+c.rule+"]", err, c.want, c.token)
			if !reflect.DeepEqual(s, prefilledVictim()) {
				t.Errorf("destination modified")
			}
			var dst victim
			perCall := bytesPerCall(20, func() { keys.decode(c.v, c.token, &dst, c.opt) })
			if perCall >= 1024 {
				t.Errorf("rejecting a %d-byte token allocates %.0f bytes per call; want < 1 KiB", len(c.token), perCall)
			}
			allocs := testing.AllocsPerRun(20, func() { keys.decode(c.v, c.token, &dst, c.opt) })
			if allocs > 8 {
				t.Errorf("rejecting a %d-byte token makes %.0f allocations per call", len(c.token), allocs)
			}
		})
	}

	t.Run("InspectUnverified", func(t *testing.T) {
		for _, token := range []string{dots, signed} {
			_, _, err := jwt.InspectUnverified(token)
			checkAttackErr(t, "InspectUnverified", err, jwt.ErrTooLarge, token)
			if perCall := bytesPerCall(20, func() { jwt.InspectUnverified(token) }); perCall >= 1024 {
				t.Errorf("InspectUnverified of %d bytes allocates %.0f bytes per call", len(token), perCall)
			}
		}
	})
}

// ---- issue 11 §1: the claims a caller receives are the claims that were checked ----

// profile is a nested struct that encoding/json fills (a kindOther field).
type profile struct {
	Role string `json:"role"`
}

// The destinations of the §1 regression tests: every way Decode fills a value. Each reports
// what it received: the registered claims, a role at the top and a role in a nested struct.
type (
	// flatDst is filled in place by the reader (a flat plan).
	flatDst struct {
		jwt.Claims
		Role string `json:"role"`
	}
	// nestedDst is read by the reader into a fresh value; Profile goes through encoding/json.
	nestedDst struct {
		jwt.Claims
		Role    string             `json:"role"`
		Profile profile            `json:"profile"`
		List    []profile          `json:"list"`
		ByName  map[string]profile `json:"by_name"`
		Ptr     *profile           `json:"ptr"`
	}
	// quotedDst has a ",string" field: encoding/json reads the whole claims set.
	quotedDst struct {
		jwt.Claims
		UID     int64   `json:"uid,string"`
		Role    string  `json:"role"`
		Profile profile `json:"profile"`
	}
	// selfDst decodes itself the usual way, through encoding/json on a method-less copy.
	selfDst struct {
		jwt.Claims
		Role    string  `json:"role"`
		Profile profile `json:"profile"`
	}
	// foldingDst decodes itself and matches names case-insensitively on its own.
	foldingDst struct{ jwt.Claims }
	// legacyDst decodes itself and takes the subject from another member when sub is absent.
	legacyDst struct{ jwt.Claims }
	// embeddedPtrDst reaches its Claims through a pointer (not a flat plan).
	embeddedPtrDst struct {
		*jwt.Claims
		Role string `json:"role"`
	}
)

func (s *selfDst) UnmarshalJSON(b []byte) error {
	type plain selfDst
	return json.Unmarshal(b, (*plain)(s))
}

func (f *foldingDst) UnmarshalJSON(b []byte) error {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for k, v := range m {
		if strings.EqualFold(k, "sub") {
			f.Subject, _ = v.(string)
		}
	}
	return nil
}

func (l *legacyDst) UnmarshalJSON(b []byte) error {
	type plain legacyDst
	var m struct {
		User string `json:"user"`
	}
	if err := json.Unmarshal(b, (*plain)(l)); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if l.Subject == "" {
		l.Subject = m.User
	}
	return nil
}

// received is what a destination holds after Decode.
type received struct {
	claims            jwt.Claims
	role, profileRole string
}

// receivedBy decodes token into a new value of each destination kind and returns what each
// received, or the error.
func receivedBy(k *jwt.Key, token string, want jwt.Expect) map[string]struct {
	got received
	err error
} {
	out := map[string]struct {
		got received
		err error
	}{}
	put := func(kind string, err error, r received) {
		out[kind] = struct {
			got received
			err error
		}{r, err}
	}
	var fl flatDst
	err := k.Decode(token, &fl, want)
	put("flat", err, received{claims: fl.Claims, role: fl.Role})
	var ne nestedDst
	err = k.Decode(token, &ne, want)
	put("nested", err, received{claims: ne.Claims, role: ne.Role, profileRole: ne.Profile.Role})
	var qu quotedDst
	err = k.Decode(token, &qu, want)
	put(",string", err, received{claims: qu.Claims, role: qu.Role, profileRole: qu.Profile.Role})
	var se selfDst
	err = k.Decode(token, &se, want)
	put("UnmarshalJSON", err, received{claims: se.Claims, role: se.Role, profileRole: se.Profile.Role})
	var fo foldingDst
	err = k.Decode(token, &fo, want)
	put("UnmarshalJSON folding", err, received{claims: fo.Claims})
	var ep embeddedPtrDst
	err = k.Decode(token, &ep, want)
	r := received{role: ep.Role}
	if ep.Claims != nil {
		r.claims = *ep.Claims
	}
	put("embedded pointer", err, r)
	var c jwt.Claims
	err = k.Decode(token, &c, want)
	put("*Claims", err, received{claims: c})
	var m map[string]any
	err = k.Decode(token, &m, want)
	r = received{}
	r.claims.Subject, _ = m["sub"].(string)
	r.claims.Issuer, _ = m["iss"].(string)
	r.role, _ = m["role"].(string)
	if p, ok := m["profile"].(map[string]any); ok {
		r.profileRole, _ = p["role"].(string)
	}
	put("map", err, r)
	put("nil", k.Decode(token, nil, want), received{})
	return out
}

// TestFindingCaseVariantsAreRefused is issue 11 §1: a claims set with two members whose names
// are equal under encoding/json's case folding, at any depth, is refused for every
// destination, since a binding path that folds names would read another value than the
// checks saw (e.g. the App with a ",string" field and {"sub":"alice","SUB":"admin"}, which
// handed out Subject "admin" after checking "alice").
func TestFindingCaseVariantsAreRefused(t *testing.T) {
	keys := newAttackKeys(t)
	want := jwt.Expect{Now: func() time.Time { return attackNow }, Subject: "alice"}
	for _, tc := range []struct{ name, payload string }{
		{"App with ,string: SUB after sub", `{"sub":"alice","exp":` + okExp + `,"uid":"1","SUB":"admin"}`},
		{"SUB before sub", `{"SUB":"admin","sub":"alice","exp":` + okExp + `}`},
		{"Sub", `{"sub":"alice","Sub":"admin","exp":` + okExp + `}`},
		{"long s (U+017F) in sub", `{"sub":"alice","ſub":"admin","exp":` + okExp + `}`},
		{"long s escaped", `{"sub":"alice","\u017fub":"admin","exp":` + okExp + `}`},
		{"ISS", `{"sub":"alice","iss":"good","ISS":"evil","exp":` + okExp + `}`},
		{"long s in iss", `{"sub":"alice","iss":"good","iſs":"evil","exp":` + okExp + `}`},
		{"AUD", `{"sub":"alice","aud":"api","AUD":"evil","exp":` + okExp + `}`},
		{"EXP", `{"sub":"alice","exp":` + okExp + `,"EXP":99999999999}`},
		{"NBF", `{"sub":"alice","exp":` + okExp + `,"nbf":1,"NBF":99999999999}`},
		{"JTI", `{"sub":"alice","exp":` + okExp + `,"jti":"a","JTI":"b"}`},
		{"role and ROLE", `{"sub":"alice","exp":` + okExp + `,"role":"user","ROLE":"admin"}`},
		{"Kelvin sign", `{"sub":"alice","exp":` + okExp + `,"k":1,"\u212a":2}`},
		{"nested ROLE", `{"sub":"alice","exp":` + okExp + `,"profile":{"role":"user","ROLE":"admin"}}`},
		{"nested in a list", `{"sub":"alice","exp":` + okExp + `,"list":[{"role":"user","Role":"admin"}]}`},
		{"nested in a map", `{"sub":"alice","exp":` + okExp + `,"by_name":{"a":{"role":"user","rOLE":"admin"}}}`},
		{"map keys", `{"sub":"alice","exp":` + okExp + `,"by_name":{"a":{},"A":{}}}`},
		{"behind a pointer", `{"sub":"alice","exp":` + okExp + `,"ptr":{"role":"user","ROLE":"admin"}}`},
		{"deep in an unknown member", `{"sub":"alice","exp":` + okExp + `,"x":[[{"y":{"a":1,"A":2}}]]}`},
	} {
		token := tok(okHeader, tc.payload)
		for kind, r := range receivedBy(keys.plain, token, want) {
			checkAttackErr(t, tc.name+" into "+kind, r.err, jwt.ErrMalformed, token)
			if r.err != nil && !reflect.DeepEqual(r.got, received{}) {
				t.Errorf("%s into %s: destination written on error: %+v", tc.name, kind, r.got)
			}
		}
	}
}

// TestFindingLoneCaseVariantsArePrivate is the other half of issue 11 §1: a member whose name
// equals a field's only under folding ("SUB" with no "sub", at any depth) is a private claim,
// which no struct field receives, whatever path fills the destination; a destination that
// folds names on its own, and so would receive it as sub, is refused.
func TestFindingLoneCaseVariantsArePrivate(t *testing.T) {
	keys := newAttackKeys(t)
	want := jwt.Expect{Now: func() time.Time { return attackNow }}
	for _, tc := range []struct{ name, payload string }{
		{"SUB", `{"SUB":"admin","uid":"1","exp":` + okExp + `}`},
		{"long s", `{"ſub":"admin","exp":` + okExp + `}`},
		{"ROLE", `{"ROLE":"admin","exp":` + okExp + `}`},
		{"nested ROLE", `{"profile":{"ROLE":"admin"},"exp":` + okExp + `}`},
		{"nested Role in a list and a map", `{"list":[{"Role":"admin"}],"by_name":{"a":{"ROLE":"admin"}},"exp":` + okExp + `}`},
	} {
		token := tok(okHeader, tc.payload)
		var checked jwt.Claims
		if err := keys.plain.Decode(token, &checked, want); err != nil {
			t.Fatalf("%s: into *Claims: %v", tc.name, err)
		}
		for kind, r := range receivedBy(keys.plain, token, want) {
			if r.err != nil {
				t.Errorf("%s into %s: %v", tc.name, kind, r.err)
				continue
			}
			// foldingDst stores only a subject; the others hold every claim or none.
			if kind != "map" && kind != "nil" && kind != "UnmarshalJSON folding" && !reflect.DeepEqual(r.got.claims, checked) {
				t.Errorf("%s into %s: claims %+v, checked %+v", tc.name, kind, r.got.claims, checked)
			}
			if r.got.claims.Subject != "" || r.got.role != "" || r.got.profileRole != "" {
				t.Errorf("%s into %s: a case variant was bound: %+v", tc.name, kind, r.got)
			}
		}
	}
	// The nested struct still receives exactly named members.
	var ne nestedDst
	token := tok(okHeader, `{"profile":{"role":"user"},"list":[{"role":"a"}],"ptr":{"role":"p"},"exp":`+okExp+`}`)
	if err := keys.plain.Decode(token, &ne, want); err != nil || ne.Profile.Role != "user" || ne.List[0].Role != "a" || ne.Ptr.Role != "p" {
		t.Errorf("nested members: %+v, %v", ne, err)
	}
}

// TestFindingOwnDecodingKeepsCheckedClaims is issue 11 §1 for a type with its own
// UnmarshalJSON: whatever it does, the registered claims it hands out are the ones checked,
// or Decode refuses the token.
func TestFindingOwnDecodingKeepsCheckedClaims(t *testing.T) {
	keys := newAttackKeys(t)
	want := jwt.Expect{Now: func() time.Time { return attackNow }}
	token := tok(okHeader, `{"user":"admin","exp":`+okExp+`}`)
	var l legacyDst
	checkAttackErr(t, "subject taken from another member", keys.plain.Decode(token, &l, want), jwt.ErrMalformed, token)
	if !reflect.DeepEqual(l, legacyDst{}) {
		t.Errorf("destination written on error: %+v", l)
	}
	token = tok(okHeader, `{"sub":"alice","user":"admin","exp":`+okExp+`}`)
	if err := keys.plain.Decode(token, &l, want); err != nil || l.Subject != "alice" {
		t.Errorf("sub present: %+v, %v", l, err)
	}
}

// TestFindingFoldedReservedClaimsViaSessions is issue 11 §1 through Sessions: Issue refused
// "sub" but took "ſub" (U+017F folds to s), which encoding/json later read as sub. Every name
// equal to a reserved one under folding is refused now.
func TestFindingFoldedReservedClaimsViaSessions(t *testing.T) {
	key, err := jwt.NewKey(jwt.HS256, attackSecret)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.NewSessions(jwt.SessionConfig{Key: key, Store: new(jwt.MemoryStore)})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ſub", "iſs", "SUB", "Iss", "AUD", "Exp", "NBF", "iaT", "JTI", "TOKEN_TYPE", "ſid", "SESS_EXP", "ſeſſ_exp"} {
		p, err := s.Issue(context.Background(), "alice", map[string]any{"ok": 1, name: "bob"})
		if !errors.Is(err, jwt.ErrReservedClaim) {
			t.Errorf("Issue with %q: %v, want ErrReservedClaim", name, err)
		}
		if p != (jwt.Pair{}) {
			t.Errorf("Issue with %q returned a pair", name)
		}
	}
	// Names that only look alike are custom claims (K, the Kelvin sign, folds to k).
	if _, err := s.Issue(context.Background(), "alice", map[string]any{"subject": 1, "sub_id": 2, "\u212aid": 3}); err != nil {
		t.Errorf("Issue with names that are not reserved: %v", err)
	}
}

// ---- issue 11 §3: bounded work before the signature ----

// TestFindingQuadraticWorkBeforeSignature is issue 11 §3: a header of 848 members cost
// milliseconds before the MAC was looked at, as duplicates were found by comparing every
// pair. The header now has a size limit, jwt.MaxHeaderSize, checked before it is decoded,
// and members equal under folding are found in one pass, in headers and claims sets of any
// size. (Its cost is measured by BenchmarkDoS, not here.)
func TestFindingQuadraticWorkBeforeSignature(t *testing.T) {
	keys := newAttackKeys(t)
	opt := jwt.Expect{Now: func() time.Time { return attackNow }}
	// members returns n distinct members, then extra.
	members := func(n int, extra string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(`"m` + strconv.Itoa(i) + `":0,`)
		}
		return b.String() + extra
	}
	// header returns a header of size bytes that starts with alg, as the key set or the key
	// wants it.
	header := func(v via, size int) string {
		h := `{"alg":"HS256","x":"`
		if v == viaSet {
			h = `{"alg":"HS256","kid":"a","x":"`
		}
		h += strings.Repeat("a", size-len(h)-2) + `"}`
		if len(h) != size {
			t.Fatalf("header of %d bytes, want %d", len(h), size)
		}
		return h
	}
	alg := func(v via) string {
		if v == viaSet {
			return `"alg":"HS256","kid":"a"`
		}
		return `"alg":"HS256"`
	}
	for _, c := range []struct {
		name    string
		header  func(v via) string
		payload string
		want    error // nil: accepted
	}{
		{"header of MaxHeaderSize bytes", func(v via) string { return header(v, jwt.MaxHeaderSize) }, okPayload, nil},
		{"header one byte over MaxHeaderSize", func(v via) string { return header(v, jwt.MaxHeaderSize+1) }, okPayload, jwt.ErrMalformed},
		{"header of 848 members", func(v via) string { return `{` + members(848, alg(v)) + `}` }, okPayload, jwt.ErrMalformed},
		{"header of 60 members", func(v via) string { return `{` + members(60, alg(v)) + `}` }, okPayload, nil},
		{"header of 60 members, the last ALG", func(v via) string { return `{` + alg(v) + `,` + members(60, `"ALG":"none"`) + `}` }, okPayload, jwt.ErrMalformed},
		{"header of 60 members, two alike", func(v via) string { return `{` + alg(v) + `,` + members(60, `"M7":1`) + `}` }, okPayload, jwt.ErrMalformed},
		{"claims set of 856 members", nil, `{` + members(856, `"exp":`+okExp) + `}`, nil},
		{"claims set of 856 members, the last SUB", nil, `{"sub":"42",` + members(856, `"SUB":"admin","exp":`+okExp) + `}`, jwt.ErrMalformed},
		{"claims set of 856 members, two alike", nil, `{` + members(856, `"M855":1,"exp":`+okExp) + `}`, jwt.ErrMalformed},
		{"nested object of 856 members, two alike", nil, `{"x":{` + members(856, `"M0":1`) + `},"exp":` + okExp + `}`, jwt.ErrMalformed},
	} {
		for _, v := range []via{viaKey, viaSet} {
			h := `{` + alg(v) + `}`
			if c.header != nil {
				h = c.header(v)
			}
			token := tok(h, c.payload)
			var s victim
			err := keys.decode(v, token, &s, jwt.Expect{Now: opt.Now, MaxTokenSize: 1 << 16})
			if c.want == nil {
				if err != nil {
					t.Errorf("%s via %v: %v", c.name, v, err)
				}
				continue
			}
			checkAttackErr(t, c.name+" via "+v.String(), err, c.want, token)
			if !reflect.DeepEqual(s, victim{}) {
				t.Errorf("%s via %v: destination written", c.name, v)
			}
		}
	}
	if _, _, err := jwt.InspectUnverified(tok(header(viaKey, jwt.MaxHeaderSize+1), okPayload)); !errors.Is(err, jwt.ErrMalformed) {
		t.Errorf("InspectUnverified with a header over MaxHeaderSize: %v", err)
	}
}

// TestNamedMapDestinationBindsExactly: a named map type is filled by encoding/json, which
// binds the member names of the structs among its values by case folding. Those names must
// bind exactly, as they do for a struct field of the same type: "SUB" is not sub, at any
// depth (issue 11 §1, found in review).
func TestNamedMapDestinationBindsExactly(t *testing.T) {
	k := mustKey(t, jwt.HS256, secret256)
	want := jwt.Expect{ExpiryOptional: true, Now: clock(t0)}

	type actors map[string]jwt.Claims
	var a actors
	if err := k.Decode(tok256(`{"act":{"SUB":"admin","exp":4000000000}}`), &a, want); err != nil {
		t.Fatalf("Decode into a map of Claims: %v", err)
	}
	if got := a["act"].Subject; got != "" {
		t.Errorf(`map of Claims: "SUB" bound to Subject = %q, want ""`, got)
	}

	type role struct{ Role string }
	var r map[string]role
	if err := k.Decode(tok256(`{"x":{"ROLE":"admin"}}`), &r, want); err != nil {
		t.Fatalf("Decode into a map of structs: %v", err)
	}
	if got := r["x"].Role; got != "" {
		t.Errorf(`map of structs: "ROLE" bound to Role = %q, want ""`, got)
	}
	var nested map[string][]map[string]role
	if err := k.Decode(tok256(`{"x":[{"y":{"rOLE":"admin"}}]}`), &nested, want); err != nil {
		t.Fatalf("Decode into a nested map: %v", err)
	}
	if got := nested["x"][0]["y"].Role; got != "" {
		t.Errorf(`nested map: "rOLE" bound to Role = %q, want ""`, got)
	}
	// The exact name still binds.
	if err := k.Decode(tok256(`{"x":{"Role":"user"}}`), &r, want); err != nil || r["x"].Role != "user" {
		t.Errorf(`exact name: Role = %q, err %v; want "user", nil`, r["x"].Role, err)
	}
}

// TestLeadingSpaceAnyDestination: white space before the claims object is JSON (RFC 8259
// §2) and every destination accepts it alike; the pass that binds names exactly for maps
// and interfaces filled by encoding/json refused it (found in review).
func TestLeadingSpaceAnyDestination(t *testing.T) {
	k := mustKey(t, jwt.HS256, secret256)
	want := jwt.Expect{Now: clock(t0)}
	tok := tok256(" \n{\"exp\":" + strconv.Itoa(expOK) + "}")
	var a any
	var ms map[string]float64
	var c jwt.Claims
	for name, dst := range map[string]any{"*any": &a, "*map[string]float64": &ms, "*Claims": &c, "nil": nil} {
		if err := k.Decode(tok, dst, want); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
