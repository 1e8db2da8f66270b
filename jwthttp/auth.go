package jwthttp

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/zerojwt/jwt"
)

// AuthConfig configures [Authenticate].
type AuthConfig struct {
	// Verify checks an access token and decodes its claims into dst, a pointer to the
	// middleware's claims type, writing dst only when every check passed. It is required.
	// Use the method value [jwt.Sessions.VerifyAccess] for the access tokens of a Sessions
	// (it refuses refresh tokens), or [VerifyWith] for a *jwt.Key or *jwt.KeySet and an
	// Expect. An error matching jwt.ErrStore is answered 503, jwt.ErrInvalidConfig 500,
	// any other 401.
	Verify func(ctx context.Context, token string, dst any) error

	// Cookie, when set, names a cookie read for the access token when the request has no
	// Authorization header with the Bearer scheme. A cookie sent automatically by the browser
	// exposes the API to CSRF; protect state-changing routes (see http.CrossOriginProtection).
	Cookie string

	// ErrorLog, when set, receives every rejected request with the reason (an error matching
	// a sentinel of package jwt or ErrNoToken), for logging. The client is never told the
	// reason. When nil, the reason goes to slog's default logger (see the package doc).
	ErrorLog func(r *http.Request, err error)
}

// VerifyWith returns an [AuthConfig.Verify] that decodes with k, a *jwt.Key or a
// *jwt.KeySet, and the policy want. To accept only the access tokens of a jwt.Sessions
// signed with this key, set want.Type to "at+jwt". A nil k gives a Verify that returns
// jwt.ErrInvalidConfig, which Authenticate reports.
func VerifyWith(k interface {
	Decode(token string, dst any, want jwt.Expect) error
}, want jwt.Expect) func(ctx context.Context, token string, dst any) error {
	if k == nil {
		return func(context.Context, string, any) error {
			return fmt.Errorf("%w: VerifyWith needs a *jwt.Key or *jwt.KeySet, not nil", jwt.ErrInvalidConfig)
		}
	}
	return func(_ context.Context, token string, dst any) error { return k.Decode(token, dst, want) }
}

// Auth is the middleware made by [Authenticate] for claims of type T, and the only reader
// of the claims it stores: a handler asks the same Auth for them, so the type it reads is
// the type the middleware decoded, fixed at compile time. Create it with Authenticate: the
// middleware of a zero Auth answers every request 500 (jwt.ErrInvalidConfig).
type Auth[T any] struct {
	cfg AuthConfig
}

// Authenticate returns an Auth whose [Auth.Middleware] admits only requests with a valid
// access token and passes the decoded claims, of type T (a struct, typically embedding
// [jwt.Claims], or map[string]any), to the next handler in the request context; read them
// with [Auth.Claims].
//
// The token comes from the Authorization header ("Bearer <token>", see [BearerToken]) or,
// when there is none of that scheme and cfg.Cookie is set, from that cookie. Answers:
//
//   - no token: 401 with "WWW-Authenticate: Bearer" (RFC 6750 §3.1);
//   - a malformed Authorization header (several headers, several tokens, "Bearer" alone),
//     several token cookies, or a token that fails verification: 401 with
//     `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3);
//   - a session store failure (jwt.ErrStore, with SessionConfig.CheckSessionOnAccess): 503.
//
// The body is the status text; neither body nor headers tell the client the reason, which
// goes to cfg.ErrorLog, or to slog's default logger when it is nil. Authenticate returns
// jwt.ErrInvalidConfig when cfg.Verify is nil or refuses a *T (it is called once, with an
// empty token, to find out).
func Authenticate[T any](cfg AuthConfig) (*Auth[T], error) {
	if cfg.Verify == nil {
		return nil, fmt.Errorf("%w: AuthConfig.Verify is nil: use Sessions.VerifyAccess or VerifyWith", jwt.ErrInvalidConfig)
	}
	// Decode and VerifyAccess check their destination and policy before the token: an empty
	// token reveals a configuration error now rather than on every request.
	if err := cfg.Verify(context.Background(), "", new(T)); errors.Is(err, jwt.ErrInvalidConfig) {
		return nil, err
	}
	return &Auth[T]{cfg}, nil
}

// Middleware wraps next: a request reaches it only with a valid access token, whose claims
// [Auth.Claims] then returns. Its signature fits routers' Use methods: r.Use(a.Middleware).
func (a *Auth[T]) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, err := a.verify(r)
		if err != nil {
			a.refuse(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), a, claims)))
	})
}

// Claims returns the claims that a's middleware stored in ctx, and whether there were any:
// false for a request that did not pass through a's middleware, even if another Auth of
// the same type admitted it.
func (a *Auth[T]) Claims(ctx context.Context) (T, bool) {
	p, ok := ctx.Value(a).(*T)
	if !ok {
		var zero T
		return zero, false
	}
	return *p, true
}

// errZeroAuth is the error of an Auth not made by Authenticate.
var errZeroAuth = fmt.Errorf("%w: the Auth is zero: create it with Authenticate", jwt.ErrInvalidConfig)

// verify returns the verified claims of r's token.
func (a *Auth[T]) verify(r *http.Request) (*T, error) {
	if a.cfg.Verify == nil {
		return nil, errZeroAuth
	}
	token, err := BearerToken(r)
	if errors.Is(err, ErrNoToken) && a.cfg.Cookie != "" {
		token, err = cookieToken(r, a.cfg.Cookie)
	}
	if err != nil {
		return nil, err
	}
	claims := new(T)
	if err := a.cfg.Verify(r.Context(), token, claims); err != nil {
		return nil, err
	}
	return claims, nil
}

// refuse answers a request the middleware does not admit, without telling why.
func (a *Auth[T]) refuse(w http.ResponseWriter, r *http.Request, err error) {
	status, challenge := http.StatusUnauthorized, `Bearer error="invalid_token"`
	switch {
	case errors.Is(err, ErrNoToken):
		challenge = "Bearer"
	case errors.Is(err, jwt.ErrStore):
		status, challenge = http.StatusServiceUnavailable, ""
	case errors.Is(err, jwt.ErrInvalidConfig):
		status, challenge = http.StatusInternalServerError, ""
	}
	logRefusal(a.cfg.ErrorLog, r, status, err)
	fail(w, status, challenge)
}

// fail answers status with the status text, and challenge as WWW-Authenticate when set.
func fail(w http.ResponseWriter, status int, challenge string) {
	if challenge != "" {
		w.Header().Set("WWW-Authenticate", challenge)
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, http.StatusText(status), status)
}
