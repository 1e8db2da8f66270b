package benchmarks

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	pdjwt "github.com/pascaldekloe/jwt"
)

// pascaldekloe/jwt, used as its README and godoc show, with the reusable
// HMAC instance ("optimized for high usage scenarios"): HMAC.Sign(&Claims)
// and HMAC.Check, then Registered.AcceptTemporal and AcceptAudience.
//
// Deviations forced by its API: there is no way to embed its Registered type
// in a custom struct for signing; private claims go into Claims.Set (a
// map[string]interface{}) and are read back with Claims.String and a type
// assertion on Set, as its README does. Its default header is
// {"alg":"HS256"}; the workload's "typ":"JWT" is added through the
// documented extraHeaders argument, which skips its fixed-header shortcut.
//
// What it validates: Check verifies the signature with the alg bound to the
// HMAC instance. AcceptTemporal checks iat, nbf and exp, each only when
// present (a token without exp passes). There is no issuer helper, so iss is
// compared here. AcceptAudience accepts a token without any aud.

var (
	errPDIssuer   = errors.New("pascaldekloe: wrong issuer")
	errPDAudience = errors.New("pascaldekloe: wrong audience")
)

func init() {
	register(peer{name: "pascaldekloe", newSign: pascaldekloeSign, newVerify: pascaldekloeVerify})
}

func pascaldekloeSign(tb testing.TB) func() (string, error) {
	h, err := pdjwt.NewHMAC(pdjwt.HS256, wlSecret)
	if err != nil {
		tb.Fatal(err)
	}
	typJWT := json.RawMessage(`{"typ":"JWT"}`)
	t := newTimes()
	claims := pdjwt.Claims{
		Registered: pdjwt.Registered{
			Issuer:    wlIssuer,
			Subject:   wlSubject,
			Audiences: []string{wlAudience},
			Expires:   pdjwt.NewNumericTime(t.exp),
			NotBefore: pdjwt.NewNumericTime(t.nbf),
			Issued:    pdjwt.NewNumericTime(t.iat),
			ID:        wlID,
		},
		Set: map[string]interface{}{"name": wlName, "admin": wlAdmin},
	}
	return func() (string, error) {
		token, err := h.Sign(&claims, typJWT)
		return string(token), err
	}
}

func pascaldekloeVerify(tb testing.TB) func(string) (decoded, error) {
	h, err := pdjwt.NewHMAC(pdjwt.HS256, wlSecret)
	if err != nil {
		tb.Fatal(err)
	}
	return func(tok string) (decoded, error) {
		c, err := h.Check([]byte(tok))
		if err != nil {
			return decoded{}, err
		}
		if err := c.AcceptTemporal(time.Now(), 0); err != nil {
			return decoded{}, err
		}
		if c.Issuer != wlIssuer {
			return decoded{}, errPDIssuer
		}
		if !c.AcceptAudience(wlAudience) {
			return decoded{}, errPDAudience
		}
		name, _ := c.String("name")
		admin, _ := c.Set["admin"].(bool)
		return decoded{sub: c.Subject, name: name, admin: admin}, nil
	}
}
