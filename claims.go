package jwt

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Claims holds the seven registered claims of RFC 7519 §4.1. Embed it in your own struct to add
// private claims:
//
//	type Session struct {
//		jwt.Claims
//		Role string `json:"role"`
//	}
//
// Decode always reads the registered claims strictly (exp, nbf and iat must be JSON numbers,
// aud a string or an array of strings, the others strings), whatever the destination type.
type Claims struct {
	Issuer    string      `json:"iss,omitempty"`
	Subject   string      `json:"sub,omitempty"`
	Audience  Audience    `json:"aud,omitempty"`
	ExpiresAt NumericDate `json:"exp,omitzero"`
	NotBefore NumericDate `json:"nbf,omitzero"`
	IssuedAt  NumericDate `json:"iat,omitzero"`
	ID        string      `json:"jti,omitempty"`
}

// Audience is the aud claim: the recipients the token is meant for. It decodes from a JSON
// string or an array of strings (anything else is rejected) and encodes as a string when it
// has exactly one element, as an array otherwise.
type Audience []string

// Contains reports whether a is one of the audience's elements (exact, case-sensitive match).
func (a Audience) Contains(s string) bool {
	for _, v := range a {
		if v == s {
			return true
		}
	}
	return false
}

// MarshalJSON writes a one-element audience as a string and any other as an array. It exists
// for callers of encoding/json; Encode writes the same form without calling it.
func (a Audience) MarshalJSON() ([]byte, error) {
	return appendAudience(nil, len(a), func(i int) string { return a[i] }, "aud", 0)
}

// UnmarshalJSON accepts a JSON string or an array of strings, strictly (see Decode), for
// callers of encoding/json.
func (a *Audience) UnmarshalJSON(b []byte) error {
	d := decoder{s: string(b)}
	d.skipSpace()
	v, err := d.audience(0)
	if err != nil {
		return err
	}
	if d.skipSpace(); d.i != len(d.s) {
		return d.syntaxError("after audience")
	}
	*a = v
	return nil
}

// NumericDate is a JSON numeric date (RFC 7519 §2): seconds since 1970-01-01T00:00:00Z. The
// zero value means the claim is absent; Encode leaves absent dates out.
//
// Decode accepts a non-negative JSON number, with a fraction or an exponent, up to the end
// of the year 9999 (253402300799.999999999); digits past nanoseconds are dropped. Strings,
// booleans, null, negative numbers and later dates are rejected (ErrMalformed): a later
// date is most likely a count of milliseconds, as time.Time.UnixMilli and JavaScript's
// Date.now give, and would make a token valid for tens of thousands of years. Encode writes
// whole seconds, and refuses a date after 9999 with ErrEncode, as a NumericDate anywhere in
// the claims and as a plain number in exp, nbf or iat.
type NumericDate struct {
	sec  int64
	nsec int32
	set  bool
}

// maxNumericDate is the last second of the year 9999 (9999-12-31T23:59:59Z), the latest
// whole second a NumericDate may hold.
const maxNumericDate = 253402300799

// NewNumericDate returns t truncated to whole seconds. A t before 1970 gives the zero,
// absent, NumericDate, since a NumericDate cannot be negative. A t after the year 9999 is
// kept as it is, but Encode and MarshalJSON refuse the result (ErrEncode), as Decode would
// refuse it: most likely t was made from milliseconds, as in
// time.Unix(time.Now().UnixMilli(), 0).
func NewNumericDate(t time.Time) NumericDate {
	s := t.Unix()
	if s < 0 {
		return NumericDate{}
	}
	return NumericDate{sec: s, set: true}
}

// Time returns the date as a time.Time in UTC, or the zero time.Time when d is absent.
func (d NumericDate) Time() time.Time {
	if !d.set {
		return time.Time{}
	}
	return time.Unix(d.sec, int64(d.nsec)).UTC()
}

// Unix returns the whole seconds since 1970 (0 when absent).
func (d NumericDate) Unix() int64 { return d.sec }

// IsZero reports whether the date is absent.
func (d NumericDate) IsZero() bool { return !d.set }

// String formats the date as RFC 3339 in UTC, or "absent".
func (d NumericDate) String() string {
	if !d.set {
		return "absent"
	}
	return d.Time().Format(time.RFC3339Nano)
}

// MarshalJSON writes the whole seconds, or null for an absent date, for callers of
// encoding/json. It refuses a date after the year 9999 with ErrEncode, as Encode does.
func (d NumericDate) MarshalJSON() ([]byte, error) {
	if !d.set {
		return []byte("null"), nil
	}
	return appendDate(nil, d, "NumericDate")
}

