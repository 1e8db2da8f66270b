// Package jwt signs and verifies JSON Web Tokens with HMAC (HS256, HS384, HS512): compact
// JWS (RFC 7515) carrying a JWT claims set (RFC 7519), with the algorithms of RFC 7518 §3.2
// and the practices of RFC 8725. It has no dependencies outside the standard library.
//
// A [Key] binds a secret to one algorithm. [Key.Encode] signs a claims value, typically a
// struct embedding [Claims]; [Key.Decode] verifies a token and fills a value of the caller's
// type, following the policy in an [Expect]. A [KeySet] picks the key by the token's kid, for
// key rotation. On top of them, [Sessions] runs the login → access and refresh tokens →
// refresh → logout flow with rotation and reuse detection, and rotates its keys through
// SessionConfig.PreviousKeys without logging anyone out. Package
// github.com/zerojwt/jwt/jwthttp puts them on net/http (middleware, refresh and logout
// endpoints), so that this package links neither net/http nor crypto/tls.
//
// Keys, key sets and sessions are safe for concurrent use by many goroutines.
//
// # Security model
//
// The key decides the algorithm; the token's alg is only compared with it, so "none", any
// other algorithm and algorithm confusion fail with [ErrAlgorithm]. Secrets shorter than the
// hash output are refused ([ErrKeyTooShort]). Base64url is decoded strictly (no padding, no
// white space or line breaks, canonical trailing bits), so one token has exactly one spelling.
// Tokens longer than [DefaultMaxTokenSize] (or Expect.MaxTokenSize) are refused before any
// decoding, and the three segments are found without splitting. Headers with crit or b64 are
// refused. The MAC is checked in constant time over the received text before the claims are
// parsed, and a signature failure is never reported together with a claim failure; the header
// read before it is at most [MaxHeaderSize] bytes. JSON is read strictly: exact-case member
// names, duplicate names rejected (also names equal but for case, as encoding/json would
// confuse them), invalid UTF-8 and unpaired surrogates rejected, nesting bounded. exp, nbf and iat must be non-negative JSON numbers in
// range; exp is required unless the caller opts out. The caller's destination is written only
// when every check passed. Error texts never contain the token, a key or a claim value, and
// no fmt verb prints a key's secret. [InspectUnverified] reads a token without checking it,
// for debugging only.
package jwt
