package jwthttp_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/jwthttp"
)

// newHandlers returns the handlers of cfg on f's Sessions, logging into *logged.
func newHandlers(t *testing.T, f *fixture, cfg jwthttp.HandlersConfig, logged *[]error) *jwthttp.Handlers {
	t.Helper()
	cfg.Sessions = f.s
	if logged != nil {
		cfg.ErrorLog = func(_ *http.Request, err error) { *logged = append(*logged, err) }
	}
	h, err := jwthttp.NewHandlers(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h
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

func TestNewHandlersConfig(t *testing.T) {
	f := newFixture(t, nil)
	for name, cfg := range map[string]jwthttp.HandlersConfig{
		"no sessions":           {},
		"insecure default name": {Sessions: f.s, InsecureCookie: true},
		"insecure __Secure-":    {Sessions: f.s, InsecureCookie: true, CookieName: "__Secure-x"},
		"insecure __Host-":      {Sessions: f.s, InsecureCookie: true, CookieName: "__Host-x"},
		"bad name":              {Sessions: f.s, CookieName: "a b"},
		"relative path":         {Sessions: f.s, CookiePath: "auth"},
	} {
		h, err := jwthttp.NewHandlers(cfg)
		if h != nil {
			t.Errorf("%s: got Handlers", name)
		}
		wantErr(t, err, jwt.ErrInvalidConfig)
	}
}

func TestHandlers(t *testing.T) {
	f := newFixture(t, nil)
	var logged []error
	h := newHandlers(t, f, jwthttp.HandlersConfig{}, &logged)
	name := jwthttp.DefaultRefreshCookie
	refresh, logout := h.RefreshHandler(), h.LogoutHandler()

	// Success: JSON token response, rotated cookie, no-store.
	resp := post(refresh, "POST", name, f.pair.Refresh)
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("refresh: %d %v", resp.StatusCode, resp.Header)
	}
	var tr map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil {
		t.Fatal(err)
	}
	access, _ := tr["access_token"].(string)
	if len(tr) != 3 || tr["token_type"] != "Bearer" || tr["expires_in"] != 300.0 || f.s.VerifyAccess(context.Background(), access, nil) != nil {
		t.Errorf("token response %v", tr)
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
		{"access token", "POST", f.pair.Access, refresh, 401, invalidToken, true, nil},
		{"tampered", "POST", tampered, refresh, 401, invalidToken, true, nil},
		{"logout tampered", "POST", tampered, logout, 401, invalidToken, true, nil},
		{"cross-site", "POST", next, refresh, 403, "", false, func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }},
		// Two cookies of our name may mean one planted by a sibling domain: ours stays.
		{"two cookies", "POST", next, refresh, 401, invalidToken, false, func(r *http.Request) { r.AddCookie(&http.Cookie{Name: name, Value: next}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mods []func(*http.Request)
			if tc.mod != nil {
				mods = append(mods, tc.mod)
			}
			logged = nil
			resp := post(tc.h, tc.method, name, tc.token, mods...)
			if resp.StatusCode != tc.want || resp.Header.Get("WWW-Authenticate") != tc.challenge ||
				resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("%d %v", resp.StatusCode, resp.Header)
			}
			if tc.want == 405 && resp.Header.Get("Allow") != "POST" {
				t.Errorf("Allow %q", resp.Header.Get("Allow"))
			}
			if c := resp.Cookies(); tc.clears != (len(c) == 1 && c[0].MaxAge < 0 && c[0].Name == name && c[0].Path == jwthttp.DefaultRefreshPath) {
				t.Errorf("cookies %v", c)
			}
			secrets := secretsOf(nil, next, f.pair.Access, tampered)
			for _, e := range logged {
				secrets = append(secrets, e.Error())
			}
			if s := leaks(resp, secrets...); s != "" {
				t.Errorf("response shows %q", s)
			}
		})
	}

	// Reuse of the spent token: 401, logged as ErrReused, session revoked.
	logged = nil
	// The cookie is left alone: the request may have lost a race to one that set the successor.
	if resp := post(refresh, "POST", name, f.pair.Refresh); resp.StatusCode != 401 || len(logged) != 1 || len(resp.Cookies()) != 0 {
		t.Errorf("reuse: %d %v %v", resp.StatusCode, logged, resp.Cookies())
	} else {
		wantErr(t, logged[0], jwt.ErrReused)
	}
	if resp := post(refresh, "POST", name, next); resp.StatusCode != 401 {
		t.Errorf("refresh after reuse: %d", resp.StatusCode)
	}
}

