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
// map[string]interface{}, built once from the workload's struct) and are
// read back from Set (the standard and map workloads, as its README does)
// or decoded from Claims.Raw with encoding/json into the workload's struct
// (the struct workloads: Check has decoded Set already, which it always
// does). Its default header is {"alg":"HS256"}; the workload's "typ":"JWT"
// is added through the documented extraHeaders argument, which skips its
// fixed-header shortcut.
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
	register(peer{name: "pascaldekloe", impls: map[string]impl{
		wStandard.name: {newSign: pascaldekloeSign, newVerify: pascaldekloeVerify(pascaldekloeStd)},
		wFlat.name:     {newSign: pascaldekloeSign, newVerify: pascaldekloeVerify(pascaldekloeInto[Flat30])},
		wRoles.name:    {newSign: pascaldekloeSign, newVerify: pascaldekloeVerify(pascaldekloeInto[Roles])},
		wIdP.name:      {newSign: pascaldekloeSign, newVerify: pascaldekloeVerify(pascaldekloeInto[IdP])},
		wIdPMap.name:   {newVerify: pascaldekloeVerify(pascaldekloeSet)},
		wStdMap.name:   {newVerify: pascaldekloeVerify(pascaldekloeSet)},
		wForeign.name:  {newVerify: pascaldekloeVerify(pascaldekloeStd)},
	}})
}

func pascaldekloeSign(tb testing.TB, w *workload) func() (string, error) {
	h, err := pdjwt.NewHMAC(pdjwt.HS256, wlSecret)
	if err != nil {
		tb.Fatal(err)
	}
	set, err := privMap(w)
	if err != nil {
		tb.Fatal(err)
	}
	typJWT := json.RawMessage(`{"typ":"JWT"}`)
	t := newTimes()
	claims := pdjwt.Claims{
		Registered: pdjwt.Registered{
			Issuer:    w.iss,
			Subject:   w.sub,
			Audiences: w.aud,
			Expires:   pdjwt.NewNumericTime(t.exp),
			NotBefore: pdjwt.NewNumericTime(t.nbf),
			Issued:    pdjwt.NewNumericTime(t.iat),
			ID:        w.jti,
		},
		Set: set,
	}
	return func() (string, error) {
		token, err := h.Sign(&claims, typJWT)
		return string(token), err
	}
}

// pascaldekloeVerify checks the token and its registered claims, then hands
// back what get reads from the checked claims.
func pascaldekloeVerify(get func(*pdjwt.Claims) (result, error)) func(testing.TB, *workload) func(string) (result, error) {
	return func(tb testing.TB, w *workload) func(string) (result, error) {
		h, err := pdjwt.NewHMAC(pdjwt.HS256, wlSecret)
		if err != nil {
			tb.Fatal(err)
		}
		iss, aud := w.iss, w.aud[0]
		return func(tok string) (result, error) {
			c, err := h.Check([]byte(tok))
			if err != nil {
				return result{}, err
			}
			if err := c.AcceptTemporal(time.Now(), 0); err != nil {
				return result{}, err
			}
			if c.Issuer != iss {
				return result{}, errPDIssuer
			}
			if !c.AcceptAudience(aud) {
				return result{}, errPDAudience
			}
			return get(c)
		}
	}
}

func pascaldekloeStd(c *pdjwt.Claims) (result, error) {
	name, _ := c.String("name")
	admin, _ := c.Set["admin"].(bool)
	return result{sub: c.Subject, name: name, admin: admin}, nil
}

func pascaldekloeSet(c *pdjwt.Claims) (result, error) {
	return result{sub: c.Subject, priv: c.Set}, nil
}

// pascaldekloeInto decodes the raw claims set into a new T.
func pascaldekloeInto[T any](c *pdjwt.Claims) (result, error) {
	var priv T
	if err := json.Unmarshal(c.Raw, &priv); err != nil {
		return result{}, err
	}
	return result{sub: c.Subject, priv: &priv}, nil
}
