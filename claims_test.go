package jwt_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
)

// Instants of the boundary tests (RFC 7519 §4.1.4-4.1.5: valid iff
// nbf - leeway <= now < exp + leeway).
var (
	expAt   = time.Unix(1_700_000_100, 0)
	nbfAt   = time.Unix(1_700_000_000, 0)
	iatAt   = time.Unix(1_700_000_000, 0)
	leeway  = 30 * time.Second
	farExp  = int64(2_000_000_000)
	nsOneNs = time.Nanosecond
)

func at(t time.Time) jwt.Expect { return jwt.Expect{Now: clock(t)} }

func atLeeway(t time.Time, l time.Duration) jwt.Expect {
	return jwt.Expect{Now: clock(t), Leeway: l}
}

func TestClaimsTimeBoundaries(t *testing.T) {
	expTok := tok256(fmt.Sprintf(`{"sub":"sub-val-5d2e","exp":%d}`, expAt.Unix()))
	nbfTok := tok256(fmt.Sprintf(`{"exp":%d,"nbf":%d}`, farExp, nbfAt.Unix()))
	iatTok := tok256(fmt.Sprintf(`{"exp":%d,"iat":%d}`, farExp, iatAt.Unix()))
	iatCheck := func(now time.Time, l time.Duration) jwt.Expect {
		return jwt.Expect{Now: clock(now), Leeway: l, CheckIssuedAt: true}
	}
	runDecodeCases(t, []decodeCase{
		{name: "exp/long before", token: expTok, want: at(expAt.Add(-time.Hour))},
		{name: "exp/1ns before", token: expTok, want: at(expAt.Add(-nsOneNs))},
		{name: "exp/at exp", token: expTok, want: at(expAt), err: jwt.ErrExpired},
		{name: "exp/1ns after", token: expTok, want: at(expAt.Add(nsOneNs)), err: jwt.ErrExpired},
		{name: "exp/long after", token: expTok, want: at(expAt.Add(24 * time.Hour)), err: jwt.ErrExpired},
		{name: "exp/leeway/at exp", token: expTok, want: atLeeway(expAt, leeway)},
		{name: "exp/leeway/1ns before exp+L", token: expTok, want: atLeeway(expAt.Add(leeway-nsOneNs), leeway)},
		{name: "exp/leeway/at exp+L", token: expTok, want: atLeeway(expAt.Add(leeway), leeway), err: jwt.ErrExpired},
		{name: "exp/1ns leeway/at exp", token: expTok, want: atLeeway(expAt, nsOneNs)},
		{name: "exp/1ns leeway/at exp+1ns", token: expTok, want: atLeeway(expAt.Add(nsOneNs), nsOneNs), err: jwt.ErrExpired},

		{name: "nbf/long before", token: nbfTok, want: at(nbfAt.Add(-time.Hour)), err: jwt.ErrNotYetValid},
		{name: "nbf/1ns before", token: nbfTok, want: at(nbfAt.Add(-nsOneNs)), err: jwt.ErrNotYetValid},
		{name: "nbf/at nbf", token: nbfTok, want: at(nbfAt)},
		{name: "nbf/1ns after", token: nbfTok, want: at(nbfAt.Add(nsOneNs))},
		{name: "nbf/leeway/at nbf-L", token: nbfTok, want: atLeeway(nbfAt.Add(-leeway), leeway)},
		{name: "nbf/leeway/1ns before nbf-L", token: nbfTok, want: atLeeway(nbfAt.Add(-leeway-nsOneNs), leeway), err: jwt.ErrNotYetValid},
		{name: "nbf/leeway/1ns before nbf", token: nbfTok, want: atLeeway(nbfAt.Add(-nsOneNs), leeway)},

		{name: "iat/checked/1ns before iat", token: iatTok, want: iatCheck(iatAt.Add(-nsOneNs), 0), err: jwt.ErrIssuedInFuture},
		{name: "iat/checked/long before iat", token: iatTok, want: iatCheck(iatAt.Add(-time.Hour), 0), err: jwt.ErrIssuedInFuture},
		{name: "iat/checked/at iat", token: iatTok, want: iatCheck(iatAt, 0)},
		{name: "iat/checked/after iat", token: iatTok, want: iatCheck(iatAt.Add(time.Hour), 0)},
		{name: "iat/checked/leeway/at iat-L", token: iatTok, want: iatCheck(iatAt.Add(-leeway), leeway)},
		{name: "iat/checked/leeway/1ns before iat-L", token: iatTok, want: iatCheck(iatAt.Add(-leeway-nsOneNs), leeway), err: jwt.ErrIssuedInFuture},
		{name: "iat/unchecked/1ns before iat", token: iatTok, want: at(iatAt.Add(-nsOneNs))},
		{name: "iat/unchecked/a year before iat", token: iatTok, want: at(iatAt.Add(-365 * 24 * time.Hour))},
		{name: "iat/checked/absent", token: tok256(fmt.Sprintf(`{"exp":%d}`, farExp)), want: iatCheck(t0, 0)},

		{name: "exp 0 is expired, not absent", token: tok256(`{"exp":0}`), err: jwt.ErrExpired},
		{name: "exp 0 with ExpiryOptional", token: tok256(`{"exp":0}`), want: jwt.Expect{ExpiryOptional: true}, err: jwt.ErrExpired},
		{name: "exp exponent notation", token: tok256(`{"exp":2e9}`)},
		{name: "exp exponent notation at now", token: tok256(`{"exp":1.7e9}`), err: jwt.ErrExpired},
		{name: "exp far future", token: tok256(`{"exp":253402300799}`)},
		{name: "expired with past nbf", token: tok256(fmt.Sprintf(`{"exp":%d,"nbf":%d}`, 1_600_000_000, 1_500_000_000)), err: jwt.ErrExpired},
	})
}