func TestHandlersStoreFailure(t *testing.T) {
	f := newFixture(t, nil)
	var logged []error
	h := newHandlers(t, f, jwthttp.HandlersConfig{}, &logged)
	f.store.fail.Store(true)
	for _, hh := range []http.Handler{h.RefreshHandler(), h.LogoutHandler()} {
		logged = nil
		resp := post(hh, "POST", jwthttp.DefaultRefreshCookie, f.pair.Refresh)
		if resp.StatusCode != 503 || len(resp.Cookies()) != 0 || len(logged) != 1 {
			t.Fatalf("store failure: %d %v", resp.StatusCode, resp.Cookies())
		}
		wantErr(t, logged[0], jwt.ErrStore)
		if s := leaks(resp, secretsOf(logged[0], f.pair.Refresh)...); s != "" {
			t.Errorf("503 shows %q", s)
		}
	}
}

// Logout, even with an expired refresh token, clears the cookie and revokes the session.
func TestHandlersLogout(t *testing.T) {
	f := newFixture(t, nil)
	h := newHandlers(t, f, jwthttp.HandlersConfig{}, new([]error))
	f.clock.add(25 * time.Hour)
	resp := post(h.LogoutHandler(), "POST", jwthttp.DefaultRefreshCookie, f.pair.Refresh)
	body, _ := io.ReadAll(resp.Body)
	if c := resp.Cookies(); resp.StatusCode != 200 || string(body) != "{\"logged_out\":true}\n" || len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("logout: %d %q %v", resp.StatusCode, body, c)
	}
	f.clock.add(-25 * time.Hour)
	if resp := post(h.RefreshHandler(), "POST", jwthttp.DefaultRefreshCookie, f.pair.Refresh); resp.StatusCode != 401 {
		t.Errorf("refresh after logout: %d", resp.StatusCode)
	}
}

func TestHandlersInsecure(t *testing.T) {
	f := newFixture(t, nil)
	h := newHandlers(t, f, jwthttp.HandlersConfig{InsecureCookie: true, CookieName: "refresh", CookiePath: "/a/"}, nil)
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

// Issue 12 §1: the cookie's Max-Age and expires_in were computed with the clock of the
// Sessions, an internal. They come from the Pair alone: its expiry times minus IssuedAt,
// Max-Age rounded down (the browser forgets the cookie no later than the token expires)
// and at least 1, expires_in rounded up; a Pair without IssuedAt counts from time.Now.
func TestCookieAndExpiresInFromPair(t *testing.T) {
	f := newFixture(t, nil)
	h := newHandlers(t, f, jwthttp.HandlersConfig{}, nil)
	at := time.Unix(1_000_000, 0)
	for _, tc := range []struct {
		name             string
		p                jwt.Pair
		maxAge           int
		expiresIn        float64
		cookie, clearing string
	}{
		{"whole seconds", jwt.Pair{Access: "a", Refresh: "tok", IssuedAt: at, AccessExpiresAt: at.Add(5 * time.Minute), RefreshExpiresAt: at.Add(90 * time.Second)},
			90, 300, "__Secure-refresh=tok; Path=/auth/; Max-Age=90; HttpOnly; Secure; SameSite=Strict", ""},
		{"fractions", jwt.Pair{Access: "a", Refresh: "tok", IssuedAt: at.Add(-500 * time.Millisecond), AccessExpiresAt: at.Add(time.Minute), RefreshExpiresAt: at.Add(time.Hour)},
			3600, 61, "__Secure-refresh=tok; Path=/auth/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict", ""},
		{"expired", jwt.Pair{Access: "a", Refresh: "tok", IssuedAt: at, AccessExpiresAt: at.Add(-time.Hour), RefreshExpiresAt: at.Add(-time.Hour)},
			1, 0, "__Secure-refresh=tok; Path=/auth/; Max-Age=1; HttpOnly; Secure; SameSite=Strict", ""},
		{"no IssuedAt", jwt.Pair{Access: "a", Refresh: "tok", AccessExpiresAt: time.Now().Add(time.Hour + 2*time.Second), RefreshExpiresAt: time.Now().Add(2*time.Hour + 2*time.Second)},
			7201, 3602, "__Secure-refresh=tok; Path=/auth/; Max-Age=7201; HttpOnly; Secure; SameSite=Strict", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := h.Cookie(tc.p)
			if got := c.String(); got != tc.cookie {
				t.Errorf("cookie %q, want %q", got, tc.cookie)
			}
			if err := c.Valid(); err != nil {
				t.Error(err)
			}
			w := httptest.NewRecorder()
			h.WriteTokens(w, tc.p)
			var tr map[string]any
			if err := json.NewDecoder(w.Body).Decode(&tr); err != nil {
				t.Fatal(err)
			}
			if tr["expires_in"] != tc.expiresIn {
				t.Errorf("expires_in %v, want %v", tr["expires_in"], tc.expiresIn)
			}
		})
	}
	if got, want := h.ClearCookie().String(), "__Secure-refresh=; Path=/auth/; Max-Age=0; HttpOnly; Secure; SameSite=Strict"; got != want {
		t.Errorf("clear cookie %q, want %q", got, want)
	}
}

