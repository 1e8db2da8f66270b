package jwt

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"math"
	"strings"
	"time"
)

// Token kinds. The header typ of access tokens is "at+jwt" (RFC 9068 §2.1); the token_type
// claim carries the kind as well, as in Django REST framework SimpleJWT.
const (
	accessTyp     = "at+jwt"
	refreshTyp    = "refresh+jwt"
	successorTyp  = "zerojwt-successor" // grace-window records in the store, never a token
	accessKind    = "access"
	refreshKind   = "refresh"
	maxReuseGrace = time.Minute
	maxLeeway     = 5 * time.Minute
)

// reservedClaims are written by Sessions; custom claims may not use them.
var reservedClaims = [...]string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "token_type", "sid", "sess_exp"}

// SessionConfig configures [NewSessions]. Zero durations take the defaults given.
type SessionConfig struct {
	// Key signs and verifies access tokens. Unless RefreshKey is set, refresh tokens are
	// signed with a key derived from it (an HMAC of a fixed label under Key, with Key's ID),
	// so that a refresh token never verifies under Key itself, whatever the verifier checks.
	Key *Key
	// RefreshKey, when set, signs and verifies refresh tokens, so that a service holding
	// only Key can never accept one. It must be another HMAC key than Key: the same
	// algorithm and secret are refused, whatever the key ID or typ.
	RefreshKey *Key
	// PreviousKeys verify, and never sign, the tokens of the keys Key replaced, so that a key
	// rotation logs nobody out: set the new key as Key, move the old one here, and remove it
	// once its last tokens have expired (RefreshTTL plus Leeway after the rotation); its
	// tokens then get ErrUnknownKey when Key has an ID (a Key without ID ignores kid, so they
	// get ErrSignature). Key and PreviousKeys must be a valid key set (see
	// NewKeySet): distinct key IDs, and at most one key without ID, which verifies the
	// tokens without kid (those of a deployment whose keys had no IDs). The refresh-token
	// and grace-record keys derived from each key keep its ID and rotate with it.
	PreviousKeys []*Key
	// PreviousRefreshKeys are to RefreshKey what PreviousKeys are to Key, under the same
	// rules; they may be set only with RefreshKey. No refresh key, current or previous, may
	// be one of the access keys (Key or PreviousKeys).
	PreviousRefreshKeys []*Key

	// Issuer and Audience, when set, are written to iss and aud and required on input.
	Issuer, Audience string

	AccessTTL  time.Duration // lifetime of access tokens; default 5 minutes
	RefreshTTL time.Duration // lifetime of each refresh token (the inactivity limit); default 24 hours
	// MaxLifetime is the absolute lifetime of a session, fixed at login: no token of the
	// session expires later, however often it is refreshed. Default 30 days.
	MaxLifetime time.Duration
	// ReuseGrace lets calls that present the refresh token exchanged last, within this time
	// of its exchange, receive the same successor instead of tripping reuse detection
	// (concurrent requests, lost responses). Default 0; at most one minute.
	ReuseGrace time.Duration
	// Leeway is the clock skew allowed on exp; at most 5 minutes.
	Leeway time.Duration

	// DisableRotation makes Refresh return a new access token with the same refresh token,
	// which then works until it expires or is revoked (SimpleJWT's default).
	DisableRotation bool
	// DisableReuseDetection keeps a session alive when one of its exchanged refresh tokens is
	// presented again (the call still fails with ErrReused).
	DisableReuseDetection bool
	// CheckSessionOnAccess makes VerifyAccess consult the store, so that access tokens of a
	// revoked session are refused at once rather than when they expire.
	CheckSessionOnAccess bool

	// Store keeps the sessions; nil means a new MemoryStore.
	Store Store
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// OnRefresh, when set, is called by Refresh after the refresh token has been verified and
	// before the store step, with the token's custom claims as decoded (numbers are float64,
	// objects map[string]any; the hook may change and keep the map). Since it runs before
	// the store has judged the token, it also runs for calls that then fail: a reused token,
	// a revoked or unknown session, a store error. A non-nil error refuses the refresh
	// (ErrRefreshDenied wrapping it; nothing changes). A non-nil map replaces the custom
	// claims of the new tokens; nil keeps them. In the ReuseGrace window the tokens carry
	// the claims recorded by the call that rotated, not the ones the hook returns.
	OnRefresh func(ctx context.Context, subject string, claims map[string]any) (map[string]any, error)
}

