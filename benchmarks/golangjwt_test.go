package benchmarks

import (
	"errors"
	"testing"

	golangjwt "github.com/golang-jwt/jwt/v5"
)

// golang-jwt/jwt/v5, used as its godoc examples show (NewWithClaims +
// SignedString; a Parser with options + ParseWithClaims into a struct that
// embeds RegisteredClaims).
//
// What it validates here: the signature; alg against WithValidMethods; exp
// (made mandatory with WithExpirationRequired, as zerojwt requires it by
// default); nbf when present; iss (WithIssuer, then required); aud
// (WithAudience, then required). iat is only checked with WithIssuedAt, which
// is not enabled (the workload does not ask for it).

type golangJWTClaims struct {
	golangjwt.RegisteredClaims
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

func init() {
	register(peer{name: "golang-jwt", impls: standardOnly(golangJWTSign, golangJWTVerify)})
}

func golangJWTSign(testing.TB) func() (string, error) {
	t := newTimes()
	claims := golangJWTClaims{
		RegisteredClaims: golangjwt.RegisteredClaims{
			Issuer:    wlIssuer,
			Subject:   wlSubject,
			Audience:  golangjwt.ClaimStrings{wlAudience},
			ExpiresAt: golangjwt.NewNumericDate(t.exp),
			NotBefore: golangjwt.NewNumericDate(t.nbf),
			IssuedAt:  golangjwt.NewNumericDate(t.iat),
			ID:        wlID,
		},
		Name:  wlName,
		Admin: wlAdmin,
	}
	return func() (string, error) {
		return golangjwt.NewWithClaims(golangjwt.SigningMethodHS256, claims).SignedString(wlSecret)
	}
}

func golangJWTVerify(testing.TB) func(string) (decoded, error) {
	parser := golangjwt.NewParser(
		golangjwt.WithValidMethods([]string{golangjwt.SigningMethodHS256.Alg()}),
		golangjwt.WithIssuer(wlIssuer),
		golangjwt.WithAudience(wlAudience),
		golangjwt.WithExpirationRequired(),
	)
	var key any = wlSecret // boxed once, not per call
	keyFunc := func(*golangjwt.Token) (any, error) { return key, nil }
	return func(tok string) (decoded, error) {
		token, err := parser.ParseWithClaims(tok, &golangJWTClaims{}, keyFunc)
		if err != nil {
			return decoded{}, err
		}
		c, ok := token.Claims.(*golangJWTClaims)
		if !ok {
			return decoded{}, errors.New("golang-jwt: unexpected claims type")
		}
		return decoded{sub: c.Subject, name: c.Name, admin: c.Admin}, nil
	}
}
