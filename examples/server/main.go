// Command server is a complete example of an HTTP service authenticating with zerojwt:
// login with a user name and password, a short-lived access token sent as
// "Authorization: Bearer", a rotating refresh token in an HttpOnly cookie for browsers or
// in JSON bodies for other clients, and logout.
//
//	go run ./examples/server                 # listens on 127.0.0.1:8080
//	go run ./examples/server -addr :9000     # or ADDR=:9000
//
// Endpoints: POST /auth/login, POST /auth/refresh, POST /auth/logout (browsers, refresh
// token in a cookie); POST /token/login, POST /token/refresh, POST /token/logout (other
// clients, refresh token in the JSON bodies); GET /api/me. See README.md in this directory
// for curl walkthroughs.
package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"crypto/pbkdf2"

	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/jwthttp"
)

// config is everything newServer needs; main fills it from flags and the environment, tests
// with a fake clock.
type config struct {
	Secret          []byte           // HS256 key, at least 32 bytes
	Now             func() time.Time // nil: time.Now
	InsecureCookies bool             // refresh cookie without Secure, for plain http on loopback
	Iterations      int              // PBKDF2 iterations; 0: defaultIterations
	Logger          *log.Logger      // nil: log.Default()
}

// defaultIterations is the OWASP recommendation for PBKDF2-HMAC-SHA256 (2023).
const defaultIterations = 600_000

// maxBody limits request bodies; a login or refresh body is tiny.
const maxBody = 4 << 10

// reuseGrace is how long after a refresh the refresh token it spent still yields the same
// successor instead of counting as reuse. Browsers need it: the tabs of one browser share
// the refresh cookie and often refresh at the same moment (after a sleep, or when the
// access token expires in all of them), and a reply lost on a flaky network is retried with
// the cookie the browser still holds. Without grace each of those revokes the session and
// logs the user out. A few seconds cover both; a replay of any older token, or of this one
// later, is still caught.
const reuseGrace = 5 * time.Second

// demoUsers are the accounts of the example; only their salted hashes are kept.
var demoUsers = []struct{ name, password, display string }{
	{"alice", "wonderland", "Alice Liddell"},
	{"bob", "builder", "Bob the Builder"},
}

// userClaims are the claims of an access token of this service.
type userClaims struct {
	jwt.Claims
	SessionID string `json:"sid"`
	Name      string `json:"name"`
}

type user struct {
	salt, hash []byte
	display    string
}

// users is the demo user store: user name -> salted PBKDF2 hash.
type users struct {
	byName     map[string]user
	dummy      user // compared against for unknown names, so they take as long as known ones
	iterations int
	// slots bounds the password checks running at once: each costs tens of milliseconds of
	// CPU, so without a bound a burst of logins would starve every other request.
	slots chan struct{}
}

func newUsers(iterations int) (*users, error) {
	u := &users{byName: make(map[string]user), iterations: iterations, slots: make(chan struct{}, runtime.NumCPU())}
	var err error
	if u.dummy, err = u.hash(rand.Text(), ""); err != nil {
		return nil, err
	}
	for _, d := range demoUsers {
		if u.byName[d.name], err = u.hash(d.password, d.display); err != nil {
			return nil, err
		}
	}
	return u, nil
}

func (u *users) hash(password, display string) (user, error) {
	salt := make([]byte, 16)
	rand.Read(salt)
	h, err := pbkdf2.Key(sha256.New, password, salt, u.iterations, 32)
	return user{salt, h, display}, err
}

// check returns the display name of name when password is right. It derives a hash for
// every call, known name or not, and compares in constant time.
func (u *users) check(name, password string) (string, bool) {
	rec, known := u.byName[name]
	if !known {
		rec = u.dummy
	}
	h, err := pbkdf2.Key(sha256.New, password, rec.salt, u.iterations, 32)
	ok := err == nil && subtle.ConstantTimeCompare(h, rec.hash) == 1
	return rec.display, ok && known
}

// newServer builds the whole HTTP handler of the service.
func newServer(cfg config) (http.Handler, error) {
	if cfg.Logger == nil {
		cfg.Logger = log.Default()
	}
	if cfg.Iterations == 0 {
		cfg.Iterations = defaultIterations
	}
	key, err := jwt.NewKey(jwt.HS256, cfg.Secret)
	if err != nil {
		return nil, err
	}
	sessions, err := jwt.NewSessions(jwt.SessionConfig{
		Key:        key,
		Issuer:     "zerojwt-example",
		Audience:   "zerojwt-example",
		AccessTTL:  5 * time.Minute,
		RefreshTTL: 24 * time.Hour,
		ReuseGrace: reuseGrace,
		// Refuse the access tokens of a logged-out or revoked session at once, at the cost of
		// a store lookup per request.
		CheckSessionOnAccess: true,
		Store:                new(jwt.MemoryStore),
		Now:                  cfg.Now,
	})
	if err != nil {
		return nil, err
	}
	logErr := func(r *http.Request, err error) {
		if errors.Is(err, jwt.ErrReused) {
			cfg.Logger.Printf("SECURITY: %s %s: refresh token reused; session revoked", r.Method, r.URL.Path)
			return
		}
		cfg.Logger.Printf("%s %s: refused: %v", r.Method, r.URL.Path, err)
	}
	name := jwthttp.DefaultRefreshCookie
	if cfg.InsecureCookies {
		name = "refresh" // the __Secure- prefix requires the Secure attribute
	}
	browsers, err := jwthttp.NewHandlers(jwthttp.HandlersConfig{
		Sessions:       sessions,
		CookieName:     name,
		CookiePath:     "/auth/",
		InsecureCookie: cfg.InsecureCookies,
		ErrorLog:       logErr,
	})
	if err != nil {
		return nil, err
	}
	// Clients that are not browsers keep the refresh token themselves and send it in the
	// body: endpoints under /token/, which the browsers' cookie (Path=/auth/) never reaches.
	others, err := jwthttp.NewHandlers(jwthttp.HandlersConfig{Sessions: sessions, RefreshInBody: true, ErrorLog: logErr})
	if err != nil {
		return nil, err
	}
	auth, err := jwthttp.Authenticate[userClaims](jwthttp.AuthConfig{Verify: sessions.VerifyAccess, ErrorLog: logErr})
	if err != nil {
		return nil, err
	}
	accounts, err := newUsers(cfg.Iterations)
	if err != nil {
		return nil, err
	}

	mux := http.NewServeMux()
	mux.Handle("/auth/login", login(accounts, sessions, browsers, cfg.Logger))
	mux.Handle("/auth/refresh", browsers.RefreshHandler())
	mux.Handle("/auth/logout", browsers.LogoutHandler())
	mux.Handle("/token/login", login(accounts, sessions, others, cfg.Logger))
	mux.Handle("/token/refresh", others.RefreshHandler())
	mux.Handle("/token/logout", others.LogoutHandler())
	mux.Handle("GET /api/me", auth.Middleware(me(auth)))
	cop := http.NewCrossOriginProtection()
	return cop.Handler(limitBodies(mux)), nil
}

