package interop

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	gjwt "github.com/golang-jwt/jwt/v5"
	"github.com/zerojwt/jwt"
)

// Case 3: deliberate strictness differences. Each row is a token that at
// least one peer ACCEPTS (with the algorithm allow-listed, the clock fixed
// and otherwise its defaults) and that zerojwt REJECTS, with the rule behind
// the rejection. The set of accepting peers is asserted exactly, so the
// table (and README.md, which copies it) stays true for the pinned versions.
// Tokens are signed with a correct MAC over exactly their bytes.

// Verifier names, for the accepts column.
const (
	gjStruct = "golang-jwt/RegisteredClaims"
	gjMap    = "golang-jwt/MapClaims"
	jwxV     = "jwx"
	goJose   = "go-jose"
	nodeJose = "node/jose"
	nodeJWT  = "node/jsonwebtoken"
)

type strictRow struct {
	name    string
	rule    string // why zerojwt rejects
	token   string
	key     []byte // the peers' key (default strictKey)
	accepts []string
	want    error // zerojwt's sentinel
	// newKeyOnly: zerojwt cannot even hold the key; NewKey must fail with
	// want (the token is only checked against the peers).
	newKeyOnly bool
}

func strictRows(t *testing.T) []strictRow {
	base := std(claims(""))
	sig := base[strings.LastIndexByte(base, '.')+1:]
	hdrSeg := b64url.EncodeToString([]byte(stdHeader))
	plSeg := b64url.EncodeToString([]byte(claims("")))

	// A payload whose base64url form needs padding, signed over the padded
	// form.
	padded := claims(`"x":"a"`)
	for len(padded)%3 == 0 {
		padded = claims(`"x":"aa"`)
	}
	paddedTok := signInput(strictAlg, strictKey, hdrSeg+"."+base64URLPadded(padded))

	urlTok := sigWithURLChars(t)
	urlSig := urlTok[strings.LastIndexByte(urlTok, '.')+1:]
	stdAlphaPayload := b64url.EncodeToString([]byte(claims(`"x":"~~~>>>???"`)))
	if !strings.ContainsAny(stdAlphaPayload, "-_") {
		t.Fatal("payload for the standard-alphabet row has no '-' or '_'")
	}

	all := []string{gjStruct, gjMap, jwxV, goJose, nodeJose, nodeJWT}
	rows := []strictRow{
		// Keys (RFC 7518 §3.2).
		{name: "HS256 key of 16 bytes", key: shortKey, token: golangJWTToken(t, "HS256", shortKey),
			accepts: []string{gjStruct, gjMap, jwxV, nodeJose, nodeJWT}, want: jwt.ErrKeyTooShort, newKeyOnly: true,
			rule: "RFC 7518 §3.2: a key of the same size as the hash output or larger MUST be used with HS256 (32 bytes)"},
		{name: "HS256 key of 31 bytes", key: strictKey[:31], token: golangJWTToken(t, "HS256", strictKey[:31]),
			accepts: []string{gjStruct, gjMap, jwxV, nodeJose, nodeJWT}, want: jwt.ErrKeyTooShort, newKeyOnly: true,
			rule: "RFC 7518 §3.2 (HS256 needs 32 bytes)"},
		{name: "HS256 empty key", key: []byte{}, token: rawToken("HS256", []byte{}, stdHeader, claims("")),
			accepts: []string{gjStruct, gjMap, nodeJWT}, want: jwt.ErrKeyTooShort, newKeyOnly: true,
			rule: "RFC 7518 §3.2; RFC 8725 §3.5 (keys must have enough entropy)"},

		// JSON strictness (header and payload).
		{name: "duplicate claim name (sub twice)", token: std(claims(`"sub":"admin"`)),
			accepts: []string{gjStruct, gjMap, jwxV, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §4: claim names MUST be unique; parsers MUST reject duplicates or use the last (zerojwt rejects)"},
		{name: "duplicate header parameter (alg twice)", token: withHeader(`{"alg":"HS256","typ":"JWT","alg":"HS256"}`),
			accepts: []string{gjStruct, gjMap, jwxV, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §4: header parameter names MUST be unique; parsers MUST reject duplicates or use the last (zerojwt rejects)"},
		{name: `"EXP" instead of "exp"`, token: std(`{"iss":"https://issuer.example","sub":"42","aud":"api","EXP":1893456000}`),
			accepts: all, want: jwt.ErrMissingClaim,
			rule: "RFC 7519 §7.3 and RFC 7515 §5.3: names compare as exact code points, so EXP is not exp; zerojwt requires exp by default"},
		{name: `expired "exp" followed by a future "EXP"`, token: std(`{"sub":"42","exp":1600000000,"EXP":1893456000}`),
			accepts: []string{gjStruct}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §4 and §7.3: names compare as exact code points, but EXP next to exp is refused, since golang-jwt's encoding/json, which matches struct fields case-insensitively and lets the last member win, reads the future EXP as the expiry"},
		{name: "invalid UTF-8 in a claim value", token: std(claims("\"name\":\"a\xffb\"")),
			accepts: []string{gjStruct, gjMap, jwxV, goJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 8725 §3.7 and RFC 7519 §7.2 step 10: the claims set is UTF-8 JSON; invalid bytes are not repaired to U+FFFD"},
		{name: "unpaired surrogate escape in a claim value", token: std(claims(`"name":"a\ud800b"`)),
			accepts: all, want: jwt.ErrMalformed,
			rule: "RFC 8259 §8.2 (such a string is not valid Unicode) and RFC 8725 §3.7"},
		{name: "invalid UTF-8 in a header value (kid)", token: withHeader("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"\xff\"}"),
			accepts: []string{gjStruct, gjMap, jwxV, goJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §7.2 step 3 and RFC 8725 §3.7: the header is UTF-8 JSON"},
		{name: "claims set is a JSON array", token: std(`[1]`),
			accepts: []string{nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §7.2 step 10: the JWT Claims Set MUST be a JSON object"},
		{name: "claims set is a JSON string", token: std(`"hello"`),
			accepts: []string{nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §7.2 step 10"},
		{name: "claims set followed by trailing data", token: std(claims("") + `x`),
			accepts: []string{jwxV}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §7.2 step 10 and RFC 8259 §2: exactly one JSON value"},
		{name: "claims set followed by a second object", token: std(claims("") + `{}`),
			accepts: []string{jwxV}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §7.2 step 10 and RFC 8259 §2: exactly one JSON value"},
		{name: "claims set with a UTF-8 byte order mark", token: std("\ufeff" + claims("")),
			accepts: []string{nodeJose}, want: jwt.ErrMalformed,
			rule: "RFC 8259 §8.1: a BOM MUST NOT be added (a parser MAY ignore it; zerojwt does not)"},

		// Registered claim types (RFC 7519 §2 NumericDate and StringOrURI, §4.1).
		{name: "exp as a numeric string", token: std(`{"sub":"42","exp":"1893456000"}`),
			accepts: []string{gjStruct, jwxV}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §4.1.4 and §2: exp MUST be a NumericDate, a JSON numeric value"},
		{name: "exp as an RFC 3339 string", token: std(`{"sub":"42","exp":"2030-01-01T00:00:00Z"}`),
			accepts: []string{jwxV}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §4.1.4 and §2"},
		{name: "exp null", token: std(`{"sub":"42","exp":null}`),
			accepts: []string{gjStruct, goJose}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §4.1.4 and §2: null is not a NumericDate (and must not read as \"no expiry\")"},
		{name: "exp 1e300", token: std(`{"sub":"42","exp":1e300}`),
			accepts: []string{nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §2 NumericDate; zerojwt policy: only values time.Time can hold (whole seconds within int64) are dates"},
		{name: "exp 1e19 (past int64)", token: std(`{"sub":"42","exp":1e19}`),
			accepts: []string{nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §2; zerojwt policy: NumericDates beyond int64 seconds are rejected, not wrapped or saturated"},
		{name: "nbf 1e300", token: std(`{"sub":"42","exp":1893456000,"nbf":1e300}`),
			accepts: []string{gjStruct, gjMap}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §4.1.5 and §2; an out-of-range nbf overflows golang-jwt's time conversion into the past"},
		{name: "nbf -1e300", token: std(`{"sub":"42","exp":1893456000,"nbf":-1e300}`),
			accepts: []string{gjStruct, gjMap, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §2; zerojwt policy: negative NumericDates are rejected"},
		{name: "iat negative", token: std(`{"sub":"42","exp":1893456000,"iat":-5}`),
			accepts: all, want: jwt.ErrMalformed,
			rule: "RFC 7519 §4.1.6 and §2; zerojwt policy: negative NumericDates are rejected"},
		{name: "aud array with a number", token: std(`{"sub":"42","aud":[1,"api"],"exp":1893456000}`),
			accepts: []string{gjMap, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §4.1.3: aud is a StringOrURI or an array of StringOrURI"},
		{name: "aud a number", token: std(`{"sub":"42","aud":5,"exp":1893456000}`),
			accepts: []string{gjMap, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §4.1.3"},
		{name: "iss a number", token: std(`{"iss":5,"sub":"42","exp":1893456000}`),
			accepts: []string{gjMap, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §4.1.1: iss is a StringOrURI"},
		{name: "sub a number", token: std(`{"sub":42,"exp":1893456000}`),
			accepts: []string{gjMap, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §4.1.2: sub is a StringOrURI"},
		{name: "jti a number", token: std(`{"jti":42,"exp":1893456000}`),
			accepts: []string{gjMap, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7519 §4.1.7: jti is a case-sensitive string"},

		// Header parameters.
		{name: `crit ["exp"]`, token: withHeader(`{"alg":"HS256","typ":"JWT","crit":["exp"],"exp":1893456000}`),
			accepts: []string{gjStruct, gjMap, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §4.1.11: crit names extensions that MUST be understood; zerojwt understands none"},
		{name: `crit ["x-ext"]`, token: withHeader(`{"alg":"HS256","typ":"JWT","crit":["x-ext"],"x-ext":1}`),
			accepts: []string{gjStruct, gjMap, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §4.1.11"},
		{name: "crit []", token: withHeader(`{"alg":"HS256","typ":"JWT","crit":[]}`),
			accepts: []string{gjStruct, gjMap, goJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §4.1.11: producers MUST NOT use the empty list"},
		{name: "b64 false (without crit)", token: withHeader(`{"alg":"HS256","typ":"JWT","b64":false}`),
			accepts: []string{gjStruct, gjMap, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7797 (which updates RFC 7519): JWTs MUST NOT use the unencoded-payload option; §6: b64 goes with crit"},
		{name: "b64 true (without crit)", token: withHeader(`{"alg":"HS256","typ":"JWT","b64":true}`),
			accepts: []string{gjStruct, gjMap, goJose, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7797 §6: b64 goes with crit; zerojwt implements no RFC 7797 and rejects b64 whatever its value"},
		{name: "typ a number", token: withHeader(`{"alg":"HS256","typ":1}`),
			accepts: []string{gjStruct, gjMap, goJose, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §4.1.9: typ is a string"},
		{name: "kid a number", token: withHeader(`{"alg":"HS256","typ":"JWT","kid":7}`),
			accepts: []string{gjStruct, gjMap, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §4.1.4: kid is a string"},
		{name: "cty a number", token: withHeader(`{"alg":"HS256","typ":"JWT","cty":7}`),
			accepts: []string{gjStruct, gjMap, goJose, nodeJose, nodeJWT}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §4.1.10: cty is a string"},

		// Base64url (RFC 7515 §2: base64url without padding, line breaks or
		// whitespace; RFC 4648 §3.5 canonical encoding).
		{name: "signature with = padding", token: base + "=",
			accepts: []string{jwxV, nodeJose}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §2: base64url encoding with all trailing '=' omitted"},
		{name: "payload with = padding (MAC over the padded form)", token: paddedTok,
			accepts: []string{jwxV, nodeJose}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §2"},
		{name: "signature with non-zero trailing bits", token: replaceSig(base, flipTrailingBits(t, sig)),
			accepts: []string{gjStruct, gjMap, jwxV, goJose, nodeJose}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §2 and RFC 4648 §3.5: encoders MUST zero the pad bits, decoders MAY reject others; zerojwt does, so a signature has one spelling"},
		{name: "signature with a line break", token: replaceSig(base, sig[:10]+"\n"+sig[10:]),
			accepts: []string{gjStruct, gjMap, jwxV, goJose, nodeJose}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §2: base64url without line breaks, whitespace or other additional characters"},
		{name: "signature with CR LF", token: replaceSig(base, sig[:10]+"\r\n"+sig[10:]),
			accepts: []string{gjStruct, gjMap, jwxV, goJose, nodeJose}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §2"},
		{name: "payload with a line break (MAC over it)", token: signInput(strictAlg, strictKey, hdrSeg+"."+plSeg[:10]+"\n"+plSeg[10:]),
			accepts: []string{gjStruct, gjMap, jwxV, nodeJose}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §2"},
		{name: "payload with a space (MAC over it)", token: signInput(strictAlg, strictKey, hdrSeg+"."+plSeg[:10]+" "+plSeg[10:]),
			accepts: []string{nodeJose}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §2"},
		{name: "leading space (MAC over it)", token: signInput(strictAlg, strictKey, " "+hdrSeg+"."+plSeg),
			accepts: []string{nodeJose}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §2 and §7.1: the compact serialization is the three base64url values joined by periods"},
		{name: "signature in the standard alphabet (+ /)", token: replaceSig(urlTok, toStdAlphabet(urlSig)),
			accepts: []string{jwxV}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §2: base64url (RFC 4648 §5), not base64"},
		{name: "payload in the standard alphabet (MAC over it)", token: signInput(strictAlg, strictKey, hdrSeg+"."+toStdAlphabet(stdAlphaPayload)),
			accepts: []string{jwxV}, want: jwt.ErrMalformed,
			rule: "RFC 7515 §2"},

		// Validation policy.
		{name: "no exp", token: std(`{"sub":"42"}`),
			accepts: all, want: jwt.ErrMissingClaim,
			rule: "zerojwt policy (Expect.ExpiryOptional is false by default): RFC 7519 §4.1.4 makes exp optional, zerojwt requires it unless told otherwise"},
		{name: "exp equal to now", token: std(`{"sub":"42","exp":1700000000}`),
			accepts: []string{goJose}, want: jwt.ErrExpired,
			rule: "RFC 7519 §4.1.4: exp is the time on or after which the JWT MUST NOT be accepted"},
		{name: "nbf half a second after now", token: std(`{"sub":"42","exp":1893456000,"nbf":1700000000.5}`),
			accepts: []string{gjStruct, gjMap, jwxV, goJose}, want: jwt.ErrNotYetValid,
			rule: "RFC 7519 §4.1.5: the JWT MUST NOT be accepted before nbf; fractions are kept, not truncated"},
		{name: "validly signed token of 9 KiB", token: std(claims(`"pad":"` + strings.Repeat("x", 9000) + `"`)),
			accepts: all, want: jwt.ErrTooLarge,
			rule: "zerojwt policy (Expect.MaxTokenSize, 8 KiB by default): bounded work per token (cf. CVE-2025-30204); RFC 7519 sets no limit"},
	}
	return rows
}

// golangJWTToken signs the standard claims with golang-jwt (which accepts
// any key length).
func golangJWTToken(t *testing.T, alg string, key []byte) string {
	t.Helper()
	var c gjwt.MapClaims
	if err := json.Unmarshal([]byte(claims("")), &c); err != nil {
		t.Fatal(err)
	}
	tok, err := gjwt.NewWithClaims(gjwt.GetSigningMethod(alg), c).SignedString(key)
	if err != nil {
		t.Fatalf("golang-jwt sign with a %d-byte key: %v", len(key), err)
	}
	return tok
}

func TestStrictnessDifferences(t *testing.T) {
	rows := strictRows(t)
	reqs := make([]verifyReq, len(rows))
	for i, r := range rows {
		k := r.key
		if k == nil {
			k = strictKey
		}
		reqs[i] = verifyReq{alg: strictAlg, key: k, token: r.token}
	}
	accepted := make([][]string, len(rows))
	errs := make([]map[string]error, len(rows))
	for i := range errs {
		errs[i] = map[string]error{}
	}
	for _, v := range verifiers {
		for i, res := range verifyAll(t, v, reqs) {
			if res.err == nil {
				accepted[i] = append(accepted[i], v.name)
			} else {
				errs[i][v.name] = res.err
			}
		}
	}
	for i, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			if len(r.accepts) == 0 {
				t.Fatal("row lists no accepting peer: not a strictness difference")
			}
			want, got := slices.Sorted(slices.Values(r.accepts)), slices.Sorted(slices.Values(accepted[i]))
			if !slices.Equal(want, got) {
				t.Errorf("accepted by %v, table says %v (rejections: %v)", got, want, errs[i])
			}
			k := r.key
			if k == nil {
				k = strictKey
			}
			key, err := jwt.NewKey(jwt.Algorithm(strictAlg), k)
			if r.newKeyOnly {
				if !errors.Is(err, r.want) {
					t.Errorf("zerojwt NewKey(%s, %d bytes): %v, want %v", strictAlg, len(k), err, r.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewKey: %v", err)
			}
			var dst zClaims
			err = key.Decode(r.token, &dst, jwt.Expect{Now: fixedNow})
			if !errors.Is(err, r.want) {
				t.Errorf("zerojwt Decode: %v, want %v\ntoken: %q", err, r.want, r.token)
			}
			if !isZero(dst) {
				t.Errorf("zerojwt Decode wrote to dst on error: %+v", dst)
			}
		})
	}
}

// TestShortKeysAllAlgorithms: for every algorithm, the peers sign and verify
// with a key one byte short of the hash size; zerojwt refuses the key.
func TestShortKeysAllAlgorithms(t *testing.T) {
	for _, ak := range algKeys {
		short := ak.key[:len(ak.key)-1]
		tok := golangJWTToken(t, ak.alg, short)
		for _, v := range verifiers {
			res := verifyAll(t, v, []verifyReq{{alg: ak.alg, key: short, token: tok}})[0]
			if accepted, wantAccepted := res.err == nil, v.name != goJose; accepted != wantAccepted {
				t.Errorf("%s %s with a %d-byte key: accepted=%v, want %v (%v)", v.name, ak.alg, len(short), accepted, wantAccepted, res.err)
			}
		}
		if _, err := jwt.NewKey(jwt.Algorithm(ak.alg), short); !errors.Is(err, jwt.ErrKeyTooShort) {
			t.Errorf("zerojwt NewKey(%s, %d bytes): %v, want ErrKeyTooShort", ak.alg, len(short), err)
		}
	}
}

// TestCaseVariantDifferential: a token golang-jwt accepts and reads as the
// later of two members whose names differ only in case: its struct claims
// match member names case-insensitively (encoding/json), so "Sub" overrides
// "sub". zerojwt refuses it (ErrMalformed): names compare as exact code points
// (RFC 7519 §7.3), so the two members are distinct, but a destination that
// encoding/json fills would read the other one than the checks did.
func TestCaseVariantDifferential(t *testing.T) {
	tok := std(`{"sub":"42","exp":1893456000,"Sub":"admin"}`)
	var gc gjClaims
	if _, err := gjwt.ParseWithClaims(tok, &gc, golangJWTKey(strictKey), golangJWTOptions(verifyReq{alg: strictAlg})...); err != nil {
		t.Fatalf("golang-jwt: %v", err)
	}
	if gc.Subject != "admin" {
		t.Errorf("golang-jwt sub = %q; the differential this test documents is gone", gc.Subject)
	}
	var zc zClaims
	if err := zKey(t, strictAlg, strictKey).Decode(tok, &zc, jwt.Expect{Now: fixedNow}); !errors.Is(err, jwt.ErrMalformed) {
		t.Fatalf("zerojwt: %v, want ErrMalformed", err)
	}
	if !isZero(zc) {
		t.Errorf("zerojwt wrote to dst on error: %+v", zc)
	}
}

func isZero(c zClaims) bool {
	return c.Issuer == "" && c.Subject == "" && c.ID == "" && c.Audience == nil &&
		c.ExpiresAt.IsZero() && c.NotBefore.IsZero() && c.IssuedAt.IsZero() &&
		c.Name == "" && c.LS == "" && c.HTML == "" && c.Ctl == "" && !c.Admin && c.N == 0 &&
		c.Roles == nil && c.Meta == nil
}

// TestReadmeListsStrictnessTable keeps README.md in step with the table:
// every row must appear there, line for line.
func TestReadmeListsStrictnessTable(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range strictRows(t) {
		if line := readmeRow(r); !strings.Contains(string(readme), "\n"+line+"\n") {
			t.Errorf("README.md lacks the row:\n%s", line)
		}
	}
}

var readmePeerNames = map[string]string{
	gjStruct: "golang-jwt (struct)", gjMap: "golang-jwt (MapClaims)", jwxV: "jwx", goJose: "go-jose",
	nodeJose: "jose (node)", nodeJWT: "jsonwebtoken (node)",
}

var sentinelNames = map[error]string{
	jwt.ErrMalformed: "ErrMalformed", jwt.ErrMissingClaim: "ErrMissingClaim", jwt.ErrExpired: "ErrExpired",
	jwt.ErrNotYetValid: "ErrNotYetValid", jwt.ErrTooLarge: "ErrTooLarge", jwt.ErrKeyTooShort: "ErrKeyTooShort",
}

// readmeRow is r as a line of the README's markdown table.
func readmeRow(r strictRow) string {
	var acc []string
	for _, a := range r.accepts {
		acc = append(acc, readmePeerNames[a])
	}
	return fmt.Sprintf("| %s | %s | `jwt.%s` | %s |", r.name, strings.Join(acc, ", "), sentinelNames[r.want], r.rule)
}
