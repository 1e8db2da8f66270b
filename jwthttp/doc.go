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
// [NewHandlers] returns the [Handlers] of the refresh and logout endpoints, with the
// refresh token in an HttpOnly cookie scoped to those endpoints, and [Handlers.WriteTokens]
// for the service's own login handler. Answers are JSON with Cache-Control: no-store; the
// access token comes back as a [TokenResponse], named as in RFC 6749 §5.1.
//
// # Names
//
// One name per concept, and no name for a concept a caller does not need: the package's
// sentinel is ErrNoToken (every other failure matches a sentinel of package jwt);
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
