package interop

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
)

// zClaims is how a zerojwt user declares the interop claims: jwt.Claims
// embedded, and the private claims in an embedded struct of their own.
type zClaims struct {
	jwt.Claims
	privateStruct
}

func zDate(s float64) jwt.NumericDate {
	if s == 0 {
		return jwt.NumericDate{}
	}
	return jwt.NewNumericDate(secondsTime(s))
}

// zClaimsFor is cs as a zClaims value (integer dates only: NewNumericDate
// truncates).
func zClaimsFor(cs claimSet) zClaims {
	return zClaims{
		Claims: jwt.Claims{
			Issuer: cs.iss, Subject: cs.sub, ID: cs.jti, Audience: jwt.Audience(cs.aud),
			ExpiresAt: zDate(cs.exp), NotBefore: zDate(cs.nbf), IssuedAt: zDate(cs.iat),
		},
		privateStruct: wantPrivateStruct(),
	}
}

func fixedNow() time.Time { return testNow }

// zExpect is the policy every valid interop token must pass: issuer and
// audience required, iat checked, clock fixed.
func zExpect() jwt.Expect {
	return jwt.Expect{
		Issuer:        testIssuer,
		Audience:      []string{testAudience},
		Now:           fixedNow,
		CheckIssuedAt: true,
	}
}

func zKey(t testing.TB, alg string, secret []byte) *jwt.Key {
	t.Helper()
	k, err := jwt.NewKey(jwt.Algorithm(alg), secret)
	if err != nil {
		t.Fatalf("NewKey(%s, %d bytes): %v", alg, len(secret), err)
	}
	return k
}

// zClaimsDiff compares a decoded zClaims with cs field by field; the dates
// are compared as instants, fraction included.
func zClaimsDiff(cs claimSet, got zClaims) string {
	var d string
	check := func(name string, g, w any) {
		if !reflect.DeepEqual(g, w) {
			d += fmt.Sprintf("\n  %s: got %#v, want %#v", name, g, w)
		}
	}
	c := got.Claims
	check("iss", c.Issuer, cs.iss)
	check("sub", c.Subject, cs.sub)
	check("jti", c.ID, cs.jti)
	check("aud", []string(c.Audience), cs.aud)
	for _, x := range []struct {
		name string
		got  jwt.NumericDate
		want float64
	}{{"exp", c.ExpiresAt, cs.exp}, {"nbf", c.NotBefore, cs.nbf}, {"iat", c.IssuedAt, cs.iat}} {
		switch {
		case x.want == 0 && !x.got.IsZero():
			d += fmt.Sprintf("\n  %s: got %v, want absent", x.name, x.got.Time())
		case x.want != 0 && x.got.IsZero():
			d += fmt.Sprintf("\n  %s: absent, want %v", x.name, secondsTime(x.want))
		case x.want != 0 && !x.got.Time().Equal(secondsTime(x.want)):
			d += fmt.Sprintf("\n  %s: got %s, want %s", x.name,
				x.got.Time().UTC().Format(time.RFC3339Nano), secondsTime(x.want).UTC().Format(time.RFC3339Nano))
		}
	}
	p := wantPrivateStruct()
	check("名前", got.Name, p.Name)
	check("ls", got.LS, p.LS)
	check("html", got.HTML, p.HTML)
	check("ctl", got.Ctl, p.Ctl)
	check("admin", got.Admin, p.Admin)
	check("n", got.N, p.N)
	check("roles", got.Roles, p.Roles)
	check("meta", got.Meta, p.Meta)
	return d
}
