package main

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/zerojwt/jwt"
)

// Limits on what jwt reads, so that a wrong file (/dev/zero) or a hostile stream cannot keep
// it reading.
const (
	maxKeyFile    = 64 << 10
	maxClaims     = 1 << 20
	maxTokenInput = jwt.DefaultMaxTokenSize + 4<<10 // a token of the size limit, and white space
)

// keyFlags are the flags of sign and verify that say where the secret is, how it is written
// and which algorithm it is for.
type keyFlags struct {
	file, envVar, format, alg string
}

func (k *keyFlags) declare(fs *flag.FlagSet) {
	fs.StringVar(&k.file, "key", "", "read the secret from `FILE`")
	fs.StringVar(&k.envVar, "key-env", "", "read the secret from the environment variable `VAR`")
	fs.StringVar(&k.format, "key-format", "base64url", "the `FORMAT` the secret is written in: base64url, hex or raw")
	fs.StringVar(&k.alg, "alg", "HS256", "sign and verify with `ALG`: HS256, HS384 or HS512")
}

// key returns the key the flags describe. Its errors name the file or variable, never the
// secret or any part of it.
func (k *keyFlags) key(e *env) (*jwt.Key, error) {
	alg, err := parseAlg(k.alg)
	if err != nil {
		return nil, err
	}
	switch k.format {
	case "base64url", "hex", "raw":
	default:
		return nil, fmt.Errorf("%w: -key-format %q: use base64url, hex or raw", errUsage, k.format)
	}
	text, source, err := k.read(e.getenv)
	if err != nil {
		return nil, err
	}
	secret, err := decodeSecret(text, k.format, source)
	if err != nil {
		return nil, err
	}
	if k.format == "raw" && strings.HasSuffix(text, "\n") {
		fmt.Fprintf(e.stderr, "jwt: warning: the raw secret in %s ends with a newline, which is part of it; write a raw secret with printf '%%s', not echo\n", source)
	}
	key, err := jwt.NewKey(alg, secret)
	if err != nil {
		return nil, fmt.Errorf("%w; make a secret with jwt secret -alg %s", err, alg)
	}
	return key, nil
}

// read returns the secret as written, and a description of where it came from.
func (k *keyFlags) read(getenv func(string) string) (text, source string, err error) {
	switch {
	case k.file != "" && k.envVar != "":
		return "", "", fmt.Errorf("%w: give -key or -key-env, not both", errUsage)
	case k.envVar != "":
		source = "environment variable " + k.envVar
		text = getenv(k.envVar)
	case k.file != "":
		source = "key file " + k.file
		f, err := os.Open(k.file)
		if err != nil {
			return "", "", fmt.Errorf("%w: %w", errKey, err)
		}
		defer f.Close()
		b, err := readLimited(f, maxKeyFile)
		if errors.Is(err, errTooLong) {
			return "", "", fmt.Errorf("%w: %s holds more than %d bytes; is it the right file?", errKey, source, maxKeyFile)
		}
		if err != nil {
			return "", "", fmt.Errorf("%w: %w", errKey, err)
		}
		text = string(b)
	default:
		return "", "", fmt.Errorf("%w: give the secret with -key FILE or -key-env VAR", errUsage)
	}
	if strings.TrimSpace(text) == "" && (k.format != "raw" || text == "") {
		return "", "", fmt.Errorf("%w: %s is unset or empty; make a secret with jwt secret", errKey, source)
	}
	return text, source, nil
}

// decodeSecret returns the secret written in text in format. White space around a hex or
// base64url secret is ignored; a raw secret is text exactly. The errors do not say which
// character is wrong, as that would print part of the secret.
func decodeSecret(text, format, source string) ([]byte, error) {
	switch format {
	case "raw":
		return []byte(text), nil
	case "hex":
		b, err := hex.DecodeString(strings.TrimSpace(text))
		if err != nil {
			return nil, fmt.Errorf("%w: %s is not hex; give -key-format for the form it is in", errKey, source)
		}
		return b, nil
	default:
		b, err := base64.RawURLEncoding.Strict().DecodeString(strings.TrimRight(strings.TrimSpace(text), "="))
		if err != nil {
			return nil, fmt.Errorf("%w: %s is not base64url; give -key-format hex or raw for a secret in another form", errKey, source)
		}
		return b, nil
	}
}

// parseAlg returns the algorithm named s.
func parseAlg(s string) (jwt.Algorithm, error) {
	switch alg := jwt.Algorithm(s); alg {
	case jwt.HS256, jwt.HS384, jwt.HS512:
		return alg, nil
	}
	return "", fmt.Errorf("%w: -alg %q: use HS256, HS384 or HS512", errUsage, s)
}

// readToken returns the token in args: args[0], or standard input when it is "-" or there
// is none, with white space around it removed.
func readToken(args []string, stdin io.Reader) (string, error) {
	if len(args) > 1 {
		return "", fmt.Errorf("%w: give one token (flags come before it)", errUsage)
	}
	var token string
	if len(args) == 0 || args[0] == "-" {
		b, err := readLimited(stdin, maxTokenInput)
		if errors.Is(err, errTooLong) {
			return "", fmt.Errorf("%w: standard input holds more than %d bytes", jwt.ErrTooLarge, maxTokenInput)
		}
		if err != nil {
			return "", fmt.Errorf("jwt: cannot read the token from standard input: %w", err)
		}
		token = string(b)
	} else {
		token = args[0]
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return "", fmt.Errorf("%w: no token: give it as the argument or on standard input", errUsage)
	}
	return token, nil
}

// readLimited reads r to its end. It returns errTooLong when r holds more than limit bytes.
func readLimited(r io.Reader, limit int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err == nil && len(b) > limit {
		return nil, errTooLong
	}
	return b, err
}

// errTooLong is the error of readLimited for an input over its limit; callers replace it
// with an error that says which input.
var errTooLong = errors.New("jwt: input too long")
