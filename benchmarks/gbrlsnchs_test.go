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
// and aud validators are prepared once.

type gbrlsnchsClaims struct {
	gbjwt.Payload
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
}

func init() {
	register(peer{name: "gbrlsnchs", newSign: gbrlsnchsSign, newVerify: gbrlsnchsVerify})
}

func gbrlsnchsSign(testing.TB) func() (string, error) {
	hs := gbjwt.NewHS256(wlSecret)
	t := newTimes()
	pl := gbrlsnchsClaims{
		Payload: gbjwt.Payload{
			Issuer:         wlIssuer,
			Subject:        wlSubject,
			Audience:       gbjwt.Audience{wlAudience},
			ExpirationTime: gbjwt.NumericDate(t.exp),
			NotBefore:      gbjwt.NumericDate(t.nbf),
			IssuedAt:       gbjwt.NumericDate(t.iat),
			JWTID:          wlID,
		},
		Name:  wlName,
		Admin: wlAdmin,
	}
	return func() (string, error) {
		token, err := gbjwt.Sign(pl, hs)
		return string(token), err
	}
}

func gbrlsnchsVerify(testing.TB) func(string) (decoded, error) {
	hs := gbjwt.NewHS256(wlSecret)
	issValidator := gbjwt.IssuerValidator(wlIssuer)
	audValidator := gbjwt.AudienceValidator(gbjwt.Audience{wlAudience})
	return func(tok string) (decoded, error) {
		var pl gbrlsnchsClaims
		now := time.Now()
		validatePayload := gbjwt.ValidatePayload(&pl.Payload,
			gbjwt.IssuedAtValidator(now),
			gbjwt.ExpirationTimeValidator(now),
			gbjwt.NotBeforeValidator(now),
			issValidator,
			audValidator,
		)
		if _, err := gbjwt.Verify([]byte(tok), hs, &pl, gbjwt.ValidateHeader, validatePayload); err != nil {
			return decoded{}, err
		}
		return decoded{sub: pl.Subject, name: pl.Name, admin: pl.Admin}, nil
	}
}
