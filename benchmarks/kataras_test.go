package benchmarks

import (
	"testing"

	katarasjwt "github.com/kataras/jwt"
)

// kataras/jwt, used as its README shows (jwt.Sign with a claims struct;
// jwt.Verify with the Expected validator, then VerifiedToken.Claims into a
// struct that embeds jwt.Claims). Both functions work on []byte, so the
// token string is converted on the way in and out.
//
// What it validates: the signature with the alg fixed by the caller, and the
// header byte-for-byte against {"alg":"HS256","typ":"JWT"}; exp, nbf and
// iat (each only when present: a token without exp passes); iss and aud
// through Expected (aud must equal the expected list exactly, same order).

type katarasClaims struct {
	katarasjwt.Claims
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

func init() {
	register(peer{name: "kataras", newSign: katarasSign, newVerify: katarasVerify})
}

func katarasSign(testing.TB) func() (string, error) {
	t := newTimes()
	claims := katarasClaims{
		Claims: katarasjwt.Claims{
			NotBefore: t.nbf.Unix(),
			IssuedAt:  t.iat.Unix(),
			Expiry:    t.exp.Unix(),
			ID:        wlID,
			Issuer:    wlIssuer,
			Subject:   wlSubject,
			Audience:  katarasjwt.Audience{wlAudience},
		},
		Name:  wlName,
		Admin: wlAdmin,
	}
	return func() (string, error) {
		token, err := katarasjwt.Sign(katarasjwt.HS256, wlSecret, claims)
		return string(token), err
	}
}

func katarasVerify(testing.TB) func(string) (decoded, error) {
	expected := katarasjwt.Expected{
		Issuer:   wlIssuer,
		Audience: katarasjwt.Audience{wlAudience},
	}
	return func(tok string) (decoded, error) {
		verified, err := katarasjwt.Verify(katarasjwt.HS256, wlSecret, []byte(tok), expected)
		if err != nil {
			return decoded{}, err
		}
		var c katarasClaims
		if err := verified.Claims(&c); err != nil {
			return decoded{}, err
		}
		return decoded{sub: c.Subject, name: c.Name, admin: c.Admin}, nil
	}
}
