package benchmarks

import (
	"errors"
	"testing"
	"time"

	cristaljwt "github.com/cristalhq/jwt/v5"
)

// cristalhq/jwt/v5, used as its README shows (NewSignerHS + NewBuilder +
// Build; NewVerifierHS + ParseClaims into a struct that embeds
// RegisteredClaims, then "verify claims as you wish" with its helpers).
//
// What it validates: ParseClaims checks only the format and the signature
// (the verifier is bound to HS256). Claims are checked here with the
// library's helpers, as its README suggests: IsValidAt (exp, nbf and iat,
// each only when present: a token without exp passes), IsIssuer and
// IsForAudience.

type cristalhqClaims struct {
	cristaljwt.RegisteredClaims
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

var (
	errCristalTime     = errors.New("cristalhq: token not valid at this time")
	errCristalIssuer   = errors.New("cristalhq: wrong issuer")
	errCristalAudience = errors.New("cristalhq: wrong audience")
)

func init() {
	register(peer{name: "cristalhq", newSign: cristalhqSign, newVerify: cristalhqVerify})
}

func cristalhqSign(tb testing.TB) func() (string, error) {
	signer, err := cristaljwt.NewSignerHS(cristaljwt.HS256, wlSecret)
	if err != nil {
		tb.Fatal(err)
	}
	builder := cristaljwt.NewBuilder(signer)
	t := newTimes()
	claims := &cristalhqClaims{
		RegisteredClaims: cristaljwt.RegisteredClaims{
			ID:        wlID,
			Audience:  cristaljwt.Audience{wlAudience},
			Issuer:    wlIssuer,
			Subject:   wlSubject,
			ExpiresAt: cristaljwt.NewNumericDate(t.exp),
			IssuedAt:  cristaljwt.NewNumericDate(t.iat),
			NotBefore: cristaljwt.NewNumericDate(t.nbf),
		},
		Name:  wlName,
		Admin: wlAdmin,
	}
	return func() (string, error) {
		token, err := builder.Build(claims)
		if err != nil {
			return "", err
		}
		return token.String(), nil
	}
}

func cristalhqVerify(tb testing.TB) func(string) (decoded, error) {
	verifier, err := cristaljwt.NewVerifierHS(cristaljwt.HS256, wlSecret)
	if err != nil {
		tb.Fatal(err)
	}
	return func(tok string) (decoded, error) {
		var c cristalhqClaims
		if err := cristaljwt.ParseClaims([]byte(tok), verifier, &c); err != nil {
			return decoded{}, err
		}
		switch {
		case !c.IsValidAt(time.Now()):
			return decoded{}, errCristalTime
		case !c.IsIssuer(wlIssuer):
			return decoded{}, errCristalIssuer
		case !c.IsForAudience(wlAudience):
			return decoded{}, errCristalAudience
		}
		return decoded{sub: c.Subject, name: c.Name, admin: c.Admin}, nil
	}
}