// Sessions issues, refreshes and revokes pairs of access and refresh tokens: the login,
// refresh and logout flow of Django REST framework SimpleJWT, with refresh-token rotation and
// reuse detection on by default (RFC 9700 §4.14.2). It is safe for concurrent use.
//
// Access tokens (header typ "at+jwt", claim token_type "access") authorise API calls and are
// checked without the store by default. Refresh tokens (typ "refresh+jwt", token_type
// "refresh") are exchanged for new pairs. Each kind is refused where the other is expected,
// with ErrTokenType. Both carry sub, sid (the session), jti, iat, exp, iss and aud when
// configured, and the custom claims. Refresh tokens also carry sess_exp, the end of the
// session's absolute lifetime.
type Sessions struct {
	access, refresh *Key // sign the tokens
	successor       *Key // signs grace-window records
	// Verify the tokens and records: the signing key alone, or a KeySet of it and the
	// previous keys.
	accessKeys, refreshKeys, successorKeys verifier
	issuer, audience                       string
	accessTTL                              time.Duration
	refreshTTL                             time.Duration
	maxLifetime                            time.Duration
	grace, leeway                          time.Duration
	rotate, detect                         bool
	checkAccess                            bool
	store                                  Store
	now                                    func() time.Time
	onRefresh                              func(context.Context, string, map[string]any) (map[string]any, error)
	accessExp, refExp                      Expect
}

// usable returns ErrInvalidConfig for a nil or zero Sessions, which only NewSessions makes
// usable, so that its methods refuse rather than panic.
func (s *Sessions) usable() error {
	if s == nil || s.store == nil || s.now == nil {
		return fmt.Errorf("%w: the Sessions is nil or zero: create it with NewSessions", ErrInvalidConfig)
	}
	return nil
}

// Pair is the result of [Sessions.Issue] and [Sessions.Refresh]. It has no JSON form of its
// own: package jwthttp writes it to HTTP clients as the fields of RFC 6749 §5.1, and decides
// whether the refresh token goes into the body or into a cookie.
type Pair struct {
	Access, Refresh                   string
	AccessExpiresAt, RefreshExpiresAt time.Time
	SessionID                         string
	// IssuedAt is the time of the Sessions clock (SessionConfig.Now) at which the pair was
	// made, so that the lifetimes left, AccessExpiresAt minus IssuedAt for an expires_in
	// and RefreshExpiresAt minus IssuedAt for a cookie's Max-Age, need no other clock.
	IssuedAt time.Time
}

// verifier verifies tokens: a *Key or a *KeySet.
type verifier interface {
	Decode(token string, dst any, want Expect) error
	keySource
}

