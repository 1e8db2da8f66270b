package jwt

import "errors"

// The errors returned by this package. Each one names a reaction a caller may have, and every
// error the package returns matches exactly one of them with [errors.Is]. Returned errors wrap
// the sentinel with the segment or claim concerned ("jwt: token expired: exp"); their text never
// contains the token, a key or a claim value. Compare with errors.Is, never with the text.
var (
	// ErrMalformed: the token is not a compact JWS with a JSON header and a JSON claims set:
	// wrong segment count, empty segment, bad base64url, invalid JSON, a duplicate member, a
	// claim of the wrong JSON type, or a header member the package does not support (crit, b64).
	ErrMalformed = errors.New("jwt: malformed token")
	// ErrTooLarge: the token is longer than the size limit; nothing of it was decoded.
	ErrTooLarge = errors.New("jwt: token too large")
	// ErrAlgorithm: the header's alg is missing or is not exactly the chosen key's algorithm
	// (this includes "none" in any spelling, and a token of a replaced key whose algorithm
	// differs), or an unknown algorithm was asked of NewKey.
	ErrAlgorithm = errors.New("jwt: algorithm not allowed")
	// ErrUnknownKey: the header's kid names no key of the key set (an unknown or retired
	// key), the token has no kid and every key of the set has an ID, or the kid differs from
	// the ID of the key the caller chose.
	ErrUnknownKey = errors.New("jwt: unknown key")
	// ErrSignature: the MAC does not match. No claim was looked at.
	ErrSignature = errors.New("jwt: signature invalid")
	// ErrTokenType: the token is of another kind than the caller accepts (header typ, or the
	// access/refresh kind of a session token).
	ErrTokenType = errors.New("jwt: wrong token type")
	// ErrExpired: now is at or after exp plus the leeway.
	ErrExpired = errors.New("jwt: token expired")
	// ErrNotYetValid: now is before nbf minus the leeway.
	ErrNotYetValid = errors.New("jwt: token not valid yet")
	// ErrIssuedInFuture: iat is after now plus the leeway (checked only when asked for).
	ErrIssuedInFuture = errors.New("jwt: token issued in the future")
	// ErrIssuer: iss differs from the expected issuer.
	ErrIssuer = errors.New("jwt: issuer mismatch")
	// ErrAudience: aud contains none of the expected audiences.
	ErrAudience = errors.New("jwt: audience mismatch")
	// ErrSubject: sub differs from the expected subject.
	ErrSubject = errors.New("jwt: subject mismatch")
	// ErrMissingClaim: a claim the policy requires is absent.
	ErrMissingClaim = errors.New("jwt: required claim missing")
	// ErrKeyTooShort: the secret is shorter than the hash output (RFC 7518 §3.2).
	ErrKeyTooShort = errors.New("jwt: key too short")
	// ErrInvalidConfig: a configuration value is out of range (negative leeway, a key set
	// without distinct key IDs, a destination that is not a pointer, ...).
	ErrInvalidConfig = errors.New("jwt: invalid configuration")
	// ErrEncode: Encode refused the claims: a Go type it cannot write as JSON, a string that
	// is not valid UTF-8, a NaN or infinite number, or a value that would make a token Decode
	// refuses (too deeply nested or cyclic, a registered claim of the wrong type; see Encode).
	ErrEncode = errors.New("jwt: cannot encode claims")
)
