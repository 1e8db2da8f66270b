package jwthttp

import "errors"

// ErrNoToken is returned when a request carries no token: no Authorization header, or one of
// another scheme than Bearer, and no token cookie when one is configured; or, for the
// refresh and logout handlers, no refresh-token cookie. The middleware answers it with a
// bare Bearer challenge (RFC 6750 §3.1). Every other failure matches a sentinel of package
// jwt: a malformed Authorization header, for one, is jwt.ErrMalformed.
var ErrNoToken = errors.New("jwt: no token in request")