// NewSessions checks cfg and returns the helper. It returns ErrInvalidConfig when Key is nil,
// a key was not made by NewKey, Key and PreviousKeys (or RefreshKey and
// PreviousRefreshKeys) are not a valid key set, PreviousRefreshKeys is set without
// RefreshKey, a refresh key has the algorithm and secret of an access key (so that refresh
// tokens would verify under it), a duration is negative, AccessTTL is under a second,
// RefreshTTL is not longer than AccessTTL, MaxLifetime is shorter than RefreshTTL,
// ReuseGrace exceeds one minute or is set with DisableRotation, or Leeway exceeds 5 minutes.
func NewSessions(cfg SessionConfig) (*Sessions, error) {
	bad := func(what string) (*Sessions, error) {
		return nil, fmt.Errorf("%w: sessions: %s", ErrInvalidConfig, what)
	}
	if cfg.Key == nil {
		return bad("Key is nil")
	}
	if cfg.Key.usable() != nil {
		return bad("Key is zero: create keys with NewKey")
	}
	if cfg.RefreshKey == nil && len(cfg.PreviousRefreshKeys) > 0 {
		return bad("PreviousRefreshKeys without RefreshKey: derived refresh keys rotate with PreviousKeys")
	}
	if cfg.RefreshKey != nil && cfg.RefreshKey.usable() != nil {
		return bad("RefreshKey is zero: create keys with NewKey")
	}
	accessKeys := append([]*Key{cfg.Key}, cfg.PreviousKeys...)
	if _, err := NewKeySet(accessKeys...); err != nil {
		return nil, fmt.Errorf("%w (Key is key 0, PreviousKeys follow)", err)
	}
	var refreshKeys []*Key
	if cfg.RefreshKey != nil {
		refreshKeys = append([]*Key{cfg.RefreshKey}, cfg.PreviousRefreshKeys...)
		if _, err := NewKeySet(refreshKeys...); err != nil {
			return nil, fmt.Errorf("%w (RefreshKey is key 0, PreviousRefreshKeys follow)", err)
		}
		for _, r := range refreshKeys {
			for _, a := range accessKeys {
				if r.sameSecret(a) {
					return bad("a refresh key is an access key (same algorithm and secret): use a different secret, or leave RefreshKey nil to derive one")
				}
			}
		}
	} else {
		for _, a := range accessKeys {
			refreshKeys = append(refreshKeys, a.derive("zerojwt refresh tokens"))
		}
	}
	def := func(d *time.Duration, v time.Duration) { // zero means default
		if *d == 0 {
			*d = v
		}
	}
	def(&cfg.AccessTTL, 5*time.Minute)
	def(&cfg.RefreshTTL, 24*time.Hour)
	def(&cfg.MaxLifetime, 30*24*time.Hour)
	switch {
	case cfg.AccessTTL < time.Second:
		return bad("AccessTTL under one second")
	case cfg.RefreshTTL <= cfg.AccessTTL:
		return bad("RefreshTTL not longer than AccessTTL")
	case cfg.MaxLifetime < cfg.RefreshTTL:
		return bad("MaxLifetime shorter than RefreshTTL")
	case cfg.ReuseGrace < 0 || cfg.ReuseGrace > maxReuseGrace:
		return bad("ReuseGrace outside 0 to 1 minute")
	case cfg.ReuseGrace > 0 && cfg.DisableRotation:
		return bad("ReuseGrace set with DisableRotation")
	case cfg.Leeway < 0 || cfg.Leeway > maxLeeway:
		return bad("Leeway outside 0 to 5 minutes")
	}
	s := &Sessions{
		issuer:      cfg.Issuer,
		audience:    cfg.Audience,
		accessTTL:   cfg.AccessTTL,
		refreshTTL:  cfg.RefreshTTL,
		maxLifetime: cfg.MaxLifetime,
		grace:       cfg.ReuseGrace,
		leeway:      cfg.Leeway,
		rotate:      !cfg.DisableRotation,
		detect:      !cfg.DisableReuseDetection,
		checkAccess: cfg.CheckSessionOnAccess,
		store:       cfg.Store,
		now:         cfg.Now,
		onRefresh:   cfg.OnRefresh,
	}
	// Grace-window records get keys of their own, so that reading a store never yields
	// anything that verifies as a token.
	successorKeys := make([]*Key, len(refreshKeys))
	for i, r := range refreshKeys {
		successorKeys[i] = r.derive("zerojwt grace records")
	}
	s.access, s.accessKeys = keyRing(accessTyp, accessKeys)
	s.refresh, s.refreshKeys = keyRing(refreshTyp, refreshKeys)
	s.successor, s.successorKeys = keyRing(successorTyp, successorKeys)
	if s.store == nil {
		s.store = new(MemoryStore)
	}
	if s.now == nil {
		s.now = time.Now
	}
	want := Expect{Issuer: cfg.Issuer, Leeway: cfg.Leeway}
	if cfg.Audience != "" {
		want.Audience = []string{cfg.Audience}
	}
	s.accessExp, s.refExp = want, want
	s.accessExp.Type, s.refExp.Type = accessTyp, refreshTyp
	return s, nil
}

