package benchmarks

import (
	"testing"

	"github.com/zerojwt/jwt"
)

// zerojwt, used as its API documents: a Key made once with jwt.NewKey,
// key.Encode(&claims) and key.Decode(token, &dst, jwt.Expect{...}) into a
// struct that embeds jwt.Claims.
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

func init() {
	register(peer{name: "zerojwt", newSign: zerojwtSign, newVerify: zerojwtVerify})
}

func zerojwtSign(tb testing.TB) func() (string, error) {
	key, err := jwt.NewKey(jwt.HS256, wlSecret)
	if err != nil {
		tb.Fatal(err)
	}
	t := newTimes()
	claims := zerojwtClaims{
		Claims: jwt.Claims{
			Issuer:    wlIssuer,
			Subject:   wlSubject,
			Audience:  jwt.Audience{wlAudience},
			ExpiresAt: jwt.NewNumericDate(t.exp),
			NotBefore: jwt.NewNumericDate(t.nbf),
			IssuedAt:  jwt.NewNumericDate(t.iat),
			ID:        wlID,
		},
		Name:  wlName,
		Admin: wlAdmin,
	}
	return func() (string, error) {
		return key.Encode(&claims)
	}
}

func zerojwtVerify(tb testing.TB) func(string) (decoded, error) {
	key, err := jwt.NewKey(jwt.HS256, wlSecret)
	if err != nil {
		tb.Fatal(err)
	}
	want := jwt.Expect{Issuer: wlIssuer, Audience: []string{wlAudience}}
	return func(tok string) (decoded, error) {
		var c zerojwtClaims
		if err := key.Decode(tok, &c, want); err != nil {
			return decoded{}, err
		}
		return decoded{sub: c.Subject, name: c.Name, admin: c.Admin}, nil
	}
}
