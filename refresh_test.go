package jwt_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/zerojwt/jwt"
)

// clockStart is the fake clock's start, on a whole second.
var clockStart = time.Unix(1_700_000_000, 0).UTC()

var refreshSecret = []byte("zerojwt refresh tests: 32+ bytes of HS256 secret")

func newTestKey(tb testing.TB, secret []byte) *jwt.Key {
	tb.Helper()
	k, err := jwt.NewKey(jwt.HS256, secret)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// fakeClock is a settable clock, safe for concurrent use.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *fakeClock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// countingStore wraps a Store, counting calls and rotations, and can be made to fail.
type countingStore struct {
	jwt.Store
	mu      sync.Mutex
	calls   map[string]int
	rotated int // Rotate calls that rotated

	err        error  // when set, methods named by failMethod ("" = all) return it
	failMethod string //
	lostReply  bool   // Rotate commits, then returns err
}

func (c *countingStore) enter(method string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[method]++
	if c.err != nil && !c.lostReply && (c.failMethod == "" || c.failMethod == method) {
		return c.err
	}
	return nil
}

func (c *countingStore) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.calls {
		n += v
	}
	return n
}

func (c *countingStore) rotations() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rotated
}

func (c *countingStore) Create(ctx context.Context, s jwt.SessionState) error {
	if err := c.enter("Create"); err != nil {
		return err
	}
	return c.Store.Create(ctx, s)
}

func (c *countingStore) Rotate(ctx context.Context, r jwt.RotateRequest) ([]byte, error) {
	if err := c.enter("Rotate"); err != nil {
		return nil, err
	}
	succ, err := c.Store.Rotate(ctx, r)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil && succ == nil {
		c.rotated++
	}
	if c.lostReply && c.err != nil {
		return nil, c.err
	}
	return succ, err
}

func (c *countingStore) Lookup(ctx context.Context, subject, id string) (jwt.SessionState, error) {
	if err := c.enter("Lookup"); err != nil {
		return jwt.SessionState{}, err
	}
	return c.Store.Lookup(ctx, subject, id)
}

func (c *countingStore) RevokeSession(ctx context.Context, subject, id string) error {
	if err := c.enter("RevokeSession"); err != nil {
		return err
	}
	return c.Store.RevokeSession(ctx, subject, id)
}

func (c *countingStore) RevokeSubject(ctx context.Context, subject string) error {
	if err := c.enter("RevokeSubject"); err != nil {
		return err
	}
	return c.Store.RevokeSubject(ctx, subject)
}

// env is a Sessions on a fake clock and a counted MemoryStore.
type env struct {
	t     testing.TB
	s     *jwt.Sessions
	key   *jwt.Key
	clock *fakeClock
	store *countingStore
	mem   *jwt.MemoryStore
	ctx   context.Context
}

func newEnv(t testing.TB, configure func(*jwt.SessionConfig)) *env {
	t.Helper()
	e := &env{t: t, key: newTestKey(t, refreshSecret), clock: &fakeClock{now: clockStart}, mem: new(jwt.MemoryStore), ctx: context.Background()}
	e.store = &countingStore{Store: e.mem}
	cfg := jwt.SessionConfig{Key: e.key, Store: e.store, Now: e.clock.Now}
	if configure != nil {
		configure(&cfg)
	}
	s, err := jwt.NewSessions(cfg)
	if err != nil {
		t.Fatalf("NewSessions: %v", err)
	}
	e.s = s
	return e
}

func (e *env) issue(sub string, claims map[string]any) jwt.Pair {
	e.t.Helper()
	p, err := e.s.Issue(e.ctx, sub, claims)
	if err != nil {
		e.t.Fatalf("Issue(%q): %v", sub, err)
	}
	return p
}

func (e *env) refresh(tok string) jwt.Pair {
	e.t.Helper()
	p, err := e.s.Refresh(e.ctx, tok)
	if err != nil {
		e.t.Fatalf("Refresh: %v", err)
	}
	return p
}

// refreshFails requires Refresh(tok) to fail with want and to return no pair.
func (e *env) refreshFails(tok string, want error) error {
	e.t.Helper()
	p, err := e.s.Refresh(e.ctx, tok)
	wantErr(e.t, err, want)
	if p != (jwt.Pair{}) {
		e.t.Fatalf("Refresh returned a pair with error %v", err)
	}
	return err
}

// sentinelOf returns the one sentinel err matches, or an error describing why there is none.
func sentinelOf(err error) (error, error) {
	var hits []error
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			hits = append(hits, s.err)
		}
	}
	if len(hits) != 1 {
		return nil, fmt.Errorf("error %q matches %d sentinels %v, want exactly 1", err, len(hits), hits)
	}
	return hits[0], nil
}

