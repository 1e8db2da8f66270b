package jwt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ErrNoToken: the request carries no access token: no Authorization header, one of another
// scheme than Bearer, and no token cookie (when one is configured). The middleware answers it
// with a bare Bearer challenge (RFC 6750 §3.1).
var ErrNoToken = errors.New("jwt: no token in request")

// Defaults of the refresh-token cookie (see [RefreshCookie]).
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

// ParseBearer returns the token of one Authorization header field value of the form
// "Bearer <token>" (RFC 6750 §2.1): the scheme in any case, one or more spaces, and exactly
// one b64token (letters, digits, "-", ".", "_", "~", "+", "/", then any number of "=").
// Spaces and tabs around the value are ignored. It returns ErrNoToken for an empty value or
// another scheme, and ErrMalformed for a Bearer value that does not hold exactly one token.
// The errors never contain the value.
func ParseBearer(value string) (string, error) {
	value = strings.Trim(value, " \t")
	scheme, rest, _ := strings.Cut(value, " ")
	if scheme == "" || !equalFoldASCII(scheme, "Bearer") {
		return "", ErrNoToken
	}
	token := strings.TrimLeft(rest, " ")
	if !isB64Token(token) {
		return "", fmt.Errorf("%w: Authorization: not exactly one bearer token", ErrMalformed)
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

// BearerToken returns the bearer token of r's Authorization header, as [ParseBearer] does.
// More than one Authorization header gives ErrMalformed, whatever their schemes.
func BearerToken(r *http.Request) (string, error) {
	switch v := r.Header.Values("Authorization"); len(v) {
	case 0:
		return "", ErrNoToken
	case 1:
		return ParseBearer(v[0])
	default:
		return "", fmt.Errorf("%w: more than one Authorization header", ErrMalformed)
	}
}

// cookieToken returns the value of the one cookie named name: none gives ErrNoToken, several
// (cookie tossing, or cookies set for several paths) give ErrMalformed.
func cookieToken(r *http.Request, name string) (string, error) {
	switch c := r.CookiesNamed(name); len(c) {
	case 0:
		return "", ErrNoToken
	case 1:
		if c[0].Value == "" {
			return "", ErrNoToken
		}
		return c[0].Value, nil
	default:
		return "", fmt.Errorf("%w: more than one %s cookie", ErrMalformed, name)
	}
}

// AuthConfig configures [Authenticate]. Exactly one of Sessions, Key and KeySet must be set.
type AuthConfig struct {
	// Sessions verifies access tokens with [Sessions.VerifyAccess]; it refuses refresh tokens.
	Sessions *Sessions
	// Key or KeySet verifies tokens with Decode and Expect. To accept only the access tokens
	// of a Sessions signed with this key, set Expect.Type to "at+jwt".
	Key    *Key
	KeySet *KeySet
	Expect Expect // used with Key and KeySet only

	// Cookie, when set, names a cookie read for the access token when the request has no
	// Authorization header with the Bearer scheme. A cookie sent automatically by the browser
	// exposes the API to CSRF; protect state-changing routes (see http.CrossOriginProtection).
	Cookie string

	// ErrorLog, when set, receives every rejected request with the reason (an error matching
	// a sentinel of this package), for logging. The client is never told the reason.
	ErrorLog func(r *http.Request, err error)
}

// claimsKey is the context key of the claims of type T.
type claimsKey[T any] struct{}

// ClaimsFrom returns the claims that the middleware of [Authenticate][T] stored in ctx, and
// whether there were any.
func ClaimsFrom[T any](ctx context.Context) (T, bool) {
	p, ok := ctx.Value(claimsKey[T]{}).(*T)
	if !ok {
		var zero T
		return zero, false
	}
	return *p, true
}

// Authenticate returns middleware that admits only requests with a valid access token and
// passes the decoded claims, of type T (a struct, typically embedding [Claims], or
// map[string]any), to the next handler in the request context; read them with
// ClaimsFrom[T].
//
// The token comes from the Authorization header ("Bearer <token>", see [BearerToken]) or,
// when there is none of that scheme and cfg.Cookie is set, from that cookie. Answers:
//
//   - no token: 401 with "WWW-Authenticate: Bearer" (RFC 6750 §3.1);
//   - a malformed Authorization header (several headers, several tokens, "Bearer" alone),
//     several token cookies, or a token that fails verification: 401 with
//     `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3);
//   - a session store failure (ErrStore, with Sessions.CheckSessionOnAccess): 503.
//
// The body is the status text; neither body nor headers tell the client the reason, which
// goes to cfg.ErrorLog. Authenticate returns ErrInvalidConfig when not exactly one verifier
// is set, Expect is invalid, or T cannot hold a claims set.
func Authenticate[T any](cfg AuthConfig) (func(http.Handler) http.Handler, error) {
	n := 0
	var verify func(ctx context.Context, token string, dst any) error
	if cfg.Sessions != nil {
		n++
		verify = cfg.Sessions.VerifyAccess
	}
	if cfg.Key != nil {
		n++
		k, want := cfg.Key, cfg.Expect
		verify = func(_ context.Context, token string, dst any) error { return k.Decode(token, dst, want) }
	}
	if cfg.KeySet != nil {
		n++
		s, want := cfg.KeySet, cfg.Expect
		verify = func(_ context.Context, token string, dst any) error { return s.Decode(token, dst, want) }
	}
	if n != 1 {
		return nil, fmt.Errorf("%w: Authenticate needs exactly one of Sessions, Key and KeySet", ErrInvalidConfig)
	}
	// Decode checks its destination and policy before the token: an empty token reveals a
	// configuration error now rather than on every request.
	check := verify
	if cfg.Sessions != nil { // VerifyAccess decodes into its own type first
		check = func(_ context.Context, token string, dst any) error {
			return cfg.Sessions.access.Decode(token, dst, cfg.Sessions.accessExp)
		}
	}
	if err := check(context.Background(), "", new(T)); errors.Is(err, ErrInvalidConfig) {
		return nil, err
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token, err := BearerToken(r)
			if errors.Is(err, ErrNoToken) && cfg.Cookie != "" {
				token, err = cookieToken(r, cfg.Cookie)
			}
			if err == nil {
				claims := new(T)
				if err = verify(r.Context(), token, claims); err == nil {
					ctx := context.WithValue(r.Context(), claimsKey[T]{}, claims)
					next.ServeHTTP(w, r.WithContext(ctx))
					return
				}
			}
			if cfg.ErrorLog != nil {
				cfg.ErrorLog(r, err)
			}
			switch {
			case errors.Is(err, ErrNoToken):
				fail(w, http.StatusUnauthorized, "Bearer")
			case errors.Is(err, ErrStore):
				fail(w, http.StatusServiceUnavailable, "")
			default:
				fail(w, http.StatusUnauthorized, `Bearer error="invalid_token"`)
			}
		})
	}, nil
}