// Issue 11 §5: cookie settings browsers refuse or that inject attributes are refused: a
// __Host- cookie with a Path other than "/" (browsers drop it, so refresh silently never
// works), prefixes in another case (browsers match them in any case, so an insecure
// "__secure-x" is dropped too), and a CookiePath holding ';' or control bytes. Without a
// CookiePath, a __Host- cookie, in any case, gets "/", the only Path browsers accept for it.
func TestNewHandlersCookieConfig(t *testing.T) {
	f := newFixture(t, nil)
	type cfg = jwthttp.HandlersConfig
	for _, tc := range []struct {
		name     string
		cfg      cfg
		wantPath string // "" when refused
	}{
		{"__Host- with /auth/", cfg{CookieName: "__Host-r", CookiePath: "/auth/"}, ""},
		{"__Host- with /a", cfg{CookieName: "__Host-r", CookiePath: "/a"}, ""},
		{"__host- with /auth/", cfg{CookieName: "__host-r", CookiePath: "/auth/"}, ""},
		{"__HOST- with /auth/", cfg{CookieName: "__HOST-r", CookiePath: "/auth/"}, ""},
		{"insecure __secure-", cfg{InsecureCookie: true, CookieName: "__secure-r"}, ""},
		{"insecure __SECURE-", cfg{InsecureCookie: true, CookieName: "__SECURE-r"}, ""},
		{"insecure __hOsT-", cfg{InsecureCookie: true, CookieName: "__hOsT-r", CookiePath: "/"}, ""},
		{"path with ;Domain=", cfg{CookiePath: "/auth/;Domain=evil.example"}, ""},
		{"path with ;", cfg{CookiePath: "/auth;"}, ""},
		{"path with CR LF", cfg{CookiePath: "/auth/\r\nSet-Cookie: x=y"}, ""},
		{"path with NUL", cfg{CookiePath: "/auth/\x00"}, ""},
		{"path with tab", cfg{CookiePath: "/auth/\t"}, ""},
		{"path with DEL", cfg{CookiePath: "/auth/\x7f"}, ""},
		{"path with non-ASCII", cfg{CookiePath: "/\u00e9"}, ""},
		{"__Host- with /", cfg{CookieName: "__Host-r", CookiePath: "/"}, "/"},
		{"__Host- with default path", cfg{CookieName: "__Host-r"}, "/"},
		{"__host- with default path", cfg{CookieName: "__host-r"}, "/"},
		{"__Secure- with /auth/", cfg{CookieName: "__Secure-r", CookiePath: "/auth/"}, "/auth/"},
		{"__Secure- with default path", cfg{CookieName: "__Secure-r"}, jwthttp.DefaultRefreshPath},
		{"__secure- with default path", cfg{CookieName: "__secure-r"}, jwthttp.DefaultRefreshPath},
		{"plain name with default path", cfg{CookieName: "r"}, jwthttp.DefaultRefreshPath},
		{"defaults", cfg{}, jwthttp.DefaultRefreshPath},
		{"path with printable ASCII", cfg{CookiePath: "/a b/~!$%&'()*+,-.:=@[]^_`{|}"}, "/a b/~!$%&'()*+,-.:=@[]^_`{|}"},
		{"insecure plain name", cfg{InsecureCookie: true, CookieName: "r", CookiePath: "/x/"}, "/x/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.cfg
			c.Sessions = f.s
			h, err := jwthttp.NewHandlers(c)
			if tc.wantPath == "" {
				if h != nil {
					t.Fatal("got Handlers")
				}
				wantErr(t, err, jwt.ErrInvalidConfig)
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