// wantErr requires err to match want and no other sentinel (want nil: err must be nil).
func wantErr(tb testing.TB, err, want error) {
	tb.Helper()
	if want == nil {
		if err != nil {
			tb.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if !errors.Is(err, want) {
		tb.Fatalf("error %v, want %v", err, want)
	}
	if _, e := sentinelOf(err); e != nil {
		tb.Fatal(e)
	}
}

// wantAnyErr requires err to match exactly one sentinel, one of wants.
func wantAnyErr(tb testing.TB, err error, wants ...error) {
	tb.Helper()
	s, e := sentinelOf(err)
	if e != nil {
		tb.Fatal(e)
	}
	for _, w := range wants {
		if s == w {
			return
		}
	}
	tb.Fatalf("error %v, want one of %v", err, wants)
}

// claimsOf returns the claims set of tok, decoded with encoding/json, unverified.
func claimsOf(tb testing.TB, tok string) map[string]any {
	tb.Helper()
	_, raw, err := jwt.InspectUnverified(tok)
	if err != nil {
		tb.Fatalf("InspectUnverified: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		tb.Fatal(err)
	}
	return m
}

func typOf(tb testing.TB, tok string) string {
	tb.Helper()
	h, _, err := jwt.InspectUnverified(tok)
	if err != nil {
		tb.Fatal(err)
	}
	return h.Type
}

// sec returns claim name of c as whole seconds since clockStart.
func sec(tb testing.TB, c map[string]any, name string) time.Duration {
	tb.Helper()
	f, ok := c[name].(float64)
	if !ok {
		tb.Fatalf("claim %s = %#v, want a number", name, c[name])
	}
	return time.Unix(int64(f), 0).Sub(clockStart)
}

// sign encodes claims with secret as a token of header typ typ.
func sign(tb testing.TB, secret []byte, typ string, claims map[string]any) string {
	tb.Helper()
	tok, err := newTestKey(tb, secret).WithType(typ).Encode(claims)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// forge re-signs the claims of tok (changed by edit) with the test secret and header typ.
// Refresh tokens are signed with a key derived from the configured one: HMAC-SHA-256 of a fixed
// label under the secret.
func forge(tb testing.TB, tok, typ string, edit func(map[string]any)) string {
	tb.Helper()
	c := claimsOf(tb, tok)
	edit(c)
	secret := refreshSecret
	if typ == "refresh+jwt" {
		secret = derivedSecret(refreshSecret, "zerojwt refresh tokens")
	}
	return sign(tb, secret, typ, c)
}

// derivedSecret computes the secret NewSessions derives from secret for label.
func derivedSecret(secret []byte, label string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// 1. Issue shape.
func TestIssueShape(t *testing.T) {
	e := newEnv(t, nil)
	p := e.issue("42", map[string]any{"role": "admin", "tags": []any{"a", "b"}})
	a, r := claimsOf(t, p.Access), claimsOf(t, p.Refresh)
	if typOf(t, p.Access) != "at+jwt" || typOf(t, p.Refresh) != "refresh+jwt" {
		t.Fatalf("typ %q / %q, want at+jwt / refresh+jwt", typOf(t, p.Access), typOf(t, p.Refresh))
	}
	if a["token_type"] != "access" || r["token_type"] != "refresh" {
		t.Fatalf("token_type %v / %v", a["token_type"], r["token_type"])
	}
	for _, c := range []map[string]any{a, r} {
		if c["sub"] != "42" || c["sid"] != p.SessionID || c["role"] != "admin" || len(c["tags"].([]any)) != 2 {
			t.Fatalf("claims %v: want sub 42, sid %s and the custom claims", c, p.SessionID)
		}
		if j, _ := c["jti"].(string); len(j) < 22 {
			t.Fatalf("jti %q: want at least 128 random bits", j)
		}
		if sec(t, c, "iat") != 0 {
			t.Fatalf("iat %v, want now", sec(t, c, "iat"))
		}
	}
	if a["jti"] == r["jti"] || p.SessionID == a["jti"] || len(p.SessionID) < 22 {
		t.Fatal("jti and sid values are not distinct")
	}
	if sec(t, a, "exp") != 5*time.Minute || sec(t, r, "exp") != 24*time.Hour || sec(t, r, "sess_exp") != 30*24*time.Hour {
		t.Fatalf("exp %v / %v, sess_exp %v; want 5m / 24h / 720h", sec(t, a, "exp"), sec(t, r, "exp"), sec(t, r, "sess_exp"))
	}
	if _, ok := a["sess_exp"]; ok {
		t.Fatal("access token carries sess_exp")
	}
	if !p.AccessExpiresAt.Equal(clockStart.Add(5*time.Minute)) || !p.RefreshExpiresAt.Equal(clockStart.Add(24*time.Hour)) {
		t.Fatalf("Pair expiry %v / %v", p.AccessExpiresAt, p.RefreshExpiresAt)
	}
	q := e.issue("42", map[string]any{"role": "admin", "tags": []any{"a", "b"}})
	if q.SessionID == p.SessionID || q.Refresh == p.Refresh {
		t.Fatal("two logins share a session or token")
	}
	if e.mem.Len() != 2 {
		t.Fatalf("store holds %d sessions, want 2", e.mem.Len())
	}
	// Issuer and audience, when configured, are written and required.
	e2 := newEnv(t, func(c *jwt.SessionConfig) { c.Issuer, c.Audience = "auth", "api" })
	p2 := e2.issue("42", nil)
	for _, tok := range []string{p2.Access, p2.Refresh} {
		if c := claimsOf(t, tok); c["iss"] != "auth" || c["aud"] != "api" {
			t.Fatalf("iss %v aud %v", c["iss"], c["aud"])
		}
	}
	wantErr(t, e.s.VerifyAccess(e.ctx, p2.Access, nil), nil) // e has no policy on iss/aud
	wantErr(t, e2.s.VerifyAccess(e.ctx, p.Access, nil), jwt.ErrMissingClaim)
	e2.refreshFails(p.Refresh, jwt.ErrMissingClaim)
	wrongAud := forge(t, p2.Refresh, "refresh+jwt", func(c map[string]any) { c["aud"] = "other" })
	e2.refreshFails(wrongAud, jwt.ErrAudience)
	wrongIss := forge(t, p2.Access, "at+jwt", func(c map[string]any) { c["iss"] = "other" })
	wantErr(t, e2.s.VerifyAccess(e.ctx, wrongIss, nil), jwt.ErrIssuer)
}

// 2. Reserved claims and bad Issue input: nothing is issued or stored.
func TestIssueRejects(t *testing.T) {
	e := newEnv(t, nil)
	for _, name := range []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "token_type", "sid", "sess_exp"} {
		p, err := e.s.Issue(e.ctx, "42", map[string]any{"ok": 1, name: "x"})
		wantErr(t, err, jwt.ErrReservedClaim)
		if p != (jwt.Pair{}) {
			t.Fatal("pair returned with an error")
		}
		if strings.Contains(err.Error(), `"x"`) {
			t.Fatalf("error %q contains the claim value", err)
		}
	}
	_, err := e.s.Issue(e.ctx, "", nil)
	wantErr(t, err, jwt.ErrMissingClaim)
	_, err = e.s.Issue(e.ctx, "42", map[string]any{"ch": make(chan int)})
	wantErr(t, err, jwt.ErrEncode)
	_, err = e.s.Issue(e.ctx, "42", map[string]any{"big": strings.Repeat("x", jwt.DefaultMaxTokenSize)})
	wantErr(t, err, jwt.ErrTooLarge)
	if e.mem.Len() != 0 || e.store.total() != 0 {
		t.Fatalf("store: %d sessions, %d calls; want none", e.mem.Len(), e.store.total())
	}
	// The caller's map is not changed.
	claims := map[string]any{"role": "admin"}
	e.issue("42", claims)
	if len(claims) != 1 {
		t.Fatalf("Issue changed the caller's claims: %v", claims)
	}
}

// 3. Type confusion: each kind is refused where the other is expected, both ways.
func TestTokenKinds(t *testing.T) {
	e := newEnv(t, nil)
	p := e.issue("42", nil)
	wantErr(t, e.s.VerifyAccess(e.ctx, p.Refresh, nil), jwt.ErrTokenType)
	e.refreshFails(p.Access, jwt.ErrTokenType)
	wantErr(t, e.s.Logout(e.ctx, p.Access), jwt.ErrTokenType)

	// Right key and header typ, but token_type missing or wrong.
	for _, kind := range []any{nil, "Access", "Refresh", "sliding", "", 1, true} {
		edit := func(c map[string]any) {
			if kind == nil {
				delete(c, "token_type")
			} else {
				c["token_type"] = kind
			}
		}
		acc := forge(t, p.Access, "at+jwt", edit)
		ref := forge(t, p.Refresh, "refresh+jwt", edit)
		_, err := e.s.Refresh(e.ctx, ref)
		wantErr(t, err, jwt.ErrTokenType)
		wantErr(t, e.s.Logout(e.ctx, ref), jwt.ErrTokenType)
		if _, isString := kind.(string); isString || kind == nil {
			wantErr(t, e.s.VerifyAccess(e.ctx, acc, nil), jwt.ErrTokenType)
		} else { // decoded into a string field: the wrong JSON type is malformed
			wantAnyErr(t, e.s.VerifyAccess(e.ctx, acc, nil), jwt.ErrTokenType, jwt.ErrMalformed)
		}
	}
	// Right token_type but the other (or the default) header typ.
	for _, typ := range []string{"JWT", "at+jwt"} {
		ref := forge(t, p.Refresh, typ, func(map[string]any) {})
		e.refreshFails(ref, jwt.ErrTokenType)
		wantErr(t, e.s.Logout(e.ctx, ref), jwt.ErrTokenType)
	}
	for _, typ := range []string{"JWT", "refresh+jwt"} {
		acc := forge(t, p.Access, typ, func(map[string]any) {})
		wantErr(t, e.s.VerifyAccess(e.ctx, acc, nil), jwt.ErrTokenType)
	}
	if e.store.total() != 1 { // the Create of Issue
		t.Fatalf("store calls %v: wrong-kind tokens reached the store", e.store.calls)
	}
	e.refresh(p.Refresh) // untouched by all of the above
}

// A separate refresh key: a service that holds only the access key can never accept a
// refresh token, and a refresh token signed with the access key is refused.
func TestSeparateRefreshKey(t *testing.T) {
	refreshSecret2 := []byte("another secret, for refresh tokens only, 32+ bytes")
	e := newEnv(t, func(c *jwt.SessionConfig) { c.RefreshKey = newTestKey(t, refreshSecret2) })
	p := e.issue("42", nil)
	if err := e.key.WithType("refresh+jwt").Decode(p.Refresh, nil, jwt.Expect{Now: e.clock.Now}); !errors.Is(err, jwt.ErrSignature) {
		t.Fatalf("refresh token verifies under the access key: %v", err)
	}
	wantAnyErr(t, e.s.VerifyAccess(e.ctx, p.Refresh, nil), jwt.ErrSignature, jwt.ErrTokenType)
	forged := sign(t, refreshSecret, "refresh+jwt", claimsOf(t, p.Refresh)) // signed with the access key
	e.refreshFails(forged, jwt.ErrTokenType)
	if err := newTestKey(t, refreshSecret2).WithType("at+jwt").Decode(p.Access, nil, jwt.Expect{Now: e.clock.Now}); !errors.Is(err, jwt.ErrSignature) {
		t.Fatalf("access token verifies under the refresh key: %v", err)
	}
	p2 := e.refresh(p.Refresh)
	wantErr(t, e.s.VerifyAccess(e.ctx, p2.Access, nil), nil)
	wantErr(t, e.s.Logout(e.ctx, p2.Refresh), nil)
}

// 4. Tampering and algorithm substitution never reach the store; the head still works.
func TestTampering(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.CheckSessionOnAccess = true })
	p := e.issue("42", map[string]any{"role": "user"})
	other := newTestKey(t, []byte("a different key, also long enough for HS256 use"))
	var bad []string
	for _, tok := range []string{p.Access, p.Refresh} {
		h, pl, sig := split3(tok)
		bad = append(bad,
			h+"."+flip(pl, 10)+"."+sig,
			h+"."+pl+"."+flip(sig, 5),
			h+"."+pl+"."+flip(sig, len(sig)-1),
			h+"."+strings.Replace(pl, pl[:4], pl[:4], 1)+"."+sig+"A",
		)
		for _, alg := range []string{"none", "None", "HS512", "RS256", "HS384"} {
			hdr := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"` + alg + `","typ":"` + typOf(t, tok) + `"}`))
			bad = append(bad, hdr+"."+pl+"."+sig, hdr+"."+pl+".", hdr+"."+pl)
		}
		c := claimsOf(t, tok)
		c["role"] = "admin"
		wrongKey, err := other.WithType(typOf(t, tok)).Encode(c)
		if err != nil {
			t.Fatal(err)
		}
		bad = append(bad, wrongKey)
	}
	calls := e.store.total()
	for i, tok := range bad {
		_, err := e.s.Refresh(e.ctx, tok)
		wantAnyErr(t, err, jwt.ErrSignature, jwt.ErrAlgorithm, jwt.ErrMalformed, jwt.ErrTokenType)
		wantAnyErr(t, e.s.VerifyAccess(e.ctx, tok, nil), jwt.ErrSignature, jwt.ErrAlgorithm, jwt.ErrMalformed, jwt.ErrTokenType)
		wantAnyErr(t, e.s.Logout(e.ctx, tok), jwt.ErrSignature, jwt.ErrAlgorithm, jwt.ErrMalformed, jwt.ErrTokenType)
		if e.store.total() != calls {
			t.Fatalf("bad token %d reached the store", i)
		}
	}
	e.refresh(p.Refresh)
}

// flip changes one character of a base64url segment.
func flip(seg string, i int) string {
	b := []byte(seg)
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// 5. Rotation chain.
func TestRotationChain(t *testing.T) {
	e := newEnv(t, nil)
	p := e.issue("42", map[string]any{"role": "admin"})
	seen := map[any]bool{claimsOf(t, p.Refresh)["jti"]: true}
	prevExp := sec(t, claimsOf(t, p.Refresh), "exp")
	for range 5 {
		e.clock.Add(time.Minute)
		n := e.refresh(p.Refresh)
		c := claimsOf(t, n.Refresh)
		if seen[c["jti"]] || c["sid"] != p.SessionID || n.SessionID != p.SessionID || c["sub"] != "42" || c["role"] != "admin" {
			t.Fatalf("successor claims %v", c)
		}
		if a := claimsOf(t, n.Access); a["role"] != "admin" || a["sid"] != p.SessionID || seen[a["jti"]] {
			t.Fatalf("new access claims %v", a)
		}
		seen[c["jti"]] = true
		if exp := sec(t, c, "exp"); exp <= prevExp {
			t.Fatalf("exp %v not after the predecessor's %v", exp, prevExp)
		} else {
			prevExp = exp
		}
		wantErr(t, e.s.VerifyAccess(e.ctx, n.Access, nil), nil)
		p = n
	}
	if e.store.rotations() != 5 || e.mem.Len() != 1 {
		t.Fatalf("%d rotations, %d sessions", e.store.rotations(), e.mem.Len())
	}
}

// 6. Reuse with detection revokes the session.
func TestReuseDetection(t *testing.T) {
	e := newEnv(t, nil)
	r1 := e.issue("42", nil).Refresh
	r2 := e.refresh(r1).Refresh
	e.refreshFails(r1, jwt.ErrReused)
	e.refreshFails(r2, jwt.ErrRevoked)
	e.refreshFails(r1, jwt.ErrRevoked)
}

// 7. Reuse without detection fails but keeps the session.
func TestReuseWithoutDetection(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.DisableReuseDetection = true })
	r1 := e.issue("42", nil).Refresh
	r2 := e.refresh(r1).Refresh
	e.refreshFails(r1, jwt.ErrReused)
	e.refresh(r2)
}

// refreshAll presents tok from n goroutines released at once.
func refreshAll(e *env, tok string, n int) ([]jwt.Pair, []error) {
	pairs, errs := make([]jwt.Pair, n), make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			pairs[i], errs[i] = e.s.Refresh(e.ctx, tok)
		})
	}
	close(start)
	wg.Wait()
	return pairs, errs
}

// 8. Concurrent refresh of one token without grace: exactly one wins.
func TestConcurrentRefreshNoGrace(t *testing.T) {
	for _, detect := range []bool{true, false} {
		t.Run(fmt.Sprint("detection=", detect), func(t *testing.T) {
			e := newEnv(t, func(c *jwt.SessionConfig) { c.DisableReuseDetection = !detect })
			for round := range 200 {
				r1 := e.issue("42", nil).Refresh
				pairs, errs := refreshAll(e, r1, 64)
				count := map[error]int{}
				var winner jwt.Pair
				for i, err := range errs {
					if err == nil {
						winner = pairs[i]
						count[nil]++
						continue
					}
					if pairs[i] != (jwt.Pair{}) {
						t.Fatal("pair returned with an error")
					}
					s, e := sentinelOf(err)
					if e != nil {
						t.Fatal(e)
					}
					count[s]++
				}
				want := map[error]int{nil: 1, jwt.ErrReused: 1, jwt.ErrRevoked: 62}
				if !detect {
					want = map[error]int{nil: 1, jwt.ErrReused: 63}
				}
				if fmt.Sprint(count) != fmt.Sprint(want) {
					t.Fatalf("round %d: outcomes %v, want %v", round, count, want)
				}
				if detect {
					e.refreshFails(winner.Refresh, jwt.ErrRevoked)
				} else {
					e.refresh(winner.Refresh)
				}
			}
		})
	}
}

// 9. Concurrent refresh within the grace window: one rotation, one successor for all.
func TestConcurrentRefreshGrace(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.ReuseGrace = 10 * time.Second })
	for round := range 200 {
		p := e.issue("42", map[string]any{"n": round})
		before := e.store.rotations()
		pairs, errs := refreshAll(e, p.Refresh, 64)
		access := map[string]bool{}
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: goroutine %d: %v", round, i, err)
			}
			if pairs[i].Refresh != pairs[0].Refresh || pairs[i].RefreshExpiresAt != pairs[0].RefreshExpiresAt {
				t.Fatalf("round %d: goroutines 0 and %d got different refresh tokens", round, i)
			}
			access[pairs[i].Access] = true
			wantErr(t, e.s.VerifyAccess(e.ctx, pairs[i].Access, nil), nil)
		}
		if len(access) != 64 {
			t.Fatalf("round %d: %d distinct access tokens, want 64", round, len(access))
		}
		if n := e.store.rotations() - before; n != 1 {
			t.Fatalf("round %d: %d rotations recorded, want 1", round, n)
		}
		st, err := e.mem.Lookup(e.ctx, "42", p.SessionID)
		if err != nil || st.Head != claimsOf(t, pairs[0].Refresh)["jti"] || st.Prev != claimsOf(t, p.Refresh)["jti"] {
			t.Fatalf("round %d: session head/prev do not match the shared successor (%v)", round, err)
		}
		if c := claimsOf(t, pairs[0].Access); c["n"] != float64(round) {
			t.Fatalf("round %d: custom claim %v lost in the grace path", round, c["n"])
		}
		r3 := e.refresh(pairs[0].Refresh)
		wantErr(t, e.s.VerifyAccess(e.ctx, r3.Access, nil), nil)
	}
}

// 10. Grace boundaries, at nanosecond resolution; a grace use does not restart the window.
func TestGraceBoundaries(t *testing.T) {
	const grace = 10 * time.Second
	for _, tc := range []struct {
		name string
		at   []time.Duration // presentations of R1 after the rotation
		want []error
	}{
		{"just inside", []time.Duration{grace - 1}, []error{nil}},
		{"at the end", []time.Duration{grace}, []error{jwt.ErrReused}},
		{"no restart", []time.Duration{grace / 2, grace - 1, grace}, []error{nil, nil, jwt.ErrReused}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *jwt.SessionConfig) { c.ReuseGrace = grace })
			r1 := e.issue("42", nil).Refresh
			e.clock.Add(1500 * time.Millisecond) // rotate at a sub-second instant
			rotatedAt := e.clock.Now()
			r2 := e.refresh(r1).Refresh
			for i, d := range tc.at {
				e.clock.Set(rotatedAt.Add(d))
				p, err := e.s.Refresh(e.ctx, r1)
				wantErr(t, err, tc.want[i])
				if err == nil && p.Refresh != r2 {
					t.Fatalf("grace use %d returned another successor", i)
				}
			}
			if tc.want[len(tc.want)-1] != nil {
				e.refreshFails(r2, jwt.ErrRevoked)
			} else {
				e.refresh(r2)
			}
		})
	}
}

// 11. Grace covers only the immediate predecessor.
func TestGraceOnlyImmediatePredecessor(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.ReuseGrace = 10 * time.Second })
	r1 := e.issue("42", nil).Refresh
	r2 := e.refresh(r1).Refresh
	e.clock.Add(time.Second)
	r3 := e.refresh(r2).Refresh
	e.clock.Add(time.Second)
	e.refreshFails(r1, jwt.ErrReused)
	e.refreshFails(r3, jwt.ErrRevoked)
}

// swapStore changes the successor records the store returns in the grace window.
type swapStore struct {
	*jwt.MemoryStore
	swap func([]byte) []byte
}

func (s swapStore) Rotate(ctx context.Context, r jwt.RotateRequest) ([]byte, error) {
	succ, err := s.MemoryStore.Rotate(ctx, r)
	if succ != nil {
		succ = s.swap(succ)
	}
	return succ, err
}

// The grace-window record in the store is no usable token, and a changed or foreign record
// is refused (ErrStore): a store cannot mint tokens.
func TestGraceSuccessorRecord(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.ReuseGrace = 10 * time.Second })
	p := e.issue("42", map[string]any{"role": "user"})
	q := e.refresh(p.Refresh)
	st, err := e.mem.Lookup(e.ctx, "42", p.SessionID)
	if err != nil || len(st.Successor) == 0 {
		t.Fatalf("no successor record: %v", err)
	}
	rec := string(st.Successor)
	if _, _, sig := split3(q.Refresh); strings.Contains(rec, sig) {
		t.Fatal("the record contains the successor token's signature")
	}
	// Its key is neither the access nor the refresh key: it verifies as nothing.
	e.refreshFails(rec, jwt.ErrSignature)
	wantErr(t, e.s.VerifyAccess(e.ctx, rec, nil), jwt.ErrSignature)
	wantErr(t, e.s.Logout(e.ctx, rec), jwt.ErrSignature)

	other := e.issue("42", nil)
	e.refresh(other.Refresh)
	otherRec, _ := e.mem.Lookup(e.ctx, "42", other.SessionID)

	for name, swap := range map[string]func([]byte) []byte{
		"claims changed": func(b []byte) []byte {
			h, pl, sig := split3(string(b))
			raw, _ := base64.RawURLEncoding.DecodeString(pl)
			raw = bytes.Replace(raw, []byte(`"user"`), []byte(`"root"`), 1)
			return []byte(h + "." + base64.RawURLEncoding.EncodeToString(raw) + "." + sig)
		},
		"signature changed": func(b []byte) []byte { return []byte(flip(string(b), len(b)-3)) },
		"another session":   func([]byte) []byte { return otherRec.Successor },
		"garbage":           func([]byte) []byte { return []byte("not a record") },
	} {
		t.Run(name, func(t *testing.T) {
			mem := new(jwt.MemoryStore)
			e := newEnv(t, func(c *jwt.SessionConfig) {
				c.ReuseGrace = 10 * time.Second
				c.Store = swapStore{mem, swap}
			})
			p := e.issue("42", map[string]any{"role": "user"})
			e.refresh(p.Refresh)
			e.refreshFails(p.Refresh, jwt.ErrStore)
		})
	}
}

// 12. Lost response: the store commits the rotation but the reply is lost.
func TestLostResponse(t *testing.T) {
	for _, grace := range []time.Duration{0, 5 * time.Second} {
		t.Run(fmt.Sprint("grace=", grace), func(t *testing.T) {
			e := newEnv(t, func(c *jwt.SessionConfig) { c.ReuseGrace = grace })
			p := e.issue("42", nil)
			cause := errors.New("connection reset")
			e.store.err, e.store.lostReply = cause, true
			_, err := e.s.Refresh(e.ctx, p.Refresh)
			wantErr(t, err, jwt.ErrStore)
			if !errors.Is(err, cause) {
				t.Fatalf("cause not reachable from %v", err)
			}
			e.store.err, e.store.lostReply = nil, false
			st, _ := e.mem.Lookup(e.ctx, "42", p.SessionID)
			e.clock.Add(time.Second)
			retry, err := e.s.Refresh(e.ctx, p.Refresh)
			if grace == 0 {
				wantErr(t, err, jwt.ErrReused)
				return
			}
			wantErr(t, err, nil)
			if got := claimsOf(t, retry.Refresh)["jti"]; got != st.Head {
				t.Fatalf("retry got jti %v, want the committed head %v", got, st.Head)
			}
			e.refresh(retry.Refresh)
		})
	}
}

// 13. Expiry boundaries, with and without leeway.
func TestExpiryBoundaries(t *testing.T) {
	for _, leeway := range []time.Duration{0, 30 * time.Second} {
		t.Run(fmt.Sprint("leeway=", leeway), func(t *testing.T) {
			e := newEnv(t, func(c *jwt.SessionConfig) { c.Leeway = leeway })
			p := e.issue("42", nil)
			aEnd := p.AccessExpiresAt.Add(leeway)
			for _, tc := range []struct {
				at   time.Time
				want error
			}{{aEnd.Add(-time.Second), nil}, {aEnd.Add(-1), nil}, {aEnd, jwt.ErrExpired}, {aEnd.Add(time.Hour), jwt.ErrExpired}} {
				e.clock.Set(tc.at)
				wantErr(t, e.s.VerifyAccess(e.ctx, p.Access, nil), tc.want)
			}
			rEnd := p.RefreshExpiresAt.Add(leeway)
			calls := e.store.total()
			e.clock.Set(rEnd)
			e.refreshFails(p.Refresh, jwt.ErrExpired)
			if e.store.total() != calls {
				t.Fatal("an expired refresh token reached the store")
			}
			e.clock.Set(rEnd.Add(-1))
			e.refresh(p.Refresh)
		})
	}
	t.Run("sub-second issue", func(t *testing.T) {
		e := newEnv(t, nil)
		e.clock.Set(clockStart.Add(700 * time.Millisecond))
		p := e.issue("42", nil)
		if !p.AccessExpiresAt.Equal(clockStart.Add(5*time.Minute)) || sec(t, claimsOf(t, p.Access), "iat") != 0 {
			t.Fatalf("exp %v, iat %v: want truncation to whole seconds", p.AccessExpiresAt, claimsOf(t, p.Access)["iat"])
		}
		e.clock.Set(clockStart.Add(5*time.Minute - 1))
		wantErr(t, e.s.VerifyAccess(e.ctx, p.Access, nil), nil)
		e.clock.Set(clockStart.Add(5 * time.Minute))
		wantErr(t, e.s.VerifyAccess(e.ctx, p.Access, nil), jwt.ErrExpired)
	})
}

// 14. RefreshTTL is an inactivity window under rotation.
func TestInactivityWindow(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.RefreshTTL = time.Hour })
	r := e.issue("42", nil).Refresh
	for range 48 { // two days, refreshing every 59 minutes
		e.clock.Add(59 * time.Minute)
		r = e.refresh(r).Refresh
	}
	e.clock.Add(time.Hour)
	e.refreshFails(r, jwt.ErrExpired)
}

// 15. MaxLifetime caps every exp; at sess_exp the session is over.
func TestAbsoluteLifetime(t *testing.T) {
	for _, leeway := range []time.Duration{0, 30 * time.Second} {
		t.Run(fmt.Sprint("leeway=", leeway), func(t *testing.T) {
			e := newEnv(t, func(c *jwt.SessionConfig) {
				c.AccessTTL, c.RefreshTTL, c.MaxLifetime, c.Leeway = 5*time.Minute, time.Hour, 3*time.Hour, leeway
			})
			e.clock.Set(clockStart.Add(500 * time.Millisecond))
			p := e.issue("42", nil)
			sessExp := clockStart.Add(3 * time.Hour)
			if got := sec(t, claimsOf(t, p.Refresh), "sess_exp"); got != 3*time.Hour {
				t.Fatalf("sess_exp %v, want 3h", got)
			}
			n := 0
			for {
				e.clock.Add(7 * time.Minute)
				q, err := e.s.Refresh(e.ctx, p.Refresh)
				if err != nil {
					wantErr(t, err, jwt.ErrExpired)
					if e.clock.Now().Before(sessExp) {
						t.Fatalf("refresh refused at %v, before sess_exp", e.clock.Now().Sub(clockStart))
					}
					break
				}
				n++
				for _, tok := range []string{q.Access, q.Refresh} {
					if exp := clockStart.Add(sec(t, claimsOf(t, tok), "exp")); exp.After(sessExp) {
						t.Fatalf("exp %v after sess_exp", exp.Sub(clockStart))
					}
				}
				if q.AccessExpiresAt.After(sessExp) || q.RefreshExpiresAt.After(sessExp) {
					t.Fatal("Pair expiry after sess_exp")
				}
				if e.clock.Now().After(sessExp.Add(-5*time.Minute)) && !q.AccessExpiresAt.Equal(sessExp) {
					t.Fatalf("access exp %v near the end, want sess_exp", q.AccessExpiresAt.Sub(clockStart))
				}
				p = q
			}
			if n != 25 { // 7-minute steps below 3h: 25 refreshes, the 26th at 3h2m fails
				t.Fatalf("%d refreshes before the end, want 25", n)
			}
			// Exactly at sess_exp (within the leeway of the token's exp): refused.
			e2 := newEnv(t, func(c *jwt.SessionConfig) {
				c.AccessTTL, c.RefreshTTL, c.MaxLifetime, c.Leeway = 5*time.Minute, time.Hour, 3*time.Hour, leeway
			})
			r := e2.issue("42", nil).Refresh
			for range 3 {
				e2.clock.Add(50 * time.Minute)
				r = e2.refresh(r).Refresh
			}
			e2.clock.Set(sessExp)
			e2.refreshFails(r, jwt.ErrExpired)
			e2.clock.Set(sessExp.Add(-1))
			last := e2.refresh(r)
			if !last.RefreshExpiresAt.Equal(sessExp) || !last.AccessExpiresAt.Equal(sessExp) {
				t.Fatalf("last pair expires %v / %v, want sess_exp", last.AccessExpiresAt, last.RefreshExpiresAt)
			}
		})
	}
}

// 16. Clock skew between two servers sharing key and store.
func TestClockSkew(t *testing.T) {
	key := newTestKey(t, refreshSecret)
	store := new(jwt.MemoryStore)
	base := &fakeClock{now: clockStart}
	ahead := func() time.Time { return base.Now().Add(20 * time.Second) }
	newS := func(now func() time.Time, leeway time.Duration) *jwt.Sessions {
		s, err := jwt.NewSessions(jwt.SessionConfig{Key: key, Store: store, Now: now, Leeway: leeway})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := newS(ahead, 30*time.Second), newS(base.Now, 30*time.Second)
	strict := newS(ahead, 0)
	ctx := context.Background()
	p, err := a.Issue(ctx, "42", nil) // iat 20 s in b's future
	wantErr(t, err, nil)
	wantErr(t, b.VerifyAccess(ctx, p.Access, nil), nil)
	q, err := b.Refresh(ctx, p.Refresh)
	wantErr(t, err, nil)
	// a, 20 s ahead, sees q's access token 10 s after its exp: inside a's leeway, outside
	// strict's.
	base.Set(q.AccessExpiresAt.Add(-10 * time.Second))
	wantErr(t, a.VerifyAccess(ctx, q.Access, nil), nil)
	wantErr(t, strict.VerifyAccess(ctx, q.Access, nil), jwt.ErrExpired)
	_, err = a.Refresh(ctx, q.Refresh)
	wantErr(t, err, nil)
}

// 17. Clock stepped back: no grace for the old token, no misbehaviour.
func TestClockSteppedBack(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.ReuseGrace = 10 * time.Second })
	p := e.issue("42", nil)
	e.clock.Set(clockStart.Add(time.Hour))
	r2 := e.refresh(p.Refresh).Refresh
	e.clock.Set(clockStart) // an hour back
	e.refreshFails(p.Refresh, jwt.ErrReused)
	e.refreshFails(r2, jwt.ErrRevoked)

	e2 := newEnv(t, nil)
	r := e2.issue("42", nil).Refresh
	e2.clock.Set(clockStart.Add(time.Hour))
	r = e2.refresh(r).Refresh
	e2.clock.Set(clockStart.Add(-time.Hour)) // before login: the successor still works
	r = e2.refresh(r).Refresh
	st, _ := e2.mem.Lookup(e2.ctx, "42", claimsOf(t, r)["sid"].(string))
	if !st.Expires.Equal(clockStart.Add(25 * time.Hour)) {
		t.Fatalf("store Expires %v moved back with the clock", st.Expires.Sub(clockStart))
	}
}

// 18. Logout.
func TestLogout(t *testing.T) {
	e := newEnv(t, nil)
	p := e.issue("42", nil)
	tampered := p.Refresh[:len(p.Refresh)-2] + "AA"
	calls := e.store.total()
	wantAnyErr(t, e.s.Logout(e.ctx, tampered), jwt.ErrSignature, jwt.ErrMalformed)
	if e.store.total() != calls {
		t.Fatal("tampered token reached the store")
	}
	wantErr(t, e.s.Logout(e.ctx, p.Refresh), nil)
	e.refreshFails(p.Refresh, jwt.ErrRevoked)
	wantErr(t, e.s.Logout(e.ctx, p.Refresh), nil)

	// An expired but genuine refresh token still logs out.
	q := e.issue("42", nil)
	e.clock.Set(q.RefreshExpiresAt.Add(time.Hour))
	wantErr(t, e.s.Logout(e.ctx, q.Refresh), nil)
	if st, err := e.mem.Lookup(e.ctx, "42", q.SessionID); err != nil || !st.Revoked {
		t.Fatalf("session after Logout with an expired token: revoked %v, %v", st.Revoked, err)
	}
	// ... but an expired token with a bad signature does not.
	r := e.issue("42", nil)
	e.clock.Set(r.RefreshExpiresAt.Add(time.Hour))
	wantErr(t, e.s.Logout(e.ctx, forge(t, r.Refresh, "at+jwt", func(map[string]any) {})), jwt.ErrTokenType)
	if st, _ := e.mem.Lookup(e.ctx, "42", r.SessionID); st.Revoked {
		t.Fatal("forged Logout revoked the session")
	}
	// Logout of a session the store forgot is still nil.
	e.mem.Sweep(e.clock.Now())
	wantErr(t, e.s.Logout(e.ctx, r.Refresh), nil)
	if _, err := e.mem.Lookup(e.ctx, "42", r.SessionID); !errors.Is(err, jwt.ErrUnknownSession) {
		t.Fatal("Logout recreated a forgotten session")
	}
}

// 19. Session scope: RevokeSession and RevokeSubject.
func TestSessionScope(t *testing.T) {
	e := newEnv(t, nil)
	a1, a2 := e.issue("alice", nil), e.issue("alice", nil)
	b1 := e.issue("bob", nil)
	wantErr(t, e.s.RevokeSession(e.ctx, "alice", a1.SessionID), nil)
	e.refreshFails(a1.Refresh, jwt.ErrRevoked)
	a2 = e.refresh(a2.Refresh)
	wantErr(t, e.s.RevokeSession(e.ctx, "bob", a2.SessionID), nil) // wrong subject: no effect
	a2 = e.refresh(a2.Refresh)
	wantErr(t, e.s.RevokeSubject(e.ctx, "alice"), nil)
	e.refreshFails(a2.Refresh, jwt.ErrRevoked)
	b1 = e.refresh(b1.Refresh)
	a3 := e.issue("alice", nil) // same fake instant as the revocation
	e.refresh(a3.Refresh)
	wantErr(t, e.s.RevokeSubject(e.ctx, ""), jwt.ErrMissingClaim)
	wantErr(t, e.s.RevokeSession(e.ctx, "alice", ""), jwt.ErrMissingClaim)
	wantErr(t, e.s.RevokeSubject(e.ctx, "nobody"), nil)
}

// 20. Access tokens after revocation: stateless by default, refused with CheckSessionOnAccess.
func TestAccessAfterRevocation(t *testing.T) {
	e := newEnv(t, nil)
	p := e.issue("42", nil)
	wantErr(t, e.s.Logout(e.ctx, p.Refresh), nil)
	calls := e.store.total()
	wantErr(t, e.s.VerifyAccess(e.ctx, p.Access, nil), nil)
	if e.store.total() != calls {
		t.Fatal("VerifyAccess used the store without CheckSessionOnAccess")
	}

	c := newEnv(t, func(c *jwt.SessionConfig) { c.CheckSessionOnAccess = true })
	q := c.issue("42", nil)
	wantErr(t, c.s.VerifyAccess(c.ctx, q.Access, nil), nil)
	wantErr(t, c.s.Logout(c.ctx, q.Refresh), nil)
	wantErr(t, c.s.VerifyAccess(c.ctx, q.Access, nil), jwt.ErrRevoked)
	wantErr(t, c.s.VerifyAccess(c.ctx, p.Access, nil), jwt.ErrUnknownSession) // other store
}

// VerifyAccess decodes into the caller's destination only on success.
func TestVerifyAccessDestination(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.CheckSessionOnAccess = true })
	p := e.issue("42", map[string]any{"role": "admin", "level": 3})
	type session struct {
		jwt.Claims
		Role  string `json:"role"`
		Level int    `json:"level"`
		SID   string `json:"sid"`
	}
	var s session
	wantErr(t, e.s.VerifyAccess(e.ctx, p.Access, &s), nil)
	if s.Subject != "42" || s.Role != "admin" || s.Level != 3 || s.SID != p.SessionID || !s.ExpiresAt.Time().Equal(p.AccessExpiresAt) {
		t.Fatalf("decoded %+v", s)
	}
	var m map[string]any
	wantErr(t, e.s.VerifyAccess(e.ctx, p.Access, &m), nil)
	if m["role"] != "admin" || m["token_type"] != "access" {
		t.Fatalf("decoded map %v", m)
	}
	for _, bad := range []string{p.Refresh, p.Access + "x"} {
		var s2 session
		var m2 map[string]any
		wantAnyErr(t, e.s.VerifyAccess(e.ctx, bad, &s2), jwt.ErrTokenType, jwt.ErrSignature, jwt.ErrMalformed)
		wantAnyErr(t, e.s.VerifyAccess(e.ctx, bad, &m2), jwt.ErrTokenType, jwt.ErrSignature, jwt.ErrMalformed)
		if !reflect.DeepEqual(s2, session{}) || m2 != nil {
			t.Fatal("destination written on failure")
		}
	}
	wantErr(t, e.s.Logout(e.ctx, p.Refresh), nil)
	var s3 session
	wantErr(t, e.s.VerifyAccess(e.ctx, p.Access, &s3), jwt.ErrRevoked)
	if !reflect.DeepEqual(s3, session{}) {
		t.Fatal("destination written for a revoked session")
	}
	// Missing sub, sid or jti.
	for _, name := range []string{"sub", "sid", "jti"} {
		tok := forge(t, p.Access, "at+jwt", func(c map[string]any) { delete(c, name) })
		wantErr(t, e.s.VerifyAccess(e.ctx, tok, nil), jwt.ErrMissingClaim)
	}
	for _, name := range []string{"sub", "sid", "jti", "sess_exp", "exp"} {
		q := e.issue("42", nil)
		tok := forge(t, q.Refresh, "refresh+jwt", func(c map[string]any) { delete(c, name) })
		e.refreshFails(tok, jwt.ErrMissingClaim)
		wantErr(t, e.s.Logout(e.ctx, tok), jwt.ErrMissingClaim)
	}
}

// 21. A genuine refresh token of a session this store does not know fails closed.
func TestUnknownSession(t *testing.T) {
	e := newEnv(t, nil)
	p := e.issue("42", nil)
	other := newEnv(t, nil) // same key, another store
	other.refreshFails(p.Refresh, jwt.ErrUnknownSession)
	e.mem.Sweep(clockStart.Add(100 * time.Hour)) // store reset
	e.refreshFails(p.Refresh, jwt.ErrUnknownSession)
	dis := newEnv(t, func(c *jwt.SessionConfig) { c.DisableRotation = true })
	dis.refreshFails(p.Refresh, jwt.ErrUnknownSession)
}

// 22. Store failures: ErrStore with the cause, never a pair.
func TestStoreFailure(t *testing.T) {
	cause := errors.New("store down")
	check := func(t *testing.T, err error) {
		t.Helper()
		wantErr(t, err, jwt.ErrStore)
		if !errors.Is(err, cause) {
			t.Fatalf("the cause is not reachable from %v", err)
		}
	}
	t.Run("Create", func(t *testing.T) {
		e := newEnv(t, nil)
		e.store.err = cause
		p, err := e.s.Issue(e.ctx, "42", nil)
		check(t, err)
		if p != (jwt.Pair{}) || e.mem.Len() != 0 {
			t.Fatal("Issue returned a pair or stored a session")
		}
	})
	for _, method := range []string{"Rotate", "Lookup", "RevokeSession", "RevokeSubject"} {
		t.Run(method, func(t *testing.T) {
			e := newEnv(t, func(c *jwt.SessionConfig) { c.CheckSessionOnAccess = true })
			static := newEnv(t, func(c *jwt.SessionConfig) { c.DisableRotation = true })
			p, sp := e.issue("42", nil), static.issue("42", nil)
			e.store.err, e.store.failMethod = cause, method
			static.store.err, static.store.failMethod = cause, method
			switch method {
			case "Rotate":
				_, err := e.s.Refresh(e.ctx, p.Refresh)
				check(t, err)
			case "Lookup":
				check(t, e.s.VerifyAccess(e.ctx, p.Access, nil))
				q, err := static.s.Refresh(static.ctx, sp.Refresh)
				check(t, err)
				if q != (jwt.Pair{}) {
					t.Fatal("pair with a store error")
				}
			case "RevokeSession":
				check(t, e.s.Logout(e.ctx, p.Refresh))
				check(t, e.s.RevokeSession(e.ctx, "42", p.SessionID))
			case "RevokeSubject":
				check(t, e.s.RevokeSubject(e.ctx, "42"))
			}
			e.store.err = nil
			e.refresh(p.Refresh) // the failure changed nothing
		})
	}
	t.Run("ContextCanceled", func(t *testing.T) {
		e := newEnv(t, nil)
		p := e.issue("42", nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		q, err := e.s.Refresh(ctx, p.Refresh)
		wantErr(t, err, jwt.ErrStore)
		if !errors.Is(err, context.Canceled) || q != (jwt.Pair{}) {
			t.Fatalf("Refresh with a canceled context: %v", err)
		}
		e.refresh(p.Refresh)
	})
}

// 23. The OnRefresh hook.
func TestOnRefreshHook(t *testing.T) {
	denied := errors.New("user disabled")
	var mu sync.Mutex
	calls := 0
	disabled := false
	e := newEnv(t, func(c *jwt.SessionConfig) {
		c.OnRefresh = func(ctx context.Context, sub string, claims map[string]any) (map[string]any, error) {
			mu.Lock()
			defer mu.Unlock()
			calls++
			if sub != "42" || claims["role"] == nil || claims["jti"] != nil || claims["token_type"] != nil {
				return nil, fmt.Errorf("hook got sub %q, claims %v", sub, claims)
			}
			if disabled {
				return nil, denied
			}
			if claims["role"] == "user" {
				return map[string]any{"role": "admin", "plan": "pro"}, nil
			}
			return nil, nil // keep
		}
	})
	p := e.issue("42", map[string]any{"role": "user"})
	disabled = true
	_, err := e.s.Refresh(e.ctx, p.Refresh)
	wantErr(t, err, jwt.ErrRefreshDenied)
	if !errors.Is(err, denied) {
		t.Fatalf("hook error not wrapped: %v", err)
	}
	disabled = false
	q := e.refresh(p.Refresh) // R1 still usable
	for _, tok := range []string{q.Access, q.Refresh} {
		if c := claimsOf(t, tok); c["role"] != "admin" || c["plan"] != "pro" {
			t.Fatalf("hook claims missing: %v", c)
		}
	}
	q = e.refresh(q.Refresh) // nil keeps the claims
	if c := claimsOf(t, q.Access); c["role"] != "admin" || c["plan"] != "pro" {
		t.Fatalf("claims not kept: %v", c)
	}
	n := calls
	e.refreshFails(q.Access, jwt.ErrTokenType)
	e.refreshFails(q.Refresh+"x", jwt.ErrSignature)
	e.refreshFails(p.Refresh, jwt.ErrReused) // reached the hook: it was verified
	e2 := newEnv(t, func(c *jwt.SessionConfig) {
		c.OnRefresh = func(context.Context, string, map[string]any) (map[string]any, error) {
			return map[string]any{"sid": "mine"}, nil
		}
	})
	r := e2.issue("42", nil)
	e2.refreshFails(r.Refresh, jwt.ErrReservedClaim)
	e2.s = mustSessions(t, jwt.SessionConfig{Key: e2.key, Store: e2.store, Now: e2.clock.Now})
	e2.refresh(r.Refresh) // the refused refresh changed nothing
	e.clock.Add(25 * time.Hour)
	e.refreshFails(q.Refresh, jwt.ErrExpired)
	if calls != n+1 {
		t.Fatalf("hook called %d times for bad or expired tokens, want only for the verified reused one", calls-n-1)
	}
}

func mustSessions(tb testing.TB, cfg jwt.SessionConfig) *jwt.Sessions {
	tb.Helper()
	s, err := jwt.NewSessions(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// 24. Cleanup: Sweep, and memory flat across rotations.
func TestSweep(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.RefreshTTL, c.Leeway = time.Hour, 30*time.Second })
	a, b, c := e.issue("a", nil), e.issue("b", nil), e.issue("c", nil)
	e.clock.Set(clockStart.Add(50 * time.Minute))
	b = e.refresh(b.Refresh)
	wantErr(t, e.s.Logout(e.ctx, c.Refresh), nil)
	e.clock.Set(clockStart.Add(time.Hour + 30*time.Second - 1))
	if n := e.mem.Sweep(e.clock.Now()); n != 0 {
		t.Fatalf("Sweep removed %d sessions before their end", n)
	}
	e.clock.Set(clockStart.Add(time.Hour + 30*time.Second))
	if n := e.mem.Sweep(e.clock.Now()); n != 2 || e.mem.Len() != 1 {
		t.Fatalf("Sweep removed %d, kept %d; want 2 and 1", n, e.mem.Len())
	}
	calls := e.store.total()
	e.refreshFails(a.Refresh, jwt.ErrExpired)
	e.refreshFails(c.Refresh, jwt.ErrExpired)
	if e.store.total() != calls {
		t.Fatal("tokens of swept sessions reached the store")
	}
	e.refresh(b.Refresh)
}

// A sweep never removes a session that some still-acceptable token refers to.
func TestSweepKeepsReferencedSessions(t *testing.T) {
	const leeway = 30 * time.Second
	e := newEnv(t, func(c *jwt.SessionConfig) {
		c.AccessTTL, c.RefreshTTL, c.MaxLifetime, c.Leeway = 5*time.Minute, time.Hour, 3*time.Hour, leeway
		c.ReuseGrace = 10 * time.Second
	})
	rng := rand.New(rand.NewPCG(1, 2))
	type tok struct{ sub, sid, refresh, access string }
	var toks []tok
	refreshKey := e.key.WithType("refresh+jwt")
	for step := range 3000 {
		switch op := rng.IntN(10); {
		case op < 2:
			sub := fmt.Sprint("u", rng.IntN(5))
			p := e.issue(sub, nil)
			toks = append(toks, tok{sub, p.SessionID, p.Refresh, p.Access})
		case op < 6 && len(toks) > 0:
			t1 := toks[rng.IntN(len(toks))]
			if p, err := e.s.Refresh(e.ctx, t1.refresh); err == nil {
				toks = append(toks, tok{t1.sub, t1.sid, p.Refresh, p.Access})
			}
		case op < 7 && len(toks) > 0:
			_ = e.s.Logout(e.ctx, toks[rng.IntN(len(toks))].refresh)
		default:
			e.clock.Add(time.Duration(rng.IntN(90)) * time.Minute)
			now := e.clock.Now()
			e.mem.Sweep(now)
			want := jwt.Expect{Type: "refresh+jwt", Leeway: leeway, Now: e.clock.Now}
			live := toks[:0]
			for _, k := range toks {
				errR := refreshKey.Decode(k.refresh, nil, want)
				errA := e.s.VerifyAccess(e.ctx, k.access, nil)
				if errR != nil && errA != nil {
					continue // neither is acceptable any more
				}
				live = append(live, k)
				if _, err := e.mem.Lookup(e.ctx, k.sub, k.sid); err != nil {
					t.Fatalf("step %d: session of an acceptable token swept: %v", step, err)
				}
			}
			toks = live
		}
	}
}

func TestMemoryFlatAcrossRotations(t *testing.T) {
	e := newEnv(t, nil)
	p := e.issue("42", map[string]any{"role": "admin"})
	var ms runtime.MemStats
	heap := func() uint64 {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	const n = 100_000
	var start uint64
	for i := range n {
		if i == 1000 {
			start = heap()
		}
		if i%2 == 0 {
			e.clock.Add(time.Second)
		}
		p = e.refresh(p.Refresh)
		if e.mem.Len() != 1 {
			t.Fatalf("after %d rotations the store holds %d sessions", i, e.mem.Len())
		}
	}
	end := heap()
	if e.mem.Len() != 1 || e.store.rotations() != n {
		t.Fatalf("store holds %d sessions after %d rotations", e.mem.Len(), e.store.rotations())
	}
	if end > start+512<<10 {
		t.Fatalf("heap grew from %d to %d bytes across %d rotations", start, end, n-1000)
	}
}

// 25. Hostile input: a clear error, no panic, no store call.
func TestHostileInput(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.CheckSessionOnAccess = true })
	p := e.issue("42", nil)
	h, pl, sig := split3(p.Refresh)
	b64 := base64.RawURLEncoding.EncodeToString
	inputs := []string{
		"", ".", "..", "...", "a.b", "a.b.c.d", h + "." + pl, p.Refresh + "." + sig,
		strings.Repeat("a", 1<<20), strings.Repeat(".", 1<<20), p.Refresh + strings.Repeat("A", jwt.DefaultMaxTokenSize),
		"!!!.###.$$$", h + "." + b64([]byte("not json")) + "." + sig, h + "." + b64([]byte("[]")) + "." + sig,
		b64([]byte("{")) + "." + pl + "." + sig, " " + p.Refresh, p.Refresh + "\n", h + "=." + pl + "." + sig,
		strings.ReplaceAll(p.Refresh, ".", ".\r\n"), "\x00", "\xff\xfe",
	}
	for i, in := range inputs {
		q, err := e.s.Refresh(e.ctx, in)
		if err == nil || q != (jwt.Pair{}) {
			t.Fatalf("input %d: Refresh succeeded", i)
		}
		if _, e := sentinelOf(err); e != nil {
			t.Fatalf("input %d: %v", i, e)
		}
		if err := e.s.VerifyAccess(e.ctx, in, nil); err == nil {
			t.Fatalf("input %d: VerifyAccess succeeded", i)
		}
		if err := e.s.Logout(e.ctx, in); err == nil {
			t.Fatalf("input %d: Logout succeeded", i)
		}
		if len(in) > 8<<10 && !errors.Is(err, jwt.ErrTooLarge) {
			t.Fatalf("input %d of %d bytes: %v, want ErrTooLarge", i, len(in), err)
		}
	}
	if e.store.total() != 1 {
		t.Fatalf("hostile input reached the store: %v", e.store.calls)
	}
	e.refresh(p.Refresh)
}

// 25. Rotation disabled: a new access token, the same refresh token, still revocable.
func TestRotationDisabled(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.DisableRotation = true })
	p := e.issue("42", map[string]any{"role": "user"})
	for range 3 {
		e.clock.Add(time.Minute)
		q := e.refresh(p.Refresh)
		if q.Refresh != p.Refresh || q.RefreshExpiresAt != p.RefreshExpiresAt || q.Access == p.Access || q.SessionID != p.SessionID {
			t.Fatal("without rotation Refresh must return the same refresh token and a new access token")
		}
		if c := claimsOf(t, q.Access); c["role"] != "user" || c["token_type"] != "access" || !q.AccessExpiresAt.Equal(e.clock.Now().Add(5*time.Minute)) {
			t.Fatalf("access claims %v", c)
		}
		wantErr(t, e.s.VerifyAccess(e.ctx, q.Access, nil), nil)
	}
	if e.store.rotations() != 0 {
		t.Fatal("a rotation was recorded with rotation disabled")
	}
	// Near the end of the refresh token, the access token ends with it, not 5 minutes later.
	e.clock.Set(p.RefreshExpiresAt.Add(-time.Second))
	if q := e.refresh(p.Refresh); !q.AccessExpiresAt.Equal(p.RefreshExpiresAt) || !clockStart.Add(sec(t, claimsOf(t, q.Access), "exp")).Equal(p.RefreshExpiresAt) {
		t.Fatalf("access token expires %v, after its refresh token (%v)", q.AccessExpiresAt, p.RefreshExpiresAt)
	}
	wantErr(t, e.s.Logout(e.ctx, p.Refresh), nil)
	e.refreshFails(p.Refresh, jwt.ErrRevoked)
}

func TestNewSessionsConfig(t *testing.T) {
	key := newTestKey(t, refreshSecret)
	for _, tc := range []struct {
		name string
		cfg  jwt.SessionConfig
		ok   bool
	}{
		{"defaults", jwt.SessionConfig{Key: key}, true},
		{"nil key", jwt.SessionConfig{}, false},
		{"negative AccessTTL", jwt.SessionConfig{Key: key, AccessTTL: -time.Minute}, false},
		{"sub-second AccessTTL", jwt.SessionConfig{Key: key, AccessTTL: time.Second - 1}, false},
		{"one-second AccessTTL", jwt.SessionConfig{Key: key, AccessTTL: time.Second}, true},
		{"RefreshTTL = AccessTTL", jwt.SessionConfig{Key: key, AccessTTL: time.Hour, RefreshTTL: time.Hour}, false},
		{"RefreshTTL below default AccessTTL", jwt.SessionConfig{Key: key, RefreshTTL: time.Minute}, false},
		{"MaxLifetime < RefreshTTL", jwt.SessionConfig{Key: key, MaxLifetime: time.Hour}, false},
		{"MaxLifetime = RefreshTTL", jwt.SessionConfig{Key: key, MaxLifetime: 24 * time.Hour}, true},
		{"grace 60s", jwt.SessionConfig{Key: key, ReuseGrace: time.Minute}, true},
		{"grace over 60s", jwt.SessionConfig{Key: key, ReuseGrace: time.Minute + 1}, false},
		{"negative grace", jwt.SessionConfig{Key: key, ReuseGrace: -1}, false},
		{"grace without rotation", jwt.SessionConfig{Key: key, ReuseGrace: time.Second, DisableRotation: true}, false},
		{"leeway 5m", jwt.SessionConfig{Key: key, Leeway: 5 * time.Minute}, true},
		{"leeway over 5m", jwt.SessionConfig{Key: key, Leeway: 6 * time.Minute}, false},
		{"negative leeway", jwt.SessionConfig{Key: key, Leeway: -1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := jwt.NewSessions(tc.cfg)
			if tc.ok {
				wantErr(t, err, nil)
				if s == nil {
					t.Fatal("nil Sessions")
				}
				return
			}
			wantErr(t, err, jwt.ErrInvalidConfig)
			if s != nil {
				t.Fatal("Sessions returned with an error")
			}
		})
	}
}

// The default clock is time.Now: inside a synctest bubble time advances only by sleeping.
func TestDefaultClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := mustSessions(t, jwt.SessionConfig{Key: newTestKey(t, refreshSecret)})
		ctx := context.Background()
		p, err := s.Issue(ctx, "42", nil)
		wantErr(t, err, nil)
		time.Sleep(5*time.Minute - time.Second)
		wantErr(t, s.VerifyAccess(ctx, p.Access, nil), nil)
		time.Sleep(time.Second)
		wantErr(t, s.VerifyAccess(ctx, p.Access, nil), jwt.ErrExpired)
		q, err := s.Refresh(ctx, p.Refresh)
		wantErr(t, err, nil)
		time.Sleep(24 * time.Hour)
		_, err = s.Refresh(ctx, q.Refresh)
		wantErr(t, err, jwt.ErrExpired)
	})
}

// Errors never contain token text or claim values.
func TestErrorsDoNotLeak(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.CheckSessionOnAccess = true })
	p := e.issue("secret-subject", map[string]any{"pii": "secret-value"})
	wantErr(t, e.s.Logout(e.ctx, p.Refresh), nil)
	var errs []error
	_, err := e.s.Refresh(e.ctx, p.Refresh)
	errs = append(errs, err, e.s.VerifyAccess(e.ctx, p.Access, nil), e.s.VerifyAccess(e.ctx, p.Refresh, nil))
	_, err = e.s.Refresh(e.ctx, p.Refresh+"x")
	errs = append(errs, err)
	_, err = e.s.Issue(e.ctx, "secret-subject", map[string]any{"jti": "secret-value"})
	errs = append(errs, err)
	h, pl, sig := split3(p.Refresh)
	for _, err := range errs {
		if err == nil {
			t.Fatal("expected an error")
		}
		for _, s := range []string{h, pl, sig, "secret-subject", "secret-value", p.SessionID} {
			if strings.Contains(err.Error(), s) {
				t.Fatalf("error %q contains token text or a claim value", err)
			}
		}
	}
}

// fuzzEnv issues one pair on a fresh counted store for one fuzz input, and expands the
// placeholders {A} and {R} in the input into that pair's tokens.
func fuzzEnv(t *testing.T, in string, pos uint16, xor byte, configure func(*jwt.SessionConfig)) (*env, jwt.Pair, string) {
	e := newEnv(t, configure)
	p := e.issue("42", map[string]any{"role": "user"})
	tok := strings.NewReplacer("{A}", p.Access, "{R}", p.Refresh).Replace(in)
	if xor != 0 && len(tok) > 0 {
		b := []byte(tok)
		b[int(pos)%len(b)] ^= xor
		tok = string(b)
	}
	return e, p, tok
}

func addFuzzSeeds(f *testing.F) {
	for _, in := range []string{"{R}", "{A}", "{R}x", "x{R}", "{R}.{A}", "{A}{R}", "", "a.b.c", "{R} ", "{R}\n"} {
		f.Add(in, uint16(0), byte(0))
	}
	for _, pos := range []uint16{0, 10, 40, 100, 200, 300, 400} {
		f.Add("{R}", pos, byte(1))
		f.Add("{A}", pos, byte(0x20))
	}
}

// checkFailure requires err to be exactly one sentinel and the store untouched beyond Issue.
func checkFailure(t *testing.T, e *env, err error) {
	t.Helper()
	if _, e := sentinelOf(err); e != nil {
		t.Fatal(e)
	}
	if e.store.total() != 1 {
		t.Fatalf("a token that failed verification reached the store: %v (%v)", e.store.calls, err)
	}
}

// FuzzRefresh: only the issued refresh token, byte for byte, refreshes; anything else fails
// with one sentinel without reaching the store, and leaves the session usable.
func FuzzRefresh(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in string, pos uint16, xor byte) {
		e, p, tok := fuzzEnv(t, in, pos, xor, nil)
		q, err := e.s.Refresh(e.ctx, tok)
		if tok == p.Refresh {
			if err != nil {
				t.Fatalf("the genuine refresh token failed: %v", err)
			}
			wantErr(t, e.s.VerifyAccess(e.ctx, q.Access, nil), nil)
			e.refreshFails(tok, jwt.ErrReused)
			return
		}
		if err == nil || q != (jwt.Pair{}) {
			t.Fatalf("Refresh accepted a token other than the issued one: %q", tok)
		}
		checkFailure(t, e, err)
		e.refresh(p.Refresh)
	})
}

// FuzzVerifyAccess: only the issued access token verifies, and nothing else reaches the
// store (CheckSessionOnAccess on) or writes the destination.
func FuzzVerifyAccess(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in string, pos uint16, xor byte) {
		e, p, tok := fuzzEnv(t, in, pos, xor, func(c *jwt.SessionConfig) { c.CheckSessionOnAccess = true })
		var m map[string]any
		err := e.s.VerifyAccess(e.ctx, tok, &m)
		if tok == p.Access {
			if err != nil || m["sub"] != "42" || m["role"] != "user" {
				t.Fatalf("the genuine access token: %v, claims %v", err, m)
			}
			return
		}
		if err == nil || m != nil {
			t.Fatalf("VerifyAccess accepted a token other than the issued one (or wrote dst): %q", tok)
		}
		checkFailure(t, e, err)
	})
}

// FuzzLogout: only the issued refresh token logs out (then the session is revoked);
// anything else fails without reaching the store and leaves the session usable.
func FuzzLogout(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in string, pos uint16, xor byte) {
		e, p, tok := fuzzEnv(t, in, pos, xor, nil)
		err := e.s.Logout(e.ctx, tok)
		if tok == p.Refresh {
			wantErr(t, err, nil)
			e.refreshFails(p.Refresh, jwt.ErrRevoked)
			return
		}
		if err == nil {
			t.Fatalf("Logout accepted a token other than the issued one: %q", tok)
		}
		checkFailure(t, e, err)
		e.refresh(p.Refresh)
	})
}

// split3 splits a compact token into its three segments.
func split3(tok string) (header, payload, sig string) {
	header, rest, _ := strings.Cut(tok, ".")
	payload, sig, _ = strings.Cut(rest, ".")
	return header, payload, sig
}

// Issue 11 §5: a RefreshKey that is the access Key (the same HMAC key: same algorithm and
// secret, whatever the *Key value, its ID or typ, or the spelling of the secret) made
// refresh tokens verify under Key, so an HTTP middleware verifying with that Key and no
// Expect.Type (jwthttp.VerifyWith(k, jwt.Expect{})) accepted them. NewSessions refuses it, and
// refuses keys not made by NewKey.
func TestNewSessionsRefreshKeySameAsKey(t *testing.T) {
	long := bytes.Repeat([]byte("a secret longer than one SHA-256 block, "), 3) // hashed by HMAC
	longHashed := sha256.Sum256(long)
	wide := bytes.Repeat([]byte("HS256 and HS384 share this secret "), 2) // 68 bytes
	key := newTestKey(t, refreshSecret)
	var zero jwt.Key
	for _, tc := range []struct {
		name     string
		key, ref *jwt.Key
		ok       bool
	}{
		{"same *Key", key, key, false},
		{"same secret, new key", key, newTestKey(t, refreshSecret), false},
		{"same secret, other ID", key, key.WithKeyID("refresh"), false},
		{"same secret, other typ", key, key.WithType("refresh+jwt"), false},
		{"same secret, padded with a zero byte", key, newTestKey(t, append(bytes.Clone(refreshSecret), 0)), false},
		{"long secret and its hash", newTestKey(t, long), newTestKey(t, longHashed[:]), false},
		{"zero Key", &zero, nil, false},
		{"zero RefreshKey", key, &zero, false},
		{"nil RefreshKey", key, nil, true},
		{"other secret", key, newTestKey(t, []byte("another secret, for refresh tokens only, 32+ bytes")), true},
		{"same secret, other algorithm", newTestKey(t, wide), func() *jwt.Key {
			k, err := jwt.NewKey(jwt.HS384, wide)
			if err != nil {
				t.Fatal(err)
			}
			return k
		}(), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s *jwt.Sessions
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("panic: %v", r)
					}
				}()
				s, err = jwt.NewSessions(jwt.SessionConfig{Key: tc.key, RefreshKey: tc.ref})
			}()
			if tc.ok {
				wantErr(t, err, nil)
				p, err := s.Issue(context.Background(), "42", nil)
				wantErr(t, err, nil)
				if err := tc.key.Decode(p.Refresh, nil, jwt.Expect{}); !errors.Is(err, jwt.ErrSignature) && !errors.Is(err, jwt.ErrAlgorithm) {
					t.Fatalf("refresh token under Key: %v, want ErrSignature or ErrAlgorithm", err)
				}
				return
			}
			wantErr(t, err, jwt.ErrInvalidConfig)
			if s != nil {
				t.Fatal("Sessions returned with an error")
			}
		})
	}
}

// Issue 11 §5: Refresh called every token that verifies under Key "an access token", and
// VerifyAccess every token that verifies under the refresh key "a refresh token", though
// any token signed with that key gets there. The text says which key signed it; it is what
// a person reads, so this test reads it.
func TestWrongKeyTokenErrorText(t *testing.T) {
	refreshSecret2 := []byte("another secret, for refresh tokens only, 32+ bytes")
	e := newEnv(t, func(c *jwt.SessionConfig) { c.RefreshKey = newTestKey(t, refreshSecret2) })
	p := e.issue("42", nil)
	other := map[string]any{"sub": "42", "exp": clockStart.Add(time.Hour).Unix()} // not a session token
	for _, tc := range []struct {
		name, token, says string
		call              func(string) error
	}{
		{"Refresh, access token", p.Access, "signed with the access key", func(tok string) error { _, err := e.s.Refresh(e.ctx, tok); return err }},
		{"Refresh, other token of the access key", sign(t, refreshSecret, "JWT", other), "signed with the access key", func(tok string) error { _, err := e.s.Refresh(e.ctx, tok); return err }},
		{"Logout, other token of the access key", sign(t, refreshSecret, "JWT", other), "signed with the access key", func(tok string) error { return e.s.Logout(e.ctx, tok) }},
		{"VerifyAccess, refresh token", p.Refresh, "signed with the refresh key", func(tok string) error { return e.s.VerifyAccess(e.ctx, tok, nil) }},
		{"VerifyAccess, other token of the refresh key", sign(t, refreshSecret2, "JWT", other), "signed with the refresh key", func(tok string) error { return e.s.VerifyAccess(e.ctx, tok, nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(tc.token)
			wantErr(t, err, jwt.ErrTokenType)
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
		})
	}
}

// Issue 12 §1: the HTTP layer read the Sessions clock (an internal) to turn a Pair's expiry
// times into expires_in and a cookie Max-Age. A Pair carries the time it was made instead,
// on the Sessions clock, for Issue and for both outcomes of Refresh.
func TestPairIssuedAt(t *testing.T) {
	for _, grace := range []time.Duration{0, 10 * time.Second} {
		t.Run(fmt.Sprint("grace=", grace), func(t *testing.T) {
			e := newEnv(t, func(c *jwt.SessionConfig) { c.ReuseGrace = grace })
			e.clock.Set(clockStart.Add(1500 * time.Millisecond)) // not on a whole second
			p := e.issue("42", nil)
			if !p.IssuedAt.Equal(e.clock.Now()) {
				t.Fatalf("Issue: IssuedAt %v, want %v", p.IssuedAt, e.clock.Now())
			}
			e.clock.Add(time.Minute)
			q := e.refresh(p.Refresh)
			if !q.IssuedAt.Equal(e.clock.Now()) {
				t.Fatalf("Refresh: IssuedAt %v, want %v", q.IssuedAt, e.clock.Now())
			}
			if grace == 0 {
				return
			}
			e.clock.Add(time.Second) // within the grace window: the same successor
			r := e.refresh(p.Refresh)
			if r.Refresh != q.Refresh || !r.IssuedAt.Equal(e.clock.Now()) {
				t.Fatalf("grace: IssuedAt %v, want %v", r.IssuedAt, e.clock.Now())
			}
		})
	}
}

// Issue 12 §1: VerifyAccess decoded the token before it looked at dst, so a middleware could
// not learn at construction time, with an empty token, that its claims type cannot hold a
// claims set. VerifyAccess checks dst first, as Decode does, whatever the token.
func TestVerifyAccessChecksDestinationFirst(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) { c.CheckSessionOnAccess = true })
	p := e.issue("42", nil)
	var n int
	var s []string
	var nilClaims *jwt.Claims
	for _, tc := range []struct {
		name  string
		token string
		dst   any
	}{
		{"empty token, *int", "", &n},
		{"empty token, *[]string", "", &s},
		{"empty token, non-pointer", "", jwt.Claims{}},
		{"empty token, nil *Claims", "", nilClaims},
		{"garbage token, *int", "a.b.c", &n},
		{"refresh token, *int", p.Refresh, &n},
		{"valid token, *int", p.Access, &n},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.store.total()
			wantErr(t, e.s.VerifyAccess(e.ctx, tc.token, tc.dst), jwt.ErrInvalidConfig)
			if e.store.total() != before {
				t.Fatal("the store was consulted for a bad destination")
			}
		})
	}
	// A good destination with an empty token fails on the token.
	var c jwt.Claims
	wantErr(t, e.s.VerifyAccess(e.ctx, "", &c), jwt.ErrMalformed)
}

// kidOf returns the kid of tok's header.
func kidOf(tb testing.TB, tok string) string {
	tb.Helper()
	h, _, err := jwt.InspectUnverified(tok)
	if err != nil {
		tb.Fatal(err)
	}
	return h.KeyID
}

// Issue 13 §2: SessionConfig took one Key, and replacing it invalidated every live access and
// refresh token at once. Sessions sign with Key and verify with Key and PreviousKeys: a
// rotation logs nobody out, and retiring the old key refuses its tokens (ErrUnknownKey).
func TestSessionsKeyRotation(t *testing.T) {
	legacy := newTestKey(t, refreshSecret) // tokens issued before keys had IDs
	k1 := newTestKey(t, []byte("rotation test key one, 32 bytes or more")).WithKeyID("k1")
	k2, err := jwt.NewKey(jwt.HS512, bytes.Repeat([]byte("rotation test key two "), 4))
	if err != nil {
		t.Fatal(err)
	}
	k2 = k2.WithKeyID("k2")
	for _, tc := range []struct {
		name     string
		old, cur *jwt.Key
		grace    time.Duration
		retired  error // what the old key's tokens get once it is retired
	}{
		{"k1 to k2", k1, k2, 0, jwt.ErrUnknownKey},
		{"k1 to k2 in the grace window", k1, k2, 10 * time.Second, jwt.ErrUnknownKey},
		// Sessions verify through a set once their key has an ID, so the tokens of the
		// retired key without ID name no key of it (found in review).
		{"key without ID to k1", legacy, k1, 0, jwt.ErrUnknownKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{now: clockStart}
			store := new(jwt.MemoryStore)
			sessions := func(cur *jwt.Key, previous ...*jwt.Key) *jwt.Sessions {
				return mustSessions(t, jwt.SessionConfig{Key: cur, PreviousKeys: previous, Store: store, Now: clk.Now, ReuseGrace: tc.grace})
			}
			ctx := context.Background()
			before := sessions(tc.old)
			p, err := before.Issue(ctx, "42", map[string]any{"role": "user"})
			wantErr(t, err, nil)
			if kid := kidOf(t, p.Refresh); kid != tc.old.KeyID() {
				t.Fatalf("refresh token kid %q, want the key's %q", kid, tc.old.KeyID())
			}
			var raced jwt.Pair // a refresh by an instance not rotated yet, for the grace window
			if tc.grace > 0 {
				raced, err = before.Refresh(ctx, p.Refresh)
				wantErr(t, err, nil)
			}

			rotated := sessions(tc.cur, tc.old)
			wantErr(t, rotated.VerifyAccess(ctx, p.Access, nil), nil)
			q, err := rotated.Refresh(ctx, p.Refresh)
			wantErr(t, err, nil)
			if tc.grace > 0 {
				// The same successor, signed again with the current key.
				if got, want := claimsOf(t, q.Refresh)["jti"], claimsOf(t, raced.Refresh)["jti"]; got != want {
					t.Fatalf("in the grace window the rotated instance gave another successor (jti %v, want %v)", got, want)
				}
				if kid := kidOf(t, q.Refresh); kid != tc.cur.KeyID() {
					t.Errorf("successor refresh token kid %q, want %q", kid, tc.cur.KeyID())
				}
			} else {
				if kid := kidOf(t, q.Access); kid != tc.cur.KeyID() {
					t.Errorf("new access token kid %q, want %q", kid, tc.cur.KeyID())
				}
				if kid := kidOf(t, q.Refresh); kid != tc.cur.KeyID() {
					t.Errorf("new refresh token kid %q, want %q", kid, tc.cur.KeyID())
				}
				wantAnyErr(t, before.VerifyAccess(ctx, q.Access, nil), jwt.ErrUnknownKey, jwt.ErrAlgorithm, jwt.ErrSignature)
			}
			wantErr(t, rotated.VerifyAccess(ctx, q.Access, nil), nil)
			wantErr(t, rotated.Logout(ctx, q.Refresh), nil)

			// The old key retired: its tokens are refused, as a retired key's.
			o, err := before.Issue(ctx, "43", nil)
			wantErr(t, err, nil)
			retired := sessions(tc.cur)
			wantErr(t, retired.VerifyAccess(ctx, o.Access, nil), tc.retired)
			_, err = retired.Refresh(ctx, o.Refresh)
			wantErr(t, err, tc.retired)
		})
	}
}

// Issue 13 §2: an explicit RefreshKey rotates through PreviousRefreshKeys as Key does through
// PreviousKeys.
func TestSessionsRefreshKeyRotation(t *testing.T) {
	r1 := newTestKey(t, []byte("refresh key one, for refresh tokens only")).WithKeyID("r1")
	r2 := newTestKey(t, []byte("refresh key two, for refresh tokens only")).WithKeyID("r2")
	clk := &fakeClock{now: clockStart}
	store := new(jwt.MemoryStore)
	key := newTestKey(t, refreshSecret)
	ctx := context.Background()
	before := mustSessions(t, jwt.SessionConfig{Key: key, RefreshKey: r1, Store: store, Now: clk.Now})
	p, err := before.Issue(ctx, "42", nil)
	wantErr(t, err, nil)
	rotated := mustSessions(t, jwt.SessionConfig{Key: key, RefreshKey: r2, PreviousRefreshKeys: []*jwt.Key{r1}, Store: store, Now: clk.Now})
	q, err := rotated.Refresh(ctx, p.Refresh)
	wantErr(t, err, nil)
	if kid := kidOf(t, q.Refresh); kid != "r2" {
		t.Errorf("new refresh token kid %q, want r2", kid)
	}
	o, err := before.Issue(ctx, "43", nil)
	wantErr(t, err, nil)
	retired := mustSessions(t, jwt.SessionConfig{Key: key, RefreshKey: r2, Store: store, Now: clk.Now})
	_, err = retired.Refresh(ctx, o.Refresh)
	wantErr(t, err, jwt.ErrUnknownKey)
	wantErr(t, retired.Logout(ctx, o.Refresh), jwt.ErrUnknownKey)
}

// Issue 13 §2: the previous keys form a key set with Key (distinct IDs, one key without ID at
// most), and no refresh key, current or previous, is one of the access keys.
func TestNewSessionsPreviousKeysConfig(t *testing.T) {
	k1 := newTestKey(t, []byte("rotation config key one, 32+ bytes")).WithKeyID("k1")
	k2 := newTestKey(t, []byte("rotation config key two, 32+ bytes")).WithKeyID("k2")
	r1 := newTestKey(t, []byte("rotation config refresh one, 32+ bytes")).WithKeyID("r1")
	r2 := newTestKey(t, []byte("rotation config refresh two, 32+ bytes")).WithKeyID("r2")
	noID := newTestKey(t, []byte("rotation config, a key without ID"))
	noID2 := newTestKey(t, []byte("rotation config, another key without ID"))
	var zero jwt.Key
	for _, tc := range []struct {
		name string
		cfg  jwt.SessionConfig
	}{
		{"previous key repeats Key's ID", jwt.SessionConfig{Key: k1, PreviousKeys: []*jwt.Key{k2, newTestKey(t, refreshSecret).WithKeyID("k1")}}},
		{"two keys without ID", jwt.SessionConfig{Key: noID, PreviousKeys: []*jwt.Key{k1, noID2}}},
		{"nil previous key", jwt.SessionConfig{Key: k1, PreviousKeys: []*jwt.Key{nil}}},
		{"zero previous key", jwt.SessionConfig{Key: k1, PreviousKeys: []*jwt.Key{&zero}}},
		{"previous refresh keys without RefreshKey", jwt.SessionConfig{Key: k1, PreviousRefreshKeys: []*jwt.Key{r1}}},
		{"previous refresh key repeats RefreshKey's ID", jwt.SessionConfig{Key: k1, RefreshKey: r1, PreviousRefreshKeys: []*jwt.Key{r2, newTestKey(t, refreshSecret).WithKeyID("r1")}}},
		{"zero previous refresh key", jwt.SessionConfig{Key: k1, RefreshKey: r1, PreviousRefreshKeys: []*jwt.Key{&zero}}},
		{"RefreshKey is a previous key", jwt.SessionConfig{Key: k2, PreviousKeys: []*jwt.Key{k1}, RefreshKey: k1.WithKeyID("r1")}},
		{"previous refresh key is Key", jwt.SessionConfig{Key: k1, RefreshKey: r1, PreviousRefreshKeys: []*jwt.Key{k1.WithKeyID("r0")}}},
		{"previous refresh key is a previous key", jwt.SessionConfig{Key: k2, PreviousKeys: []*jwt.Key{k1}, RefreshKey: r1, PreviousRefreshKeys: []*jwt.Key{k1.WithKeyID("r0")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := jwt.NewSessions(tc.cfg)
			wantErr(t, err, jwt.ErrInvalidConfig)
			if s != nil {
				t.Fatal("Sessions returned with an error")
			}
		})
	}
	for _, tc := range []struct {
		name string
		cfg  jwt.SessionConfig
	}{
		{"legacy key without ID", jwt.SessionConfig{Key: k2, PreviousKeys: []*jwt.Key{k1, noID}}},
		{"refresh keys rotated", jwt.SessionConfig{Key: k2, PreviousKeys: []*jwt.Key{k1}, RefreshKey: r2, PreviousRefreshKeys: []*jwt.Key{r1}}},
	} {
		t.Run(tc.name, func(t *testing.T) { mustSessions(t, tc.cfg) })
	}
}

// Issue 12 §4: refresh.go wrapped causes in its own type, through which errors.Is still
// reached the cause: a Store error that matched a sentinel of this package (ErrMalformed,
// ErrExpired, ErrStore itself) made the error match two. An error with an outside cause
// matches exactly one sentinel, and the cause stays reachable when it matches none.
func TestStoreErrorMatchesOnlyErrStore(t *testing.T) {
	for name, cause := range map[string]error{
		"a token sentinel":      fmt.Errorf("driver: %w", jwt.ErrMalformed),
		"a claim sentinel":      jwt.ErrExpired,
		"ErrStore itself":       fmt.Errorf("%w: refused", jwt.ErrStore),
		"ErrStore and another":  fmt.Errorf("%w: %w", jwt.ErrStore, jwt.ErrSignature),
		"a session sentinel":    fmt.Errorf("%w: %w", jwt.ErrInvalidConfig, jwt.ErrRevoked),
		"no sentinel, deadline": fmt.Errorf("driver: %w", context.DeadlineExceeded),
	} {
		for _, method := range []string{"Create", "Lookup", "RevokeSession", "RevokeSubject"} {
			t.Run(name+"/"+method, func(t *testing.T) {
				e := newEnv(t, func(c *jwt.SessionConfig) { c.CheckSessionOnAccess = true })
				var p jwt.Pair
				if method != "Create" {
					p = e.issue("42", nil)
				}
				e.store.err, e.store.failMethod = cause, method
				var err error
				switch method {
				case "Create":
					_, err = e.s.Issue(e.ctx, "42", nil)
				case "Lookup":
					err = e.s.VerifyAccess(e.ctx, p.Access, nil)
				case "RevokeSession":
					err = e.s.RevokeSession(e.ctx, "42", p.SessionID)
				case "RevokeSubject":
					err = e.s.RevokeSubject(e.ctx, "42")
				}
				if strings.Contains(name, "session sentinel") && method == "Lookup" {
					wantErr(t, err, jwt.ErrRevoked) // a state the store reports, not a failure
					return
				}
				wantErr(t, err, jwt.ErrStore)
				if strings.Contains(name, "deadline") && !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("the cause is not reachable from %v", err)
				}
			})
		}
	}
}

// Issue 12 §4: the OnRefresh hook's error is wrapped like a store's: an error of the hook
// that matches a sentinel of this package leaves ErrRefreshDenied the only match.
func TestOnRefreshErrorMatchesOnlyErrRefreshDenied(t *testing.T) {
	own := errors.New("account disabled")
	for name, cause := range map[string]error{
		"own error":        own,
		"a sentinel":       jwt.ErrRevoked,
		"wrapped twice":    fmt.Errorf("hook: %w", fmt.Errorf("%w: x", jwt.ErrSubject)),
		"ErrRefreshDenied": jwt.ErrRefreshDenied,
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, func(c *jwt.SessionConfig) {
				c.OnRefresh = func(context.Context, string, map[string]any) (map[string]any, error) { return nil, cause }
			})
			p := e.issue("42", nil)
			err := e.refreshFails(p.Refresh, jwt.ErrRefreshDenied)
			if cause == own && !errors.Is(err, own) {
				t.Errorf("the hook's error is not reachable from %v", err)
			}
		})
	}
}

// Stores work: with CheckSessionOnAccess, VerifyAccess took a session that Lookup returned
// past its Expires (a store may keep it until it forgets it) as live. It is unknown, as
// Rotate and Refresh without rotation treat it.
func TestVerifyAccessSessionPastExpires(t *testing.T) {
	e := newEnv(t, func(c *jwt.SessionConfig) {
		c.CheckSessionOnAccess = true
		c.Store = expiringStore{Store: new(jwt.MemoryStore), cut: 2 * time.Minute}
	})
	p := e.issue("42", nil)
	wantErr(t, e.s.VerifyAccess(e.ctx, p.Access, nil), nil)
	e.clock.Add(2 * time.Minute) // the session's Expires, as the store reports it; the access token is still valid
	wantErr(t, e.s.VerifyAccess(e.ctx, p.Access, nil), jwt.ErrUnknownSession)
}

// expiringStore reports every session as expiring cut after it was created, and never
// forgets one.
type expiringStore struct {
	jwt.Store
	cut time.Duration
}

func (s expiringStore) Lookup(ctx context.Context, subject, id string) (jwt.SessionState, error) {
	st, err := s.Store.Lookup(ctx, subject, id)
	st.Expires = st.Created.Add(s.cut)
	return st, err
}

// TestZeroSessions: a nil or zero Sessions refuses every method with ErrInvalidConfig
// instead of panicking (found in review).
func TestZeroSessions(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		s    *jwt.Sessions
	}{{"nil", nil}, {"zero", new(jwt.Sessions)}} {
		t.Run(c.name, func(t *testing.T) {
			calls := map[string]func() error{
				"Issue":         func() error { _, err := c.s.Issue(ctx, "u", nil); return err },
				"Refresh":       func() error { _, err := c.s.Refresh(ctx, "a.b.c"); return err },
				"VerifyAccess":  func() error { return c.s.VerifyAccess(ctx, "a.b.c", nil) },
				"Logout":        func() error { return c.s.Logout(ctx, "a.b.c") },
				"RevokeSession": func() error { return c.s.RevokeSession(ctx, "u", "s") },
				"RevokeSubject": func() error { return c.s.RevokeSubject(ctx, "u") },
			}
			for name, call := range calls {
				if err := call(); !errors.Is(err, jwt.ErrInvalidConfig) {
					t.Errorf("%s = %v, want ErrInvalidConfig", name, err)
				}
			}
		})
	}
}

// TestLongHeaderParsedOnce: after a signature failure, Refresh, Logout and VerifyAccess ask
// whether the other kind's key signed the token, which parses the header again; a header
// longer than any a Key writes is not parsed twice (bounded work on hostile input, issue 11
// §3), so such a token is only a bad signature, even if the other key signed it.
func TestLongHeaderParsedOnce(t *testing.T) {
	e := newEnv(t, nil)
	other := map[string]any{"sub": "42", "exp": clockStart.Add(time.Hour).Unix()}
	short := sign(t, refreshSecret, "JWT", other)
	long := sign(t, refreshSecret, "JWT"+strings.Repeat("x", 200), other) // signed with the access key
	if _, err := e.s.Refresh(e.ctx, short); !errors.Is(err, jwt.ErrTokenType) {
		t.Errorf("Refresh of a short-header token of the access key: %v, want ErrTokenType", err)
	}
	if _, err := e.s.Refresh(e.ctx, long); !errors.Is(err, jwt.ErrSignature) {
		t.Errorf("Refresh of a long-header token of the access key: %v, want ErrSignature", err)
	}
	if err := e.s.Logout(e.ctx, long); !errors.Is(err, jwt.ErrSignature) {
		t.Errorf("Logout of a long-header token of the access key: %v, want ErrSignature", err)
	}
}
