package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zerojwt/jwt"
)

var signCommand = command{
	name:     "sign",
	synopsis: "sign -key FILE|-key-env VAR [flags]",
	summary:  "sign claims and print the token",
	about: `sign signs the claims given with -claims, a JSON object, and prints the token. -exp sets
exp to now plus the duration and, unless the claims hold one, iat to now; a negative
duration makes a token that has already expired, for tests. sign refuses claims that are
not one JSON object, that repeat a member name, or whose registered claims verify would
refuse (exp as a string, aud as a number, ...).`,
	statuses: []int{exitOK, exitRefused, exitUsage, exitKey},
	flags: func(fs *flag.FlagSet, e *env) func([]string) error {
		var o signOptions
		o.key.declare(fs)
		fs.StringVar(&o.kid, "kid", "", "write `KID` as the header's kid")
		fs.StringVar(&o.typ, "typ", "", "write `TYPE` as the header's typ instead of JWT")
		fs.DurationVar(&o.exp, "exp", 0, "set exp to now + `DURATION` (and iat to now)")
		fs.StringVar(&o.claims, "claims", "{}", "the claims: a `JSON` object, @FILE, or - for standard input")
		return func(args []string) error { return sign(args, e, &o) }
	},
}

// signOptions are the flags of sign.
type signOptions struct {
	key      keyFlags
	kid, typ string
	exp      time.Duration
	claims   string
}

// errClaims marks claims that sign refuses.
var errClaims = errors.New("jwt: claims refused")

// maxClaimsDepth is how deeply sign lets claims nest, as Decode does.
const maxClaimsDepth = 64

func sign(args []string, e *env, o *signOptions) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: sign takes no arguments; give the claims with -claims", errUsage)
	}
	if !utf8.ValidString(o.kid) || !utf8.ValidString(o.typ) {
		return fmt.Errorf("%w: -kid and -typ must be valid UTF-8", errUsage)
	}
	key, err := o.key.key(e)
	if err != nil {
		return err
	}
	claims, err := readClaims(o.claims, e.stdin)
	if err != nil {
		return err
	}
	now := e.now()
	if o.exp != 0 {
		if _, ok := claims["exp"]; ok {
			return fmt.Errorf("%w: the claims hold exp and -exp is given; drop one", errUsage)
		}
		claims["exp"] = jwt.NewNumericDate(now.Add(o.exp))
		if _, ok := claims["iat"]; !ok {
			claims["iat"] = jwt.NewNumericDate(now)
		}
	}
	token, err := key.WithKeyID(o.kid).WithType(o.typ).Encode(claims)
	if err != nil {
		return err
	}
	if _, ok := claims["exp"]; !ok {
		fmt.Fprintln(e.stderr, "jwt: warning: the token has no exp, so it never expires; jwt verify refuses it (give -exp)")
	}
	if _, err := fmt.Fprintln(e.stdout, token); err != nil {
		return fmt.Errorf("jwt: cannot write the token: %w", err)
	}
	return nil
}

// readClaims returns the claims of -claims: JSON, @FILE, or - for standard input.
func readClaims(arg string, stdin io.Reader) (map[string]any, error) {
	var data []byte
	switch {
	case arg == "-":
		b, err := readLimited(stdin, maxClaims)
		if err != nil {
			return nil, claimsReadError("standard input", err)
		}
		data = b
	case strings.HasPrefix(arg, "@"):
		f, err := os.Open(arg[1:])
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errClaims, err)
		}
		defer f.Close()
		b, err := readLimited(f, maxClaims)
		if err != nil {
			return nil, claimsReadError(arg[1:], err)
		}
		data = b
	default:
		data = []byte(arg)
	}
	return parseClaims(data)
}

// claimsReadError describes the failure to read the claims from source.
func claimsReadError(source string, err error) error {
	if errors.Is(err, errTooLong) {
		return fmt.Errorf("%w: %s holds more than %d bytes", errClaims, source, maxClaims)
	}
	return fmt.Errorf("%w: reading %s: %w", errClaims, source, err)
}

// parseClaims returns the claims in data, which must be one JSON object in valid UTF-8
// with no member name repeated at any depth, nested at most maxClaimsDepth deep. Numbers are
// kept as written (json.Number). Its errors give the offset of a syntax error, not the text
// around it.
func parseClaims(data []byte) (map[string]any, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: not valid UTF-8", errClaims)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxError(err)
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("%w: the claims must be a JSON object", errClaims)
	}
	claims, err := readMembers(dec, 1)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: more than one JSON value", errClaims)
	}
	return claims, nil
}

// readMembers reads the members of an object whose '{' has been read, and its '}'.
func readMembers(dec *json.Decoder, depth int) (map[string]any, error) {
	m := make(map[string]any)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxError(err)
		}
		name := tok.(string) // where a member name belongs, the decoder returns only strings
		if _, ok := m[name]; ok {
			return nil, fmt.Errorf("%w: member %q appears twice", errClaims, name)
		}
		if m[name], err = readValue(dec, depth); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxError(err)
	}
	return m, nil
}

// readValue reads one value inside an object or array at depth.
func readValue(dec *json.Decoder, depth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxError(err)
	}
	if tok != json.Delim('{') && tok != json.Delim('[') {
		return tok, nil // a string, json.Number, bool or nil
	}
	if depth++; depth > maxClaimsDepth {
		return nil, fmt.Errorf("%w: nested deeper than %d", errClaims, maxClaimsDepth)
	}
	if tok == json.Delim('{') {
		return readMembers(dec, depth)
	}
	a := []any{}
	for dec.More() {
		v, err := readValue(dec, depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxError(err)
	}
	return a, nil
}

// syntaxError describes a JSON error of the claims, by its offset when there is one.
func syntaxError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%w: not valid JSON (at byte %d)", errClaims, se.Offset)
	}
	return fmt.Errorf("%w: not valid JSON (it ends too early)", errClaims)
}