// fail answers status with the status text, and challenge as WWW-Authenticate when set.
func fail(w http.ResponseWriter, status int, challenge string) {
	if challenge != "" {
		w.Header().Set("WWW-Authenticate", challenge)
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, http.StatusText(status), status)
}

// RefreshCookie returns the cookie that carries a refresh token to the browser: HttpOnly (no
// script can read it), Secure, SameSite=Strict, no Domain (this host only), the given Path
// (DefaultRefreshPath when empty; keep it to the refresh and logout endpoints) and Max-Age the
// whole seconds from now until expires (at least 1; use [Pair].RefreshExpiresAt). name
// defaults to DefaultRefreshCookie; an empty path of a name with the __Host- prefix (in any
// case) gives "/". RefreshCookie checks neither: [NewSessionHandlers] does.
func RefreshCookie(name, path, token string, expires, now time.Time) *http.Cookie {
	c := ClearRefreshCookie(name, path)
	c.Value = token
	c.MaxAge = max(1, int(expires.Sub(now)/time.Second))
	return c
}

// ClearRefreshCookie returns a cookie that deletes the cookie of [RefreshCookie] with the
// same name and path (Max-Age=0 on the wire).
func ClearRefreshCookie(name, path string) *http.Cookie {
	if name == "" {
		name = DefaultRefreshCookie
	}
	if path == "" {
		path = defaultCookiePath(name)
	}
	return &http.Cookie{
		Name: name, Path: path, MaxAge: -1,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode,
	}
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

// HandlerConfig configures [NewSessionHandlers].
type HandlerConfig struct {
	Sessions *Sessions // required

	// CookieName and CookiePath of the refresh-token cookie; defaults DefaultRefreshCookie
	// and DefaultRefreshPath ("/" for a name with the __Host- prefix). CookiePath must start
	// with "/" and hold only printable ASCII other than ';'. A name with the __Host- prefix,
	// in any case, needs the Path "/": browsers drop such a cookie with any other.
	CookieName, CookiePath string
	// InsecureCookie omits the Secure attribute, so that clients send the cookie back over
	// plain http: for development on a loopback address only. CookieName must then be set
	// and must not start with "__Secure-" or "__Host-" in any case, which require Secure.
	InsecureCookie bool

	// CrossOrigin guards the handlers against cross-site requests (CSRF, as defence in depth
	// behind SameSite=Strict); nil means a new http.CrossOriginProtection. Rejected requests
	// get 403.
	CrossOrigin *http.CrossOriginProtection

	// ErrorLog, when set, receives the reason of every refused request, for logging. The
	// client is never told the reason. Log errors matching ErrReused as security events.
	ErrorLog func(r *http.Request, err error)
}

// SessionHandlers serves the refresh and logout endpoints of a [Sessions], with the refresh
// token in a cookie (see [RefreshCookie]) and the access token in JSON response bodies, for
// the client to keep in memory and send as "Authorization: Bearer". The service writes its
// own login handler and ends it with [SessionHandlers.WriteTokens].
type SessionHandlers struct {
	cfg HandlerConfig
}

// TokenResponse is the JSON body of a successful login or refresh (RFC 6749 §5.1).
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"` // "Bearer"
	ExpiresIn   int64  `json:"expires_in"` // seconds until the access token expires
}

