package jwthttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/jwthttp"
)

func ExampleAuthenticate() {
	// AppClaims are the claims the API handlers read.
	type AppClaims struct {
		jwt.Claims
		Name string `json:"name"`
	}
	key, _ := jwt.NewKey(jwt.HS256, []byte("an example secret of 32 bytes..."))
	sessions, _ := jwt.NewSessions(jwt.SessionConfig{Key: key, Audience: "api"})
	auth, err := jwthttp.Authenticate[AppClaims](jwthttp.AuthConfig{
		Verify:   sessions.VerifyAccess,
		ErrorLog: func(r *http.Request, err error) { fmt.Println("log:", err) },
	})
	if err != nil {
		panic(err)
	}
	api := auth.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := auth.Claims(r.Context()) // an AppClaims: the type is auth's
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
	// log: jwthttp: no token in request: no Authorization header with the Bearer scheme
	// 401 "Bearer" Unauthorized
	// 200 "" hello Ann (42)
	// log: jwt: wrong token type: a refresh token, or another token signed with the refresh key
	// 401 "Bearer error=\"invalid_token\"" Unauthorized
}

func ExampleVerifyWith() {
	key, _ := jwt.NewKey(jwt.HS256, []byte("an example secret of 32 bytes..."))
	auth, _ := jwthttp.Authenticate[jwt.Claims](jwthttp.AuthConfig{
		Verify: jwthttp.VerifyWith(key, jwt.Expect{Audience: []string{"api"}}),
	})
	api := auth.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := auth.Claims(r.Context())
		fmt.Fprintln(w, "hello", c.Subject)
	}))

	token, _ := key.Encode(&jwt.Claims{Subject: "42", Audience: jwt.Audience{"api"},
		ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Minute))})
	r := httptest.NewRequest("GET", "/api/me", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	api.ServeHTTP(w, r)
	fmt.Print(w.Code, " ", w.Body.String())
	// Output:
	// 200 hello 42
}

func ExampleBearerToken() {
	r := httptest.NewRequest("GET", "/", nil)
	for _, authz := range []string{"bearer abc.def.ghi", "Bearer abc def", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"} {
		r.Header.Set("Authorization", authz)
		token, err := jwthttp.BearerToken(r)
		fmt.Printf("%q %v\n", token, err)
	}
	// Output:
	// "abc.def.ghi" <nil>
	// "" jwt: malformed token: Authorization header does not hold exactly one bearer token
	// "" jwthttp: no token in request: no Authorization header with the Bearer scheme
}

func ExampleHandlers() {
	key, _ := jwt.NewKey(jwt.HS256, []byte("an example secret of 32 bytes..."))
	now := func() time.Time { return time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC) } // a fixed clock
	sessions, _ := jwt.NewSessions(jwt.SessionConfig{Key: key, Now: now})
	h, _ := jwthttp.NewHandlers(jwthttp.HandlersConfig{Sessions: sessions})

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

func ExampleHandlers_refreshInBody() {
	key, _ := jwt.NewKey(jwt.HS256, []byte("an example secret of 32 bytes..."))
	sessions, _ := jwt.NewSessions(jwt.SessionConfig{Key: key})
	// For clients that keep the refresh token themselves (mobile, CLI, services):
	h, _ := jwthttp.NewHandlers(jwthttp.HandlersConfig{Sessions: sessions, RefreshInBody: true})
	refresh := h.RefreshHandler()

	post := func(body string) map[string]any {
		r := httptest.NewRequest("POST", "/auth/token/refresh", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		refresh.ServeHTTP(w, r)
		var m map[string]any
		json.Unmarshal(w.Body.Bytes(), &m)
		fmt.Println(w.Code, len(w.Result().Cookies()), "cookies", slices.Sorted(maps.Keys(m)))
		return m
	}
	pair, _ := sessions.Issue(context.Background(), "42", nil)     // in the login handler
	m := post(`{"refresh_token": "` + pair.Refresh + `"}`)         // RFC 6749 §6
	post(`{"refresh": "` + m["refresh_token"].(string) + `"}`)     // as SimpleJWT's clients send it
	fmt.Println(post(`{"refresh_token": "` + pair.Refresh + `"}`)) // the first token is spent
	fmt.Println(post(`{"refresh_token": "a", "refresh": "b"}`)["error_description"])
	// Output:
	// 200 0 cookies [access_token expires_in refresh_token token_type]
	// 200 0 cookies [access_token expires_in refresh_token token_type]
	// 400 0 cookies [error]
	// map[error:invalid_grant]
	// 400 0 cookies [error error_description]
	// both refresh_token and refresh: send one
}
