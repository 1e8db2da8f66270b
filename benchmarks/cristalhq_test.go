package benchmarks

import (
	"errors"
	"testing"
	"time"

	cristaljwt "github.com/cristalhq/jwt/v5"
)

// cristalhq/jwt/v5, used as its README shows (NewSignerHS + NewBuilder +
// Build; NewVerifierHS + ParseClaims into a struct that embeds
// RegisteredClaims, or into a map, then "verify claims as you wish").
//
// What it validates: ParseClaims checks only the format and the signature
// (the verifier is bound to HS256). Claims are checked here with the
// library's helpers, as its README suggests: IsValidAt (exp, nbf and iat,
// each only when present: a token without exp passes), IsIssuer and
// IsForAudience; a map destination is checked by checkMapRegistered.

type cristalhqClaims struct {
	cristaljwt.RegisteredClaims
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

type cristalhqFlat struct {
	cristaljwt.RegisteredClaims
	Flat30
}

type cristalhqRoles struct {
	cristaljwt.RegisteredClaims
	Roles
}

type cristalhqIdP struct {
	cristaljwt.RegisteredClaims
	IdP
}

var (
	errCristalTime     = errors.New("cristalhq: token not valid at this time")
	errCristalIssuer   = errors.New("cristalhq: wrong issuer")
	errCristalAudience = errors.New("cristalhq: wrong audience")
)

func init() {
	register(peer{name: "cristalhq", impls: map[string]impl{
		wStandard.name: {
			newSign: cristalhqSign(func(r cristaljwt.RegisteredClaims) any {
				return &cristalhqClaims{RegisteredClaims: r, Name: wlName, Admin: wlAdmin}
			}),
			newVerify: cristalhqVerify(func(c *cristalhqClaims) result {
				return result{sub: c.Subject, name: c.Name, admin: c.Admin}
			}),
		},
		wFlat.name: {
			newSign:   cristalhqSign(func(r cristaljwt.RegisteredClaims) any { return &cristalhqFlat{r, flatClaims} }),
			newVerify: cristalhqVerify(func(c *cristalhqFlat) result { return result{sub: c.Subject, priv: &c.Flat30} }),
		},
		wRoles.name: {
			newSign:   cristalhqSign(func(r cristaljwt.RegisteredClaims) any { return &cristalhqRoles{r, rolesClaims} }),
			newVerify: cristalhqVerify(func(c *cristalhqRoles) result { return result{sub: c.Subject, priv: &c.Roles} }),
		},
		wIdP.name: {
			newSign:   cristalhqSign(func(r cristaljwt.RegisteredClaims) any { return &cristalhqIdP{r, idpClaims} }),
			newVerify: cristalhqVerify(func(c *cristalhqIdP) result { return result{sub: c.Subject, priv: &c.IdP} }),
		},
		wIdPMap.name: {newVerify: cristalhqVerifyMap},
		wStdMap.name: {newVerify: cristalhqVerifyMap},
		wForeign.name: {newVerify: cristalhqVerify(func(c *cristalhqClaims) result {
			return result{sub: c.Subject, name: c.Name, admin: c.Admin}
		})},
	}})
}

// cristalhqSign signs the claims value that claims builds around w's
// registered claims.
func cristalhqSign(claims func(cristaljwt.RegisteredClaims) any) func(testing.TB, *workload) func() (string, error) {
	return func(tb testing.TB, w *workload) func() (string, error) {
		signer, err := cristaljwt.NewSignerHS(cristaljwt.HS256, wlSecret)
		if err != nil {
			tb.Fatal(err)
		}
		builder := cristaljwt.NewBuilder(signer)
		t := newTimes()
		c := claims(cristaljwt.RegisteredClaims{
			ID:        w.jti,
			Audience:  cristaljwt.Audience(w.aud),
			Issuer:    w.iss,
			Subject:   w.sub,
			ExpiresAt: cristaljwt.NewNumericDate(t.exp),
			IssuedAt:  cristaljwt.NewNumericDate(t.iat),
			NotBefore: cristaljwt.NewNumericDate(t.nbf),
		})
		return func() (string, error) {
			token, err := builder.Build(c)
			if err != nil {
				return "", err
			}
			return token.String(), nil
		}
	}
}

// cristalhqChecks are the claim helpers of RegisteredClaims, promoted to
// every struct that embeds it.
type cristalhqChecks interface {
	IsValidAt(time.Time) bool
	IsIssuer(string) bool
	IsForAudience(string) bool
}

// cristalhqVerify decodes into a new T per call, checks its registered
// claims and hands back what get reads.
func cristalhqVerify[T any, PT interface {
	*T
	cristalhqChecks
}](get func(PT) result) func(testing.TB, *workload) func(string) (result, error) {
	return func(tb testing.TB, w *workload) func(string) (result, error) {
		verifier, err := cristaljwt.NewVerifierHS(cristaljwt.HS256, wlSecret)
		if err != nil {
			tb.Fatal(err)
		}
		iss, aud := w.iss, w.aud[0]
		return func(tok string) (result, error) {
			c := PT(new(T))
			if err := cristaljwt.ParseClaims([]byte(tok), verifier, c); err != nil {
				return result{}, err
			}
			switch {
			case !c.IsValidAt(time.Now()):
				return result{}, errCristalTime
			case !c.IsIssuer(iss):
				return result{}, errCristalIssuer
			case !c.IsForAudience(aud):
				return result{}, errCristalAudience
			}
			return get(c), nil
		}
	}
}

func cristalhqVerifyMap(tb testing.TB, w *workload) func(string) (result, error) {
	verifier, err := cristaljwt.NewVerifierHS(cristaljwt.HS256, wlSecret)
	if err != nil {
		tb.Fatal(err)
	}
	return func(tok string) (result, error) {
		var m map[string]any
		if err := cristaljwt.ParseClaims([]byte(tok), verifier, &m); err != nil {
			return result{}, err
		}
		if err := checkMapRegistered(m, w, time.Now()); err != nil {
			return result{}, err
		}
		return result{sub: mapSub(m), priv: m}, nil
	}
}