// NewSessionHandlers checks cfg; it returns ErrInvalidConfig when Sessions is nil or the
// cookie settings are ones browsers refuse: see [HandlerConfig].
func NewSessionHandlers(cfg HandlerConfig) (*SessionHandlers, error) {
	if cfg.Sessions == nil {
		return nil, fmt.Errorf("%w: HandlerConfig.Sessions is nil", ErrInvalidConfig)
	}
	if err := cfg.checkCookie(); err != nil {
		return nil, err
	}
	if cfg.CookieName == "" {
		cfg.CookieName = DefaultRefreshCookie
	}
	if cfg.CookiePath == "" {
		cfg.CookiePath = defaultCookiePath(cfg.CookieName)
	}
	if cfg.CrossOrigin == nil {
		cfg.CrossOrigin = http.NewCrossOriginProtection()
	}
	return &SessionHandlers{cfg}, nil
}

// checkCookie refuses cookie settings that contradict each other, that browsers would not
// store, or that would add attributes to the Set-Cookie field.
func (cfg *HandlerConfig) checkCookie() error {
	host := hasCookiePrefix(cfg.CookieName, "__Host-")
	switch {
	case cfg.InsecureCookie && (cfg.CookieName == "" || host || hasCookiePrefix(cfg.CookieName, "__Secure-")):
		return fmt.Errorf("%w: an insecure cookie needs a name without __Secure- or __Host- prefix, in any case", ErrInvalidConfig)
	case cfg.CookieName != "" && (&http.Cookie{Name: cfg.CookieName, Value: "x"}).Valid() != nil:
		return fmt.Errorf("%w: invalid cookie name: use letters, digits and !#$%%&'*+-.^_`|~", ErrInvalidConfig)
	case cfg.CookiePath != "" && !strings.HasPrefix(cfg.CookiePath, "/"):
		return fmt.Errorf("%w: CookiePath must start with /", ErrInvalidConfig)
	case !validCookiePath(cfg.CookiePath):
		return fmt.Errorf("%w: CookiePath may hold only printable ASCII other than ';'", ErrInvalidConfig)
	case host && cfg.CookiePath != "" && cfg.CookiePath != "/":
		return fmt.Errorf("%w: browsers drop a __Host- cookie whose Path is not /: leave CookiePath empty or use the __Secure- prefix", ErrInvalidConfig)
	}
	return nil
}

// Cookie returns the refresh-token cookie for pair p, as [RefreshCookie] with the configured
// name, path and Secure setting, and the clock of the Sessions.
func (h *SessionHandlers) Cookie(p Pair) *http.Cookie {
	c := RefreshCookie(h.cfg.CookieName, h.cfg.CookiePath, p.Refresh, p.RefreshExpiresAt, h.cfg.Sessions.now())
	c.Secure = !h.cfg.InsecureCookie
	return c
}

