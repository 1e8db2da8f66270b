package interop

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	josev4 "github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
	gjwt "github.com/golang-jwt/jwt/v5"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
	jwxjwt "github.com/lestrrat-go/jwx/v3/jwt"
)

// ---------------------------------------------------------------------------
// Signers: each peer library producing a token from a claimSet.

type signReq struct {
	alg string
	key []byte
	kid string
	cs  claimSet
}

// signer is one peer way of producing a token. Go signers have sign set;
// Node signers have nodeLib set and run batched through runNode.
type signer struct {
	name     string
	supports func(claimSet) bool // what the library's API can express
	sign     func(signReq) (string, error)
	nodeLib  string
}

func always(claimSet) bool { return true }

// typedOnly: libraries whose typed claims write integer seconds and aud as
// an array.
func typedArrayOnly(cs claimSet) bool { return !cs.fractional() && !cs.audAsString }

var signers = []signer{
	{name: "golang-jwt/RegisteredClaims", supports: typedArrayOnly, sign: signGolangJWTStruct},
	{name: "golang-jwt/MapClaims", supports: always, sign: signGolangJWTMap},
	{name: "jwx/jwt.Sign", supports: typedArrayOnly, sign: signJWXToken},
	{name: "jwx/jws.Sign", supports: always, sign: signJWXRaw},
	{name: "go-jose/jwt.Claims", supports: func(cs claimSet) bool {
		// go-jose writes a one-element aud as a string, others as arrays.
		return !cs.fractional() && cs.audAsString == (len(cs.aud) == 1)
	}, sign: signGoJoseStruct},
	{name: "go-jose/map", supports: always, sign: signGoJoseMap},
	{name: "node/jose", supports: always, nodeLib: "jose"},
	{name: "node/jsonwebtoken", supports: always, nodeLib: "jsonwebtoken"},
}

// signAll signs every request with s. Node requests go in one batch.
func signAll(t *testing.T, s signer, reqs []signReq) []string {
	t.Helper()
	toks := make([]string, len(reqs))
	if s.nodeLib == "" {
		for i, r := range reqs {
			tok, err := s.sign(r)
			if err != nil {
				t.Fatalf("%s sign %s %s: %v", s.name, r.alg, r.cs.name, err)
			}
			toks[i] = tok
		}
		return toks
	}
	ops := make([]nodeOp, len(reqs))
	for i, r := range reqs {
		kid := r.kid
		ops[i] = nodeOp{Op: "sign", Lib: s.nodeLib, Alg: r.alg, Key: b64(r.key), Kid: &kid, Payload: r.cs.asMap()}
	}
	for i, res := range runNode(t, ops) {
		if !res.OK {
			t.Fatalf("%s sign %s %s: %s", s.name, reqs[i].alg, reqs[i].cs.name, res.Error)
		}
		toks[i] = res.Token
	}
	return toks
}

// gjClaims is golang-jwt's typed claims: RegisteredClaims plus the private
// claims.
type gjClaims struct {
	gjwt.RegisteredClaims
	privateStruct
}

func gjDate(s float64) *gjwt.NumericDate {
	if s == 0 {
		return nil
	}
	return gjwt.NewNumericDate(secondsTime(s))
}

func signGolangJWTStruct(r signReq) (string, error) {
	c := gjClaims{
		RegisteredClaims: gjwt.RegisteredClaims{
			Issuer: r.cs.iss, Subject: r.cs.sub, ID: r.cs.jti, Audience: r.cs.aud,
			ExpiresAt: gjDate(r.cs.exp), NotBefore: gjDate(r.cs.nbf), IssuedAt: gjDate(r.cs.iat),
		},
		privateStruct: wantPrivateStruct(),
	}
	tok := gjwt.NewWithClaims(gjwt.GetSigningMethod(r.alg), c)
	tok.Header["kid"] = r.kid
	return tok.SignedString(r.key)
}

func signGolangJWTMap(r signReq) (string, error) {
	tok := gjwt.NewWithClaims(gjwt.GetSigningMethod(r.alg), gjwt.MapClaims(r.cs.asMap()))
	tok.Header["kid"] = r.kid
	return tok.SignedString(r.key)
}

func jwxAlg(alg string) jwa.SignatureAlgorithm {
	a, ok := jwa.LookupSignatureAlgorithm(alg)
	if !ok {
		panic("jwx: unknown alg " + alg)
	}
	return a
}

func jwxHeaders(kid string) (jws.Headers, error) {
	h := jws.NewHeaders()
	if err := h.Set(jws.KeyIDKey, kid); err != nil {
		return nil, err
	}
	if err := h.Set(jws.TypeKey, "JWT"); err != nil {
		return nil, err
	}
	return h, nil
}

