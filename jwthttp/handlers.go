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

	// RefreshInBody makes the handlers serve clients that are not browsers (mobile, command
	// line, services), which keep the refresh token themselves: it comes in the JSON request
	// body ({"refresh_token": "..."}, see [Handlers.RefreshHandler]) and goes back in the
	// response body (TokenResponse.RefreshToken); no cookie is read or set. Cookie settings
	// and CrossOrigin must then be left unset: with no cookie, a cross-site request carries
	// no credential its sender does not already hold, so no origin check is made. Serve
	// browsers and other clients with two Handlers, on two sets of endpoints.
	RefreshInBody bool

	// ErrorLog, when set, receives the reason of every refused request, for logging. The
	// client is never told the reason. Log errors matching jwt.ErrReused as security events.
	// When nil, the reason goes to slog's default logger (see the package doc).
	ErrorLog func(r *http.Request, err error)
}

// Handlers serves the refresh and logout endpoints of a [jwt.Sessions], with the refresh
// token in a cookie (see [Handlers.Cookie]), or with RefreshInBody in JSON bodies, and the
// access token in JSON response bodies, for the client to keep in memory and send as
// "Authorization: Bearer". The service writes its own login handler and ends it with
// [Handlers.WriteTokens]. Create Handlers with NewHandlers: the handlers of a zero Handlers
// answer every POST 500 (jwt.ErrInvalidConfig).
type Handlers struct {
	cfg HandlersConfig
}

// TokenResponse is the JSON body of a successful login or refresh, with the member names of
// RFC 6749 §5.1. RefreshToken is set only by handlers with RefreshInBody; in cookie mode the
// refresh token travels in the cookie alone. Clients of Django REST framework SimpleJWT read
// "access" and "refresh" instead: those are access_token and refresh_token here (no second
// set of names is offered).
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"` // "Bearer"
	ExpiresIn    int64  `json:"expires_in"` // seconds until the access token expires
	RefreshToken string `json:"refresh_token,omitempty"`
}

// NewHandlers checks cfg; it returns jwt.ErrInvalidConfig when Sessions is nil, when the
// cookie settings are ones browsers refuse, or when RefreshInBody is set with cookie settings
// or CrossOrigin: see [HandlersConfig].
func NewHandlers(cfg HandlersConfig) (*Handlers, error) {
	if cfg.Sessions == nil {
		return nil, fmt.Errorf("%w: HandlersConfig.Sessions is nil", jwt.ErrInvalidConfig)
	}
	if cfg.RefreshInBody {
		if cfg.CookieName != "" || cfg.CookiePath != "" || cfg.InsecureCookie || cfg.CrossOrigin != nil {
			return nil, fmt.Errorf("%w: RefreshInBody reads and sets no cookie: leave the cookie settings and CrossOrigin unset, and use other Handlers for browsers", jwt.ErrInvalidConfig)
		}
		return &Handlers{cfg}, nil
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
// (at least 1). With RefreshInBody it returns nil.
func (h *Handlers) Cookie(p jwt.Pair) *http.Cookie {
	if h.cfg.RefreshInBody {
		return nil
	}
	c := refreshCookie(h.cfg.CookieName, h.cfg.CookiePath, h.cfg.InsecureCookie)
	c.Value = p.Refresh
	c.MaxAge = max(1, int(left(p, p.RefreshExpiresAt)/time.Second))
	return c
}

// ClearCookie returns the cookie that deletes the refresh-token cookie (Max-Age=0 on the
// wire). With RefreshInBody it returns nil.
func (h *Handlers) ClearCookie() *http.Cookie {
	if h.cfg.RefreshInBody {
		return nil
	}
	return refreshCookie(h.cfg.CookieName, h.cfg.CookiePath, h.cfg.InsecureCookie)
}

// WriteTokens answers a successful login or refresh with a [TokenResponse] as JSON, status
// 200 and Cache-Control: no-store, and the refresh token in the cookie or, with
// RefreshInBody, in the response's refresh_token. expires_in counts from p.IssuedAt.
func (h *Handlers) WriteTokens(w http.ResponseWriter, p jwt.Pair) {
	secs := int64((left(p, p.AccessExpiresAt) + time.Second - 1) / time.Second)
	resp := TokenResponse{AccessToken: p.Access, TokenType: "Bearer", ExpiresIn: max(secs, 0)}
	if h.cfg.RefreshInBody {
		resp.RefreshToken = p.Refresh
	} else {
		http.SetCookie(w, h.Cookie(p))
	}
	writeJSON(w, http.StatusOK, resp)
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

// errorBody is the JSON body of a refused request: a code fixed per status and, for a
// malformed request in body mode, a fixed description (RFC 6749 §5.2).
type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// RefreshHandler returns the handler of the refresh endpoint. It accepts POST only (405
// otherwise), exchanges the refresh token with [jwt.Sessions.Refresh] and answers with
// [Handlers.WriteTokens]. Every answer has Cache-Control: no-store and a JSON body; a store
// failure is 503 {"error":"temporarily_unavailable"}.
//
// In cookie mode the token is the refresh-token cookie. A missing cookie gives 401 with a
// bare Bearer challenge; any other token failure 401 with error="invalid_token" and, unless
// the token was already spent or the cookie header is malformed, a cookie clearing the
// refresh token. A cross-origin request gets 403.
//
// With RefreshInBody the request is an application/json body (415 otherwise) of at most
// 9 KiB (413) holding one JSON object with exactly one member: "refresh_token" (RFC 6749
// §6), or "refresh" as Django REST framework SimpleJWT's clients send it, whose value is the
// token. Both members, any other member, a member twice, a value that is not a string, or
// a body that is not one JSON object give 400 {"error":"invalid_request"} with an
// error_description saying what is wrong (ErrBadRequest, or ErrNoToken for no or an empty
// token). A token that fails, for any reason, gives 400 {"error":"invalid_grant"}
// (RFC 6749 §5.2), without WWW-Authenticate: the token was not sent as HTTP
// authentication.
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
// otherwise), takes the refresh token as [Handlers.RefreshHandler] does, revokes its session
// with [jwt.Sessions.Logout] (an expired token still logs out) and answers 200 with
// {"logged_out":true} and, in cookie mode, a cookie clearing the refresh token. Failures
// are answered as by RefreshHandler.
func (h *Handlers) LogoutHandler() http.Handler {
	return h.guard(func(w http.ResponseWriter, r *http.Request, token string) {
		if err := h.cfg.Sessions.Logout(r.Context(), token); err != nil {
			h.refuse(w, r, err)
			return
		}
		if !h.cfg.RefreshInBody {
			http.SetCookie(w, h.ClearCookie())
		}
		writeJSON(w, http.StatusOK, struct {
			LoggedOut bool `json:"logged_out"`
		}{true})
	})
}

// errZeroHandlers is the error of Handlers not made by NewHandlers.
var errZeroHandlers = fmt.Errorf("%w: the Handlers are zero: create them with NewHandlers", jwt.ErrInvalidConfig)

// guard checks the method and takes the refresh token, then calls serve with it.
func (h *Handlers) guard(serve func(http.ResponseWriter, *http.Request, string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: "method_not_allowed"})
			return
		}
		if h.cfg.Sessions == nil {
			logRefusal(h.cfg.ErrorLog, r, http.StatusInternalServerError, errZeroHandlers)
			writeJSON(w, http.StatusInternalServerError, errorBody{Error: "server_error"})
			return
		}
		if token, ok := h.token(w, r); ok {
			serve(w, r, token)
		}
	})
}

