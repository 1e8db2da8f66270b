package main

import (
	"encoding/base64"
	"encoding/hex"
	"flag"
	"fmt"

	"github.com/zerojwt/jwt"
)

var secretCommand = command{
	name:     "secret",
	synopsis: "secret [-alg ALG] [-hex|-base64url]",
	summary:  "print a new random secret",
	about: `secret prints a new random secret for -alg, as long as its hash output (32, 48 or 64
bytes, from crypto/rand), in base64url (the default, which is also the default -key-format)
or in hex, and a newline. Keep it in a file only you can read: (umask 077; jwt secret > key)`,
	statuses: []int{exitOK, exitRefused, exitUsage},
	flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		alg := fs.String("alg", "HS256", "make the secret for `ALG`: HS256, HS384 or HS512")
		asHex := fs.Bool("hex", false, "print the secret in hex")
		asBase64 := fs.Bool("base64url", false, "print the secret in base64url without padding (the default)")
		return func(args []string) error { return secret(args, e, *alg, *asHex, *asBase64) }
	},
}

func secret(args []string, e *env, algName string, asHex, asBase64 bool) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: secret takes no arguments", errUsage)
	}
	if asHex && asBase64 {
		return fmt.Errorf("%w: give -hex or -base64url, not both", errUsage)
	}
	alg, err := parseAlg(algName)
	if err != nil {
		return err
	}
	s := jwt.GenerateSecret(alg)
	text := base64.RawURLEncoding.EncodeToString(s)
	if asHex {
		text = hex.EncodeToString(s)
	}
	if _, err := fmt.Fprintln(e.stdout, text); err != nil {
		return fmt.Errorf("jwt: cannot write the secret: %w", err)
	}
	return nil
}