func signJWXToken(r signReq) (string, error) {
	t := jwxjwt.New()
	set := func(k string, v any) {
		if err := t.Set(k, v); err != nil {
			panic(fmt.Sprintf("jwx set %s: %v", k, err))
		}
	}
	set(jwxjwt.IssuerKey, r.cs.iss)
	set(jwxjwt.SubjectKey, r.cs.sub)
	set(jwxjwt.JwtIDKey, r.cs.jti)
	set(jwxjwt.AudienceKey, r.cs.aud)
	set(jwxjwt.ExpirationKey, secondsTime(r.cs.exp))
	set(jwxjwt.NotBeforeKey, secondsTime(r.cs.nbf))
	set(jwxjwt.IssuedAtKey, secondsTime(r.cs.iat))
	for k, v := range privateClaims() {
		set(k, v)
	}
	h, err := jwxHeaders(r.kid)
	if err != nil {
		return "", err
	}
	b, err := jwxjwt.Sign(t, jwxjwt.WithKey(jwxAlg(r.alg), r.key, jws.WithProtectedHeaders(h)))
	return string(b), err
}

func signJWXRaw(r signReq) (string, error) {
	h, err := jwxHeaders(r.kid)
	if err != nil {
		return "", err
	}
	b, err := jws.Sign(r.cs.payloadJSON(), jws.WithKey(jwxAlg(r.alg), r.key, jws.WithProtectedHeaders(h)))
	return string(b), err
}

func goJoseSigner(alg string, key []byte, kid string) (josev4.Signer, error) {
	opts := (&josev4.SignerOptions{}).WithType("JWT").WithHeader("kid", kid)
	return josev4.NewSigner(josev4.SigningKey{Algorithm: josev4.SignatureAlgorithm(alg), Key: key}, opts)
}

func joseDate(s float64) *josejwt.NumericDate {
	if s == 0 {
		return nil
	}
	return josejwt.NewNumericDate(secondsTime(s))
}

func signGoJoseStruct(r signReq) (string, error) {
	sig, err := goJoseSigner(r.alg, r.key, r.kid)
	if err != nil {
		return "", err
	}
	c := josejwt.Claims{
		Issuer: r.cs.iss, Subject: r.cs.sub, ID: r.cs.jti, Audience: josejwt.Audience(r.cs.aud),
		Expiry: joseDate(r.cs.exp), NotBefore: joseDate(r.cs.nbf), IssuedAt: joseDate(r.cs.iat),
	}
	return josejwt.Signed(sig).Claims(c).Claims(wantPrivateStruct()).Serialize()
}

func signGoJoseMap(r signReq) (string, error) {
	sig, err := goJoseSigner(r.alg, r.key, r.kid)
	if err != nil {
		return "", err
	}
	return josejwt.Signed(sig).Claims(r.cs.asMap()).Serialize()
}

// ---------------------------------------------------------------------------
// Verifiers: each peer library verifying a token and returning its claims.

type verifyReq struct {
	alg      string
	key      []byte
	token    string
	audience string // "" = not checked
	issuer   string // "" = not checked
}

// verified is what a peer reports for a token it accepted: the header's
// kid and typ, and the claims in the encoding/json model.
type verified struct {
	kid, typ string
	claims   map[string]any
}

// verifier is one peer verifying tokens with the algorithm allow-listed, the
// clock fixed at testNow, no leeway, and otherwise the library's defaults.
type verifier struct {
	name           string
	audAlwaysArray bool // the library's claims model does not keep a string aud
	truncatesDates bool // the library drops the fraction of a NumericDate
	verify         func(verifyReq) (verified, error)
	nodeLib        string
}

var verifiers = []verifier{
	{name: "golang-jwt/RegisteredClaims", audAlwaysArray: true, truncatesDates: true, verify: verifyGolangJWTStruct},
	{name: "golang-jwt/MapClaims", verify: verifyGolangJWTMap},
	{name: "jwx", audAlwaysArray: true, truncatesDates: true, verify: verifyJWX},
	{name: "go-jose", verify: verifyGoJose},
	{name: "node/jose", nodeLib: "jose"},
	{name: "node/jsonwebtoken", nodeLib: "jsonwebtoken"},
}

// verifyResult is a verifier's answer for one request.
type verifyResult struct {
	v   verified
	err error
}

// verifyAll runs every request through v. Node requests go in one batch.
func verifyAll(t *testing.T, v verifier, reqs []verifyReq) []verifyResult {
	t.Helper()
	out := make([]verifyResult, len(reqs))
	if v.nodeLib == "" {
		for i, r := range reqs {
			out[i].v, out[i].err = v.verify(r)
		}
		return out
	}
	ops := make([]nodeOp, len(reqs))
	for i, r := range reqs {
		ops[i] = nodeOp{Op: "verify", Lib: v.nodeLib, Alg: r.alg, Key: b64(r.key), Token: r.token,
			Now: nowUnix, Audience: r.audience, Issuer: r.issuer}
	}
	for i, res := range runNode(t, ops) {
		if !res.OK {
			out[i].err = errors.New(res.Error)
			continue
		}
		var claims map[string]any
		if err := json.Unmarshal(res.Payload, &claims); err != nil {
			// Accepted, but the claims are not an object (jsonwebtoken
			// returns a non-JSON payload as a string).
			claims = map[string]any{"": string(res.Payload)}
		}
		out[i].v = verified{kid: headerString(res.Header, "kid"), typ: headerString(res.Header, "typ"), claims: claims}
	}
	return out
}

