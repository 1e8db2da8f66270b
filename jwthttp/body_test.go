package jwthttp_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/jwthttp"
)

// sendJSON posts body with Content-Type ctype ("" for none) to h.
func sendJSON(h http.Handler, ctype, body string, mod ...func(*http.Request)) *http.Response {
	r := httptest.NewRequest("POST", "/auth/token/refresh", strings.NewReader(body))
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	for _, m := range mod {
		m(r)
	}
	return run(h, r)
}

// decodeBody returns the JSON object of resp's body, and fails on anything else.
func decodeBody(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	var m map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", b, err)
	}
	return m
}

func bodyHandlers(t *testing.T, f *fixture, logged *[]error) *jwthttp.Handlers {
	t.Helper()
	return newHandlers(t, f, jwthttp.HandlersConfig{RefreshInBody: true}, logged)
}

// Issue 13 §3: the handlers read the refresh token from a cookie only and never returned
// it, so mobile, command-line and service clients wrote their own. With RefreshInBody the
// token comes in a JSON body, under RFC 6749's name or SimpleJWT's, and the new one goes
// back in refresh_token; no cookie is read or set, and a cross-site request is served (it
// carries no credential its sender does not hold).
func TestBodyRefresh(t *testing.T) {
	for _, member := range []string{"refresh_token", "refresh"} {
		t.Run(member, func(t *testing.T) {
			f := newFixture(t, nil)
			var logged []error
			refresh := bodyHandlers(t, f, &logged).RefreshHandler()
			token := f.pair.Refresh
			for i := range 3 {
				body, _ := json.Marshal(map[string]string{member: token})
				resp := sendJSON(refresh, "application/json", string(body), func(r *http.Request) {
					r.Header.Set("Sec-Fetch-Site", "cross-site")
					r.AddCookie(&http.Cookie{Name: jwthttp.DefaultRefreshCookie, Value: "ignored"})
				})
				if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Content-Type") != "application/json" || len(resp.Cookies()) != 0 {
					t.Fatalf("refresh %d: %d %v", i, resp.StatusCode, resp.Header)
				}
				m := decodeBody(t, resp)
				access, _ := m["access_token"].(string)
				next, _ := m["refresh_token"].(string)
				if len(m) != 4 || m["token_type"] != "Bearer" || m["expires_in"] != 300.0 || next == "" || next == token {
					t.Fatalf("refresh %d: body %v", i, m)
				}
				if err := f.s.VerifyAccess(context.Background(), access, nil); err != nil {
					t.Fatalf("refresh %d: access token: %v", i, err)
				}
				token = next
			}
			if len(logged) != 0 {
				t.Fatalf("logged %v", logged)
			}
			// The first token is spent: invalid_grant, logged as reuse.
			body, _ := json.Marshal(map[string]string{member: f.pair.Refresh})
			resp := sendJSON(refresh, "application/json", string(body))
			if m := decodeBody(t, resp); resp.StatusCode != 400 || len(m) != 1 || m["error"] != "invalid_grant" || resp.Header.Get("WWW-Authenticate") != "" || len(logged) != 1 {
				t.Fatalf("reuse: %d %v %v", resp.StatusCode, m, logged)
			}
			wantErr(t, logged[0], jwt.ErrReused)
		})
	}
}

// Token failures in body mode: 400 invalid_grant (RFC 6749 §5.2) whatever the reason, a
// store failure 503, and neither tells the reason.
func TestBodyTokenFailures(t *testing.T) {
	f := newFixture(t, nil)
	var logged []error
	h := bodyHandlers(t, f, &logged)
	for _, tc := range []struct {
		name    string
		h       http.Handler
		token   string
		down    bool
		advance time.Duration
		status  int
		code    string
		reason  error
	}{
		{"access token", h.RefreshHandler(), f.pair.Access, false, 0, 400, "invalid_grant", jwt.ErrTokenType},
		{"garbage", h.RefreshHandler(), "a.b.c", false, 0, 400, "invalid_grant", jwt.ErrMalformed},
		{"expired", h.RefreshHandler(), f.pair.Refresh, false, 25 * time.Hour, 400, "invalid_grant", jwt.ErrExpired},
		{"logout, access token", h.LogoutHandler(), f.pair.Access, false, 0, 400, "invalid_grant", jwt.ErrTokenType},
		{"store down", h.RefreshHandler(), f.pair.Refresh, true, 0, 503, "temporarily_unavailable", jwt.ErrStore},
		{"logout, store down", h.LogoutHandler(), f.pair.Refresh, true, 0, 503, "temporarily_unavailable", jwt.ErrStore},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logged = nil
			f.store.fail.Store(tc.down)
			defer f.store.fail.Store(false)
			f.clock.add(tc.advance)
			defer f.clock.add(-tc.advance)
			resp := sendJSON(tc.h, "application/json", `{"refresh_token":"`+tc.token+`"}`)
			if len(logged) != 1 {
				t.Fatalf("logged %v", logged)
			}
			if s := leaks(resp, secretsOf(logged[0], f.pair.Access, f.pair.Refresh)...); s != "" {
				t.Errorf("response shows %q", s)
			}
			if m := decodeBody(t, resp); resp.StatusCode != tc.status || len(m) != 1 || m["error"] != tc.code || len(resp.Cookies()) != 0 || resp.Header.Get("WWW-Authenticate") != "" {
				t.Errorf("%d %v %v", resp.StatusCode, m, resp.Header)
			}
			wantErr(t, logged[0], tc.reason)
		})
	}
}

