package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/zerojwt/jwt"
)

var verifyCommand = command{
	name:     "verify",
	synopsis: "verify -key FILE|-key-env VAR [flags] [TOKEN|-]",
	summary:  "verify a token and print its claims",
	about: `verify checks the token with the secret and prints its claims as JSON. The algorithm is
fixed by -alg, never taken from the token; exp is required unless -exp-optional is given;
-iss, -sub, -aud, -typ and -claim add requirements. On failure it prints the reason on
standard error, never the token, the secret or a claim value, and exits with the status of
the failure.`,
	statuses: []int{exitOK, exitRefused, exitUsage, exitExpired, exitNotYetValid, exitClaim, exitKey},
	flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		var k keyFlags
		k.declare(fs)
		var want jwt.Expect
		fs.StringVar(&want.Issuer, "iss", "", "require iss to be `ISSUER`")
		fs.StringVar(&want.Subject, "sub", "", "require sub to be `SUBJECT`")
		fs.Func("aud", "require aud to hold `AUDIENCE`; repeat the flag to accept any of several", func(s string) error {
			if s == "" {
				return errors.New("empty audience")
			}
			want.Audience = append(want.Audience, s)
			return nil
		})
		fs.StringVar(&want.Type, "typ", "", "require the header's typ to be `TYPE` (\"at+jwt\" matches \"application/at+jwt\")")
		fs.Func("claim", "require the claim NAME to be the JSON string VALUE, given as `NAME=VALUE`; repeat the flag for several claims",
			func(s string) error { return addClaim(&want, s) })
		fs.DurationVar(&want.Leeway, "leeway", 0, "allow `DURATION` of clock skew on exp and nbf")
		fs.BoolVar(&want.ExpiryOptional, "exp-optional", false, "accept a token without exp (one that never expires)")
		return func(args []string) error { return verify(args, e, &k, want) }
	},
}

// claimFlags are the flags that check the registered claims -claim must not name.
var claimFlags = map[string]string{"iss": "-iss", "sub": "-sub", "aud": "-aud"}

// addClaim adds the requirement of one -claim flag, NAME=VALUE, to want. It refuses a value
// without "=", an empty NAME, a NAME given twice, and iss, sub and aud, which have their own
// flags; Decode refuses the other registered claims (ErrInvalidConfig).
func addClaim(want *jwt.Expect, s string) error {
	name, value, ok := strings.Cut(s, "=")
	switch {
	case !ok:
		return errors.New("want NAME=VALUE")
	case name == "":
		return errors.New("empty claim name")
	case claimFlags[name] != "":
		return errors.New("use " + claimFlags[name] + " for " + name)
	}
	if _, dup := want.Claims[name]; dup {
		return errors.New("claim " + strconv.Quote(name) + " given twice")
	}
	if want.Claims == nil {
		want.Claims = make(map[string]string)
	}
	want.Claims[name] = value
	return nil
}

func verify(args []string, e *env, k *keyFlags, want jwt.Expect) error {
	key, err := k.key(e)
	if err != nil {
		return err
	}
	token, err := readToken(args, e.stdin)
	if err != nil {
		return err
	}
	want.Now = e.now
	if err := key.Decode(token, nil, want); err != nil {
		return explain(err, token, want)
	}
	// The token is genuine and valid: show its claims set as it holds it, member order and
	// numbers unchanged.
	_, claims, err := jwt.InspectUnverified(token)
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, json.RawMessage(claims))
}

// explain adds to err what the command line can do about it: for a token refused for want of
// exp, the flag that accepts one. err has been returned by Decode, so the claims are valid
// JSON; only their member names are read.
func explain(err error, token string, want jwt.Expect) error {
	if want.ExpiryOptional || !errors.Is(err, jwt.ErrMissingClaim) {
		return err
	}
	_, claims, ierr := jwt.InspectUnverified(token)
	var members map[string]json.RawMessage
	if ierr != nil || json.Unmarshal(claims, &members) != nil {
		return err
	}
	if _, ok := members["exp"]; ok {
		return err
	}
	// The library's hint names Expect.ExpiryOptional, which a command-line user cannot set.
	return fmt.Errorf("%w: exp (a token without exp never expires; give -exp-optional to accept one)", jwt.ErrMissingClaim)
}
