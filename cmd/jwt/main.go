// Command jwt signs, verifies and inspects HMAC JSON Web Tokens (HS256, HS384, HS512) with
// the zerojwt library, github.com/zerojwt/jwt.
//
// Install it with
//
//	go install github.com/zerojwt/jwt/cmd/jwt@latest
//
// Usage:
//
//	jwt decode [TOKEN|-]
//	jwt verify -key FILE|-key-env VAR [flags] [TOKEN|-]
//	jwt sign -key FILE|-key-env VAR [flags]
//	jwt secret [-alg ALG] [-hex|-base64url]
//	jwt help [COMMAND]
//
// decode shows the header and claims of a token and verifies nothing; verify checks a token
// and prints its claims; sign signs claims and prints the token; secret prints a new random
// secret. "jwt help COMMAND" and "jwt COMMAND -h" describe each command and its flags.
//
// Flags come before TOKEN. The token is read from the argument, or from standard input when
// the argument is "-" or missing; white space around it is ignored.
//
// decode writes one JSON object to standard output: "header" and "claims" as the token holds
// them, and "dates" with exp, nbf and iat in RFC 3339 and relative to now ("expires in 4m10s").
// The line saying that nothing was verified goes to standard error, so standard output stays
// JSON for jq and other tools.
//
// verify checks the token with the key and the flags given (the algorithm, -iss, -sub, -aud,
// -typ, -claim NAME=VALUE, -leeway; exp is required unless -exp-optional is given) and prints
// the claims as JSON. On failure it prints the reason on standard error, never the token, the
// key or a claim value.
//
// sign writes the claims given with -claims (a JSON object, @FILE or - for standard input),
// with exp and iat from -exp, and prints the token.
//
// # Keys
//
// A secret is never given as a flag value, where it would land in the shell history and in
// the process list: -key FILE reads it from a file, -key-env VAR from an environment variable.
// -key-format says how it is written: base64url (the default, what jwt secret prints; padding
// optional), hex, or raw (the bytes as they are). White space around a base64url or hex
// secret is ignored, so the file written by "jwt secret > key" reads back; a raw secret is
// taken exactly, a trailing newline included (jwt warns about one; write a raw secret with
// printf '%s', not echo).
//
// # Exit status
//
//	0  success
//	1  token or claims refused: malformed, too large, wrong alg or kid, bad signature; or I/O failed
//	2  usage error: unknown command or flag, bad flag value
//	3  the token has expired (exp)
//	4  the token is not valid yet (nbf), or was issued in the future (iat)
//	5  a claim or typ differs from -iss, -sub, -aud, -typ or -claim, or a required claim is missing
//	6  the key cannot be used: unreadable, empty, not in -key-format, or too short for -alg
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/zerojwt/jwt"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv, time.Now))
}

// The exit statuses of jwt, one per kind of failure.
const (
	exitOK          = 0
	exitRefused     = 1
	exitUsage       = 2
	exitExpired     = 3
	exitNotYetValid = 4
	exitClaim       = 5
	exitKey         = 6
)

// exitStatuses documents the exit statuses, in the help text; a test keeps the command's doc
// comment and the README in step with it.
var exitStatuses = []struct {
	status  int
	meaning string
}{
	{exitOK, "success"},
	{exitRefused, "token or claims refused: malformed, too large, wrong alg or kid, bad signature; or I/O failed"},
	{exitUsage, "usage error: unknown command or flag, bad flag value"},
	{exitExpired, "the token has expired (exp)"},
	{exitNotYetValid, "the token is not valid yet (nbf), or was issued in the future (iat)"},
	{exitClaim, "a claim or typ differs from -iss, -sub, -aud, -typ or -claim, or a required claim is missing"},
	{exitKey, "the key cannot be used: unreadable, empty, not in -key-format, or too short for -alg"},
}

// errUsage and errKey mark the failures of jwt itself that map to exitUsage and exitKey;
// every other error comes from package jwt and is mapped by its sentinel.
var (
	errUsage = errors.New("jwt: usage error")
	errKey   = errors.New("jwt: key unusable")
)

// status returns the exit status for err.
func status(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errUsage), errors.Is(err, jwt.ErrInvalidConfig):
		return exitUsage
	case errors.Is(err, errKey), errors.Is(err, jwt.ErrKeyTooShort):
		return exitKey
	case errors.Is(err, jwt.ErrExpired):
		return exitExpired
	case errors.Is(err, jwt.ErrNotYetValid), errors.Is(err, jwt.ErrIssuedInFuture):
		return exitNotYetValid
	case errors.Is(err, jwt.ErrIssuer), errors.Is(err, jwt.ErrSubject), errors.Is(err, jwt.ErrAudience),
		errors.Is(err, jwt.ErrTokenType), errors.Is(err, jwt.ErrMissingClaim), errors.Is(err, jwt.ErrClaimValue):
		return exitClaim
	default:
		return exitRefused
	}
}

