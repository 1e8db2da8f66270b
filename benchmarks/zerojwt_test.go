package benchmarks

import (
	"testing"

	"github.com/zerojwt/jwt"
)

// zerojwt, used as its API documents: a Key made once with jwt.NewKey,
// key.Encode(&claims) and key.Decode(token, &dst, jwt.Expect{...}) into a
// struct that embeds jwt.Claims, or into map[string]any.
//
// What it validates: size limit, exactly three segments, strict base64url
// and JSON, header alg equal to the key's (crit/b64 rejected), the MAC in
// constant time, then exp (required by default), nbf when present, iss
// (Expect.Issuer, then required) and aud (Expect.Audience, then required).
// iat is checked only with Expect.CheckIssuedAt, which is not enabled.

type zerojwtClaims struct {
	jwt.Claims
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

type zerojwtFlat struct {
	jwt.Claims
	Flat30
}

type zerojwtRoles struct {
	jwt.Claims
	Roles
}

type zerojwtIdP struct {
	jwt.Claims
	IdP
}

func init() {
	register(peer{name: "zerojwt", impls: map[string]impl{
		wStandard.name: {
			newSign: zerojwtSign(func(r jwt.Claims) any { return &zerojwtClaims{Claims: r, Name: wlName, Admin: wlAdmin} }),
			newVerify: zerojwtVerify(func(c *zerojwtClaims) result {
				return result{sub: c.Subject, name: c.Name, admin: c.Admin}
			}),
		},
		wFlat.name: {
			newSign:   zerojwtSign(func(r jwt.Claims) any { return &zerojwtFlat{r, flatClaims} }),
			newVerify: zerojwtVerify(func(c *zerojwtFlat) result { return result{sub: c.Subject, priv: &c.Flat30} }),
		},
		wRoles.name: {
			newSign:   zerojwtSign(func(r jwt.Claims) any { return &zerojwtRoles{r, rolesClaims} }),
			newVerify: zerojwtVerify(func(c *zerojwtRoles) result { return result{sub: c.Subject, priv: &c.Roles} }),
		},
		wIdP.name: {
			newSign:   zerojwtSign(func(r jwt.Claims) any { return &zerojwtIdP{r, idpClaims} }),
			newVerify: zerojwtVerify(func(c *zerojwtIdP) result { return result{sub: c.Subject, priv: &c.IdP} }),
		},
		wIdPMap.name: {newVerify: zerojwtVerifyMap},
		wStdMap.name: {newVerify: zerojwtVerifyMap},
		wForeign.name: {newVerify: zerojwtVerify(func(c *zerojwtClaims) result {
			return result{sub: c.Subject, name: c.Name, admin: c.Admin}
		})},
	}})
}

func zerojwtKey(tb testing.TB) *jwt.Key {
	key, err := jwt.NewKey(jwt.HS256, wlSecret)
	if err != nil {
		tb.Fatal(err)
	}
	return key
}

// zerojwtSign signs the claims value that claims builds around w's
// registered claims.
func zerojwtSign(claims func(jwt.Claims) any) func(testing.TB, *workload) func() (string, error) {
	return func(tb testing.TB, w *workload) func() (string, error) {
		key := zerojwtKey(tb)
		t := newTimes()
		c := claims(jwt.Claims{
			Issuer:    w.iss,
			Subject:   w.sub,
			Audience:  jwt.Audience(w.aud),
			ExpiresAt: jwt.NewNumericDate(t.exp),
			NotBefore: jwt.NewNumericDate(t.nbf),
			IssuedAt:  jwt.NewNumericDate(t.iat),
			ID:        w.jti,
		})
		return func() (string, error) {
			return key.Encode(c)
		}
	}
}

// zerojwtVerify decodes into a new T per call and hands back what get reads.
func zerojwtVerify[T any](get func(*T) result) func(testing.TB, *workload) func(string) (result, error) {
	return func(tb testing.TB, w *workload) func(string) (result, error) {
		key := zerojwtKey(tb)
		want := jwt.Expect{Issuer: w.iss, Audience: w.aud[:1]}
		return func(tok string) (result, error) {
			var c T
			if err := key.Decode(tok, &c, want); err != nil {
				return result{}, err
			}
			return get(&c), nil
		}
	}
}

func zerojwtVerifyMap(tb testing.TB, w *workload) func(string) (result, error) {
	key := zerojwtKey(tb)
	want := jwt.Expect{Issuer: w.iss, Audience: w.aud[:1]}
	return func(tok string) (result, error) {
		var m map[string]any
		if err := key.Decode(tok, &m, want); err != nil {
			return result{}, err
		}
		return result{sub: mapSub(m), priv: m}, nil
	}
}
