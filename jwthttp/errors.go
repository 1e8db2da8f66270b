package jwthttp

import "errors"

// ErrNoToken is returned when a request carries no token: no Authorization header, or one of
// another scheme than Bearer, and no token cookie when one is configured; or, for the
// refresh and logout handlers, no refresh-token cookie. The middleware answers it with a
// bare Bearer challenge (RFC 6750 §3.1). Every other failure matches a sentinel of package
// jwt: a malformed Authorization header, for one, is jwt.ErrMalformed.
var ErrNoToken = errors.New("jwthttp: no token in request")

// ErrBadRequest is returned when a request to handlers with RefreshInBody is not a JSON
// object holding exactly one refresh token: its Content-Type is not application/json, its
// body is larger than the handlers read, is not one JSON object, or has a member other than
// refresh_token and refresh, a member twice, both members, or a value that is not a string.
// (A body without a refresh token, or with an empty one, is ErrNoToken.) The handlers answer
// it with {"error":"invalid_request"} and a fixed error_description.
var ErrBadRequest = errors.New("jwthttp: bad request")