func TestClaimsFractionalNumericDate(t *testing.T) {
	half := 500 * time.Millisecond
	quarter := 250 * time.Millisecond
	expTok := tok256(`{"exp":1700000000.5}`)
	nbfTok := tok256(fmt.Sprintf(`{"exp":%d,"nbf":1700000000.25}`, farExp))
	iatTok := tok256(fmt.Sprintf(`{"exp":%d,"iat":1700000000.5}`, farExp))
	runDecodeCases(t, []decodeCase{
		{name: "exp/1ns before the fraction", token: expTok, want: at(t0.Add(half - nsOneNs)), check: func(t *testing.T, c *testClaims) {
			if !c.ExpiresAt.Time().Equal(t0.Add(half)) {
				t.Errorf("ExpiresAt = %v, want %v", c.ExpiresAt.Time(), t0.Add(half))
			}
		}},
		{name: "exp/at the fraction", token: expTok, want: at(t0.Add(half)), err: jwt.ErrExpired},
		{name: "exp/leeway/1ns before the fraction", token: expTok, want: atLeeway(t0.Add(leeway+half-nsOneNs), leeway)},
		{name: "exp/leeway/at the fraction", token: expTok, want: atLeeway(t0.Add(leeway+half), leeway), err: jwt.ErrExpired},
		{name: "nbf/1ns before the fraction", token: nbfTok, want: at(t0.Add(quarter - nsOneNs)), err: jwt.ErrNotYetValid},
		{name: "nbf/at the fraction", token: nbfTok, want: at(t0.Add(quarter)), check: func(t *testing.T, c *testClaims) {
			if !c.NotBefore.Time().Equal(t0.Add(quarter)) {
				t.Errorf("NotBefore = %v, want %v", c.NotBefore.Time(), t0.Add(quarter))
			}
		}},
		{name: "iat/1ns before the fraction", token: iatTok, want: jwt.Expect{Now: clock(t0.Add(half - nsOneNs)), CheckIssuedAt: true}, err: jwt.ErrIssuedInFuture},
		{name: "iat/at the fraction", token: iatTok, want: jwt.Expect{Now: clock(t0.Add(half)), CheckIssuedAt: true}},
	})
}

