package main

import (
	"encoding/json"
	"errors"
	"flag"

	"github.com/zerojwt/jwt"
)

var verifyCommand = command{
	name:     "verify",
	synopsis: "verify -key FILE|-key-env VAR [flags] [TOKEN|-]",
	summary:  "verify a token and print its claims",
	about: `verify checks the token with the secret and prints its claims as JSON. The algorithm is
fixed by -alg, never taken from the token; exp is required; -iss, -sub, -aud and -typ add
requirements. On failure it prints the reason on standard error, never the token, the
secret or a claim value, and exits with the status of the failure.`,
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
		fs.DurationVar(&want.Leeway, "leeway", 0, "allow `DURATION` of clock skew on exp and nbf")
		return func(args []string) error { return verify(args, e, &k, want) }
	},
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
		return err
	}
	// The token is genuine and valid: show its claims set as it holds it, member order and
	// numbers unchanged.
	_, claims, err := jwt.InspectUnverified(token)
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, json.RawMessage(claims))
}
