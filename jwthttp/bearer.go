package jwthttp

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/zerojwt/jwt"
)

// BearerToken returns the token of r's Authorization header, of the form "Bearer <token>"
// (RFC 6750 §2.1): the scheme in any case, one or more spaces, and exactly one b64token
// (letters, digits, "-", ".", "_", "~", "+", "/", then any number of "="). Spaces and tabs
// around the value are ignored.
//
// It returns ErrNoToken when there is no Authorization header, or one that is empty or of
// another scheme; and jwt.ErrMalformed for more than one Authorization header (whatever
// their schemes), for a Bearer value that does not hold exactly one token, and for a value
// that is one b64token holding a "." and no scheme: a token sent without "Bearer ". The
// errors never contain the header's value.
func BearerToken(r *http.Request) (string, error) {
	switch v := r.Header.Values("Authorization"); len(v) {
	case 0:
		return "", errNoBearer
	case 1:
		return parseBearer(v[0])
	default:
		return "", fmt.Errorf("%w: more than one Authorization header: send one", jwt.ErrMalformed)
	}
}

// errNoBearer is ErrNoToken for a request without a Bearer Authorization header.
var errNoBearer = fmt.Errorf("%w: no Authorization header with the Bearer scheme", ErrNoToken)

// errBareToken is returned for a token sent without its scheme.
var errBareToken = fmt.Errorf("%w: Authorization header has no Bearer scheme: send \"Bearer <token>\"", jwt.ErrMalformed)

// parseBearer returns the token of one Authorization field value, as BearerToken describes.
func parseBearer(value string) (string, error) {
	value = strings.Trim(value, " \t")
	scheme, rest, found := strings.Cut(value, " ")
	if !found && strings.Contains(value, ".") && isB64Token(value) {
		return "", errBareToken
	}
	if scheme == "" || !equalFoldASCII(scheme, "Bearer") {
		return "", errNoBearer
	}
	token := strings.TrimLeft(rest, " ")
	if !isB64Token(token) {
		return "", fmt.Errorf("%w: Authorization header does not hold exactly one bearer token", jwt.ErrMalformed)
	}
	return token, nil
}

// isB64Token reports whether s is a b64token of RFC 6750 §2.1.
func isB64Token(s string) bool {
	end := len(strings.TrimRight(s, "="))
	if end == 0 {
		return false
	}
	for i := range end {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '.', c == '_', c == '~', c == '+', c == '/':
		default:
			return false
		}
	}
	return true
}

// equalFoldASCII reports whether a and b are equal when ASCII letters are compared without
// case; every other byte must match exactly (unlike strings.EqualFold, which folds Unicode).
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// cookieToken returns the value of the one cookie named name: none, or an empty one, gives
// ErrNoToken; several (cookie tossing, or cookies set for several paths) give
// jwt.ErrMalformed.
func cookieToken(r *http.Request, name string) (string, error) {
	switch c := r.CookiesNamed(name); len(c) {
	case 0:
		return "", fmt.Errorf("%w: no %s cookie", ErrNoToken, name)
	case 1:
		if c[0].Value == "" {
			return "", fmt.Errorf("%w: the %s cookie is empty", ErrNoToken, name)
		}
		return c[0].Value, nil
	default:
		return "", fmt.Errorf("%w: more than one %s cookie", jwt.ErrMalformed, name)
	}
}