func TestClaimsRequiredAndExpected(t *testing.T) {
	full := tok256(payloadOK) // iss-val-91c3, sub-val-5d2e, aud "aud-val-a1"
	audList := tok256(fmt.Sprintf(`{"aud":["aud-x","aud-val-a1"],"exp":%d}`, expOK))
	bare := tok256(fmt.Sprintf(`{"exp":%d}`, expOK))
	runDecodeCases(t, []decodeCase{
		{name: "exp/missing", token: tok256(`{"sub":"sub-val-5d2e"}`), err: jwt.ErrMissingClaim},
		{name: "exp/missing in empty claims", token: tok256(`{}`), err: jwt.ErrMissingClaim},
		{name: "exp/upper-case EXP is not exp", token: tok256(`{"EXP":2000000000}`), err: jwt.ErrMissingClaim},
		{name: "exp/nested exp is not exp", token: tok256(`{"x":{"exp":2000000000}}`), err: jwt.ErrMissingClaim},
		{name: "exp/optional and missing", token: tok256(`{"sub":"sub-val-5d2e"}`), want: jwt.Expect{ExpiryOptional: true}},
		{name: "exp/optional, empty claims", token: tok256(`{}`), want: jwt.Expect{ExpiryOptional: true}},
		{name: "exp/optional and expired", token: tok256(`{"exp":1600000000}`), want: jwt.Expect{ExpiryOptional: true}, err: jwt.ErrExpired},

		{name: "iss/match", token: full, want: jwt.Expect{Issuer: "iss-val-91c3"}},
		{name: "iss/missing", token: bare, want: jwt.Expect{Issuer: "iss-val-91c3"}, err: jwt.ErrMissingClaim},
		{name: "iss/different", token: tok256(fmt.Sprintf(`{"iss":"iss-val-other","exp":%d}`, expOK)), want: jwt.Expect{Issuer: "iss-val-91c3"}, err: jwt.ErrIssuer},
		{name: "iss/case differs", token: tok256(fmt.Sprintf(`{"iss":"ISS-VAL-91C3","exp":%d}`, expOK)), want: jwt.Expect{Issuer: "iss-val-91c3"}, err: jwt.ErrIssuer},
		{name: "iss/prefix", token: tok256(fmt.Sprintf(`{"iss":"iss-val-91c3x","exp":%d}`, expOK)), want: jwt.Expect{Issuer: "iss-val-91c3"}, err: jwt.ErrIssuer},
		{name: "iss/not checked when not expected", token: tok256(fmt.Sprintf(`{"iss":"iss-val-other","exp":%d}`, expOK))},

		{name: "sub/match", token: full, want: jwt.Expect{Subject: "sub-val-5d2e"}},
		{name: "sub/missing", token: bare, want: jwt.Expect{Subject: "sub-val-5d2e"}, err: jwt.ErrMissingClaim},
		{name: "sub/different", token: tok256(fmt.Sprintf(`{"sub":"sub-val-other","exp":%d}`, expOK)), want: jwt.Expect{Subject: "sub-val-5d2e"}, err: jwt.ErrSubject},
		{name: "sub/case differs", token: tok256(fmt.Sprintf(`{"sub":"SUB-VAL-5D2E","exp":%d}`, expOK)), want: jwt.Expect{Subject: "sub-val-5d2e"}, err: jwt.ErrSubject},

		{name: "aud/string match", token: full, want: jwt.Expect{Audience: []string{"aud-val-a1"}}},
		{name: "aud/string matches second of list", token: full, want: jwt.Expect{Audience: []string{"aud-val-zz", "aud-val-a1"}}},
		{name: "aud/array matches", token: audList, want: jwt.Expect{Audience: []string{"aud-val-a1"}}},
		{name: "aud/array any-of-list", token: audList, want: jwt.Expect{Audience: []string{"aud-val-zz", "aud-x"}}},
		{name: "aud/missing", token: bare, want: jwt.Expect{Audience: []string{"aud-val-a1"}}, err: jwt.ErrMissingClaim},
		{name: "aud/string different", token: full, want: jwt.Expect{Audience: []string{"aud-val-zz"}}, err: jwt.ErrAudience},
		{name: "aud/array none matches", token: audList, want: jwt.Expect{Audience: []string{"aud-val-zz", "aud-val-yy"}}, err: jwt.ErrAudience},
		{name: "aud/case differs", token: full, want: jwt.Expect{Audience: []string{"AUD-VAL-A1"}}, err: jwt.ErrAudience},
		{name: "aud/not checked when not expected", token: audList},

		{name: "all expected, all match", token: full, want: jwt.Expect{Issuer: "iss-val-91c3", Subject: "sub-val-5d2e", Audience: []string{"aud-val-a1"}, Type: "JWT", CheckIssuedAt: true, Leeway: time.Minute}},

		{name: "leeway/negative", token: full, want: jwt.Expect{Leeway: -time.Nanosecond}, err: jwt.ErrInvalidConfig},
		{name: "leeway/negative on expired token", token: tok256(`{"exp":1600000000}`), want: jwt.Expect{Leeway: -time.Hour}, err: jwt.ErrInvalidConfig},
		{name: "leeway/zero", token: full, want: jwt.Expect{Leeway: 0}},
	})
}

// TestClaimsEmptyAudience: an expected audience is never satisfied by an
// empty aud array (CVE-2020-26160 class). Either a missing-claim or an
// audience error is a correct refusal.
func TestClaimsEmptyAudience(t *testing.T) {
	key := mustKey(t, jwt.HS256, secret256)
	for _, aud := range []string{`[]`, `""`} {
		tok := tok256(fmt.Sprintf(`{"aud":%s,"exp":%d}`, aud, expOK))
		c := prefilled()
		err := key.Decode(tok, &c, jwt.Expect{Now: clock(t0), Audience: []string{"aud-val-a1"}})
		switch {
		case err == nil:
			t.Errorf("aud %s accepted for an expected audience", aud)
		case len(matchingSentinels(err)) != 1:
			t.Errorf("aud %s: %v matches %v", aud, err, matchingSentinels(err))
		default:
			var ok bool
			for _, s := range matchingSentinels(err) {
				ok = s == "ErrAudience" || s == "ErrMissingClaim"
			}
			if !ok {
				t.Errorf("aud %s: %v, want ErrAudience or ErrMissingClaim", aud, err)
			}
		}
		if !reflect.DeepEqual(c, prefilled()) {
			t.Errorf("aud %s: destination changed after error", aud)
		}
	}
}

