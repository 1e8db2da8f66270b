// Package jwthttp is the net/http layer of package jwt: middleware that admits requests with
// a valid access token, and the refresh and logout endpoints of a [jwt.Sessions]. It is
// built only on the exported API of package jwt, which itself links neither net/http nor
// crypto/tls, so a program that only signs and verifies tokens stays small.
//
// # Middleware
//
// [Authenticate] takes one verifier, [AuthConfig.Verify]: the method value
// [jwt.Sessions.VerifyAccess] for the access tokens of a Sessions, or [VerifyWith] for a
// *jwt.Key or *jwt.KeySet with a jwt.Expect. Any function of that shape works, so a
// service can add its own checks around either. It returns an [Auth] for one claims type T,
// whose [Auth.Middleware] wraps handlers and whose [Auth.Claims] reads the claims back:
//
//	auth, err := jwthttp.Authenticate[AppClaims](jwthttp.AuthConfig{Verify: sessions.VerifyAccess})
//	...
//	mux.Handle("GET /api/me", auth.Middleware(me))
//	// in me: claims, ok := auth.Claims(r.Context())
//
// The claims live in the request context under a key that only that Auth knows, so a
// handler cannot read them as another type: the mistake of asking for *AppClaims, a
// jwt.Claims or a map when the middleware decoded AppClaims does not compile.
//
// # Refresh and logout
//
// [NewHandlers] returns the [Handlers] of the refresh and logout endpoints, and
// [Handlers.WriteTokens] for the service's own login handler. Answers are JSON with
// Cache-Control: no-store; the tokens come back as a [TokenResponse], named as in RFC 6749
// §5.1 (access_token, token_type, expires_in, refresh_token). Where the refresh token
// travels is chosen per Handlers:
//
//   - by default in an HttpOnly, Secure, SameSite=Strict cookie scoped to the two endpoints,
//     for browsers, which must never let script read it; the handlers refuse cross-origin
//     requests (403), since the browser attaches the cookie to them;
//   - with [HandlersConfig.RefreshInBody], in the JSON bodies, for clients that keep it
//     themselves (mobile apps, command-line tools, services): the request is
//     {"refresh_token": "..."}, and the response carries the new one in refresh_token. Any
//     other member is refused, as is a member given twice, so that a misspelt name or a
//     parameter this package does not implement (grant_type, scope) fails loudly rather
//     than being ignored. No cookie is read or set, and no origin check is made: a
//     cross-site request can carry only a token its sender already holds. Errors follow
//     RFC 6749 §5.2: invalid_request (with an error_description) for a malformed request,
//     invalid_grant for a refused token, both with status 400.
//
// A service serving both kinds of client makes two Handlers on one jwt.Sessions and mounts
// them on two sets of endpoints, with a login handler for each.
//
// Django REST framework SimpleJWT's clients send {"refresh": "..."} and read
// {"access": "...", "refresh": "..."}. The request member "refresh" is accepted beside
// "refresh_token" (one of them, never both); the response names are RFC 6749's only, so
// such a client reads access_token for access and refresh_token for refresh. A second set
// of response names would double what every client and test must handle, for a mapping of
// two field names.
//
// [jwt.Pair] has no JSON tags on purpose: it is the Go result of Sessions, and writing it
// as JSON would send the refresh token to browsers too and use names no client expects.
// TokenResponse is the one wire form.
//
// # Names
//
// One name per concept, and no name for a concept a caller does not need: the package's
// sentinels are ErrNoToken and ErrBadRequest (every other failure matches a sentinel of
// package jwt); RefreshInBody is one switch, not a mode type with two constants;
// Authenticate and AuthConfig make an Auth; NewHandlers and HandlersConfig make Handlers;
// BearerToken reads the Authorization header; the cookie is built by Handlers.Cookie and
// Handlers.ClearCookie, from the settings NewHandlers checked, rather than by free functions
// that would accept unchecked ones. Authenticate keeps its name, a verb for what the
// middleware does, though it returns a value rather than the middleware itself.
//
// # Logging
//
// Neither the middleware nor the handlers tell the client why a request was refused. The
// reason, an error matching one sentinel, goes to the ErrorLog of the configuration; when
// that is nil, to log/slog's default logger, as one record "jwthttp: request refused" with
// the attributes method, path, status and error (the error's text, which never holds a
// token, a key or a claim value). The levels:
//
//   - Debug: no token at all (ErrNoToken), ordinary traffic on a protected route;
//   - Info: every other refused token or request: expired, forged, of the wrong kind,
//     malformed, cross-origin;
//   - Warn: a spent refresh token presented again (jwt.ErrReused), a security event;
//   - Error: a store failure (jwt.ErrStore) or a configuration error (jwt.ErrInvalidConfig).
//
// slog's default level is Info, so a refused token shows up without any setting; set the
// level to Debug (slog.SetLogLoggerLevel) to see requests without tokens too, or set
// ErrorLog to log elsewhere or not at all.
package jwthttp