// UnmarshalJSON accepts what Decode accepts (see NumericDate) and rejects null, for callers of
// encoding/json.
func (d *NumericDate) UnmarshalJSON(b []byte) error {
	v, err := parseNumericDate(strings.TrimSpace(string(b)))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// instant is a point in time as whole seconds since 1970 and nanoseconds.
type instant struct {
	sec  int64
	nsec int32
}

// add returns the instant d later (earlier when d is negative).
func (t instant) add(d time.Duration) instant {
	if d == 0 {
		return t
	}
	sec, nsec := t.sec+int64(d/time.Second), int64(t.nsec)+int64(d%time.Second)
	switch {
	case nsec < 0:
		sec, nsec = sec-1, nsec+1e9
	case nsec >= 1e9:
		sec, nsec = sec+1, nsec-1e9
	}
	return instant{sec, int32(nsec)}
}

// cmp compares d with t: -1 if d is earlier, 0 if equal, +1 if later.
func (d NumericDate) cmp(t instant) int {
	switch {
	case d.sec < t.sec || d.sec == t.sec && d.nsec < t.nsec:
		return -1
	case d.sec == t.sec && d.nsec == t.nsec:
		return 0
	}
	return 1
}

// parseNumericDate converts the text of a JSON number to a NumericDate without going through
// float64, so that no precision is lost and no out-of-range value wraps.
func parseNumericDate(num string) (NumericDate, error) {
	if !validNumber(num) {
		return NumericDate{}, errNumericDate
	}
	if num[0] == '-' {
		return NumericDate{}, errNumericDate
	}
	// Split into significant digits and the position of the decimal point among them.
	var digits [32]byte // the first 32 significant digits are more than enough
	nd, point := 0, 0
	i := 0
	sawNonZero := false
	addDigit := func(c byte) {
		if c != '0' {
			sawNonZero = true
		}
		if !sawNonZero {
			return
		}
		if nd < len(digits) {
			digits[nd] = c
		}
		nd++
	}
	for ; i < len(num) && num[i] >= '0' && num[i] <= '9'; i++ {
		addDigit(num[i])
	}
	point = nd
	if i < len(num) && num[i] == '.' {
		for i++; i < len(num) && num[i] >= '0' && num[i] <= '9'; i++ {
			if !sawNonZero && num[i] == '0' {
				point-- // leading zero after the point moves the point left
				continue
			}
			addDigit(num[i])
		}
	}
	if i < len(num) { // exponent
		i++
		neg := false
		if num[i] == '+' || num[i] == '-' {
			neg = num[i] == '-'
			i++
		}
		e := 0
		for ; i < len(num); i++ {
			if e < 100000 {
				e = e*10 + int(num[i]-'0')
			}
		}
		if neg {
			e = -e
		}
		point += e
	}
	if nd == 0 { // the value is zero
		return NumericDate{set: true}, nil
	}
	if point > 19 {
		return NumericDate{}, errLateDate
	}
	var sec uint64
	var nsec int64
	for k := 0; k < point; k++ {
		c := byte('0')
		if k < nd && k < len(digits) {
			c = digits[k]
		}
		sec = sec*10 + uint64(c-'0')
	}
	for k := point; k < point+9; k++ {
		c := byte('0')
		if k >= 0 && k < nd && k < len(digits) {
			c = digits[k]
		}
		nsec = nsec*10 + int64(c-'0')
	}
	if sec > maxNumericDate {
		return NumericDate{}, errLateDate
	}
	return NumericDate{sec: int64(sec), nsec: int32(nsec), set: true}, nil
}

// Expect is the validation policy of Decode. Its zero value is the secure default: exp is
// required, there is no leeway, and iss, aud, sub and typ are not checked.
//
// A token is valid when nbf − Leeway ≤ now < exp + Leeway (RFC 7519 §4.1.4, §4.1.5).
type Expect struct {
	// Issuer, when set, requires iss to be present and equal to it.
	Issuer string
	// Audience, when non-empty, requires aud to be present and to contain at least one of
	// these values.
	Audience []string
	// Subject, when set, requires sub to be present and equal to it.
	Subject string
	// Type, when set, requires the header's typ to name this media type. The comparison
	// ignores case and an "application/" prefix on either side (RFC 7515 §4.1.9), so "at+jwt"
	// matches "application/at+jwt".
	Type string
	// Leeway is the clock skew allowed on exp, nbf and iat. It must not be negative.
	Leeway time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// ExpiryOptional accepts tokens without exp. By default they are rejected: a token
	// without exp never expires.
	ExpiryOptional bool
	// CheckIssuedAt rejects tokens whose iat is after now + Leeway.
	CheckIssuedAt bool
	// MaxTokenSize is the longest token accepted, in bytes; 0 means DefaultMaxTokenSize.
	MaxTokenSize int
	// Claims, when non-empty, requires each named claim of the claims set itself (not one
	// nested in an object) to be present and to be a JSON string equal, byte for byte once
	// unescaped, to the value given: {"token_type": "access"} refuses the refresh tokens of
	// Django REST framework SimpleJWT. A missing claim is ErrMissingClaim, another value or
	// another JSON type ErrClaimValue. The check sees the member Decode delivers, whatever
	// the destination (nil, *Claims, a map, or a struct without such a field). Registered
	// claim names (iss, sub, aud, exp, nbf, iat, jti) have their own fields and are
	// ErrInvalidConfig here, as are names and values that are not valid UTF-8.
	Claims map[string]string

	// skipExpiry skips the exp check; the session helper uses it to log out with an expired
	// but genuine refresh token.
	skipExpiry bool
}

// DefaultMaxTokenSize is the size limit Decode applies when Expect.MaxTokenSize is 0.
const DefaultMaxTokenSize = 8 << 10

// validate checks the registered claims c, and the claims d found for want.Claims while it
// read the claims set (see decoder.required), against the policy, in a fixed order, and
// returns the first failure.
func (want *Expect) validate(c *Claims, d *decoder, now time.Time) error {
	if len(want.Claims) > 0 {
		if err := want.checkClaimsConfig(); err != nil {
			return err
		}
	}
	// The instants now - leeway and now + leeway, in whole seconds and nanoseconds.
	sec, nsec := now.Unix(), int32(now.Nanosecond())
	early, late := instant{sec, nsec}.add(-want.Leeway), instant{sec, nsec}.add(want.Leeway)
	if !want.skipExpiry {
		if !c.ExpiresAt.set {
			if !want.ExpiryOptional {
				return fmt.Errorf("%w: exp (tokens must expire; set Expect.ExpiryOptional to accept tokens without exp)", ErrMissingClaim)
			}
		} else if c.ExpiresAt.cmp(early) <= 0 {
			// now >= exp + leeway, computed as exp <= now - leeway so nothing overflows.
			return fmt.Errorf("%w: exp", ErrExpired)
		}
	}
	if c.NotBefore.set && c.NotBefore.cmp(late) > 0 {
		return fmt.Errorf("%w: nbf", ErrNotYetValid)
	}
	if want.CheckIssuedAt && c.IssuedAt.set && c.IssuedAt.cmp(late) > 0 {
		return fmt.Errorf("%w: iat", ErrIssuedInFuture)
	}
	if want.Issuer != "" {
		if c.Issuer == "" {
			return fmt.Errorf("%w: iss", ErrMissingClaim)
		}
		if c.Issuer != want.Issuer {
			return fmt.Errorf("%w: iss", ErrIssuer)
		}
	}
	if want.Subject != "" {
		if c.Subject == "" {
			return fmt.Errorf("%w: sub", ErrMissingClaim)
		}
		if c.Subject != want.Subject {
			return fmt.Errorf("%w: sub", ErrSubject)
		}
	}
	if len(want.Audience) > 0 {
		if len(c.Audience) == 0 {
			return fmt.Errorf("%w: aud", ErrMissingClaim)
		}
		ok := false
		for _, a := range want.Audience {
			if c.Audience.Contains(a) {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("%w: aud", ErrAudience)
		}
	}
	return want.checkClaims(d)
}

// checkClaimsConfig refuses an Expect.Claims entry that no token can satisfy, or that names
// a registered claim.
func (want *Expect) checkClaimsConfig() error {
	for name, value := range want.Claims {
		if registeredIndex(name) >= 0 {
			return fmt.Errorf("%w: Expect.Claims names the registered claim %s; use the Expect field for it (Issuer, Subject, Audience; exp, nbf and iat are always checked)", ErrInvalidConfig, name)
		}
		if !utf8.ValidString(name) || !utf8.ValidString(value) {
			return fmt.Errorf("%w: Expect.Claims holds a name or value that is not valid UTF-8, which no token can match; fix the configuration", ErrInvalidConfig)
		}
	}
	return nil
}

// checkClaims returns the first failure of the claims of want.Claims, as d found them: a
// claim of another value (the first in the token), else a missing one (the first by name).
func (want *Expect) checkClaims(d *decoder) error {
	if d.matched == len(want.Claims) {
		return nil
	}
	if d.wrong != "" {
		return fmt.Errorf("%w: %s is not the JSON string Expect.Claims requires", ErrClaimValue, d.wrong)
	}
	present := d.topNames()
	missing := ""
	for name := range want.Claims {
		if _, ok := present[name]; !ok && (missing == "" || name < missing) {
			missing = name
		}
	}
	return fmt.Errorf("%w: %s (Expect.Claims requires it)", ErrMissingClaim, missing)
}
