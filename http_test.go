package jwt

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var b64TokenRE = regexp.MustCompile(`^[A-Za-z0-9\-._~+/]+=*$`)

func TestParseBearer(t *testing.T) {
	for _, tc := range []struct {
		in, token string
		err       error
	}{
		{"Bearer abc", "abc", nil},
		{"bearer abc", "abc", nil},
		{"BeArEr a.b.c", "a.b.c", nil},
		{"Bearer    abc", "abc", nil},
		{" \tBearer abc\t ", "abc", nil},
		{"Bearer AZaz09-._~+/==", "AZaz09-._~+/==", nil},
		{"", "", ErrNoToken},
		{"   ", "", ErrNoToken},
		{"Basic YWxhZGRpbjpvcGVuc2VzYW1l", "", ErrNoToken},
		{"Bearerabc", "", ErrNoToken},
		{"Bearer\tabc", "", ErrNoToken},
		{"Bearer", "", ErrMalformed},
		{"Bearer ", "", ErrMalformed},
		{"Bearer a b", "", ErrMalformed},
		{"Bearer a  b", "", ErrMalformed},
		{"Bearer a,b", "", ErrMalformed},
		{"Bearer abc,", "", ErrMalformed},
		{"Bearer abc ,", "", ErrMalformed},
		{"Bearer a, Bearer b", "", ErrMalformed},
		{"Bearer =abc", "", ErrMalformed},
		{"Bearer ab=c", "", ErrMalformed},
		{"Bearer a\tb", "", ErrMalformed},
		{"Bearer \"abc\"", "", ErrMalformed},
		{"Bearer abc\x00", "", ErrMalformed},
		{"Bearer é", "", ErrMalformed},
	} {
		tok, err := ParseBearer(tc.in)
		if tok != tc.token || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("ParseBearer(%q) = %q, %v; want %q, %v", tc.in, tok, err, tc.token, tc.err)
		}
	}
}

// FuzzBearer checks properties of ParseBearer: whatever it accepts is a well-formed
// "Bearer" 1*SP b64token value whose token it returns; every well-formed value built from a
// valid token and any spelling of the scheme is accepted with that token; refusals name
// exactly one reason with a fixed text, so they never contain the value.
func FuzzBearer(f *testing.F) {
	f.Add("Bearer abc", uint8(0), uint8(1), "abc")
	f.Add("bearer a.b.c", uint8(0xff), uint8(3), "eyJhbGciOiJIUzI1NiJ9.e30.sig")
	f.Add("Bearer a b", uint8(5), uint8(0), "a b")
	f.Add("Basic Zm9vOmJhcg==", uint8(2), uint8(2), "Zm9vOmJhcg==")
	f.Add("Bearer ==", uint8(1), uint8(1), "==")
	f.Add(" Bearer\ttok", uint8(9), uint8(1), "tok,tok")
	f.Add("BEARER x=", uint8(0x2a), uint8(7), "x=y")
	f.Fuzz(func(t *testing.T, value string, caseMask, spaces uint8, tok string) {
		// 1. Anything accepted has the grammar's shape.
		got, err := ParseBearer(value)
		if err == nil {
			trimmed := strings.Trim(value, " \t")
			if !b64TokenRE.MatchString(got) {
				t.Fatalf("ParseBearer(%q) accepted non-b64token %q", value, got)
			}
			if len(trimmed) < 7+len(got) || !strings.EqualFold(trimmed[:6], "bearer") ||
				!strings.HasSuffix(trimmed, got) || strings.Trim(trimmed[6:len(trimmed)-len(got)], " ") != "" {
				t.Fatalf("ParseBearer(%q) = %q: not Bearer 1*SP token", value, got)
			}
		} else {
			checkRefusal(t, value, err)
		}

		// 2. A value built from any spelling of the scheme and tok is accepted iff tok is a
		// b64token, with tok as the result.
		scheme := []byte("Bearer")
		for i := range scheme {
			if caseMask&(1<<i) != 0 {
				scheme[i] ^= 0x20
			}
		}
		built := string(scheme) + strings.Repeat(" ", 1+int(spaces%8)) + tok
		got, err = ParseBearer(built)
		// Spaces before tok join the separator; white space after it is optional white
		// space around the field value. What is left must be exactly one b64token.
		core := strings.TrimLeft(strings.TrimRight(tok, " \t"), " ")
		if b64TokenRE.MatchString(core) {
			if err != nil || got != core {
				t.Fatalf("ParseBearer(%q) = %q, %v; want %q", built, got, err, core)
			}
		} else if !errors.Is(err, ErrMalformed) {
			t.Fatalf("ParseBearer(%q) = %q, %v; want ErrMalformed", built, got, err)
		}
	})
}