func headerString(h map[string]any, k string) string {
	s, _ := h[k].(string)
	return s
}

func golangJWTOptions(r verifyReq) []gjwt.ParserOption {
	opts := []gjwt.ParserOption{
		gjwt.WithValidMethods([]string{r.alg}),
		gjwt.WithTimeFunc(func() time.Time { return testNow }),
	}
	if r.audience != "" {
		opts = append(opts, gjwt.WithAudience(r.audience))
	}
	if r.issuer != "" {
		opts = append(opts, gjwt.WithIssuer(r.issuer))
	}
	return opts
}

func golangJWTKey(key []byte) gjwt.Keyfunc {
	return func(*gjwt.Token) (any, error) { return key, nil }
}

func verifyGolangJWTStruct(r verifyReq) (verified, error) {
	var c gjClaims
	tok, err := gjwt.ParseWithClaims(r.token, &c, golangJWTKey(r.key), golangJWTOptions(r)...)
	if err != nil {
		return verified{}, err
	}
	pm, err := jsonModel(c.privateStruct)
	if err != nil {
		return verified{}, err
	}
	m, ok := pm.(map[string]any)
	if !ok {
		return verified{}, fmt.Errorf("private claims are not an object: %T", pm)
	}
	rc := c.RegisteredClaims
	putString(m, "iss", rc.Issuer)
	putString(m, "sub", rc.Subject)
	putString(m, "jti", rc.ID)
	if rc.Audience != nil {
		putAud(m, rc.Audience)
	}
	for k, d := range map[string]*gjwt.NumericDate{"exp": rc.ExpiresAt, "nbf": rc.NotBefore, "iat": rc.IssuedAt} {
		if d != nil {
			m[k] = timeSeconds(d.Time)
		}
	}
	return verified{kid: headerString(tok.Header, "kid"), typ: headerString(tok.Header, "typ"), claims: m}, nil
}

func verifyGolangJWTMap(r verifyReq) (verified, error) {
	var c gjwt.MapClaims
	tok, err := gjwt.ParseWithClaims(r.token, &c, golangJWTKey(r.key), golangJWTOptions(r)...)
	if err != nil {
		return verified{}, err
	}
	return verified{kid: headerString(tok.Header, "kid"), typ: headerString(tok.Header, "typ"), claims: map[string]any(c)}, nil
}

func verifyJWX(r verifyReq) (verified, error) {
	opts := []jwxjwt.ParseOption{
		jwxjwt.WithKey(jwxAlg(r.alg), r.key),
		jwxjwt.WithValidate(true),
		jwxjwt.WithClock(jwxjwt.ClockFunc(func() time.Time { return testNow })),
	}
	if r.audience != "" {
		opts = append(opts, jwxjwt.WithAudience(r.audience))
	}
	if r.issuer != "" {
		opts = append(opts, jwxjwt.WithIssuer(r.issuer))
	}
	tok, err := jwxjwt.Parse([]byte(r.token), opts...)
	if err != nil {
		return verified{}, err
	}
	m := map[string]any{}
	for _, k := range tok.Keys() {
		var v any
		if err := tok.Get(k, &v); err != nil {
			return verified{}, fmt.Errorf("jwx get %q: %w", k, err)
		}
		switch x := v.(type) {
		case time.Time:
			m[k] = timeSeconds(x)
		case []string:
			putAud(m, x)
		default:
			// Private claims: back through encoding/json so that every
			// peer reports the same model.
			jv, err := jsonModel(x)
			if err != nil {
				return verified{}, err
			}
			m[k] = jv
		}
	}
	// The header is only reachable through the JWS layer.
	msg, err := jws.Parse([]byte(r.token))
	if err != nil {
		return verified{}, err
	}
	h := msg.Signatures()[0].ProtectedHeaders()
	kid, _ := h.KeyID()
	typ, _ := h.Type()
	return verified{kid: kid, typ: typ, claims: m}, nil
}

func verifyGoJose(r verifyReq) (verified, error) {
	tok, err := josejwt.ParseSigned(r.token, []josev4.SignatureAlgorithm{josev4.SignatureAlgorithm(r.alg)})
	if err != nil {
		return verified{}, err
	}
	var c josejwt.Claims
	var m map[string]any
	if err := tok.Claims(r.key, &c, &m); err != nil {
		return verified{}, err
	}
	want := josejwt.Expected{Issuer: r.issuer, Time: testNow}
	if r.audience != "" {
		want.AnyAudience = josejwt.Audience{r.audience}
	}
	if err := c.ValidateWithLeeway(want, 0); err != nil {
		return verified{}, err
	}
	var typ string
	if v, ok := tok.Headers[0].ExtraHeaders[josev4.HeaderType].(string); ok {
		typ = v
	}
	return verified{kid: tok.Headers[0].KeyID, typ: typ, claims: m}, nil
}

func putString(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

func putAud(m map[string]any, aud []string) {
	a := make([]any, len(aud))
	for i, s := range aud {
		a[i] = s
	}
	m["aud"] = a
}

// jsonModel round-trips v through encoding/json: a struct becomes a
// map[string]any, a number float64, and so on.
func jsonModel(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}
