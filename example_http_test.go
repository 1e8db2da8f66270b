package jwt_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/zerojwt/jwt"
)

// AppClaims are the claims the API handlers read.
type AppClaims struct {
	jwt.Claims
	Name string `json:"name"`
}

func ExampleAuthenticate() {
	key, _ := jwt.NewKey(jwt.HS256, []byte("an example secret of 32 bytes..."))
	sessions, _ := jwt.NewSessions(jwt.SessionConfig{Key: key, Audience: "api"})
	requireToken, err := jwt.Authenticate[AppClaims](jwt.AuthConfig{
		Sessions: sessions,
		ErrorLog: func(r *http.Request, err error) { fmt.Println("log:", err) },
	})
	if err != nil {
		panic(err)
	}
	api := requireToken(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := jwt.ClaimsFrom[AppClaims](r.Context())
		fmt.Fprintf(w, "hello %s (%s)", c.Name, c.Subject)
	}))

	pair, _ := sessions.Issue(context.Background(), "42", map[string]any{"name": "Ann"})
	for _, authz := range []string{"", "Bearer " + pair.Access, "Bearer " + pair.Refresh} {
		r := httptest.NewRequest("GET", "/api/me", nil)
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		w := httptest.NewRecorder()
		api.ServeHTTP(w, r)
		fmt.Printf("%d %q %s\n", w.Code, w.Header().Get("WWW-Authenticate"), strings.TrimSpace(w.Body.String()))
	}
	// Output:
	// log: jwt: no token in request
	// 401 "Bearer" Unauthorized
	// 200 "" hello Ann (42)
	// log: jwt: wrong token type: a refresh token, or another token signed with the refresh key
	// 401 "Bearer error=\"invalid_token\"" Unauthorized
}

func ExampleParseBearer() {
	tok, err := jwt.ParseBearer("bearer abc.def.ghi")
	fmt.Println(tok, err)
	_, err = jwt.ParseBearer("Bearer abc def")
	fmt.Println(err)
	_, err = jwt.ParseBearer("Basic YWxhZGRpbjpvcGVuc2VzYW1l")
	fmt.Println(err)
	// Output:
	// abc.def.ghi <nil>
	// jwt: malformed token: Authorization: not exactly one bearer token
	// jwt: no token in request
}

func ExampleRefreshCookie() {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	c := jwt.RefreshCookie(jwt.DefaultRefreshCookie, "/auth/", "REFRESH-TOKEN", now.Add(24*time.Hour), now)
	fmt.Println(c)
	fmt.Println(jwt.ClearRefreshCookie(jwt.DefaultRefreshCookie, "/auth/"))
	// Output:
	// __Secure-refresh=REFRESH-TOKEN; Path=/auth/; Max-Age=86400; HttpOnly; Secure; SameSite=Strict
	// __Secure-refresh=; Path=/auth/; Max-Age=0; HttpOnly; Secure; SameSite=Strict
}

func ExampleSessionHandlers() {
	key, _ := jwt.NewKey(jwt.HS256, []byte("an example secret of 32 bytes..."))
	now := func() time.Time { return time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC) } // a fixed clock
	sessions, _ := jwt.NewSessions(jwt.SessionConfig{Key: key, Now: now})
	h, _ := jwt.NewSessionHandlers(jwt.HandlerConfig{Sessions: sessions})

	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, r *http.Request) {
		// Check the user's credentials here, then:
		pair, err := sessions.Issue(r.Context(), "42", nil)
		if err != nil {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		h.WriteTokens(w, pair)
	})
	mux.Handle("/auth/refresh", h.RefreshHandler())
	mux.Handle("/auth/logout", h.LogoutHandler())

	send := func(path string, cookie *http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", path, nil)
		if cookie != nil {
			r.AddCookie(cookie)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		return w
	}
	login := send("/auth/login", nil)
	cookie := login.Result().Cookies()[0]
	fmt.Println("login:", login.Code, cookie.Name, cookie.Path, cookie.MaxAge)
	refreshed := send("/auth/refresh", cookie)
	fmt.Println("refresh:", refreshed.Code, refreshed.Header().Get("Cache-Control"))
	fmt.Println("reuse:", send("/auth/refresh", cookie).Code)
	fmt.Println("logout:", send("/auth/logout", refreshed.Result().Cookies()[0]).Body.String())
	// Output:
	// login: 200 __Secure-refresh /auth/ 86400
	// refresh: 200 no-store
	// reuse: 401
	// logout: {"logged_out":true}
}
