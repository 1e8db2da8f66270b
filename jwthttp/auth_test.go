package jwthttp_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/jwthttp"
)

const invalidToken = `Bearer error="invalid_token"`

// bearer returns a GET request with "Authorization: Bearer token".
func bearer(token string) *http.Request {
	return withAuthorization("Bearer " + token)
}

func TestAuthenticateFailures(t *testing.T) {
	f := newFixture(t, nil)
	access, refresh := f.pair.Access, f.pair.Refresh
	tampered := []byte(access)
	dot := strings.IndexByte(access, '.')
	tampered[dot+3] ^= 'A' ^ 'B' // a payload character
	if tampered[dot+3] == access[dot+3] {
		t.Fatal("tamper failed")
	}
	for _, tc := range []struct {
		name      string
		req       *http.Request
		advance   time.Duration
		challenge string
		reason    error
	}{
		{"missing header", withAuthorization(), 0, "Bearer", jwthttp.ErrNoToken},
		{"empty header", withAuthorization(""), 0, "Bearer", jwthttp.ErrNoToken},
		{"wrong scheme", withAuthorization("Basic " + access), 0, "Bearer", jwthttp.ErrNoToken},
		{"token without scheme", withAuthorization(access), 0, invalidToken, jwt.ErrMalformed},
		{"two Authorization headers", withAuthorization("Bearer "+access, "Bearer "+access), 0, invalidToken, jwt.ErrMalformed},
		{"Bearer and Basic headers", withAuthorization("Bearer "+access, "Basic eDp5"), 0, invalidToken, jwt.ErrMalformed},
		{"two tokens in one header", withAuthorization("Bearer " + access + " " + access), 0, invalidToken, jwt.ErrMalformed},
		{"two tokens, comma", withAuthorization("Bearer " + access + ",Bearer " + access), 0, invalidToken, jwt.ErrMalformed},
		{"scheme without token", withAuthorization("Bearer"), 0, invalidToken, jwt.ErrMalformed},
		{"refresh token as access", bearer(refresh), 0, invalidToken, jwt.ErrTokenType},
		{"expired", bearer(access), 5*time.Minute + time.Second, invalidToken, jwt.ErrExpired},
		{"tampered", bearer(string(tampered)), 0, invalidToken, jwt.ErrSignature},
		{"garbage", bearer("abc.def.ghi"), 0, invalidToken, jwt.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.clock.add(tc.advance)
			defer f.clock.add(-tc.advance)
			resp, got, reason := serve(t, jwthttp.AuthConfig{Verify: f.s.VerifyAccess}, tc.req)
			if resp.StatusCode != 401 || got != nil {
				t.Errorf("status %d, next ran %v", resp.StatusCode, got != nil)
			}
			if ch := resp.Header.Values("WWW-Authenticate"); len(ch) != 1 || ch[0] != tc.challenge {
				t.Errorf("WWW-Authenticate %q, want %q", ch, tc.challenge)
			}
			wantErr(t, reason, tc.reason)
			if s := leaks(resp, secretsOf(reason, access, refresh, string(tampered))...); s != "" {
				t.Errorf("response shows %q", s)
			}
		})
	}
}

func TestAuthenticateSuccess(t *testing.T) {
	f := newFixture(t, nil)
	for _, h := range []string{"Bearer " + f.pair.Access, "bearer  " + f.pair.Access, "BEARER " + f.pair.Access + " "} {
		resp, got, err := serve(t, jwthttp.AuthConfig{Verify: f.s.VerifyAccess}, withAuthorization(h))
		if resp.StatusCode != 200 || got == nil || err != nil {
			t.Fatalf("%q: status %d, claims %v, err %v", h[:8], resp.StatusCode, got, err)
		}
		if got.Subject != "ann" || got.Name != "Ann" || got.Issuer != "iss" || !got.Audience.Contains("api") {
			t.Errorf("claims %+v", got)
		}
	}
}