func TestClaimsPayloadJSON(t *testing.T) {
	cases := []decodeCase{
		{name: "plain text", token: tok256(`not a claims set`), err: jwt.ErrMalformed},
		{name: "truncated", token: tok256(`{"exp":2000000000`), err: jwt.ErrMalformed},
		{name: "trailing comma", token: tok256(`{"exp":2000000000,}`), err: jwt.ErrMalformed},
		{name: "trailing garbage", token: tok256(`{"exp":2000000000}x`), err: jwt.ErrMalformed},
		{name: "two objects", token: tok256(`{"exp":2000000000}{"exp":2000000000}`), err: jwt.ErrMalformed},
		{name: "array", token: tok256(`[{"exp":2000000000}]`), err: jwt.ErrMalformed},
		{name: "empty array", token: tok256(`[]`), err: jwt.ErrMalformed},
		{name: "string", token: tok256(`"claims"`), err: jwt.ErrMalformed},
		{name: "null", token: tok256(`null`), err: jwt.ErrMalformed},
		{name: "number", token: tok256(`2000000000`), err: jwt.ErrMalformed},
		{name: "byte order mark", token: tok256("\ufeff{\"exp\":2000000000}"), err: jwt.ErrMalformed},
		{name: "NaN", token: tok256(`{"exp":NaN}`), err: jwt.ErrMalformed},
		{name: "leading zero", token: tok256(`{"exp":02000000000}`), err: jwt.ErrMalformed},
		{name: "plus sign", token: tok256(`{"exp":+2000000000}`), err: jwt.ErrMalformed},
		{name: "hex number", token: tok256(`{"exp":0x77359400}`), err: jwt.ErrMalformed},

		{name: "duplicate exp", token: tok256(`{"exp":1600000000,"exp":2000000000}`), err: jwt.ErrMalformed},
		{name: "duplicate sub", token: tok256(`{"exp":2000000000,"sub":"sub-val-aaaa","sub":"sub-val-bbbb"}`), err: jwt.ErrMalformed},
		{name: "duplicate sub escaped name", token: tok256(`{"exp":2000000000,"sub":"sub-val-aaaa","\u0073ub":"sub-val-bbbb"}`), err: jwt.ErrMalformed},
		{name: "duplicate aud", token: tok256(`{"exp":2000000000,"aud":"aud-val-aaaa","aud":["aud-val-bbbb"]}`), err: jwt.ErrMalformed},
		{name: "duplicate private claim", token: tok256(`{"exp":2000000000,"name":"name-val-aaaa","name":"name-val-bbbb"}`), err: jwt.ErrMalformed},
		{name: "duplicate unknown claim", token: tok256(`{"exp":2000000000,"zz":1,"zz":2}`), err: jwt.ErrMalformed},

		{name: "invalid UTF-8 in sub", token: tok256("{\"exp\":2000000000,\"sub\":\"sub-val-\xff\"}"), err: jwt.ErrMalformed},
		{name: "invalid UTF-8 in private claim", token: tok256("{\"exp\":2000000000,\"name\":\"\xc3\x28\"}"), err: jwt.ErrMalformed},
		{name: "invalid UTF-8 in unknown claim", token: tok256("{\"exp\":2000000000,\"zz\":\"\xed\xa0\x80\"}"), err: jwt.ErrMalformed},
		{name: "invalid UTF-8 in member name", token: tok256("{\"exp\":2000000000,\"\xff\":1}"), err: jwt.ErrMalformed},
		{name: "unpaired high surrogate", token: tok256(`{"exp":2000000000,"sub":"\ud800"}`), err: jwt.ErrMalformed},
		{name: "unpaired low surrogate", token: tok256(`{"exp":2000000000,"name":"x\udfffy"}`), err: jwt.ErrMalformed},
		{name: "reversed surrogate pair", token: tok256(`{"exp":2000000000,"name":"\ude00\ud83d"}`), err: jwt.ErrMalformed},
		{name: "raw control character", token: tok256("{\"exp\":2000000000,\"name\":\"a\nb\"}"), err: jwt.ErrMalformed},

		{name: "valid surrogate pair", token: tok256(`{"exp":2000000000,"name":"\ud83d\ude00"}`), check: func(t *testing.T, c *testClaims) {
			if c.Name != "\U0001F600" {
				t.Errorf("Name = %q", c.Name)
			}
		}},
		{name: "private member names are case-sensitive", token: tok256(`{"exp":2000000000,"NAME":"name-val-upper","Sub":"sub-val-upper"}`), check: func(t *testing.T, c *testClaims) {
			if c.Name != "" || c.Subject != "" {
				t.Errorf("case-variant members were decoded: Name %q Subject %q", c.Name, c.Subject)
			}
		}},
		{name: "unknown members ignored", token: tok256(`{"exp":2000000000,"x":{"exp":1,"y":[null,true]},"alg":"none"}`)},
		{name: "aud string", token: tok256(`{"exp":2000000000,"aud":"aud-val-one"}`), check: func(t *testing.T, c *testClaims) {
			if !reflect.DeepEqual(c.Audience, jwt.Audience{"aud-val-one"}) {
				t.Errorf("Audience = %q", c.Audience)
			}
		}},
		{name: "aud array", token: tok256(`{"exp":2000000000,"aud":["aud-val-one","aud-val-two"]}`), check: func(t *testing.T, c *testClaims) {
			if !reflect.DeepEqual(c.Audience, jwt.Audience{"aud-val-one", "aud-val-two"}) {
				t.Errorf("Audience = %q", c.Audience)
			}
		}},

		// Destination-specific types: the struct's int and bool fields.
		{name: "private bool as string", token: tok256(`{"exp":2000000000,"admin":"yes"}`), structOnly: true, err: jwt.ErrMalformed},
		{name: "private int fractional", token: tok256(`{"exp":2000000000,"count":1.5}`), structOnly: true, err: jwt.ErrMalformed},
		{name: "private int out of range", token: tok256(`{"exp":2000000000,"count":1e100}`), structOnly: true, err: jwt.ErrMalformed},
		{name: "private int as string", token: tok256(`{"exp":2000000000,"count":"12345678"}`), structOnly: true, err: jwt.ErrMalformed},
	}
	for _, v := range []struct{ name, claim, value string }{
		{"exp numeric string", "exp", `"1700003600"`},
		{"exp date string", "exp", `"2030-01-01T00:00:00Z"`},
		{"exp true", "exp", `true`},
		{"exp false", "exp", `false`},
		{"exp null", "exp", `null`},
		{"exp negative", "exp", `-12345`},
		{"exp negative fraction", "exp", `-0.5`},
		{"exp 1e19", "exp", `1e19`},
		{"exp 2^63", "exp", `9223372036854775808`},
		{"exp 9.3e18", "exp", `9.3e18`},
		{"exp 1e400", "exp", `1e400`},
		{"exp -1e400", "exp", `-1e400`},
		{"exp array", "exp", `[2000000000]`},
		{"exp object", "exp", `{"v":2000000000}`},
		{"nbf string", "nbf", `"1600000000"`},
		{"nbf bool", "nbf", `true`},
		{"nbf null", "nbf", `null`},
		{"nbf negative", "nbf", `-12345`},
		{"nbf 1e19", "nbf", `1e19`},
		{"nbf 1e300", "nbf", `1e300`},
		{"iat string", "iat", `"1600000000"`},
		{"iat null", "iat", `null`},
		{"iat negative", "iat", `-12345`},
		{"iat 1e19", "iat", `1e19`},
		{"aud number", "aud", `12345678`},
		{"aud bool", "aud", `true`},
		{"aud object", "aud", `{"aud":"aud-val-a1"}`},
		{"aud array with number", "aud", `["aud-val-a1",12345678]`},
		{"aud array with null", "aud", `["aud-val-a1",null]`},
		{"aud nested array", "aud", `[["aud-val-a1"]]`},
		{"iss number", "iss", `12345678`},
		{"iss bool", "iss", `true`},
		{"iss array", "iss", `["iss-val-91c3"]`},
		{"sub number", "sub", `12345678`},
		{"sub object", "sub", `{"id":"sub-val-5d2e"}`},
		{"jti number", "jti", `12345678`},
	} {
		payload := fmt.Sprintf(`{"%s":%s}`, v.claim, v.value)
		if v.claim != "exp" {
			payload = fmt.Sprintf(`{"exp":%d,"%s":%s}`, farExp, v.claim, v.value)
		}
		cases = append(cases, decodeCase{name: "type/" + v.name, token: tok256(payload), err: jwt.ErrMalformed})
		// The wrong type is refused even with every optional check off.
		cases = append(cases, decodeCase{name: "type/" + v.name + "/lenient", token: tok256(payload), want: jwt.Expect{ExpiryOptional: true}, err: jwt.ErrMalformed})
	}
	runDecodeCases(t, cases)
}

