package benchmarks

import (
	"errors"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
	jwxjwt "github.com/lestrrat-go/jwx/v3/jwt"
)

// lestrrat-go/jwx/v3, used as its docs/01-jwt.md shows: jwt.NewBuilder to
// create the token, jwt.Sign(tok, jwt.WithKey(jwa.HS256(), key)), and
// jwt.Parse(buf, jwt.WithKey(...), jwt.WithIssuer(...), jwt.WithAudience(...))
// with validation on (its default). Parse and Sign work on []byte, so the
// token string is converted on the way in and out.
//
// Deviation forced by its API: jwx has no registered-claims struct to embed;
// a token is a jwt.Token (an interface with accessors), so the claims value
// is a built jwt.Token and the decoded fields are read through its
// accessors (Subject, Get). The docs' "Performance" section suggests
// jws.Verify + json.Unmarshal into a plain struct instead, but that skips all
// claim validation, so it is not used here.
//
// What it validates: the signature with the alg bound to the key
// (WithKey); iat, exp and nbf (each only when present: a token without exp
// passes); iss (WithIssuer) and aud (WithAudience).

var errJWXClaim = errors.New("jwx: missing claim")

func init() {
	register(peer{name: "jwx", impls: standardOnly(jwxSign, jwxVerify)})
}

func jwxSign(tb testing.TB) func() (string, error) {
	t := newTimes()
	tok, err := jwxjwt.NewBuilder().
		Issuer(wlIssuer).
		Subject(wlSubject).
		Audience([]string{wlAudience}).
		Expiration(t.exp).
		NotBefore(t.nbf).
		IssuedAt(t.iat).
		JwtID(wlID).
		Claim("name", wlName).
		Claim("admin", wlAdmin).
		Build()
	if err != nil {
		tb.Fatal(err)
	}
	withKey := jwxjwt.WithKey(jwa.HS256(), wlSecret)
	return func() (string, error) {
		signed, err := jwxjwt.Sign(tok, withKey)
		return string(signed), err
	}
}

func jwxVerify(testing.TB) func(string) (decoded, error) {
	opts := []jwxjwt.ParseOption{
		jwxjwt.WithKey(jwa.HS256(), wlSecret),
		jwxjwt.WithIssuer(wlIssuer),
		jwxjwt.WithAudience(wlAudience),
	}
	return func(tok string) (decoded, error) {
		t, err := jwxjwt.Parse([]byte(tok), opts...)
		if err != nil {
			return decoded{}, err
		}
		var d decoded
		var ok bool
		if d.sub, ok = t.Subject(); !ok {
			return decoded{}, errJWXClaim
		}
		if err := t.Get("name", &d.name); err != nil {
			return decoded{}, err
		}
		if err := t.Get("admin", &d.admin); err != nil {
			return decoded{}, err
		}
		return d, nil
	}
}