// keyRing returns the first of keys, which signs, and what verifies: that key alone, or a
// KeySet of all of them; every key writes typ. keys were checked to form a key set.
func keyRing(typ string, keys []*Key) (*Key, verifier) {
	typed := make([]*Key, len(keys))
	for i, k := range keys {
		typed[i] = k.WithType(typ)
	}
	if len(typed) == 1 && typed[0].KeyID() == "" {
		return typed[0], typed[0]
	}
	// A key with an ID verifies through a set even alone: a lone Key would accept a token
	// without kid, so the tokens of a retired key without ID would fail as bad signatures
	// instead of naming an unknown key.
	set, err := NewKeySet(typed...)
	if err != nil {
		panic("jwt: keyRing: " + err.Error()) // cannot happen: the same IDs were checked
	}
	return typed[0], set
}

// Issue starts a session for subject (a login) and returns its first pair. claims are custom
// claims written to both tokens (Refresh carries them over as decoded, so numbers become
// float64). Issue rejects an empty subject (ErrMissingClaim), a claim named iss, sub, aud,
// exp, nbf, iat, jti, token_type, sid or sess_exp (ErrReservedClaim), values [Key.Encode]
// cannot write (ErrEncode), and tokens that would exceed DefaultMaxTokenSize (ErrTooLarge). The pair is returned only once the store has recorded
// the session (ErrStore otherwise).
func (s *Sessions) Issue(ctx context.Context, subject string, claims map[string]any) (Pair, error) {
	if err := s.usable(); err != nil {
		return Pair{}, err
	}
	if subject == "" {
		return Pair{}, fmt.Errorf("%w: sub", ErrMissingClaim)
	}
	if err := checkReserved(claims); err != nil {
		return Pair{}, err
	}
	now := s.now()
	sid, jti := rand.Text(), rand.Text()
	nowS := now.Unix()
	sessExp := now.Add(s.maxLifetime).Unix()
	rexp := min(now.Add(s.refreshTTL).Unix(), sessExp)
	rc := make(map[string]any, len(claims)+9)
	maps.Copy(rc, claims)
	s.setRegistered(rc, refreshKind, subject, sid, jti, nowS, rexp)
	rc["sess_exp"] = sessExp
	ref, err := s.refresh.Encode(rc)
	if err != nil {
		return Pair{}, err
	}
	p, err := s.pairFrom(rc, ref, rexp, sessExp, now)
	if err != nil {
		return Pair{}, err
	}
	err = s.store.Create(ctx, SessionState{
		Subject: subject, SessionID: sid, Head: jti, Created: now,
		Expires: time.Unix(rexp, 0).Add(s.leeway),
	})
	if err != nil {
		return Pair{}, wrapCause(ErrStore, err)
	}
	return p, nil
}

// setRegistered writes the claims Sessions owns, except sess_exp, into c.
func (s *Sessions) setRegistered(c map[string]any, kind, sub, sid, jti string, iat, exp int64) {
	c["token_type"] = kind
	c["sub"], c["sid"], c["jti"] = sub, sid, jti
	c["iat"], c["exp"] = iat, exp
	if s.issuer != "" {
		c["iss"] = s.issuer
	}
	if s.audience != "" {
		c["aud"] = s.audience
	}
}