// A body-mode request that is not one JSON object with exactly one refresh-token member is
// refused before any token check, with invalid_request and a description of the mistake.
func TestBodyRequestRefusals(t *testing.T) {
	f := newFixture(t, nil)
	var logged []error
	h := bodyHandlers(t, f, &logged)
	tok := f.pair.Refresh
	for _, tc := range []struct {
		name, ctype, body string
		status            int
		reason            error
	}{
		{"no Content-Type", "", `{"refresh_token":"` + tok + `"}`, 415, jwthttp.ErrBadRequest},
		{"form", "application/x-www-form-urlencoded", "refresh_token=" + tok, 415, jwthttp.ErrBadRequest},
		{"text/plain", "text/plain", `{"refresh_token":"` + tok + `"}`, 415, jwthttp.ErrBadRequest},
		{"bad media type", "application/json; =", `{"refresh_token":"` + tok + `"}`, 415, jwthttp.ErrBadRequest},
		{"json suffix", "application/jwt+json", `{"refresh_token":"` + tok + `"}`, 415, jwthttp.ErrBadRequest},
		{"too large", "application/json", `{"refresh_token":"` + strings.Repeat("a", 10<<10) + `"}`, 413, jwthttp.ErrBadRequest},
		{"too large in white space", "application/json", `{"refresh_token":"x"` + strings.Repeat(" ", 10<<10) + `}`, 413, jwthttp.ErrBadRequest},
		{"empty body", "application/json", ``, 400, jwthttp.ErrBadRequest},
		{"not JSON", "application/json", `refresh_token=` + tok, 400, jwthttp.ErrBadRequest},
		{"unterminated", "application/json", `{"refresh_token":"` + tok, 400, jwthttp.ErrBadRequest},
		{"array", "application/json", `["` + tok + `"]`, 400, jwthttp.ErrBadRequest},
		{"string", "application/json", `"` + tok + `"`, 400, jwthttp.ErrBadRequest},
		{"null", "application/json", `null`, 400, jwthttp.ErrBadRequest},
		{"both members", "application/json", `{"refresh_token":"` + tok + `","refresh":"` + tok + `"}`, 400, jwthttp.ErrBadRequest},
		{"both members, other order", "application/json", `{"refresh":"` + tok + `","refresh_token":"` + tok + `"}`, 400, jwthttp.ErrBadRequest},
		{"duplicate refresh_token", "application/json", `{"refresh_token":"` + tok + `","refresh_token":"` + tok + `"}`, 400, jwthttp.ErrBadRequest},
		{"duplicate refresh", "application/json", `{"refresh":"` + tok + `","refresh":"x"}`, 400, jwthttp.ErrBadRequest},
		{"unknown member", "application/json", `{"refresh_token":"` + tok + `","grant_type":"refresh_token"}`, 400, jwthttp.ErrBadRequest},
		{"member in another case", "application/json", `{"Refresh_Token":"` + tok + `"}`, 400, jwthttp.ErrBadRequest},
		{"number", "application/json", `{"refresh_token":1}`, 400, jwthttp.ErrBadRequest},
		{"null value", "application/json", `{"refresh":null}`, 400, jwthttp.ErrBadRequest},
		{"object value", "application/json", `{"refresh_token":{"token":"` + tok + `"}}`, 400, jwthttp.ErrBadRequest},
		{"two objects", "application/json", `{"refresh_token":"` + tok + `"}{}`, 400, jwthttp.ErrBadRequest},
		{"trailing garbage", "application/json", `{"refresh_token":"` + tok + `"} x`, 400, jwthttp.ErrBadRequest},
		{"no member", "application/json", `{}`, 400, jwthttp.ErrNoToken},
		{"empty token", "application/json", `{"refresh_token":""}`, 400, jwthttp.ErrNoToken},
		{"empty refresh", "application/json", `{"refresh":""}`, 400, jwthttp.ErrNoToken},
	} {
		for _, hh := range []struct {
			name string
			h    http.Handler
		}{{"refresh", h.RefreshHandler()}, {"logout", h.LogoutHandler()}} {
			t.Run(tc.name+"/"+hh.name, func(t *testing.T) {
				logged = nil
				resp := sendJSON(hh.h, tc.ctype, tc.body)
				if len(logged) != 1 {
					t.Fatalf("logged %v", logged)
				}
				wantErr(t, logged[0], tc.reason)
				m := decodeBody(t, resp)
				desc, _ := m["error_description"].(string)
				if resp.StatusCode != tc.status || len(m) != 2 || m["error"] != "invalid_request" || desc == "" || len(resp.Cookies()) != 0 {
					t.Errorf("%d %v", resp.StatusCode, m)
				}
				if !strings.HasSuffix(logged[0].Error(), ": "+desc) {
					t.Errorf("description %q is not the logged reason %q", desc, logged[0])
				}
				if strings.Contains(desc, tok) || strings.Contains(desc, "grant_type") || strings.Contains(desc, "Refresh_Token") {
					t.Errorf("description %q shows part of the request", desc)
				}
			})
		}
	}
	// The session is untouched: its refresh token still works.
	resp := sendJSON(h.RefreshHandler(), "application/json; charset=utf-8", `{"refresh_token":"`+tok+`"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("refresh after the refusals: %d", resp.StatusCode)
	}
	resp = sendJSON(h.RefreshHandler(), "APPLICATION/JSON", `{"refresh_token":"`+tok+`"}`)
	if m := decodeBody(t, resp); resp.StatusCode != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("spent token, upper-case media type: %d %v", resp.StatusCode, m)
	}
}

func TestBodyLogout(t *testing.T) {
	f := newFixture(t, nil)
	h := bodyHandlers(t, f, new([]error))
	resp := sendJSON(h.LogoutHandler(), "application/json", `{"refresh":"`+f.pair.Refresh+`"}`)
	if m := decodeBody(t, resp); resp.StatusCode != 200 || len(m) != 1 || m["logged_out"] != true || len(resp.Cookies()) != 0 {
		t.Fatalf("logout: %d %v %v", resp.StatusCode, m, resp.Cookies())
	}
	resp = sendJSON(h.RefreshHandler(), "application/json", `{"refresh_token":"`+f.pair.Refresh+`"}`)
	if m := decodeBody(t, resp); resp.StatusCode != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("refresh after logout: %d %v", resp.StatusCode, m)
	}
	if resp := run(h.LogoutHandler(), httptest.NewRequest("GET", "/auth/token/logout", nil)); resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
		t.Fatalf("GET: %d", resp.StatusCode)
	}
}

// Body mode reads and sets no cookie, so cookie settings with it are a mistake; Cookie and
// ClearCookie return nil; WriteTokens puts the refresh token in the body.
func TestBodyModeConfig(t *testing.T) {
	f := newFixture(t, nil)
	for name, cfg := range map[string]jwthttp.HandlersConfig{
		"CookieName":     {CookieName: "r"},
		"CookiePath":     {CookiePath: "/auth/"},
		"InsecureCookie": {InsecureCookie: true, CookieName: "r"},
		"CrossOrigin":    {CrossOrigin: http.NewCrossOriginProtection()},
	} {
		cfg.Sessions, cfg.RefreshInBody = f.s, true
		h, err := jwthttp.NewHandlers(cfg)
		if h != nil {
			t.Errorf("%s: got Handlers", name)
		}
		wantErr(t, err, jwt.ErrInvalidConfig)
	}
	h := bodyHandlers(t, f, nil)
	if c := h.Cookie(f.pair); c != nil {
		t.Errorf("Cookie %v", c)
	}
	if c := h.ClearCookie(); c != nil {
		t.Errorf("ClearCookie %v", c)
	}
	w := httptest.NewRecorder()
	h.WriteTokens(w, f.pair)
	var tr jwthttp.TokenResponse
	if err := json.NewDecoder(w.Body).Decode(&tr); err != nil {
		t.Fatal(err)
	}
	if w.Code != 200 || len(w.Result().Cookies()) != 0 || tr != (jwthttp.TokenResponse{AccessToken: f.pair.Access, TokenType: "Bearer", ExpiresIn: 300, RefreshToken: f.pair.Refresh}) {
		t.Errorf("WriteTokens: %d %+v %v", w.Code, tr, w.Result().Cookies())
	}
}
