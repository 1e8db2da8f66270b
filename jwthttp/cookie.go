package jwthttp

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/zerojwt/jwt"
)

// Defaults of the refresh-token cookie (see [HandlersConfig]).
const (
	// DefaultRefreshCookie is the default name of the refresh-token cookie. Browsers accept
	// a cookie with the __Secure- prefix only with the Secure attribute, from a secure origin.
	DefaultRefreshCookie = "__Secure-refresh"
	// DefaultRefreshPath is the default Path of the refresh-token cookie: it should cover the
	// refresh and logout endpoints and nothing else, so the cookie never reaches API routes.
	// A cookie named with the __Host- prefix defaults to Path "/" instead, the only Path
	// browsers accept for it.
	DefaultRefreshPath = "/auth/"
)

// refreshCookie returns the refresh-token cookie named name for path: HttpOnly (no script
// can read it), Secure unless insecure, SameSite=Strict, no Domain (this host only), and
// Max-Age -1 (deleting it; the caller sets the value and Max-Age of a cookie to keep).
func refreshCookie(name, path string, insecure bool) *http.Cookie {
	return &http.Cookie{
		Name: name, Path: path, MaxAge: -1,
		HttpOnly: true, Secure: !insecure, SameSite: http.SameSiteStrictMode,
	}
}

// left returns the time from p.IssuedAt (time.Now when it is zero, for a Pair not made by
// Sessions) until t.
func left(p jwt.Pair, t time.Time) time.Duration {
	from := p.IssuedAt
	if from.IsZero() {
		from = time.Now()
	}
	return t.Sub(from)
}

// hasCookiePrefix reports whether a cookie name starts with prefix ("__Secure-" or
// "__Host-") in any ASCII case. Browsers enforce the prefix rules whatever the case
// (draft-ietf-httpbis-rfc6265bis since -11: the user agent requirements for cookie name
// prefixes, §5.4, and the storage model, §5.7), because some servers read cookie names
// case-insensitively (httpwg/http-extensions issue 2231). So "__host-r" with Path /auth/
// is dropped just as "__Host-r" is.
func hasCookiePrefix(name, prefix string) bool {
	return len(name) >= len(prefix) && equalFoldASCII(name[:len(prefix)], prefix)
}

// defaultCookiePath is the Path of a refresh-token cookie named name when none is given.
func defaultCookiePath(name string) string {
	if hasCookiePrefix(name, "__Host-") {
		return "/"
	}
	return DefaultRefreshPath
}

// validCookiePath reports whether p holds only the bytes a Path attribute may hold (RFC 6265
// §4.1.1 path-value: printable ASCII and space, but not ';', which would end the attribute
// and start another).
func validCookiePath(p string) bool {
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c >= 0x7f || c == ';' {
			return false
		}
	}
	return true
}

// checkCookie refuses cookie settings that contradict each other, that browsers would not
// store, or that would add attributes to the Set-Cookie field.
func (cfg *HandlersConfig) checkCookie() error {
	host := hasCookiePrefix(cfg.CookieName, "__Host-")
	switch {
	case cfg.InsecureCookie && (cfg.CookieName == "" || host || hasCookiePrefix(cfg.CookieName, "__Secure-")):
		return fmt.Errorf("%w: an insecure cookie needs a name without __Secure- or __Host- prefix, in any case", jwt.ErrInvalidConfig)
	case cfg.CookieName != "" && (&http.Cookie{Name: cfg.CookieName, Value: "x"}).Valid() != nil:
		return fmt.Errorf("%w: invalid cookie name: use letters, digits and !#$%%&'*+-.^_`|~", jwt.ErrInvalidConfig)
	case cfg.CookiePath != "" && !strings.HasPrefix(cfg.CookiePath, "/"):
		return fmt.Errorf("%w: CookiePath must start with /", jwt.ErrInvalidConfig)
	case !validCookiePath(cfg.CookiePath):
		return fmt.Errorf("%w: CookiePath may hold only printable ASCII other than ';'", jwt.ErrInvalidConfig)
	case host && cfg.CookiePath != "" && cfg.CookiePath != "/":
		return fmt.Errorf("%w: browsers drop a __Host- cookie whose Path is not /: leave CookiePath empty or use the __Secure- prefix", jwt.ErrInvalidConfig)
	}
	return nil
}