// pairFrom signs a fresh access token carrying the custom claims of the refresh claims rc and
// returns it with refresh, the signed rc.
func (s *Sessions) pairFrom(rc map[string]any, refresh string, rexp, sessExp int64, now time.Time) (Pair, error) {
	ac := maps.Clone(rc)
	delete(ac, "sess_exp")
	aexp := min(now.Add(s.accessTTL).Unix(), sessExp, rexp) // never outlives its refresh token
	s.setRegistered(ac, accessKind, rc["sub"].(string), rc["sid"].(string), rand.Text(), now.Unix(), aexp)
	access, err := s.access.Encode(ac)
	if err != nil {
		return Pair{}, err
	}
	if len(access) > DefaultMaxTokenSize || len(refresh) > DefaultMaxTokenSize {
		return Pair{}, fmt.Errorf("%w: claims too large for a token", ErrTooLarge)
	}
	return Pair{
		Access: access, Refresh: refresh,
		AccessExpiresAt: time.Unix(aexp, 0), RefreshExpiresAt: time.Unix(rexp, 0),
		SessionID: rc["sid"].(string), IssuedAt: now,
	}, nil
}

// checkReserved refuses custom claims named as a reserved claim, exactly or under the case
// folding encoding/json matches names with ("SUB", "ſub"): such a member would collide with
// the reserved one, or a destination that folds names would read it as the reserved claim.
func checkReserved(claims map[string]any) error {
	for name := range claims {
		for _, r := range reservedClaims {
			switch {
			case name == r:
				return fmt.Errorf("%w: %s", ErrReservedClaim, r)
			case sameFold(name, r):
				return fmt.Errorf("%w: a name equal to %s but for case", ErrReservedClaim, r)
			}
		}
	}
	return nil
}

// refreshClaims is a verified refresh token.
type refreshClaims struct {
	sub, sid, jti string
	exp, sessExp  int64
	all           map[string]any // every claim, as decoded
}

// decodeRefresh verifies a refresh token at now; expiry ignores exp.
func (s *Sessions) decodeRefresh(token string, now time.Time, expiry bool) (refreshClaims, error) {
	want := s.refExp
	want.Now = func() time.Time { return now }
	want.skipExpiry = !expiry
	var m map[string]any
	if err := s.refreshKeys.Decode(token, &m, want); err != nil {
		if errors.Is(err, ErrSignature) && signedBy(s.accessKeys, token) {
			err = fmt.Errorf("%w: an access token, or another token signed with the access key", ErrTokenType)
		}
		return refreshClaims{}, err
	}
	if kind, _ := m["token_type"].(string); kind != refreshKind {
		return refreshClaims{}, fmt.Errorf("%w: token_type", ErrTokenType)
	}
	var rc refreshClaims
	var ok bool
	for _, f := range []struct {
		name string
		dst  *string
	}{{"sub", &rc.sub}, {"sid", &rc.sid}, {"jti", &rc.jti}} {
		if *f.dst, ok = m[f.name].(string); !ok || *f.dst == "" {
			return refreshClaims{}, fmt.Errorf("%w: %s", ErrMissingClaim, f.name)
		}
	}
	if rc.sessExp, ok = seconds(m["sess_exp"]); !ok {
		return refreshClaims{}, fmt.Errorf("%w: sess_exp", ErrMissingClaim)
	}
	if rc.exp, ok = seconds(m["exp"]); !ok { // Decode checked it, unless skipped
		return refreshClaims{}, fmt.Errorf("%w: exp", ErrMissingClaim)
	}
	rc.all = m
	return rc, nil
}

// signedBy reports whether a key of k signed token, whatever its claims: it tells a token of
// the other kind, signed with the other key, from a forgery. It runs only after a signature
// failure, and parses the header a second time only when it is short (as every header a Key
// writes is), so that a hostile header of up to MaxHeaderSize costs one parse, not two.
func signedBy(k verifier, token string) bool {
	hseg, _, _ := strings.Cut(token, ".")
	if len(hseg) > maxReparsedHeader && k.keyWriting(hseg) == nil {
		return false
	}
	return k.Decode(token, nil, Expect{ExpiryOptional: true, skipExpiry: true}) == nil
}

