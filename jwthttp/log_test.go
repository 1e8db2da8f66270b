package jwthttp_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/jwthttp"
)

// recorder is a slog.Handler that keeps every record, at every level.
type recorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (h *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *recorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *recorder) WithGroup(string) slog.Handler            { return h }
func (h *recorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}

// take returns the records kept since the last call.
func (h *recorder) take() []slog.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.records
	h.records = nil
	return r
}

// recordDefaultLog makes the default slog logger a recorder until the test ends.
func recordDefaultLog(t *testing.T) *recorder {
	rec := new(recorder)
	old := slog.Default()
	slog.SetDefault(slog.New(rec))
	t.Cleanup(func() { slog.SetDefault(old) })
	return rec
}

// attrs returns the attributes of r as strings.
func attrs(r slog.Record) map[string]string {
	m := map[string]string{}
	r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.String(); return true })
	return m
}

// Issue 14 §3: without ErrorLog the middleware and the handlers logged nothing, so a 401
// had no findable reason. They log through slog's default logger: a request without a
// token at Debug, any other refused token at Info, reuse at Warn, a store failure at
// Error; the record holds the method, path, status and the error's text, and no token,
// key or claim value.
func TestDefaultLog(t *testing.T) {
	const sub, name = "subject-7f3a9c", "Name-91c2e4"
	secret := []byte("0123456789abcdef0123456789abcdef")
	f := newFixture(t, checkAccess)
	pair, err := f.s.Issue(context.Background(), sub, map[string]any{"name": name})
	if err != nil {
		t.Fatal(err)
	}
	auth, err := jwthttp.Authenticate[testClaims](jwthttp.AuthConfig{Verify: f.s.VerifyAccess})
	if err != nil {
		t.Fatal(err)
	}
	api := auth.Middleware(http.NotFoundHandler())
	h := newHandlers(t, f, jwthttp.HandlersConfig{}, nil)
	refresh := h.RefreshHandler()
	spent := pair.Refresh
	if resp := post(refresh, "POST", jwthttp.DefaultRefreshCookie, spent); resp.StatusCode != 200 {
		t.Fatalf("refresh: %d", resp.StatusCode)
	}
	rec := recordDefaultLog(t)
	for _, tc := range []struct {
		name   string
		send   func() *http.Response
		status int
		level  slog.Level
		reason error
	}{
		{"no token", func() *http.Response { return run(api, withAuthorization()) }, 401, slog.LevelDebug, jwthttp.ErrNoToken},
		{"bare token", func() *http.Response { return run(api, withAuthorization(pair.Access)) }, 401, slog.LevelInfo, jwt.ErrMalformed},
		{"refresh token as access", func() *http.Response { return run(api, bearer(pair.Refresh)) }, 401, slog.LevelInfo, jwt.ErrTokenType},
		{"no cookie", func() *http.Response { return post(refresh, "POST", "", "") }, 401, slog.LevelDebug, jwthttp.ErrNoToken},
		{"access token as refresh", func() *http.Response { return post(refresh, "POST", jwthttp.DefaultRefreshCookie, pair.Access) }, 401, slog.LevelInfo, jwt.ErrTokenType},
		{"cross-site", func() *http.Response {
			return post(refresh, "POST", jwthttp.DefaultRefreshCookie, spent, func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") })
		}, 403, slog.LevelInfo, nil},
		{"reuse", func() *http.Response { return post(refresh, "POST", jwthttp.DefaultRefreshCookie, spent) }, 401, slog.LevelWarn, jwt.ErrReused},
		{"store failure, middleware", func() *http.Response {
			f.store.fail.Store(true)
			defer f.store.fail.Store(false)
			return run(api, bearer(f.pair.Access))
		}, 503, slog.LevelError, jwt.ErrStore},
		{"store failure, logout", func() *http.Response {
			f.store.fail.Store(true)
			defer f.store.fail.Store(false)
			return post(h.LogoutHandler(), "POST", jwthttp.DefaultRefreshCookie, f.pair.Refresh)
		}, 503, slog.LevelError, jwt.ErrStore},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if resp := tc.send(); resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			got := rec.take()
			if len(got) != 1 {
				t.Fatalf("%d records, want 1", len(got))
			}
			r := got[0]
			a := attrs(r)
			if r.Level != tc.level || a["method"] != "POST" && a["method"] != "GET" || !strings.HasPrefix(a["path"], "/") || a["status"] != itoa(tc.status) || a["error"] == "" {
				t.Errorf("record %v %q %v", r.Level, r.Message, a)
			}
			if tc.reason != nil && !strings.HasPrefix(a["error"], tc.reason.Error()) {
				t.Errorf("error attribute %q does not start with %q", a["error"], tc.reason)
			}
			texts := []string{r.Message}
			for _, v := range a {
				texts = append(texts, v)
			}
			for _, text := range texts {
				for _, s := range tokenParts(pair.Access, pair.Refresh, f.pair.Access, f.pair.Refresh, spent) {
					if strings.Contains(text, s) {
						t.Errorf("record shows token bytes %q in %q", s, text)
					}
				}
				for _, s := range []string{sub, name, string(secret)} {
					if strings.Contains(text, s) {
						t.Errorf("record shows %q in %q", s, text)
					}
				}
			}
		})
	}
}

// tokenParts returns the tokens and each of their segments.
func tokenParts(tokens ...string) []string {
	var parts []string
	for _, tok := range tokens {
		parts = append(parts, tok)
		parts = append(parts, strings.Split(tok, ".")...)
	}
	return parts
}

// With ErrorLog set, nothing goes to the default logger.
func TestErrorLogReplacesDefaultLog(t *testing.T) {
	f := newFixture(t, nil)
	rec := recordDefaultLog(t)
	n := 0
	auth, err := jwthttp.Authenticate[testClaims](jwthttp.AuthConfig{Verify: f.s.VerifyAccess, ErrorLog: func(*http.Request, error) { n++ }})
	if err != nil {
		t.Fatal(err)
	}
	h := newHandlers(t, f, jwthttp.HandlersConfig{ErrorLog: func(*http.Request, error) { n++ }}, nil)
	run(auth.Middleware(http.NotFoundHandler()), withAuthorization())
	post(h.RefreshHandler(), "POST", "", "")
	if n != 2 || len(rec.take()) != 0 {
		t.Errorf("ErrorLog called %d times, want 2; the default logger got records too", n)
	}
}

// Issue 14 §4: an Authorization header holding a bare token, without the Bearer scheme,
// was logged as "no token in request" and answered as if there were none. It is a
// malformed header, and its text says what to send.
func TestBareTokenInAuthorization(t *testing.T) {
	f := newFixture(t, nil)
	for _, value := range []string{f.pair.Access, " " + f.pair.Access + "\t", "a.b.c"} {
		resp, got, reason := serve(t, jwthttp.AuthConfig{Verify: f.s.VerifyAccess}, withAuthorization(value))
		if resp.StatusCode != 401 || got != nil || resp.Header.Get("WWW-Authenticate") != invalidToken {
			t.Errorf("%q: status %d, challenge %q", value, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
		wantErr(t, reason, jwt.ErrMalformed)
		if !strings.Contains(reason.Error(), "Bearer scheme") {
			t.Errorf("%q: error %q does not name the missing Bearer scheme", value, reason)
		}
	}
	// A scheme alone, without a dot, is another scheme: no token.
	for _, value := range []string{"Negotiate", "Bearerabc"} {
		_, err := jwthttp.BearerToken(withAuthorization(value))
		wantErr(t, err, jwthttp.ErrNoToken)
	}
}