func TestNumericDate(t *testing.T) {
	var zero jwt.NumericDate
	if !zero.IsZero() {
		t.Errorf("zero NumericDate: IsZero() = false")
	}
	for _, in := range []time.Time{
		time.Unix(1_700_000_000, 0),
		time.Unix(1_700_000_000, 1),
		time.Unix(1_700_000_000, 999_999_999),
		time.Date(2030, 6, 1, 12, 30, 45, 123_456_789, time.FixedZone("X", 5*3600)),
		time.Unix(1, 500_000_000),
	} {
		d := jwt.NewNumericDate(in)
		want := time.Unix(in.Unix(), 0)
		if d.IsZero() {
			t.Errorf("NewNumericDate(%v).IsZero() = true", in)
		}
		if !d.Time().Equal(want) {
			t.Errorf("NewNumericDate(%v).Time() = %v, want %v (truncated)", in, d.Time(), want)
		}
		if d.Time().Nanosecond() != 0 {
			t.Errorf("NewNumericDate(%v).Time() keeps %d ns", in, d.Time().Nanosecond())
		}
	}
	// Monotonic clock readings are dropped too.
	now := time.Now()
	if got := jwt.NewNumericDate(now).Time(); !got.Equal(time.Unix(now.Unix(), 0)) {
		t.Errorf("NewNumericDate(time.Now()) = %v", got)
	}
}