func checkRefusal(t *testing.T, value string, err error) {
	t.Helper()
	if errors.Is(err, ErrNoToken) == errors.Is(err, ErrMalformed) {
		t.Fatalf("ParseBearer(%q): error %v is not exactly one of ErrNoToken, ErrMalformed", value, err)
	}
	// The texts are fixed, so they cannot carry any part of the value.
	if msg := err.Error(); msg != ErrNoToken.Error() && msg != ErrMalformed.Error()+": Authorization: not exactly one bearer token" {
		t.Fatalf("ParseBearer(%q): unexpected error text %q", value, msg)
	}
}

// fakeStore is a MemoryStore that fails on demand.
type fakeStore struct {
	MemoryStore
	fail atomic.Bool
}

var errDown = errors.New("database down")

func (s *fakeStore) Create(ctx context.Context, st SessionState) error {
	if s.fail.Load() {
		return errDown
	}
	return s.MemoryStore.Create(ctx, st)
}
func (s *fakeStore) Rotate(ctx context.Context, r Rotation) ([]byte, error) {
	if s.fail.Load() {
		return nil, errDown
	}
	return s.MemoryStore.Rotate(ctx, r)
}
func (s *fakeStore) Lookup(ctx context.Context, sub, id string) (SessionState, error) {
	if s.fail.Load() {
		return SessionState{}, errDown
	}
	return s.MemoryStore.Lookup(ctx, sub, id)
}
func (s *fakeStore) RevokeSession(ctx context.Context, sub, id string) error {
	if s.fail.Load() {
		return errDown
	}
	return s.MemoryStore.RevokeSession(ctx, sub, id)
}

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

type fixture struct {
	key   *Key
	clock *testClock
	store *fakeStore
	s     *Sessions
	pair  Pair
}