// token returns the refresh token of r, from the body or the cookie; when there is none to
// use it answers r and returns false.
func (h *Handlers) token(w http.ResponseWriter, r *http.Request) (string, bool) {
	if h.cfg.RefreshInBody {
		token, bad := bodyToken(w, r)
		if bad != nil {
			logRefusal(h.cfg.ErrorLog, r, bad.status, bad.err)
			writeJSON(w, bad.status, errorBody{"invalid_request", bad.why})
			return "", false
		}
		return token, true
	}
	if err := h.cfg.CrossOrigin.Check(r); err != nil {
		logRefusal(h.cfg.ErrorLog, r, http.StatusForbidden, err)
		writeJSON(w, http.StatusForbidden, errorBody{Error: "forbidden"})
		return "", false
	}
	token, err := cookieToken(r, h.cfg.CookieName)
	if err != nil {
		h.refuse(w, r, err)
		return "", false
	}
	return token, true
}

// refuse answers a failed refresh or logout without telling why.
func (h *Handlers) refuse(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, jwt.ErrStore):
		logRefusal(h.cfg.ErrorLog, r, http.StatusServiceUnavailable, err)
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: "temporarily_unavailable"})
	case h.cfg.RefreshInBody:
		logRefusal(h.cfg.ErrorLog, r, http.StatusBadRequest, err)
		writeJSON(w, http.StatusBadRequest, errorBody{Error: "invalid_grant"})
	case errors.Is(err, ErrNoToken):
		logRefusal(h.cfg.ErrorLog, r, http.StatusUnauthorized, err)
		w.Header().Set("WWW-Authenticate", "Bearer")
		writeJSON(w, http.StatusUnauthorized, errorBody{Error: "unauthorized"})
	default:
		logRefusal(h.cfg.ErrorLog, r, http.StatusUnauthorized, err)
		// A spent token (ErrReused) may come from a request that lost a race to one that
		// just set the successor cookie, and a malformed cookie header (ErrMalformed) may be
		// someone else's cookie: clearing ours would then end a live session.
		if !errors.Is(err, jwt.ErrReused) && !errors.Is(err, jwt.ErrMalformed) {
			http.SetCookie(w, h.ClearCookie())
		}
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, errorBody{Error: "unauthorized"})
	}
}
