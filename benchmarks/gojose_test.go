package benchmarks

import (
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
)

// go-jose/go-jose/v4 (jwt package), used as its godoc examples show:
// jose.NewSigner with SignerOptions.WithType("JWT") and
// jwt.Signed(sig).Claims(c).Serialize(); jwt.ParseSigned(raw, algs),
// Token.Claims(key, &dst) into a struct that embeds jwt.Claims, then
// Claims.Validate(jwt.Expected{...}).
//
// What it validates: ParseSigned restricts alg to the given list, Claims
// verifies the signature. Validate checks iss (Issuer) and aud
// (AnyAudience), and exp, nbf and iat each only when present (a token
// without exp passes), with its default leeway of one minute.

type goJoseClaims struct {
	josejwt.Claims
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

func init() {
	register(peer{name: "go-jose", impls: standardOnly(goJoseSign, goJoseVerify)})
}

func goJoseSign(tb testing.TB) func() (string, error) {
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: wlSecret},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		tb.Fatal(err)
	}
	t := newTimes()
	claims := goJoseClaims{
		Claims: josejwt.Claims{
			Issuer:    wlIssuer,
			Subject:   wlSubject,
			Audience:  josejwt.Audience{wlAudience},
			Expiry:    josejwt.NewNumericDate(t.exp),
			NotBefore: josejwt.NewNumericDate(t.nbf),
			IssuedAt:  josejwt.NewNumericDate(t.iat),
			ID:        wlID,
		},
		Name:  wlName,
		Admin: wlAdmin,
	}
	return func() (string, error) {
		return josejwt.Signed(sig).Claims(claims).Serialize()
	}
}

func goJoseVerify(testing.TB) func(string) (decoded, error) {
	algs := []jose.SignatureAlgorithm{jose.HS256}
	var key any = wlSecret // boxed once, not per call
	expected := josejwt.Expected{
		Issuer:      wlIssuer,
		AnyAudience: josejwt.Audience{wlAudience},
	}
	return func(tok string) (decoded, error) {
		t, err := josejwt.ParseSigned(tok, algs)
		if err != nil {
			return decoded{}, err
		}
		var c goJoseClaims
		if err := t.Claims(key, &c); err != nil {
			return decoded{}, err
		}
		if err := c.Validate(expected); err != nil {
			return decoded{}, err
		}
		return decoded{sub: c.Subject, name: c.Name, admin: c.Admin}, nil
	}
}