func newFixture(t *testing.T, checkAccess bool) *fixture {
	t.Helper()
	key, err := NewKey(HS256, []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{key: key, clock: &testClock{t: time.Unix(2_000_000_000, 0)}, store: new(fakeStore)}
	f.s, err = NewSessions(SessionConfig{
		Key: key, Issuer: "iss", Audience: "api", Store: f.store, Now: f.clock.now,
		CheckSessionOnAccess: checkAccess,
	})
	if err != nil {
		t.Fatal(err)
	}
	f.pair, err = f.s.Issue(context.Background(), "ann", map[string]any{"name": "Ann"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

type testClaims struct {
	Claims
	Name string `json:"name"`
}

// serve runs the middleware built from cfg on r and returns the response, whether the next
// handler ran with claims, and the error logged.
func serve(t *testing.T, cfg AuthConfig, r *http.Request) (*http.Response, *testClaims, error) {
	t.Helper()
	var logged error
	nlog := 0
	cfg.ErrorLog = func(_ *http.Request, err error) { logged = err; nlog++ }
	mw, err := Authenticate[testClaims](cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got *testClaims
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := ClaimsFrom[testClaims](r.Context())
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

// leaks reports whether the response shows any of secrets.
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

// reasonWords are words of the package's error texts that a refusal must not show.
var reasonWords = []string{"jwt:", "expired", "signature", "malformed", "wrong token", "revoked", "no token", "database", "reused", "unknown"}

func TestAuthenticateFailures(t *testing.T) {
	f := newFixture(t, false)
	access, refresh := f.pair.Access, f.pair.Refresh
	tampered := []byte(access)
	dot := strings.IndexByte(access, '.')
	tampered[dot+3] ^= 'A' ^ 'B' // a payload character
	if tampered[dot+3] == access[dot+3] {
		t.Fatal("tamper failed")
	}
	auth := func(vals ...string) *http.Request {
		r := httptest.NewRequest("GET", "/api", nil)
		for _, v := range vals {
			r.Header.Add("Authorization", v)
		}
		return r
	}
	const invalid = `Bearer error="invalid_token"`
	for _, tc := range []struct {
		name      string
		req       *http.Request
		advance   time.Duration
		challenge string
		reason    error
	}{
		{"missing header", auth(), 0, "Bearer", ErrNoToken},
		{"empty header", auth(""), 0, "Bearer", ErrNoToken},
		{"wrong scheme", auth("Basic " + access), 0, "Bearer", ErrNoToken},
		{"token without scheme", auth(access), 0, "Bearer", ErrNoToken},
		{"two Authorization headers", auth("Bearer "+access, "Bearer "+access), 0, invalid, ErrMalformed},
		{"Bearer and Basic headers", auth("Bearer "+access, "Basic eDp5"), 0, invalid, ErrMalformed},
		{"two tokens in one header", auth("Bearer " + access + " " + access), 0, invalid, ErrMalformed},
		{"two tokens, comma", auth("Bearer " + access + ",Bearer " + access), 0, invalid, ErrMalformed},
		{"scheme without token", auth("Bearer"), 0, invalid, ErrMalformed},
		{"refresh token as access", auth("Bearer " + refresh), 0, invalid, ErrTokenType},
		{"expired", auth("Bearer " + access), 5*time.Minute + time.Second, invalid, ErrExpired},
		{"tampered", auth("Bearer " + string(tampered)), 0, invalid, ErrSignature},
		{"garbage", auth("Bearer abc.def.ghi"), 0, invalid, ErrMalformed},
	} {
		f.clock.add(tc.advance)
		resp, got, reason := serve(t, AuthConfig{Sessions: f.s}, tc.req)
		f.clock.add(-tc.advance)
		if resp.StatusCode != 401 || got != nil {
			t.Errorf("%s: status %d, next ran %v", tc.name, resp.StatusCode, got != nil)
		}
		if ch := resp.Header.Values("WWW-Authenticate"); len(ch) != 1 || ch[0] != tc.challenge {
			t.Errorf("%s: WWW-Authenticate %q, want %q", tc.name, ch, tc.challenge)
		}
		if !errors.Is(reason, tc.reason) {
			t.Errorf("%s: logged %v, want %v", tc.name, reason, tc.reason)
		}
		secrets := append([]string{access, refresh, string(tampered), reason.Error()}, reasonWords...)
		if s := leaks(resp, secrets...); s != "" {
			t.Errorf("%s: response shows %q", tc.name, s)
		}
	}
}

func TestAuthenticateSuccess(t *testing.T) {
	f := newFixture(t, false)
	for _, h := range []string{"Bearer " + f.pair.Access, "bearer  " + f.pair.Access, "BEARER " + f.pair.Access + " "} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", h)
		resp, got, err := serve(t, AuthConfig{Sessions: f.s}, r)
		if resp.StatusCode != 200 || got == nil || err != nil {
			t.Fatalf("%q: status %d, claims %v, err %v", h[:8], resp.StatusCode, got, err)
		}
		if got.Subject != "ann" || got.Name != "Ann" || got.Issuer != "iss" || !got.Audience.Contains("api") {
			t.Errorf("claims %+v", got)
		}
	}
}

func TestAuthenticateStore(t *testing.T) {
	f := newFixture(t, true)
	req := func() *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", "Bearer "+f.pair.Access)
		return r
	}
	if resp, _, _ := serve(t, AuthConfig{Sessions: f.s}, req()); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	f.store.fail.Store(true)
	resp, got, reason := serve(t, AuthConfig{Sessions: f.s}, req())
	if resp.StatusCode != 503 || got != nil || !errors.Is(reason, ErrStore) || resp.Header.Get("WWW-Authenticate") != "" {
		t.Errorf("store failure: status %d, reason %v, challenge %q", resp.StatusCode, reason, resp.Header.Get("WWW-Authenticate"))
	}
	if s := leaks(resp, append([]string{f.pair.Access}, reasonWords...)...); s != "" {
		t.Errorf("503 shows %q", s)
	}
	f.store.fail.Store(false)
	if err := f.s.Logout(context.Background(), f.pair.Refresh); err != nil {
		t.Fatal(err)
	}
	resp, _, reason = serve(t, AuthConfig{Sessions: f.s}, req())
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != `Bearer error="invalid_token"` || !errors.Is(reason, ErrRevoked) {
		t.Errorf("revoked: status %d, reason %v", resp.StatusCode, reason)
	}
}

func TestAuthenticateCookie(t *testing.T) {
	f := newFixture(t, false)
	cfg := AuthConfig{Sessions: f.s, Cookie: "access"}
	req := func(authz string, cookies ...string) *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		for _, c := range cookies {
			r.AddCookie(&http.Cookie{Name: "access", Value: c})
		}
		return r
	}
	for _, tc := range []struct {
		name string
		r    *http.Request
		want int
		ch   string
	}{
		{"cookie", req("", f.pair.Access), 200, ""},
		{"other scheme, cookie", req("Basic eDp5", f.pair.Access), 200, ""},
		{"header wins over cookie", req("Bearer abc.def.ghi", f.pair.Access), 401, `Bearer error="invalid_token"`},
		{"two cookies", req("", f.pair.Access, f.pair.Access), 401, `Bearer error="invalid_token"`},
		{"no cookie", req(""), 401, "Bearer"},
		{"refresh token in cookie", req("", f.pair.Refresh), 401, `Bearer error="invalid_token"`},
	} {
		resp, _, _ := serve(t, cfg, tc.r)
		if resp.StatusCode != tc.want || resp.Header.Get("WWW-Authenticate") != tc.ch {
			t.Errorf("%s: status %d, challenge %q", tc.name, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	}
	// Without Cookie configured, the cookie is ignored.
	resp, _, reason := serve(t, AuthConfig{Sessions: f.s}, req("", f.pair.Access))
	if resp.StatusCode != 401 || !errors.Is(reason, ErrNoToken) {
		t.Errorf("cookie used without configuration: %d %v", resp.StatusCode, reason)
	}
}

func TestAuthenticateKey(t *testing.T) {
	f := newFixture(t, false)
	set, err := NewKeySet(f.key.WithID("k1"))
	if err != nil {
		t.Fatal(err)
	}
	kidTok, err := f.key.WithID("k1").Encode(&Claims{Subject: "bo", ExpiresAt: NewNumericDate(f.clock.now().Add(time.Minute))})
	if err != nil {
		t.Fatal(err)
	}
	want := Expect{Type: "at+jwt", Now: f.clock.now}
	for _, tc := range []struct {
		name  string
		cfg   AuthConfig
		token string
		ok    bool
	}{
		{"key, access", AuthConfig{Key: f.key, Expect: want}, f.pair.Access, true},
		{"key, refresh refused by typ", AuthConfig{Key: f.key, Expect: want}, f.pair.Refresh, false},
		{"key, audience", AuthConfig{Key: f.key, Expect: Expect{Audience: []string{"other"}, Now: f.clock.now}}, f.pair.Access, false},
		{"key set", AuthConfig{KeySet: set, Expect: Expect{Now: f.clock.now}}, kidTok, true},
		{"key set, no kid", AuthConfig{KeySet: set, Expect: want}, f.pair.Access, false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", "Bearer "+tc.token)
		resp, _, _ := serve(t, tc.cfg, r)
		if (resp.StatusCode == 200) != tc.ok {
			t.Errorf("%s: status %d", tc.name, resp.StatusCode)
		}
	}
}

func TestAuthenticateConfig(t *testing.T) {
	f := newFixture(t, false)
	for name, cfg := range map[string]AuthConfig{
		"none":            {},
		"two":             {Sessions: f.s, Key: f.key},
		"key and set":     {Key: f.key, KeySet: new(KeySet)},
		"negative leeway": {Key: f.key, Expect: Expect{Leeway: -1}},
	} {
		if _, err := Authenticate[testClaims](cfg); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Authenticate[int](AuthConfig{Sessions: f.s}); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("int claims with Sessions: %v", err)
	}
	if _, err := Authenticate[[]string](AuthConfig{Key: f.key}); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("slice claims with Key: %v", err)
	}
	// map claims work, and ClaimsFrom tells the types apart.
	mw, err := Authenticate[map[string]any](AuthConfig{Sessions: f.s})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer "+f.pair.Access)
	ran := false
	mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m, ok := ClaimsFrom[map[string]any](r.Context())
		_, other := ClaimsFrom[testClaims](r.Context())
		ran = ok && !other && m["sub"] == "ann" && m["token_type"] == "access"
	})).ServeHTTP(httptest.NewRecorder(), r)
	if !ran {
		t.Error("map claims not passed")
	}
	if _, ok := ClaimsFrom[testClaims](context.Background()); ok {
		t.Error("claims in an empty context")
	}
}

func TestRefreshCookie(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	c := RefreshCookie("", "", "tok", now.Add(90*time.Second+500*time.Millisecond), now)
	if got, want := c.String(), "__Secure-refresh=tok; Path=/auth/; Max-Age=90; HttpOnly; Secure; SameSite=Strict"; got != want {
		t.Errorf("cookie %q, want %q", got, want)
	}
	if err := c.Valid(); err != nil {
		t.Error(err)
	}
	c = RefreshCookie("r", "/auth/refresh", "tok", now.Add(-time.Hour), now)
	if c.MaxAge != 1 || c.Name != "r" || c.Path != "/auth/refresh" {
		t.Errorf("past expiry: %v", c)
	}
	cl := ClearRefreshCookie("", "")
	if got, want := cl.String(), "__Secure-refresh=; Path=/auth/; Max-Age=0; HttpOnly; Secure; SameSite=Strict"; got != want {
		t.Errorf("clear cookie %q, want %q", got, want)
	}
}

func TestNewSessionHandlersConfig(t *testing.T) {
	f := newFixture(t, false)
	for name, cfg := range map[string]HandlerConfig{
		"no sessions":           {},
		"insecure default name": {Sessions: f.s, InsecureCookie: true},
		"insecure __Secure-":    {Sessions: f.s, InsecureCookie: true, CookieName: "__Secure-x"},
		"insecure __Host-":      {Sessions: f.s, InsecureCookie: true, CookieName: "__Host-x"},
		"bad name":              {Sessions: f.s, CookieName: "a b"},
		"relative path":         {Sessions: f.s, CookiePath: "auth"},
	} {
		if _, err := NewSessionHandlers(cfg); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// post sends method to h with the refresh cookie value ck ("" for none).
func post(h http.Handler, method, name, ck string, mod ...func(*http.Request)) *http.Response {
	r := httptest.NewRequest(method, "/auth/refresh", nil)
	if ck != "" {
		r.AddCookie(&http.Cookie{Name: name, Value: ck})
	}
	for _, m := range mod {
		m(r)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func TestSessionHandlers(t *testing.T) {
	f := newFixture(t, false)
	var logged []error
	h, err := NewSessionHandlers(HandlerConfig{Sessions: f.s, ErrorLog: func(_ *http.Request, err error) { logged = append(logged, err) }})
	if err != nil {
		t.Fatal(err)
	}
	name := DefaultRefreshCookie
	refresh, logout := h.RefreshHandler(), h.LogoutHandler()

	// Success: JSON token response, rotated cookie, no-store.
	resp := post(refresh, "POST", name, f.pair.Refresh)
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("refresh: %d %v", resp.StatusCode, resp.Header)
	}
	var tr TokenResponse
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil {
		t.Fatal(err)
	}
	if tr.TokenType != "Bearer" || tr.ExpiresIn != 300 || f.s.VerifyAccess(context.Background(), tr.AccessToken, nil) != nil {
		t.Errorf("token response %+v", tr)
	}
	cks := resp.Cookies()
	if len(cks) != 1 || cks[0].Name != name || !cks[0].Secure || !cks[0].HttpOnly || cks[0].MaxAge != 86400 || cks[0].Value == f.pair.Refresh {
		t.Fatalf("refresh cookie %v", cks)
	}
	next := cks[0].Value

	tampered := next[:len(next)-2] + "AA"
	if tampered == next {
		tampered = next[:len(next)-2] + "BB"
	}
	invalid := `Bearer error="invalid_token"`
	for _, tc := range []struct {
		name, method, token string
		h                   http.Handler
		want                int
		challenge           string
		clears              bool
		mod                 func(*http.Request)
	}{
		{"GET refresh", "GET", next, refresh, 405, "", false, nil},
		{"GET logout", "GET", next, logout, 405, "", false, nil},
		{"no cookie", "POST", "", refresh, 401, "Bearer", false, nil},
		{"logout without cookie", "POST", "", logout, 401, "Bearer", false, nil},
		{"access token", "POST", f.pair.Access, refresh, 401, invalid, true, nil},
		{"tampered", "POST", tampered, refresh, 401, invalid, true, nil},
		{"logout tampered", "POST", tampered, logout, 401, invalid, true, nil},
		{"cross-site", "POST", next, refresh, 403, "", false, func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }},
		// Two cookies of our name may mean one planted by a sibling domain: ours stays.
		{"two cookies", "POST", next, refresh, 401, invalid, false, func(r *http.Request) { r.AddCookie(&http.Cookie{Name: name, Value: next}) }},
	} {
		var mods []func(*http.Request)
		if tc.mod != nil {
			mods = append(mods, tc.mod)
		}
		logged = nil
		resp := post(tc.h, tc.method, name, tc.token, mods...)
		if resp.StatusCode != tc.want || resp.Header.Get("WWW-Authenticate") != tc.challenge ||
			resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: %d %v", tc.name, resp.StatusCode, resp.Header)
		}
		if tc.want == 405 && resp.Header.Get("Allow") != "POST" {
			t.Errorf("%s: Allow %q", tc.name, resp.Header.Get("Allow"))
		}
		if c := resp.Cookies(); tc.clears != (len(c) == 1 && c[0].MaxAge < 0 && c[0].Name == name && c[0].Path == DefaultRefreshPath) {
			t.Errorf("%s: cookies %v", tc.name, c)
		}
		secrets := append([]string{next, f.pair.Access, tampered}, reasonWords...)
		for _, e := range logged {
			secrets = append(secrets, e.Error())
		}
		if s := leaks(resp, secrets...); s != "" {
			t.Errorf("%s: response shows %q", tc.name, s)
		}
	}

	// Reuse of the spent token: 401, logged as ErrReused, session revoked.
	logged = nil
	// The cookie is left alone: the request may have lost a race to one that set the successor.
	if resp := post(refresh, "POST", name, f.pair.Refresh); resp.StatusCode != 401 || len(logged) != 1 || !errors.Is(logged[0], ErrReused) || len(resp.Cookies()) != 0 {
		t.Errorf("reuse: %d %v %v", resp.StatusCode, logged, resp.Cookies())
	}
	if resp := post(refresh, "POST", name, next); resp.StatusCode != 401 {
		t.Errorf("refresh after reuse: %d", resp.StatusCode)
	}

	// Store failures: 503 and no cookie change.
	g := newFixture(t, false)
	hg, _ := NewSessionHandlers(HandlerConfig{Sessions: g.s})
	g.store.fail.Store(true)
	for _, hh := range []http.Handler{hg.RefreshHandler(), hg.LogoutHandler()} {
		resp := post(hh, "POST", name, g.pair.Refresh)
		if resp.StatusCode != 503 || len(resp.Cookies()) != 0 || leaks(resp, append([]string{g.pair.Refresh}, reasonWords...)...) != "" {
			t.Errorf("store failure: %d %v", resp.StatusCode, resp.Cookies())
		}
	}
	g.store.fail.Store(false)

	// Logout, even with an expired refresh token, clears the cookie and revokes the session.
	g.clock.add(25 * time.Hour)
	resp = post(hg.LogoutHandler(), "POST", name, g.pair.Refresh)
	body, _ := io.ReadAll(resp.Body)
	if c := resp.Cookies(); resp.StatusCode != 200 || string(body) != "{\"logged_out\":true}\n" || len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("logout: %d %q %v", resp.StatusCode, body, c)
	}
	g.clock.add(-25 * time.Hour)
	if resp := post(hg.RefreshHandler(), "POST", name, g.pair.Refresh); resp.StatusCode != 401 {
		t.Errorf("refresh after logout: %d", resp.StatusCode)
	}
}

func TestSessionHandlersInsecure(t *testing.T) {
	f := newFixture(t, false)
	h, err := NewSessionHandlers(HandlerConfig{Sessions: f.s, InsecureCookie: true, CookieName: "refresh", CookiePath: "/a/"})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.WriteTokens(w, f.pair)
	c := w.Result().Cookies()
	if len(c) != 1 || c[0].Secure || c[0].Name != "refresh" || c[0].Path != "/a/" || !c[0].HttpOnly || c[0].SameSite != http.SameSiteStrictMode {
		t.Errorf("insecure cookie %v", c)
	}
	if cl := h.ClearCookie(); cl.Secure || cl.Name != "refresh" || cl.Path != "/a/" || cl.MaxAge >= 0 {
		t.Errorf("insecure clear cookie %v", cl)
	}
}

// Issue 11 §5: NewSessionHandlers accepted cookie settings browsers refuse or that inject
// attributes: a __Host- cookie with a Path other than "/" (browsers drop it, so refresh
// silently never works), prefixes in another case (browsers match them in any case, so an
// insecure "__secure-x" is dropped too), and a CookiePath holding ';' or control bytes.
func TestNewSessionHandlersCookieConfig(t *testing.T) {
	f := newFixture(t, false)
	for _, tc := range []struct {
		name     string
		cfg      HandlerConfig
		wantPath string // "" when refused
	}{
		{"__Host- with /auth/", HandlerConfig{CookieName: "__Host-r", CookiePath: "/auth/"}, ""},
		{"__Host- with /a", HandlerConfig{CookieName: "__Host-r", CookiePath: "/a"}, ""},
		{"__host- with /auth/", HandlerConfig{CookieName: "__host-r", CookiePath: "/auth/"}, ""},
		{"__HOST- with /auth/", HandlerConfig{CookieName: "__HOST-r", CookiePath: "/auth/"}, ""},
		{"insecure __secure-", HandlerConfig{InsecureCookie: true, CookieName: "__secure-r"}, ""},
		{"insecure __SECURE-", HandlerConfig{InsecureCookie: true, CookieName: "__SECURE-r"}, ""},
		{"insecure __hOsT-", HandlerConfig{InsecureCookie: true, CookieName: "__hOsT-r", CookiePath: "/"}, ""},
		{"path with ;Domain=", HandlerConfig{CookiePath: "/auth/;Domain=evil.example"}, ""},
		{"path with ;", HandlerConfig{CookiePath: "/auth;"}, ""},
		{"path with CR LF", HandlerConfig{CookiePath: "/auth/\r\nSet-Cookie: x=y"}, ""},
		{"path with NUL", HandlerConfig{CookiePath: "/auth/\x00"}, ""},
		{"path with tab", HandlerConfig{CookiePath: "/auth/\t"}, ""},
		{"path with DEL", HandlerConfig{CookiePath: "/auth/\x7f"}, ""},
		{"path with non-ASCII", HandlerConfig{CookiePath: "/\u00e9"}, ""},
		{"__Host- with /", HandlerConfig{CookieName: "__Host-r", CookiePath: "/"}, "/"},
		{"__Host- with default path", HandlerConfig{CookieName: "__Host-r"}, "/"},
		{"__host- with default path", HandlerConfig{CookieName: "__host-r"}, "/"},
		{"__Secure- with /auth/", HandlerConfig{CookieName: "__Secure-r", CookiePath: "/auth/"}, "/auth/"},
		{"__secure- secure with default path", HandlerConfig{CookieName: "__secure-r"}, DefaultRefreshPath},
		{"defaults", HandlerConfig{}, DefaultRefreshPath},
		{"path with printable ASCII", HandlerConfig{CookiePath: "/a b/~!$%&'()*+,-.:=@[]^_`{|}"}, "/a b/~!$%&'()*+,-.:=@[]^_`{|}"},
		{"insecure plain name", HandlerConfig{InsecureCookie: true, CookieName: "r", CookiePath: "/x/"}, "/x/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.Sessions = f.s
			h, err := NewSessionHandlers(cfg)
			if tc.wantPath == "" {
				if !errors.Is(err, ErrInvalidConfig) || h != nil {
					t.Fatalf("got %v, %v; want ErrInvalidConfig", h, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []*http.Cookie{h.Cookie(f.pair), h.ClearCookie()} {
				if c.Path != tc.wantPath {
					t.Errorf("cookie %v: Path %q, want %q", c, c.Path, tc.wantPath)
				}
				if err := c.Valid(); err != nil {
					t.Errorf("cookie %v: %v", c, err)
				}
			}
		})
	}
}

// Issue 11 §5: RefreshCookie and ClearRefreshCookie default the Path of a __Host- cookie,
// in any case, to "/", the only Path browsers accept for it.
func TestRefreshCookieHostPrefixPath(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	for name, want := range map[string]string{"__Host-r": "/", "__host-r": "/", "__Secure-r": DefaultRefreshPath, "r": DefaultRefreshPath, "": DefaultRefreshPath} {
		if c := RefreshCookie(name, "", "tok", now.Add(time.Hour), now); c.Path != want {
			t.Errorf("RefreshCookie(%q): Path %q, want %q", name, c.Path, want)
		}
		if c := ClearRefreshCookie(name, ""); c.Path != want {
			t.Errorf("ClearRefreshCookie(%q): Path %q, want %q", name, c.Path, want)
		}
	}
}

// Issue 11 §5: Authenticate with a zero Key or KeySet is a configuration error, not a panic
// on the first request.
func TestAuthenticateZeroKey(t *testing.T) {
	var k Key
	var s KeySet
	for name, cfg := range map[string]AuthConfig{"zero Key": {Key: &k}, "zero KeySet": {KeySet: &s}} {
		mw, err := Authenticate[testClaims](cfg)
		if !errors.Is(err, ErrInvalidConfig) || mw != nil {
			t.Errorf("%s: %v, want ErrInvalidConfig", name, err)
		}
	}
}