// ClearCookie returns the cookie that deletes the refresh-token cookie.
func (h *SessionHandlers) ClearCookie() *http.Cookie {
	c := ClearRefreshCookie(h.cfg.CookieName, h.cfg.CookiePath)
	c.Secure = !h.cfg.InsecureCookie
	return c
}

// WriteTokens answers a successful login or refresh: the refresh token in the cookie, and
// a [TokenResponse] as JSON with status 200 and Cache-Control: no-store.
func (h *SessionHandlers) WriteTokens(w http.ResponseWriter, p Pair) {
	http.SetCookie(w, h.Cookie(p))
	secs := int64((p.AccessExpiresAt.Sub(h.cfg.Sessions.now()) + time.Second - 1) / time.Second)
	writeJSON(w, http.StatusOK, TokenResponse{AccessToken: p.Access, TokenType: "Bearer", ExpiresIn: max(secs, 0)})
}

// writeJSON writes v as the JSON response body with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// errorBody is the JSON body of a refused request; code is fixed per status.
type errorBody struct {
	Error string `json:"error"`
}

// RefreshHandler returns the handler of the refresh endpoint. It accepts POST only (405 otherwise),
// exchanges the refresh-token cookie with [Sessions.Refresh] and answers with
// [SessionHandlers.WriteTokens]. A missing cookie gives 401 with a bare Bearer challenge; any
// other token failure 401 with error="invalid_token" and, unless the token was already spent
// or the cookie header is malformed, a cookie clearing the refresh token; a store failure 503. Every answer has Cache-Control: no-store and a JSON body.
func (h *SessionHandlers) RefreshHandler() http.Handler {
	return h.guard(func(w http.ResponseWriter, r *http.Request, token string) {
		p, err := h.cfg.Sessions.Refresh(r.Context(), token)
		if err != nil {
			h.refuse(w, r, err)
			return
		}
		h.WriteTokens(w, p)
	})
}

// LogoutHandler returns the handler of the logout endpoint. It accepts POST only (405 otherwise),
// revokes the session of the refresh-token cookie with [Sessions.Logout] (an expired token
// still logs out) and answers 200 with {"logged_out":true} and a cookie clearing the refresh
// token. Failures are answered as by [SessionHandlers.RefreshHandler].
func (h *SessionHandlers) LogoutHandler() http.Handler {
	return h.guard(func(w http.ResponseWriter, r *http.Request, token string) {
		if err := h.cfg.Sessions.Logout(r.Context(), token); err != nil {
			h.refuse(w, r, err)
			return
		}
		http.SetCookie(w, h.ClearCookie())
		writeJSON(w, http.StatusOK, struct {
			LoggedOut bool `json:"logged_out"`
		}{true})
	})
}

// guard checks method, origin and cookie, then calls serve with the refresh token.
func (h *SessionHandlers) guard(serve func(http.ResponseWriter, *http.Request, string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{"method_not_allowed"})
			return
		}
		if err := h.cfg.CrossOrigin.Check(r); err != nil {
			if h.cfg.ErrorLog != nil {
				h.cfg.ErrorLog(r, err)
			}
			writeJSON(w, http.StatusForbidden, errorBody{"forbidden"})
			return
		}
		token, err := cookieToken(r, h.cfg.CookieName)
		if err != nil {
			h.refuse(w, r, err)
			return
		}
		serve(w, r, token)
	})
}

// refuse answers a failed refresh or logout without telling why.
func (h *SessionHandlers) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if h.cfg.ErrorLog != nil {
		h.cfg.ErrorLog(r, err)
	}
	switch {
	case errors.Is(err, ErrStore):
		writeJSON(w, http.StatusServiceUnavailable, errorBody{"temporarily_unavailable"})
	case errors.Is(err, ErrNoToken):
		w.Header().Set("WWW-Authenticate", "Bearer")
		writeJSON(w, http.StatusUnauthorized, errorBody{"unauthorized"})
	default:
		// A spent token (ErrReused) may come from a request that lost a race to one that
		// just set the successor cookie, and a malformed cookie header (ErrMalformed) may be
		// someone else's cookie: clearing ours would then end a live session.
		if !errors.Is(err, ErrReused) && !errors.Is(err, ErrMalformed) {
			http.SetCookie(w, h.ClearCookie())
		}
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, errorBody{"unauthorized"})
	}
}