// env is what a command gets from run: its streams, the environment and the clock.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
}

// A command is one subcommand of jwt.
type command struct {
	name     string
	synopsis string // the usage line, after "jwt "
	summary  string // one line for the command list
	about    string // what the command does, for its help
	statuses []int  // the exit statuses it can return, for its help
	// flags declares the command's flags on fs and returns the function that runs it with
	// the arguments left after the flags.
	flags func(fs *flag.FlagSet, e *env) func(args []string) error
}

var commands = []command{decodeCommand, verifyCommand, signCommand, secretCommand}

// run is jwt with args (os.Args[1:]), the standard streams, the environment and the clock
// as parameters; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string, now func() time.Time) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, now: now}
	if len(args) == 0 {
		writeHelp(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help":
		writeHelp(stdout)
		return exitOK
	case "help":
		return help(rest, stdout, stderr)
	}
	c, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "jwt: unknown command %q; run jwt help for the list\n", name)
		return exitUsage
	}
	return c.run(rest, e)
}

// lookup returns the command called name.
func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// help runs "jwt help [COMMAND]".
func help(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		writeHelp(stdout)
		return exitOK
	case 1:
		if c, ok := lookup(args[0]); ok {
			fs, _ := c.flagSet(&env{})
			c.writeHelp(stdout, fs)
			return exitOK
		}
		fmt.Fprintf(stderr, "jwt: unknown command %q; run jwt help for the list\n", args[0])
	default:
		fmt.Fprintln(stderr, "jwt: help takes at most one command name")
	}
	return exitUsage
}

// flagSet returns the command's flags, bound to e.
func (c command) flagSet(e *env) (*flag.FlagSet, func([]string) error) {
	fs := flag.NewFlagSet("jwt "+c.name, flag.ContinueOnError)
	fs.Usage = func() {} // run prints the help itself, to the stream it belongs on
	return fs, c.flags(fs, e)
}

// run parses the command's flags and runs it.
func (c command) run(args []string, e *env) int {
	fs, do := c.flagSet(e)
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.writeHelp(e.stdout, fs)
			return exitOK
		}
		// fs has printed the error.
		fmt.Fprintf(e.stderr, "run jwt %s -h for help\n", c.name)
		return exitUsage
	}
	err := do(fs.Args())
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		if status(err) == exitUsage {
			fmt.Fprintf(e.stderr, "run jwt %s -h for help\n", c.name)
		}
	}
	return status(err)
}

// writeHelp writes the help of jwt.
func writeHelp(w io.Writer) {
	var b strings.Builder
	b.WriteString("jwt signs, verifies and inspects HMAC JSON Web Tokens (HS256, HS384, HS512).\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-7s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(&b, "  %-7s %s\n", "help", "print the help of jwt or of one command")
	b.WriteString("\nUsage:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  jwt %s\n", c.synopsis)
	}
	b.WriteString("  jwt help [COMMAND]\n")
	b.WriteString(`
Flags come before TOKEN. Without TOKEN, or with "-", the token is read from standard input.
Secrets are read from a file (-key FILE) or an environment variable (-key-env VAR), never
from a flag value. Run jwt help COMMAND for the flags of each command.
`)
	writeExitStatuses(&b, nil)
	io.WriteString(w, b.String())
}

// writeHelp writes the help of command c, with the flags of fs.
func (c command) writeHelp(w io.Writer, fs *flag.FlagSet) {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: jwt %s\n\n%s\n", c.synopsis, c.about)
	if hasFlags(fs) {
		b.WriteString("\nFlags:\n")
		fs.SetOutput(&b)
		fs.PrintDefaults()
	}
	writeExitStatuses(&b, c.statuses)
	io.WriteString(w, b.String())
}

// hasFlags reports whether fs defines any flag.
func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// writeExitStatuses writes the table of the exit statuses in only, or of all when only is nil.
func writeExitStatuses(b *strings.Builder, only []int) {
	b.WriteString("\nExit status:\n")
	for _, s := range exitStatuses {
		if only == nil || slices.Contains(only, s.status) {
			fmt.Fprintf(b, "  %d  %s\n", s.status, s.meaning)
		}
	}
}