// maxReparsedHeader is the longest header segment signedBy parses again: 256 base64url
// characters, 192 bytes of JSON, room for alg, typ and a kid of over 100 bytes.
const maxReparsedHeader = 256

// seconds converts a decoded JSON number of whole seconds.
func seconds(v any) (int64, bool) {
	f, ok := v.(float64)
	if !ok || f < 0 || f > 1<<53 || f != math.Trunc(f) {
		return 0, false
	}
	return int64(f), true
}

// custom returns the custom claims of decoded claims c.
func custom(c map[string]any) map[string]any {
	m := maps.Clone(c)
	for _, name := range reservedClaims {
		delete(m, name)
	}
	return m
}

// Refresh exchanges a refresh token for a new pair. With rotation (the default) the presented
// token can never be exchanged again; presenting it again returns ErrReused and, with reuse
// detection, revokes its session. Within ReuseGrace of its exchange it instead yields the same
// successor refresh token again, with a fresh access token. With DisableRotation the pair
// holds a new access token and the presented refresh token.
//
// Refresh rejects what Decode rejects (with the core errors), a token signed with Key, an
// access token or any other (ErrTokenType), a token without sub, sid, jti or sess_exp
// (ErrMissingClaim), a session past its absolute lifetime (ErrExpired), a revoked or unknown
// session (ErrRevoked, ErrUnknownSession), a refusal of OnRefresh (ErrRefreshDenied) and
// store failures (ErrStore); no pair is returned with an error. Only a verified refresh token
// reaches OnRefresh and the store. OnRefresh runs before the store step, so it also runs for
// calls the store then refuses; in the grace window the tokens carry the claims recorded by
// the call that rotated, not the ones the hook returned.
func (s *Sessions) Refresh(ctx context.Context, refreshToken string) (Pair, error) {
	if err := s.usable(); err != nil {
		return Pair{}, err
	}
	now := s.now()
	rc, err := s.decodeRefresh(refreshToken, now, true)
	if err != nil {
		return Pair{}, err
	}
	if now.Unix() >= rc.sessExp {
		return Pair{}, fmt.Errorf("%w: sess_exp", ErrExpired)
	}
	claims := custom(rc.all)
	if s.onRefresh != nil {
		c, err := s.onRefresh(ctx, rc.sub, claims)
		if err != nil {
			return Pair{}, wrapCause(ErrRefreshDenied, err)
		}
		if c != nil {
			if err := checkReserved(c); err != nil {
				return Pair{}, err
			}
			claims = c
		}
	}
	if !s.rotate {
		return s.refreshStatic(ctx, refreshToken, rc, claims, now)
	}

	next := make(map[string]any, len(claims)+9)
	maps.Copy(next, claims)
	rexp := min(now.Add(s.refreshTTL).Unix(), rc.sessExp)
	s.setRegistered(next, refreshKind, rc.sub, rc.sid, rand.Text(), now.Unix(), rexp)
	next["sess_exp"] = rc.sessExp
	r := RotateRequest{
		Subject: rc.sub, SessionID: rc.sid, Presented: rc.jti, Next: next["jti"].(string),
		Expires: time.Unix(rexp, 0).Add(s.leeway),
		Now:     now, Grace: s.grace, RevokeOnReuse: s.detect,
	}
	// Sign before the store step, so that nothing can fail once the rotation is recorded.
	var ref string
	if s.grace == 0 {
		ref, err = s.refresh.Encode(next)
	} else {
		// For the grace window the store keeps the successor's claims signed under a typ
		// that no call accepts as a token. Calls in the window verify them and sign them
		// again as a refresh token: decoding the same bytes gives the same claims, so they
		// get the byte-identical token (HMAC is deterministic). The caller that rotates
		// takes the same path. A store can neither forge these claims nor leak a usable
		// token through them.
		var succ string
		if succ, err = s.successor.Encode(next); err == nil {
			r.Successor = []byte(succ)
			if next, ref, err = s.fromSuccessor(succ, rc, now); err != nil {
				err = fmt.Errorf("%w: %v", ErrEncode, err) // cannot happen: we just signed it
			}
		}
	}
	if err != nil {
		return Pair{}, err
	}
	p, err := s.pairFrom(next, ref, rexp, rc.sessExp, now)
	if err != nil {
		return Pair{}, err
	}
	succ, err := s.store.Rotate(ctx, r)
	if err != nil {
		return Pair{}, storeErr(err)
	}
	if len(succ) == 0 { // rotated (or the same rotation repeated by the store's client)
		return p, nil
	}
	// Grace: the successor recorded by the call that rotated.
	next, ref, err = s.fromSuccessor(string(succ), rc, now)
	if err != nil {
		return Pair{}, wrapCause(ErrStore, err)
	}
	rexp, _ = seconds(next["exp"])
	return s.pairFrom(next, ref, rexp, rc.sessExp, now)
}

