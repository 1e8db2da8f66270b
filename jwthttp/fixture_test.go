package jwthttp_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/jwthttp"
)

// sentinels are the errors the HTTP layer's errors may match, each exactly one of them.
var sentinels = []error{
	jwthttp.ErrNoToken, jwthttp.ErrBadRequest,
	jwt.ErrMalformed, jwt.ErrTooLarge, jwt.ErrAlgorithm, jwt.ErrUnknownKey, jwt.ErrSignature,
	jwt.ErrTokenType, jwt.ErrExpired, jwt.ErrNotYetValid, jwt.ErrIssuedInFuture, jwt.ErrIssuer,
	jwt.ErrAudience, jwt.ErrSubject, jwt.ErrMissingClaim, jwt.ErrKeyTooShort,
	jwt.ErrInvalidConfig, jwt.ErrEncode, jwt.ErrReused, jwt.ErrRevoked, jwt.ErrUnknownSession,
	jwt.ErrRefreshDenied, jwt.ErrStore, jwt.ErrReservedClaim,
}

// wantErr requires err to match want and no other sentinel.
func wantErr(tb testing.TB, err, want error) {
	tb.Helper()
	if !errors.Is(err, want) {
		tb.Fatalf("error %v, want %v", err, want)
	}
	n := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	if n != 1 {
		tb.Fatalf("error %v matches %d sentinels, want 1", err, n)
	}
}

// fakeStore is a MemoryStore that fails on demand.
type fakeStore struct {
	jwt.MemoryStore
	fail atomic.Bool
}

var errDown = errors.New("database down")

func (s *fakeStore) Create(ctx context.Context, st jwt.SessionState) error {
	if s.fail.Load() {
		return errDown
	}
	return s.MemoryStore.Create(ctx, st)
}

func (s *fakeStore) Rotate(ctx context.Context, r jwt.RotateRequest) ([]byte, error) {
	if s.fail.Load() {
		return nil, errDown
	}
	return s.MemoryStore.Rotate(ctx, r)
}

func (s *fakeStore) Lookup(ctx context.Context, sub, id string) (jwt.SessionState, error) {
	if s.fail.Load() {
		return jwt.SessionState{}, errDown
	}
	return s.MemoryStore.Lookup(ctx, sub, id)
}

func (s *fakeStore) RevokeSession(ctx context.Context, sub, id string) error {
	if s.fail.Load() {
		return errDown
	}
	return s.MemoryStore.RevokeSession(ctx, sub, id)
}

// testClock is a settable clock, safe for concurrent use.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a Sessions on a test clock and a fakeStore, with one issued pair.
type fixture struct {
	key   *jwt.Key
	clock *testClock
	store *fakeStore
	s     *jwt.Sessions
	pair  jwt.Pair
}

func newFixture(t *testing.T, configure func(*jwt.SessionConfig)) *fixture {
	t.Helper()
	key, err := jwt.NewKey(jwt.HS256, []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{key: key, clock: &testClock{t: time.Unix(2_000_000_000, 0)}, store: new(fakeStore)}
	cfg := jwt.SessionConfig{Key: key, Issuer: "iss", Audience: "api", Store: f.store, Now: f.clock.now}
	if configure != nil {
		configure(&cfg)
	}
	if f.s, err = jwt.NewSessions(cfg); err != nil {
		t.Fatal(err)
	}
	if f.pair, err = f.s.Issue(context.Background(), "ann", map[string]any{"name": "Ann"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// checkAccess makes the Sessions of a fixture consult the store on every access token.
func checkAccess(c *jwt.SessionConfig) { c.CheckSessionOnAccess = true }

type testClaims struct {
	jwt.Claims
	Name string `json:"name"`
}

// serve runs the middleware built from cfg on r and returns the response, the claims the
// next handler got (nil when it did not run), and the error logged.
func serve(t *testing.T, cfg jwthttp.AuthConfig, r *http.Request) (*http.Response, *testClaims, error) {
	t.Helper()
	var logged error
	nlog := 0
	cfg.ErrorLog = func(_ *http.Request, err error) { logged = err; nlog++ }
	auth, err := jwthttp.Authenticate[testClaims](cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got *testClaims
	h := auth.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := auth.Claims(r.Context())
		if !ok {
			t.Error("next handler without claims")
		}
		got = &c
		io.WriteString(w, "ok")
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if (got == nil) != (nlog == 1) || nlog > 1 {
		t.Errorf("next ran: %v, error hook called %d times", got != nil, nlog)
	}
	return w.Result(), got, logged
}

// run serves r with h and returns the response.
func run(h http.Handler, r *http.Request) *http.Response {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func itoa(n int) string { return strconv.Itoa(n) }

// leaks returns the first of secrets that the response shows, in its body or a header, in
// any case; "" when none.
func leaks(resp *http.Response, secrets ...string) string {
	body, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(strings.NewReader(string(body)))
	texts := []string{string(body)}
	for k, vs := range resp.Header {
		texts = append(texts, k+": "+strings.Join(vs, ", "))
	}
	for _, text := range texts {
		for _, s := range secrets {
			if s != "" && strings.Contains(strings.ToLower(text), strings.ToLower(s)) {
				return s
			}
		}
	}
	return ""
}

// reasonWords are words of the error texts that a refusal must not show the client.
var reasonWords = []string{"jwt:", "expired", "signature", "malformed", "wrong token", "revoked", "no token", "database", "reused", "unknown"}

// secretsOf returns what a response must not show: the tokens, the logged error's text and
// the reason words.
func secretsOf(logged error, tokens ...string) []string {
	s := append(tokens, reasonWords...)
	if logged != nil {
		s = append(s, logged.Error())
	}
	return s
}
