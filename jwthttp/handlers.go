package jwthttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/zerojwt/jwt"
)

// HandlersConfig configures [NewHandlers].
type HandlersConfig struct {
	Sessions *jwt.Sessions // required

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
	// client is never told the reason. Log errors matching jwt.ErrReused as security events.
	// When nil, the reason goes to slog's default logger (see the package doc).
	ErrorLog func(r *http.Request, err error)
}

// Handlers serves the refresh and logout endpoints of a [jwt.Sessions], with the refresh
// token in a cookie (see [Handlers.Cookie]) and the access token in JSON response bodies,
// for the client to keep in memory and send as "Authorization: Bearer". The service writes
// its own login handler and ends it with [Handlers.WriteTokens].
type Handlers struct {
	cfg HandlersConfig
}

// TokenResponse is the JSON body of a successful login or refresh (RFC 6749 §5.1).
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"` // "Bearer"
	ExpiresIn   int64  `json:"expires_in"` // seconds until the access token expires
}

// NewHandlers checks cfg; it returns jwt.ErrInvalidConfig when Sessions is nil or the cookie
// settings are ones browsers refuse: see [HandlersConfig].
func NewHandlers(cfg HandlersConfig) (*Handlers, error) {
	if cfg.Sessions == nil {
		return nil, fmt.Errorf("%w: HandlersConfig.Sessions is nil", jwt.ErrInvalidConfig)
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
	return &Handlers{cfg}, nil
}

// Cookie returns the refresh-token cookie for pair p: HttpOnly (no script can read it),
// Secure unless InsecureCookie, SameSite=Strict, no Domain (this host only), the configured
// name and Path, and Max-Age the whole seconds from p.IssuedAt until p.RefreshExpiresAt
// (at least 1).
func (h *Handlers) Cookie(p jwt.Pair) *http.Cookie {
	c := refreshCookie(h.cfg.CookieName, h.cfg.CookiePath, h.cfg.InsecureCookie)
	c.Value = p.Refresh
	c.MaxAge = max(1, int(left(p, p.RefreshExpiresAt)/time.Second))
	return c
}

// ClearCookie returns the cookie that deletes the refresh-token cookie (Max-Age=0 on the
// wire).
func (h *Handlers) ClearCookie() *http.Cookie {
	return refreshCookie(h.cfg.CookieName, h.cfg.CookiePath, h.cfg.InsecureCookie)
}

// WriteTokens answers a successful login or refresh: the refresh token in the cookie, and
// a [TokenResponse] as JSON with status 200 and Cache-Control: no-store. expires_in counts
// from p.IssuedAt.
func (h *Handlers) WriteTokens(w http.ResponseWriter, p jwt.Pair) {
	http.SetCookie(w, h.Cookie(p))
	secs := int64((left(p, p.AccessExpiresAt) + time.Second - 1) / time.Second)
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

// RefreshHandler returns the handler of the refresh endpoint. It accepts POST only (405
// otherwise), exchanges the refresh-token cookie with [jwt.Sessions.Refresh] and answers
// with [Handlers.WriteTokens]. A missing cookie gives 401 with a bare Bearer challenge; any
// other token failure 401 with error="invalid_token" and, unless the token was already
// spent or the cookie header is malformed, a cookie clearing the refresh token; a store
// failure 503. Every answer has Cache-Control: no-store and a JSON body.
func (h *Handlers) RefreshHandler() http.Handler {
	return h.guard(func(w http.ResponseWriter, r *http.Request, token string) {
		p, err := h.cfg.Sessions.Refresh(r.Context(), token)
		if err != nil {
			h.refuse(w, r, err)
			return
		}
		h.WriteTokens(w, p)
	})
}

// LogoutHandler returns the handler of the logout endpoint. It accepts POST only (405
// otherwise), revokes the session of the refresh-token cookie with [jwt.Sessions.Logout]
// (an expired token still logs out) and answers 200 with {"logged_out":true} and a cookie
// clearing the refresh token. Failures are answered as by [Handlers.RefreshHandler].
func (h *Handlers) LogoutHandler() http.Handler {
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
func (h *Handlers) guard(serve func(http.ResponseWriter, *http.Request, string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{"method_not_allowed"})
			return
		}
		if err := h.cfg.CrossOrigin.Check(r); err != nil {
			logRefusal(h.cfg.ErrorLog, r, http.StatusForbidden, err)
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
func (h *Handlers) refuse(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, jwt.ErrStore):
		logRefusal(h.cfg.ErrorLog, r, http.StatusServiceUnavailable, err)
		writeJSON(w, http.StatusServiceUnavailable, errorBody{"temporarily_unavailable"})
	case errors.Is(err, ErrNoToken):
		logRefusal(h.cfg.ErrorLog, r, http.StatusUnauthorized, err)
		w.Header().Set("WWW-Authenticate", "Bearer")
		writeJSON(w, http.StatusUnauthorized, errorBody{"unauthorized"})
	default:
		logRefusal(h.cfg.ErrorLog, r, http.StatusUnauthorized, err)
		// A spent token (ErrReused) may come from a request that lost a race to one that
		// just set the successor cookie, and a malformed cookie header (ErrMalformed) may be
		// someone else's cookie: clearing ours would then end a live session.
		if !errors.Is(err, jwt.ErrReused) && !errors.Is(err, jwt.ErrMalformed) {
			http.SetCookie(w, h.ClearCookie())
		}
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, errorBody{"unauthorized"})
	}
}
