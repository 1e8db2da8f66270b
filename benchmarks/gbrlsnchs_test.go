package benchmarks

import (
	"testing"
	"time"

	gbjwt "github.com/gbrlsnchs/jwt/v3"
)

// gbrlsnchs/jwt/v3, used as its README shows: jwt.Sign(payload, hs) with a
// struct that embeds jwt.Payload; jwt.Verify with ValidateHeader (checks alg
// before verifying) and ValidatePayload with its validators. Both functions
// work on []byte, so the token string is converted on the way in and out.
//
// What it validates: the signature (HS256 instance) and, with the options
// below, the header alg; exp (required), nbf and iat (only when present),
// iss and aud. The time validators capture "now" when they are built, so
// they are built per operation (as a server must do per request); the iss
// and aud validators are prepared once. Its validators need the embedded
// Payload, so a map destination is checked by checkMapRegistered.

type gbrlsnchsClaims struct {
	gbjwt.Payload
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

type gbrlsnchsFlat struct {
	gbjwt.Payload
	Flat30
}

type gbrlsnchsRoles struct {
	gbjwt.Payload
	Roles
}

type gbrlsnchsIdP struct {
	gbjwt.Payload
	IdP
}

func init() {
	register(peer{name: "gbrlsnchs", impls: map[string]impl{
		wStandard.name: {
			newSign: gbrlsnchsSign(func(r gbjwt.Payload) any { return gbrlsnchsClaims{Payload: r, Name: wlName, Admin: wlAdmin} }),
			newVerify: gbrlsnchsVerify(
				func(c *gbrlsnchsClaims) *gbjwt.Payload { return &c.Payload },
				func(c *gbrlsnchsClaims) result {
					return result{sub: c.Subject, name: c.Name, admin: c.Admin}
				}),
		},
		wFlat.name: {
			newSign: gbrlsnchsSign(func(r gbjwt.Payload) any { return gbrlsnchsFlat{r, flatClaims} }),
			newVerify: gbrlsnchsVerify(
				func(c *gbrlsnchsFlat) *gbjwt.Payload { return &c.Payload },
				func(c *gbrlsnchsFlat) result { return result{sub: c.Subject, priv: &c.Flat30} }),
		},
		wRoles.name: {
			newSign: gbrlsnchsSign(func(r gbjwt.Payload) any { return gbrlsnchsRoles{r, rolesClaims} }),
			newVerify: gbrlsnchsVerify(
				func(c *gbrlsnchsRoles) *gbjwt.Payload { return &c.Payload },
				func(c *gbrlsnchsRoles) result { return result{sub: c.Subject, priv: &c.Roles} }),
		},
		wIdP.name: {
			newSign: gbrlsnchsSign(func(r gbjwt.Payload) any { return gbrlsnchsIdP{r, idpClaims} }),
			newVerify: gbrlsnchsVerify(
				func(c *gbrlsnchsIdP) *gbjwt.Payload { return &c.Payload },
				func(c *gbrlsnchsIdP) result { return result{sub: c.Subject, priv: &c.IdP} }),
		},
		wIdPMap.name: {newVerify: gbrlsnchsVerifyMap},
		wStdMap.name: {newVerify: gbrlsnchsVerifyMap},
		wForeign.name: {newVerify: gbrlsnchsVerify(
			func(c *gbrlsnchsClaims) *gbjwt.Payload { return &c.Payload },
			func(c *gbrlsnchsClaims) result {
				return result{sub: c.Subject, name: c.Name, admin: c.Admin}
			})},
	}})
}

// gbrlsnchsSign signs the claims value that claims builds around w's
// registered claims.
func gbrlsnchsSign(claims func(gbjwt.Payload) any) func(testing.TB, *workload) func() (string, error) {
	return func(_ testing.TB, w *workload) func() (string, error) {
		hs := gbjwt.NewHS256(wlSecret)
		t := newTimes()
		pl := claims(gbjwt.Payload{
			Issuer:         w.iss,
			Subject:        w.sub,
			Audience:       gbjwt.Audience(w.aud),
			ExpirationTime: gbjwt.NumericDate(t.exp),
			NotBefore:      gbjwt.NumericDate(t.nbf),
			IssuedAt:       gbjwt.NumericDate(t.iat),
			JWTID:          w.jti,
		})
		return func() (string, error) {
			token, err := gbjwt.Sign(pl, hs)
			return string(token), err
		}
	}
}

// gbrlsnchsVerify decodes into a new T per call, validates the Payload that
// payload finds in it and hands back what get reads.
func gbrlsnchsVerify[T any](payload func(*T) *gbjwt.Payload, get func(*T) result) func(testing.TB, *workload) func(string) (result, error) {
	return func(_ testing.TB, w *workload) func(string) (result, error) {
		hs := gbjwt.NewHS256(wlSecret)
		issValidator := gbjwt.IssuerValidator(w.iss)
		audValidator := gbjwt.AudienceValidator(gbjwt.Audience{w.aud[0]})
		return func(tok string) (result, error) {
			var c T
			now := time.Now()
			validatePayload := gbjwt.ValidatePayload(payload(&c),
				gbjwt.IssuedAtValidator(now),
				gbjwt.ExpirationTimeValidator(now),
				gbjwt.NotBeforeValidator(now),
				issValidator,
				audValidator,
			)
			if _, err := gbjwt.Verify([]byte(tok), hs, &c, gbjwt.ValidateHeader, validatePayload); err != nil {
				return result{}, err
			}
			return get(&c), nil
		}
	}
}

func gbrlsnchsVerifyMap(_ testing.TB, w *workload) func(string) (result, error) {
	hs := gbjwt.NewHS256(wlSecret)
	return func(tok string) (result, error) {
		var m map[string]any
		if _, err := gbjwt.Verify([]byte(tok), hs, &m, gbjwt.ValidateHeader); err != nil {
			return result{}, err
		}
		if err := checkMapRegistered(m, w, time.Now()); err != nil {
			return result{}, err
		}
		return result{sub: mapSub(m), priv: m}, nil
	}
}