// fromSuccessor verifies a successor record of the session of rc and signs its claims as a
// refresh token.
func (s *Sessions) fromSuccessor(succ string, rc refreshClaims, now time.Time) (map[string]any, string, error) {
	want := Expect{Type: successorTyp, Leeway: s.leeway, Now: func() time.Time { return now },
		MaxTokenSize: 2 * DefaultMaxTokenSize}
	var c map[string]any
	if err := s.successorKeys.Decode(succ, &c, want); err != nil {
		return nil, "", fmt.Errorf("successor record: %v", err) // not %w: one sentinel only
	}
	if _, ok := seconds(c["exp"]); !ok || c["sub"] != rc.sub || c["sid"] != rc.sid || c["token_type"] != refreshKind {
		return nil, "", errors.New("successor record of another session")
	}
	ref, err := s.refresh.Encode(c)
	return c, ref, err
}

// refreshStatic is Refresh without rotation: a new access token, the same refresh token.
func (s *Sessions) refreshStatic(ctx context.Context, token string, rc refreshClaims, claims map[string]any, now time.Time) (Pair, error) {
	st, err := s.store.Lookup(ctx, rc.sub, rc.sid)
	switch {
	case err != nil:
		return Pair{}, storeErr(err)
	case !now.Before(st.Expires): // Lookup may return a session the store has yet to forget
		return Pair{}, ErrUnknownSession
	case st.Revoked:
		return Pair{}, ErrRevoked
	case st.Head != rc.jti:
		return Pair{}, ErrReused
	}
	c := make(map[string]any, len(claims)+8)
	maps.Copy(c, claims)
	c["sub"], c["sid"] = rc.sub, rc.sid
	return s.pairFrom(c, token, rc.exp, rc.sessExp, now)
}

// storeErr maps a store error: session states to their sentinels, anything else to ErrStore.
func storeErr(err error) error {
	for _, e := range [...]error{ErrUnknownSession, ErrRevoked, ErrReused} {
		if errors.Is(err, e) {
			return e
		}
	}
	return wrapCause(ErrStore, err)
}

// accessClaims is what VerifyAccess checks in an access token.
type accessClaims struct {
	Claims
	TokenType string `json:"token_type"`
	SessionID string `json:"sid"`
}