func TestAuthenticateStore(t *testing.T) {
	f := newFixture(t, checkAccess)
	cfg := jwthttp.AuthConfig{Verify: f.s.VerifyAccess}
	if resp, _, _ := serve(t, cfg, bearer(f.pair.Access)); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	f.store.fail.Store(true)
	resp, got, reason := serve(t, cfg, bearer(f.pair.Access))
	if resp.StatusCode != 503 || got != nil || resp.Header.Get("WWW-Authenticate") != "" {
		t.Errorf("store failure: status %d, challenge %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	wantErr(t, reason, jwt.ErrStore)
	if s := leaks(resp, secretsOf(reason, f.pair.Access)...); s != "" {
		t.Errorf("503 shows %q", s)
	}
	f.store.fail.Store(false)
	if err := f.s.Logout(context.Background(), f.pair.Refresh); err != nil {
		t.Fatal(err)
	}
	resp, _, reason = serve(t, cfg, bearer(f.pair.Access))
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != invalidToken {
		t.Errorf("revoked: status %d", resp.StatusCode)
	}
	wantErr(t, reason, jwt.ErrRevoked)
}

func TestAuthenticateCookie(t *testing.T) {
	f := newFixture(t, nil)
	cfg := jwthttp.AuthConfig{Verify: f.s.VerifyAccess, Cookie: "access"}
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
		{"header wins over cookie", req("Bearer abc.def.ghi", f.pair.Access), 401, invalidToken},
		{"two cookies", req("", f.pair.Access, f.pair.Access), 401, invalidToken},
		{"no cookie", req(""), 401, "Bearer"},
		{"empty cookie", req("", ""), 401, "Bearer"},
		{"refresh token in cookie", req("", f.pair.Refresh), 401, invalidToken},
	} {
		resp, _, _ := serve(t, cfg, tc.r)
		if resp.StatusCode != tc.want || resp.Header.Get("WWW-Authenticate") != tc.ch {
			t.Errorf("%s: status %d, challenge %q", tc.name, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	}
	// Without Cookie configured, the cookie is ignored.
	resp, _, reason := serve(t, jwthttp.AuthConfig{Verify: f.s.VerifyAccess}, req("", f.pair.Access))
	if resp.StatusCode != 401 {
		t.Errorf("cookie used without configuration: %d", resp.StatusCode)
	}
	wantErr(t, reason, jwthttp.ErrNoToken)
}

func TestVerifyWith(t *testing.T) {
	f := newFixture(t, nil)
	set, err := jwt.NewKeySet(f.key.WithKeyID("k1"))
	if err != nil {
		t.Fatal(err)
	}
	kidTok, err := f.key.WithKeyID("k1").Encode(&jwt.Claims{Subject: "bo", ExpiresAt: jwt.NewNumericDate(f.clock.now().Add(time.Minute))})
	if err != nil {
		t.Fatal(err)
	}
	want := jwt.Expect{Type: "at+jwt", Now: f.clock.now}
	for _, tc := range []struct {
		name   string
		verify func(context.Context, string, any) error
		token  string
		ok     bool
	}{
		{"key, access", jwthttp.VerifyWith(f.key, want), f.pair.Access, true},
		{"key, refresh refused by typ", jwthttp.VerifyWith(f.key, want), f.pair.Refresh, false},
		{"key, audience", jwthttp.VerifyWith(f.key, jwt.Expect{Audience: []string{"other"}, Now: f.clock.now}), f.pair.Access, false},
		{"key set", jwthttp.VerifyWith(set, jwt.Expect{Now: f.clock.now}), kidTok, true},
		{"key set, no kid", jwthttp.VerifyWith(set, want), f.pair.Access, false},
	} {
		resp, got, _ := serve(t, jwthttp.AuthConfig{Verify: tc.verify}, bearer(tc.token))
		if (resp.StatusCode == 200) != tc.ok || (got != nil) != tc.ok {
			t.Errorf("%s: status %d", tc.name, resp.StatusCode)
		}
	}
}

// Authenticate finds a verifier that cannot work, or a claims type that cannot hold a
// claims set, when it is called rather than on every request.
func TestAuthenticateConfig(t *testing.T) {
	f := newFixture(t, nil)
	var zeroKey jwt.Key
	var zeroSet jwt.KeySet
	var nilKey *jwt.Key
	for name, cfg := range map[string]jwthttp.AuthConfig{
		"no verifier":     {},
		"negative leeway": {Verify: jwthttp.VerifyWith(f.key, jwt.Expect{Leeway: -1})},
		"zero Key":        {Verify: jwthttp.VerifyWith(&zeroKey, jwt.Expect{})},
		"zero KeySet":     {Verify: jwthttp.VerifyWith(&zeroSet, jwt.Expect{})},
		"nil *Key":        {Verify: jwthttp.VerifyWith(nilKey, jwt.Expect{})},
		"nil interface":   {Verify: jwthttp.VerifyWith(nil, jwt.Expect{})},
	} {
		auth, err := jwthttp.Authenticate[testClaims](cfg)
		if auth != nil {
			t.Errorf("%s: got an Auth", name)
		}
		wantErr(t, err, jwt.ErrInvalidConfig)
	}
	if _, err := jwthttp.Authenticate[int](jwthttp.AuthConfig{Verify: f.s.VerifyAccess}); err == nil {
		t.Error("int claims with Sessions accepted")
	} else {
		wantErr(t, err, jwt.ErrInvalidConfig)
	}
	if _, err := jwthttp.Authenticate[[]string](jwthttp.AuthConfig{Verify: jwthttp.VerifyWith(f.key, jwt.Expect{})}); err == nil {
		t.Error("slice claims with a key accepted")
	} else {
		wantErr(t, err, jwt.ErrInvalidConfig)
	}
}

// Issue 14 §4: ClaimsFrom[T] with another type than the middleware's returned ok=false and
// a zero value. Claims are read from the Auth that stored them, so the type always matches;
// and an Auth reads only its own claims, not those of another Auth of the same type.
func TestClaimsOnlyFromOwnAuth(t *testing.T) {
	f := newFixture(t, nil)
	users, err := jwthttp.Authenticate[map[string]any](jwthttp.AuthConfig{Verify: f.s.VerifyAccess})
	if err != nil {
		t.Fatal(err)
	}
	other, err := jwthttp.Authenticate[map[string]any](jwthttp.AuthConfig{Verify: f.s.VerifyAccess})
	if err != nil {
		t.Fatal(err)
	}
	ran := false
	users.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m, ok := users.Claims(r.Context())
		_, fromOther := other.Claims(r.Context())
		ran = true
		if !ok || fromOther || m["sub"] != "ann" || m["token_type"] != "access" {
			t.Errorf("claims %v %v, from the other Auth %v", m, ok, fromOther)
		}
	})).ServeHTTP(httptest.NewRecorder(), bearer(f.pair.Access))
	if !ran {
		t.Fatal("next handler did not run")
	}
	if c, ok := users.Claims(context.Background()); ok || c != nil {
		t.Errorf("claims %v in an empty context", c)
	}
}