// rawClaims returns the payload members of tok as raw JSON.
func rawClaims(t *testing.T, tok string) map[string]json.RawMessage {
	t.Helper()
	_, p, err := jwt.InspectUnverified(tok)
	if err != nil {
		t.Fatalf("InspectUnverified: %v", err)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(segments(tok)[1])
	if err != nil || string(raw) != string(p) {
		t.Fatalf("InspectUnverified payload %s differs from segment %s (%v)", p, raw, err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(p, &m); err != nil {
		t.Fatalf("payload %s: %v", p, err)
	}
	return m
}

func TestEncodeClaims(t *testing.T) {
	key := mustKey(t, jwt.HS256, secret256)
	encode := func(c any) map[string]json.RawMessage {
		t.Helper()
		tok, err := key.Encode(c)
		if err != nil {
			t.Fatal(err)
		}
		return rawClaims(t, tok)
	}

	m := encode(&testClaims{Claims: jwt.Claims{Audience: jwt.Audience{"aud-one"}, ExpiresAt: jwt.NewNumericDate(t0.Add(1500 * time.Millisecond))}})
	if got := string(m["aud"]); got != `"aud-one"` {
		t.Errorf("one audience encodes as %s, want a JSON string", got)
	}
	if got := string(m["exp"]); got != "1700000001" {
		t.Errorf("exp encodes as %s, want the integer 1700000001", got)
	}
	for _, absent := range []string{"iss", "sub", "nbf", "iat", "jti"} {
		if v, ok := m[absent]; ok {
			t.Errorf("empty %s encoded as %s", absent, v)
		}
	}

	m = encode(jwt.Claims{Audience: jwt.Audience{"aud-one", "aud-two"}, ExpiresAt: jwt.NewNumericDate(t0), NotBefore: jwt.NewNumericDate(t0), IssuedAt: jwt.NewNumericDate(t0)})
	if got := string(m["aud"]); got != `["aud-one","aud-two"]` {
		t.Errorf("two audiences encode as %s, want a JSON array", got)
	}
	for _, name := range []string{"exp", "nbf", "iat"} {
		if got := string(m[name]); got != "1700000000" {
			t.Errorf("%s encodes as %s", name, got)
		}
	}

	m = encode(&testClaims{})
	for _, absent := range []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"} {
		if v, ok := m[absent]; ok {
			t.Errorf("zero Claims: %s encoded as %s", absent, v)
		}
	}
	if string(m["name"]) != `""` || string(m["count"]) != "0" || string(m["admin"]) != "false" {
		t.Errorf("private claims encode as %v", m)
	}

	m = encode(map[string]any{"sub": "map-sub", "exp": 1_700_000_000, "n": 1})
	if string(m["sub"]) != `"map-sub"` || string(m["exp"]) != "1700000000" || len(m) != 3 {
		t.Errorf("map claims encode as %v", m)
	}
}

// Destinations of TestExpectClaims, one per way Decode reads a claims set.
type (
	// withKind holds the required claim in a field (flat: checked, then filled in place).
	withKind struct {
		jwt.Claims
		Kind string `json:"token_type"`
	}
	// withKindNested also has a map field (not flat: decoded into a fresh value).
	withKindNested struct {
		jwt.Claims
		Kind  string         `json:"token_type"`
		Extra map[string]any `json:"extra"`
	}
	// withKindQuoted has a ",string" field, so encoding/json fills it.
	withKindQuoted struct {
		jwt.Claims
		Kind string `json:"token_type"`
		N    int    `json:"n,string"`
	}
)

// expectClaimsDestinations returns a new pre-filled destination of each kind, and where it
// holds the required claim (for the value delivered), keyed by a name for the subtest.
func expectClaimsDestinations() []struct {
	name  string
	dst   any
	kind  func(any) (string, bool)
	field bool // a struct with a string field token_type
} {
	var anyDst any = "prefill"
	return []struct {
		name  string
		dst   any
		kind  func(any) (string, bool)
		field bool
	}{
		{"nil", nil, nil, false},
		{"Claims", &jwt.Claims{Subject: "prefill"}, nil, false},
		{"map", &map[string]any{"prefill": true}, func(d any) (string, bool) {
			s, ok := (*d.(*map[string]any))["token_type"].(string)
			return s, ok
		}, false},
		{"any", &anyDst, func(d any) (string, bool) {
			m, _ := (*d.(*any)).(map[string]any)
			s, ok := m["token_type"].(string)
			return s, ok
		}, false},
		{"struct without the field", &testClaims{Name: "prefill"}, nil, false},
		{"struct with the field", &withKind{Kind: "prefill"}, func(d any) (string, bool) { return d.(*withKind).Kind, true }, true},
		{"struct decoded afresh", &withKindNested{Kind: "prefill"}, func(d any) (string, bool) { return d.(*withKindNested).Kind, true }, true},
		{"struct filled by encoding/json", &withKindQuoted{Kind: "prefill"}, func(d any) (string, bool) { return d.(*withKindQuoted).Kind, true }, true},
	}
}

// TestExpectClaims: Expect.Claims requires claims of the claims set to be JSON strings equal
// to given values (SimpleJWT's token_type), whatever the destination, and the value checked
// is the value delivered.
func TestExpectClaims(t *testing.T) {
	access := map[string]string{"token_type": "access"}
	body := func(members string) string {
		return fmt.Sprintf(`{"exp":%d%s}`, farExp, members)
	}
	cases := []struct {
		name    string
		payload string
		want    map[string]string
		err     error
		// errField, when set, is the error for a destination with a string field of the
		// claim's name: a value of another JSON type does not fit it, whatever Expect says.
		errField error
	}{
		{"equal", body(`,"token_type":"access"`), access, nil, nil},
		{"equal, first member", `{"token_type":"access","exp":2000000000}`, access, nil, nil},
		{"equal once unescaped", body(`,"token_type":"\u0061ccess"`), access, nil, nil},
		{"escaped name", body(`,"token_\u0074ype":"access"`), access, nil, nil},
		{"white space around the value", body(`,"token_type" :  "access" `), access, nil, nil},
		{"two required, both equal", body(`,"token_type":"access","scope":"read"`), map[string]string{"token_type": "access", "scope": "read"}, nil, nil},
		{"empty value required and present", body(`,"token_type":""`), map[string]string{"token_type": ""}, nil, nil},
		{"nothing required", body(`,"token_type":"refresh"`), nil, nil, nil},
		{"empty map required", body(``), map[string]string{}, nil, nil},

		{"missing", body(``), access, jwt.ErrMissingClaim, nil},
		{"only nested", body(`,"x":{"token_type":"access"}`), access, jwt.ErrMissingClaim, nil},
		{"only in an array", body(`,"x":[{"token_type":"access"}]`), access, jwt.ErrMissingClaim, nil},
		{"name equal only under folding", body(`,"Token_Type":"access"`), access, jwt.ErrMissingClaim, nil},
		{"one of two missing", body(`,"token_type":"access"`), map[string]string{"token_type": "access", "scope": "read"}, jwt.ErrMissingClaim, nil},

		{"other value", body(`,"token_type":"refresh"`), access, jwt.ErrClaimValue, nil},
		{"other case", body(`,"token_type":"Access"`), access, jwt.ErrClaimValue, nil},
		{"trailing space", body(`,"token_type":"access "`), access, jwt.ErrClaimValue, nil},
		{"prefix", body(`,"token_type":"acc"`), access, jwt.ErrClaimValue, nil},
		{"number", body(`,"token_type":1`), access, jwt.ErrClaimValue, jwt.ErrMalformed},
		{"null", body(`,"token_type":null`), access, jwt.ErrClaimValue, nil},
		{"array of the value", body(`,"token_type":["access"]`), access, jwt.ErrClaimValue, jwt.ErrMalformed},
		{"object", body(`,"token_type":{"v":"access"}`), access, jwt.ErrClaimValue, jwt.ErrMalformed},
		{"bool", body(`,"token_type":true`), access, jwt.ErrClaimValue, jwt.ErrMalformed},
		{"one wrong, one missing", body(`,"token_type":"refresh"`), map[string]string{"token_type": "access", "scope": "read"}, jwt.ErrClaimValue, nil},

		{"duplicate, second equal", body(`,"token_type":"refresh","token_type":"access"`), access, jwt.ErrMalformed, nil},
		{"duplicate under folding", body(`,"token_type":"access","TOKEN_TYPE":"refresh"`), access, jwt.ErrMalformed, nil},
		{"invalid value after the name", body(`,"token_type":"access`), access, jwt.ErrMalformed, nil},

		{"registered name sub", body(`,"sub":"s"`), map[string]string{"sub": "s"}, jwt.ErrInvalidConfig, nil},
		{"registered name exp", body(``), map[string]string{"exp": "1"}, jwt.ErrInvalidConfig, nil},
		{"registered name beside another", body(`,"token_type":"access"`), map[string]string{"token_type": "access", "jti": "x"}, jwt.ErrInvalidConfig, nil},
		{"name not valid UTF-8", body(``), map[string]string{"k\xff": "v"}, jwt.ErrInvalidConfig, nil},
		{"value not valid UTF-8", body(``), map[string]string{"k": "v\xff"}, jwt.ErrInvalidConfig, nil},
	}
	k := mustKey(t, jwt.HS256, secret256)
	for _, tc := range cases {
		for _, d := range expectClaimsDestinations() {
			t.Run(tc.name+"/"+d.name, func(t *testing.T) {
				before := fmt.Sprintf("%#v", d.dst)
				err := k.Decode(tok256(tc.payload), d.dst, jwt.Expect{Now: clock(t0), Claims: tc.want})
				if tc.err != nil {
					want := tc.err
					if tc.errField != nil && d.field {
						want = tc.errField
					}
					checkErr(t, err, want)
					if after := fmt.Sprintf("%#v", d.dst); after != before {
						t.Errorf("destination written on error: %s", after)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if d.kind == nil || tc.want["token_type"] == "" {
					return
				}
				if got, ok := d.kind(d.dst); !ok || got != tc.want["token_type"] {
					t.Errorf("delivered token_type %q (present %v), checked %q", got, ok, tc.want["token_type"])
				}
			})
		}
	}
}

// TestExpectClaimsKeySet: KeySet.Decode honours Expect.Claims as Key.Decode does.
func TestExpectClaimsKeySet(t *testing.T) {
	k1 := mustKey(t, jwt.HS256, secret256).WithKeyID("k1")
	set := mustKeySet(t, k1, mustKey(t, jwt.HS256, secretOther).WithKeyID("k2"))
	want := jwt.Expect{Now: clock(t0), Claims: map[string]string{"token_type": "access"}}
	for _, tc := range []struct {
		name string
		kind any
		err  error
	}{
		{"equal", "access", nil},
		{"other value", "refresh", jwt.ErrClaimValue},
		{"other type", 7, jwt.ErrClaimValue},
		{"missing", nil, jwt.ErrMissingClaim},
	} {
		t.Run(tc.name, func(t *testing.T) {
			claims := map[string]any{"exp": farExp}
			if tc.kind != nil {
				claims["token_type"] = tc.kind
			}
			tok, err := k1.Encode(claims)
			if err != nil {
				t.Fatal(err)
			}
			err = set.Decode(tok, nil, want)
			if tc.err == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			checkErr(t, err, tc.err)
		})
	}
}

// msNow is time.Now().Add(time.Hour).UnixMilli() for the fixed clock of the decode tests:
// the mistake issue 14 §4 names (a JavaScript habit), a date 57,000 years away.
var msNow = t0.Add(time.Hour).UnixMilli()

// TestDecodeDateAfterYear9999 is issue 14 §4: a NumericDate counts seconds (RFC 7519 §2),
// and one after 9999-12-31T23:59:59Z is most likely milliseconds. Decode refuses it as
// ErrMalformed wherever it reads a NumericDate, as Encode refuses to write it.
func TestDecodeDateAfterYear9999(t *testing.T) {
	runDecodeCases(t, []decodeCase{
		{name: "exp at the end of 9999", token: tok256(`{"exp":253402300799}`)},
		{name: "exp at the end of 9999 with a fraction", token: tok256(`{"exp":253402300799.999999999}`)},
		{name: "exp in 10000", token: tok256(`{"exp":253402300800}`), err: jwt.ErrMalformed},
		{name: "exp in milliseconds", token: tok256(fmt.Sprintf(`{"exp":%d}`, msNow)), err: jwt.ErrMalformed},
		{name: "exp in milliseconds, exponent form", token: tok256(`{"exp":1.7e12}`), err: jwt.ErrMalformed},
		{name: "exp in microseconds", token: tok256(fmt.Sprintf(`{"exp":%d}`, t0.Add(time.Hour).UnixMicro())), err: jwt.ErrMalformed},
		{name: "exp of 18 digits", token: tok256(`{"exp":999999999999999999}`), err: jwt.ErrMalformed},
		{name: "nbf in milliseconds", token: tok256(fmt.Sprintf(`{"exp":%d,"nbf":%d}`, farExp, t0.UnixMilli())), err: jwt.ErrMalformed},
		{name: "iat in milliseconds", token: tok256(fmt.Sprintf(`{"exp":%d,"iat":%d}`, farExp, t0.UnixMilli())), err: jwt.ErrMalformed},
	})
}

// TestDecodePrivateDateAfterYear9999: a private claim read into a NumericDate field is
// refused after 9999 too, and so is one given to NumericDate.UnmarshalJSON.
func TestDecodePrivateDateAfterYear9999(t *testing.T) {
	type withDate struct {
		jwt.Claims
		RefreshBy jwt.NumericDate `json:"refresh_by"`
	}
	k := mustKey(t, jwt.HS256, secret256)
	for _, tc := range []struct {
		name  string
		value int64
		err   error
	}{
		{"end of 9999", 253402300799, nil},
		{"year 10000", 253402300800, jwt.ErrMalformed},
		{"milliseconds", msNow, jwt.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := tok256(fmt.Sprintf(`{"exp":%d,"refresh_by":%d}`, farExp, tc.value))
			var got withDate
			if err := k.Decode(tok, &got, at(t0)); !errors.Is(err, tc.err) {
				t.Errorf("Decode: %v, want %v", err, tc.err)
			}
			var d jwt.NumericDate
			err := json.Unmarshal(fmt.Appendf(nil, "%d", tc.value), &d)
			if (err == nil) != (tc.err == nil) {
				t.Errorf("UnmarshalJSON: %v, want an error: %v", err, tc.err != nil)
			}
		})
	}
}