// VerifyAccess verifies an access token and decodes its claims into dst, like [Key.Decode]
// (a non-nil pointer to a struct, typically embedding Claims, or a *map[string]any; nil
// verifies only). dst is written only when every check passed. A dst Decode does not accept
// gives ErrInvalidConfig before anything else is looked at, whatever the token, so a caller
// can check its destination once at startup by calling VerifyAccess with an empty token.
//
// VerifyAccess rejects what Decode rejects, a token signed with the refresh key, a refresh
// token or any other (ErrTokenType), and a token without sub, sid or jti (ErrMissingClaim).
// With CheckSessionOnAccess it also rejects a revoked or unknown session (ErrRevoked,
// ErrUnknownSession) and fails on store errors (ErrStore); otherwise it does not use ctx or
// the store.
func (s *Sessions) VerifyAccess(ctx context.Context, accessToken string, dst any) error {
	if err := s.usable(); err != nil {
		return err
	}
	now := s.now()
	want := s.accessExp
	want.Now = func() time.Time { return now }
	// Decode checks its destination before the token: an empty token checks dst alone.
	if err := s.accessKeys.Decode("", dst, want); errors.Is(err, ErrInvalidConfig) {
		return err
	}
	var c accessClaims
	if err := s.accessKeys.Decode(accessToken, &c, want); err != nil {
		if errors.Is(err, ErrSignature) && signedBy(s.refreshKeys, accessToken) {
			err = fmt.Errorf("%w: a refresh token, or another token signed with the refresh key", ErrTokenType)
		}
		return err
	}
	if c.TokenType != accessKind {
		return fmt.Errorf("%w: token_type", ErrTokenType)
	}
	switch "" {
	case c.Subject:
		return fmt.Errorf("%w: sub", ErrMissingClaim)
	case c.SessionID:
		return fmt.Errorf("%w: sid", ErrMissingClaim)
	case c.ID:
		return fmt.Errorf("%w: jti", ErrMissingClaim)
	}
	if s.checkAccess {
		st, err := s.store.Lookup(ctx, c.Subject, c.SessionID)
		switch {
		case err != nil:
			return storeErr(err)
		case !now.Before(st.Expires): // Lookup may return a session the store has yet to forget
			return ErrUnknownSession
		case st.Revoked:
			return ErrRevoked
		}
	}
	if dst == nil {
		return nil
	}
	return s.accessKeys.Decode(accessToken, dst, want)
}

// Logout revokes the session of a refresh token. The token must be genuine but may have
// expired, so a user can always log out. Logout is idempotent: a session already revoked or
// no longer known gives nil. It rejects what Decode rejects apart from expiry, a token
// signed with Key (ErrTokenType) and a token without sub, sid, jti or sess_exp
// (ErrMissingClaim); store failures give ErrStore. Access tokens of the session stay valid until they expire unless
// CheckSessionOnAccess is set.
func (s *Sessions) Logout(ctx context.Context, refreshToken string) error {
	if err := s.usable(); err != nil {
		return err
	}
	rc, err := s.decodeRefresh(refreshToken, s.now(), false)
	if err != nil {
		return err
	}
	return s.RevokeSession(ctx, rc.sub, rc.sid)
}

// RevokeSession revokes session sessionID (Pair.SessionID) of subject, as Logout does. It is
// idempotent; it rejects an empty argument (ErrMissingClaim) and fails with ErrStore.
func (s *Sessions) RevokeSession(ctx context.Context, subject, sessionID string) error {
	if err := s.usable(); err != nil {
		return err
	}
	if subject == "" || sessionID == "" {
		return fmt.Errorf("%w: sub or sid", ErrMissingClaim)
	}
	if err := s.store.RevokeSession(ctx, subject, sessionID); err != nil {
		return wrapCause(ErrStore, err)
	}
	return nil
}

// RevokeSubject revokes every session of subject ("log out everywhere", after a password
// change or when disabling a user). Sessions started afterwards are not affected. It rejects
// an empty subject (ErrMissingClaim) and fails with ErrStore.
func (s *Sessions) RevokeSubject(ctx context.Context, subject string) error {
	if err := s.usable(); err != nil {
		return err
	}
	if subject == "" {
		return fmt.Errorf("%w: sub", ErrMissingClaim)
	}
	if err := s.store.RevokeSubject(ctx, subject); err != nil {
		return wrapCause(ErrStore, err)
	}
	return nil
}