// A Verify that reports a configuration error at request time is a server error, not the
// client's: 500, without a challenge.
func TestAuthenticateConfigErrorAtRequest(t *testing.T) {
	calls := 0
	verify := func(_ context.Context, token string, _ any) error {
		if calls++; calls > 1 {
			return jwt.ErrInvalidConfig
		}
		return jwt.ErrMalformed // the check at Authenticate passes
	}
	resp, got, reason := serve(t, jwthttp.AuthConfig{Verify: verify}, bearer("a.b.c"))
	if resp.StatusCode != 500 || got != nil || resp.Header.Get("WWW-Authenticate") != "" {
		t.Errorf("status %d, challenge %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	wantErr(t, reason, jwt.ErrInvalidConfig)
}

// A zero Auth or Handlers, not made by Authenticate or NewHandlers, answers 500 and logs
// jwt.ErrInvalidConfig instead of panicking on the first request.
func TestZeroValues(t *testing.T) {
	rec := recordDefaultLog(t)
	var auth jwthttp.Auth[testClaims]
	var h jwthttp.Handlers
	for name, hh := range map[string]http.Handler{
		"Auth":           auth.Middleware(http.NotFoundHandler()),
		"RefreshHandler": h.RefreshHandler(),
		"LogoutHandler":  h.LogoutHandler(),
	} {
		r := bearer("a.b.c")
		r.Method = "POST"
		r.AddCookie(&http.Cookie{Name: jwthttp.DefaultRefreshCookie, Value: "a.b.c"})
		if resp := run(hh, r); resp.StatusCode != 500 {
			t.Errorf("%s: status %d", name, resp.StatusCode)
		}
		got := rec.take()
		if len(got) != 1 {
			t.Fatalf("%s: %d records", name, len(got))
		}
		if a := attrs(got[0]); got[0].Level != slog.LevelError || !strings.HasPrefix(a["error"], jwt.ErrInvalidConfig.Error()) {
			t.Errorf("%s: record %v %v", name, got[0].Level, a)
		}
	}
	if _, ok := auth.Claims(context.Background()); ok {
		t.Error("claims from a zero Auth")
	}
}