// limitBodies caps every request body at maxBody bytes.
func limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		next.ServeHTTP(w, r)
	})
}

// loginWait is how long a login waits for a free password-check slot before 503. A real
// service also limits attempts per user and per client address; this example does not.
var loginWait = 2 * time.Second

// login handles POST /auth/login and /token/login with a JSON body {"username": ...,
// "password": ...}, and answers with h.WriteTokens: the refresh token in a cookie or in the
// body, as h is configured.
func login(accounts *users, sessions *jwt.Sessions, h *jwthttp.Handlers, logger *log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed")
			return
		}
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type")
			return
		}
		var creds struct {
			Username string `json:"username"`
			Password string `json:"password"`
		}
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&creds); err != nil || dec.More() {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeError(w, http.StatusRequestEntityTooLarge, "too_large")
				return
			}
			writeError(w, http.StatusBadRequest, "invalid_request")
			return
		}
		select {
		case accounts.slots <- struct{}{}:
		case <-time.After(loginWait):
			writeError(w, http.StatusServiceUnavailable, "temporarily_unavailable")
			return
		case <-r.Context().Done():
			return
		}
		display, ok := accounts.check(creds.Username, creds.Password)
		<-accounts.slots
		if !ok {
			logger.Printf("POST %s: wrong user name or password", r.URL.Path)
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeError(w, http.StatusUnauthorized, "invalid_credentials")
			return
		}
		p, err := sessions.Issue(r.Context(), creds.Username, map[string]any{"name": display})
		if err != nil {
			logger.Printf("POST %s: %v", r.URL.Path, err)
			writeError(w, http.StatusServiceUnavailable, "temporarily_unavailable")
			return
		}
		h.WriteTokens(w, p)
	})
}

// me handles GET /api/me: it returns the claims of the caller's access token.
func me(auth *jwthttp.Auth[userClaims]) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := auth.Claims(r.Context())
		if !ok { // only reachable when the route is registered without auth.Middleware
			writeError(w, http.StatusInternalServerError, "internal_error")
			return
		}
		writeJSON(w, http.StatusOK, c)
	})
}

func writeError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// secretFrom returns the key in JWT_SECRET (base64url, padding optional, at least 32 bytes),
// or a random one when it is empty.
func secretFrom(env string) (secret []byte, random bool, err error) {
	if env == "" {
		return jwt.GenerateSecret(jwt.HS256), true, nil
	}
	secret, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(env, "="))
	if err != nil {
		return nil, false, errors.New("JWT_SECRET is not base64url")
	}
	if len(secret) < 32 {
		return nil, false, fmt.Errorf("JWT_SECRET holds %d bytes; at least 32 are needed", len(secret))
	}
	return secret, false, nil
}

// isLoopback reports whether the listen address addr binds to loopback only.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func main() {
	log.SetFlags(log.LstdFlags)
	defAddr := "127.0.0.1:8080"
	if a := os.Getenv("ADDR"); a != "" {
		defAddr = a
	}
	addr := flag.String("addr", defAddr, "listen address (env ADDR)")
	insecure := flag.Bool("insecure-cookies", false,
		"send the refresh cookie without Secure, so clients return it over plain http\n"+
			"(default: true when -addr is a loopback address, false otherwise)")
	flag.Parse()
	insecureSet := false
	flag.Visit(func(f *flag.Flag) { insecureSet = insecureSet || f.Name == "insecure-cookies" })
	if !insecureSet {
		*insecure = isLoopback(*addr)
	}

	secret, random, err := secretFrom(os.Getenv("JWT_SECRET"))
	if err != nil {
		log.Fatal(err)
	}
	if random {
		log.Print("JWT_SECRET not set: using a random key; tokens will not survive a restart")
	}
	if *insecure {
		log.Print("refresh cookie named \"refresh\" without Secure, for plain http on this machine (-insecure-cookies=false to change)")
	}
	handler, err := newServer(config{Secret: secret, InsecureCookies: *insecure})
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    32 << 10,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("listening on http://%s (users: alice/wonderland, bob/builder)", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		log.Fatal(err)
	case <-ctx.Done():
	}
	stop()
	log.Print("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Fatal(err)
	}
}
