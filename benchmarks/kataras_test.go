package benchmarks

import (
	"testing"

	katarasjwt "github.com/kataras/jwt"
)

// kataras/jwt, used as its README shows (jwt.Sign with a claims struct;
// jwt.Verify with the Expected validator, then VerifiedToken.Claims into a
// struct that embeds jwt.Claims, or into a map). Both functions work on
// []byte, so the token string is converted on the way in and out.
//
// What it validates: the signature with the alg fixed by the caller, and the
// header byte-for-byte against {"alg":"HS256","typ":"JWT"} (or
// {"alg":"HS256"}); exp, nbf and iat (each only when present: a token
// without exp passes); iss and aud through Expected (aud must equal the
// expected list exactly, same order, so Expected holds the token's whole
// list).

type katarasClaims struct {
	katarasjwt.Claims
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

type katarasFlat struct {
	katarasjwt.Claims
	Flat30
}

type katarasRoles struct {
	katarasjwt.Claims
	Roles
}

type katarasIdP struct {
	katarasjwt.Claims
	IdP
}

func init() {
	register(peer{name: "kataras", impls: map[string]impl{
		wStandard.name: {
			newSign: katarasSign(func(r katarasjwt.Claims) any { return katarasClaims{Claims: r, Name: wlName, Admin: wlAdmin} }),
			newVerify: katarasVerify(func(c *katarasClaims) result {
				return result{sub: c.Subject, name: c.Name, admin: c.Admin}
			}),
		},
		wFlat.name: {
			newSign:   katarasSign(func(r katarasjwt.Claims) any { return katarasFlat{r, flatClaims} }),
			newVerify: katarasVerify(func(c *katarasFlat) result { return result{sub: c.Subject, priv: &c.Flat30} }),
		},
		wRoles.name: {
			newSign:   katarasSign(func(r katarasjwt.Claims) any { return katarasRoles{r, rolesClaims} }),
			newVerify: katarasVerify(func(c *katarasRoles) result { return result{sub: c.Subject, priv: &c.Roles} }),
		},
		wIdP.name: {
			newSign:   katarasSign(func(r katarasjwt.Claims) any { return katarasIdP{r, idpClaims} }),
			newVerify: katarasVerify(func(c *katarasIdP) result { return result{sub: c.Subject, priv: &c.IdP} }),
		},
		wIdPMap.name: {newVerify: katarasVerify(katarasMapResult)},
		wStdMap.name: {newVerify: katarasVerify(katarasMapResult)},
		wForeign.name: {newVerify: katarasVerify(func(c *katarasClaims) result {
			return result{sub: c.Subject, name: c.Name, admin: c.Admin}
		})},
	}})
}

func katarasMapResult(m *map[string]any) result { return result{sub: mapSub(*m), priv: *m} }

// katarasSign signs the claims value that claims builds around w's
// registered claims.
func katarasSign(claims func(katarasjwt.Claims) any) func(testing.TB, *workload) func() (string, error) {
	return func(_ testing.TB, w *workload) func() (string, error) {
		t := newTimes()
		c := claims(katarasjwt.Claims{
			NotBefore: t.nbf.Unix(),
			IssuedAt:  t.iat.Unix(),
			Expiry:    t.exp.Unix(),
			ID:        w.jti,
			Issuer:    w.iss,
			Subject:   w.sub,
			Audience:  katarasjwt.Audience(w.aud),
		})
		return func() (string, error) {
			token, err := katarasjwt.Sign(katarasjwt.HS256, wlSecret, c)
			return string(token), err
		}
	}
}

// katarasVerify decodes into a new T per call and hands back what get reads.
func katarasVerify[T any](get func(*T) result) func(testing.TB, *workload) func(string) (result, error) {
	return func(_ testing.TB, w *workload) func(string) (result, error) {
		expected := katarasjwt.Expected{
			Issuer:   w.iss,
			Audience: katarasjwt.Audience(w.aud),
		}
		return func(tok string) (result, error) {
			verified, err := katarasjwt.Verify(katarasjwt.HS256, wlSecret, []byte(tok), expected)
			if err != nil {
				return result{}, err
			}
			var c T
			if err := verified.Claims(&c); err != nil {
				return result{}, err
			}
			return get(&c), nil
		}
	}
}
