package jwt

import (
	"errors"
	"fmt"
	"strings"
)

// The errors returned by this package, for tokens and for sessions. Each one names a reaction
// a caller may have, and every error the package returns matches exactly one of them with
// [errors.Is]; compare with errors.Is, never with the text.
//
// Returned errors are made one way: fmt.Errorf wrapping the sentinel with %w, followed by
// the segment or claim concerned and what to do ("jwt: token expired: exp"). Their text
// never contains the token, a key or a claim value. An error caused outside the package (by
// a [Store], or by the SessionConfig.OnRefresh hook) wraps that cause too, so that errors.Is
// and errors.As still reach it (context.Canceled, a driver's error type), unless the cause
// itself matches one of these sentinels: then only its text is kept, and the error still
// matches exactly one.
var (
	// ErrMalformed is returned when the token is not a compact JWS with a JSON header and a
	// JSON claims set: wrong segment count, empty segment, bad base64url, invalid JSON, a
	// duplicate member, a claim of the wrong JSON type, or a header member the package does
	// not support (crit, b64).
	ErrMalformed = errors.New("jwt: malformed token")
	// ErrTooLarge is returned when the token is longer than the size limit, before any of it
	// is decoded, and by Sessions when claims would make a token longer than
	// DefaultMaxTokenSize.
	ErrTooLarge = errors.New("jwt: token too large")
	// ErrAlgorithm is returned when the header's alg is missing or is not exactly the chosen
	// key's algorithm (this includes "none" in any spelling, and a token of a replaced key
	// whose algorithm differs), and by NewKey for an algorithm other than HS256, HS384 and
	// HS512.
	ErrAlgorithm = errors.New("jwt: algorithm not allowed")
	// ErrUnknownKey is returned when the header's kid names no key of the key set (an
	// unknown or retired key), when the token has no kid and every key of the set has an ID,
	// and when the kid differs from the ID of the key the caller chose.
	ErrUnknownKey = errors.New("jwt: unknown key")
	// ErrSignature is returned when the MAC does not match. No claim was looked at.
	ErrSignature = errors.New("jwt: signature invalid")
	// ErrTokenType is returned when the token is of another kind than the caller accepts:
	// its header typ differs from Expect.Type, or it is a session token of the other kind
	// (a refresh token where an access token is expected, or the reverse).
	ErrTokenType = errors.New("jwt: wrong token type")
	// ErrExpired is returned when now is at or after exp plus the leeway, and by
	// Sessions.Refresh for a session past its absolute lifetime (sess_exp).
	ErrExpired = errors.New("jwt: token expired")
	// ErrNotYetValid is returned when now is before nbf minus the leeway.
	ErrNotYetValid = errors.New("jwt: token not valid yet")
	// ErrIssuedInFuture is returned when iat is after now plus the leeway (checked only when
	// Expect asks for it).
	ErrIssuedInFuture = errors.New("jwt: token issued in the future")
	// ErrIssuer is returned when iss differs from the expected issuer.
	ErrIssuer = errors.New("jwt: issuer mismatch")
	// ErrAudience is returned when aud contains none of the expected audiences.
	ErrAudience = errors.New("jwt: audience mismatch")
	// ErrSubject is returned when sub differs from the expected subject.
	ErrSubject = errors.New("jwt: subject mismatch")
	// ErrMissingClaim is returned when a claim the policy requires is absent, and by
	// Sessions for an empty subject or session ID.
	ErrMissingClaim = errors.New("jwt: required claim missing")
	// ErrClaimValue is returned when a claim that Expect.Claims requires is present but is
	// not the JSON string it requires (another value, or another JSON type).
	ErrClaimValue = errors.New("jwt: claim value mismatch")
	// ErrKeyTooShort is returned by NewKey when the secret is shorter than the hash output
	// (RFC 7518 §3.2).
	ErrKeyTooShort = errors.New("jwt: key too short")
	// ErrInvalidConfig is returned when a configuration value is out of range: a negative
	// leeway, a key or key set not made by its constructor, a key set without distinct key
	// IDs, a destination that is not a pointer, a SessionConfig that NewSessions refuses.
	ErrInvalidConfig = errors.New("jwt: invalid configuration")
	// ErrEncode is returned by Encode when it refuses the claims: a Go type it cannot write
	// as JSON, a string that is not valid UTF-8, a NaN or infinite number, or a value that
	// would make a token Decode refuses (too deeply nested or cyclic, a registered claim of
	// the wrong type; see Encode).
	ErrEncode = errors.New("jwt: cannot encode claims")

	// ErrReused is returned by Sessions.Refresh, and by a Store's Rotate, when the refresh
	// token was exchanged before (outside the grace window). Unless reuse detection is
	// disabled its whole session is now revoked. Log it as a security event: either the
	// client raced itself or the token was stolen.
	ErrReused = errors.New("jwt: refresh token reused")
	// ErrRevoked is returned when the session was revoked by Logout, RevokeSession,
	// RevokeSubject or reuse detection.
	ErrRevoked = errors.New("jwt: session revoked")
	// ErrUnknownSession is returned when the store holds no such session: it expired and was
	// forgotten, it was ended by the store's per-subject cap on sessions (see
	// [DefaultMaxSessionsPerSubject]), the store was reset, or the token comes from another
	// store.
	ErrUnknownSession = errors.New("jwt: unknown session")
	// ErrRefreshDenied is returned by Sessions.Refresh when the OnRefresh hook refused the
	// refresh; the hook's error is wrapped.
	ErrRefreshDenied = errors.New("jwt: refresh denied")
	// ErrStore is returned when the session store failed; the cause is wrapped. No token was
	// issued. Answer it as a server error (503), not as 401.
	ErrStore = errors.New("jwt: session store failure")
	// ErrReservedClaim is returned when a custom claim uses a name the session helper writes
	// itself.
	ErrReservedClaim = errors.New("jwt: reserved claim name")
)

// sentinels lists the errors above, for wrapCause.
var sentinels = [...]error{
	ErrMalformed, ErrTooLarge, ErrAlgorithm, ErrUnknownKey, ErrSignature, ErrTokenType,
	ErrExpired, ErrNotYetValid, ErrIssuedInFuture, ErrIssuer, ErrAudience, ErrSubject,
	ErrMissingClaim, ErrKeyTooShort, ErrInvalidConfig, ErrEncode,
	ErrReused, ErrRevoked, ErrUnknownSession, ErrRefreshDenied, ErrStore, ErrReservedClaim,
}

// wrapCause returns an error of kind sentinel caused by cause, an error from outside the
// package: cause is wrapped, and reachable with errors.Is and errors.As, unless it matches
// sentinels of this package, which the result would then match too. A cause that matches
// sentinel alone, and whose text starts with the sentinel's, is returned as it is; any other
// that matches a sentinel is kept as text only.
func wrapCause(sentinel, cause error) error {
	own, others := false, false
	for _, s := range sentinels {
		if errors.Is(cause, s) {
			if s == sentinel {
				own = true
			} else {
				others = true
			}
		}
	}
	switch {
	case own && !others && strings.HasPrefix(cause.Error(), sentinel.Error()):
		return cause
	case own || others:
		return fmt.Errorf("%w: %v", sentinel, cause)
	}
	return fmt.Errorf("%w: %w", sentinel, cause)
}
