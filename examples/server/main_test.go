package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for the Sessions of the server.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testServer builds the handler with a cheap KDF and a log captured in logs.
func testServer(t *testing.T, now func() time.Time, insecure bool) (http.Handler, *bytes.Buffer) {
	t.Helper()
	logs := new(syncBuffer)
	h, err := newServer(config{
		Secret:          bytes.Repeat([]byte("k"), 32),
		Now:             now,
		InsecureCookies: insecure,
		Iterations:      1000,
		Logger:          log.New(logs, "", 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	return h, &logs.buf
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// client drives a handler in process, keeping the refresh cookie like a browser.
type client struct {
	t       *testing.T
	h       http.Handler
	refresh *http.Cookie
	access  string
}

func (c *client) do(method, path, body string, mod func(*http.Request)) *http.Response {
	c.t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if mod != nil {
		mod(r)
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	return w.Result()
}

func (c *client) login(user, password string) *http.Response {
	c.t.Helper()
	b, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp := c.do("POST", "/auth/login", string(b), nil)
	c.takeTokens(resp)
	return resp
}

func (c *client) me() *http.Response {
	return c.do("GET", "/api/me", "", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+c.access) })
}

// post sends the refresh cookie ck (when not nil) to path.
func (c *client) post(path string, ck *http.Cookie) *http.Response {
	resp := c.do("POST", path, "", func(r *http.Request) {
		if ck != nil {
			r.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
		}
	})
	c.takeTokens(resp)
	return resp
}

// takeTokens keeps the access token of a 200 token response and follows Set-Cookie.
func (c *client) takeTokens(resp *http.Response) {
	c.t.Helper()
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 {
			c.refresh = nil
		} else {
			c.refresh = ck
		}
	}
	if resp.StatusCode != 200 {
		return
	}
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if json.Unmarshal(b, &tr) == nil && tr.AccessToken != "" {
		c.access = tr.AccessToken
	}
}

func wantStatus(t *testing.T, step string, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s: status %d, want %d (body %q)", step, resp.StatusCode, want, b)
	}
}

func TestEndToEnd(t *testing.T) {
	for _, insecure := range []bool{false, true} {
		t.Run("insecure="+strconv.FormatBool(insecure), func(t *testing.T) {
			clock := &fakeClock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
			h, logs := testServer(t, clock.Now, insecure)
			c := &client{t: t, h: h}

			resp := c.login("alice", "wonderland")
			wantStatus(t, "login", resp, 200)
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("login Cache-Control %q", got)
			}
			ck := c.refresh
			if ck == nil || c.access == "" {
				t.Fatalf("login gave access %q, cookie %v", c.access, ck)
			}
			wantName, wantSecure := "__Secure-refresh", true
			if insecure {
				wantName, wantSecure = "refresh", false
			}
			if ck.Name != wantName || ck.Secure != wantSecure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode ||
				ck.Path != "/auth/" || ck.Domain != "" || ck.MaxAge != 24*60*60 {
				t.Errorf("refresh cookie %+v", ck)
			}

			resp = c.me()
			wantStatus(t, "me", resp, 200)
			var claims map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&claims); err != nil {
				t.Fatal(err)
			}
			if claims["sub"] != "alice" || claims["name"] != "Alice Liddell" || claims["sid"] == "" {
				t.Errorf("me claims %v", claims)
			}

			clock.Advance(5*time.Minute + time.Second) // past the access token's expiry
			resp = c.me()
			wantStatus(t, "me after expiry", resp, 401)
			if got := resp.Header.Get("WWW-Authenticate"); got != `Bearer error="invalid_token"` {
				t.Errorf("expired: WWW-Authenticate %q", got)
			}

			oldAccess := c.access
			wantStatus(t, "refresh", c.post("/auth/refresh", c.refresh), 200)
			if c.access == oldAccess || c.refresh == nil || c.refresh.Value == ck.Value {
				t.Fatal("refresh did not rotate both tokens")
			}
			wantStatus(t, "me after refresh", c.me(), 200)

			loggedOut := c.refresh
			resp = c.post("/auth/logout", loggedOut)
			wantStatus(t, "logout", resp, 200)
			if c.refresh != nil {
				t.Error("logout did not clear the refresh cookie")
			}
			// The session is revoked: the (still unexpired) access token is refused at once.
			wantStatus(t, "me after logout", c.me(), 401)
			// The refresh token of the logged-out session is refused.
			wantStatus(t, "refresh after logout", c.post("/auth/refresh", loggedOut), 401)

			// A second session: rotate once, then replay the spent refresh token. Within the
			// grace window the replay gets the same successor (another tab, or a retry);
			// after it, it is reuse.
			wantStatus(t, "login 2", c.login("alice", "wonderland"), 200)
			spent := c.refresh
			wantStatus(t, "refresh 2", c.post("/auth/refresh", spent), 200)
			current := c.refresh
			wantStatus(t, "me 2", c.me(), 200)
			clock.Advance(reuseGrace - time.Second)
			wantStatus(t, "replay within the grace window", c.post("/auth/refresh", spent), 200)
			if c.refresh == nil || c.refresh.Value != current.Value {
				t.Fatal("a replay within the grace window did not get the same successor")
			}
			clock.Advance(time.Second)
			resp = c.post("/auth/refresh", spent)
			wantStatus(t, "reuse of a spent refresh token", resp, 401)
			if !strings.Contains(logs.String(), "SECURITY: POST /auth/refresh: refresh token reused") {
				t.Errorf("reuse not logged as a security event:\n%s", logs)
			}
			// Reuse revoked the whole session: the current tokens are dead too.
			wantStatus(t, "me after reuse", c.me(), 401)
			wantStatus(t, "refresh after reuse", c.post("/auth/refresh", current), 401)
		})
	}
}

// TestRefreshAfterLogout: the refresh token of a logged-out session is refused.
func TestRefreshAfterLogout(t *testing.T) {
	clock := &fakeClock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	h, _ := testServer(t, clock.Now, false)
	c := &client{t: t, h: h}
	wantStatus(t, "login", c.login("bob", "builder"), 200)
	ck := c.refresh
	wantStatus(t, "logout", c.post("/auth/logout", ck), 200)
	resp := c.post("/auth/refresh", ck)
	wantStatus(t, "refresh after logout", resp, 401)
	b, _ := io.ReadAll(resp.Body)
	if strings.Contains(string(b), "revoked") || strings.Contains(string(b), ck.Value) {
		t.Errorf("refusal tells too much: %q", b)
	}
}

func TestLoginRefusals(t *testing.T) {
	h, logs := testServer(t, nil, true)
	c := &client{t: t, h: h}
	for _, tc := range []struct {
		name, method, ctype, body string
		want                      int
	}{
		{"wrong password", "POST", "application/json", `{"username":"alice","password":"nope"}`, 401},
		{"unknown user", "POST", "application/json", `{"username":"mallory","password":"wonderland"}`, 401},
		{"other user's password", "POST", "application/json", `{"username":"bob","password":"wonderland"}`, 401},
		{"GET", "GET", "", "", 405},
		{"form body", "POST", "application/x-www-form-urlencoded", "username=alice&password=wonderland", 415},
		{"bad JSON", "POST", "application/json", `{"username":`, 400},
		{"unknown field", "POST", "application/json", `{"username":"alice","password":"wonderland","admin":true}`, 400},
		{"two objects", "POST", "application/json", `{"username":"alice","password":"wonderland"}{}`, 400},
		{"too large", "POST", "application/json", `{"username":"alice","password":"` + strings.Repeat("a", maxBody) + `"}`, 413},
	} {
		resp := c.do(tc.method, "/auth/login", tc.body, func(r *http.Request) {
			r.Header.Set("Content-Type", tc.ctype)
		})
		wantStatus(t, tc.name, resp, tc.want)
		if len(resp.Cookies()) != 0 {
			t.Errorf("%s: sets a cookie", tc.name)
		}
	}
	if strings.Contains(logs.String(), "wonderland") {
		t.Error("a password reached the log")
	}
	// Cross-site login attempts (login CSRF) are refused by the origin check.
	resp := c.do("POST", "/auth/login", `{"username":"alice","password":"wonderland"}`, func(r *http.Request) {
		r.Header.Set("Sec-Fetch-Site", "cross-site")
	})
	wantStatus(t, "cross-site login", resp, 403)
}

// With every password-check slot taken, a login waits loginWait and then gets 503.
func TestLoginBusy(t *testing.T) {
	accounts, err := newUsers(1000)
	if err != nil {
		t.Fatal(err)
	}
	for range cap(accounts.slots) {
		accounts.slots <- struct{}{}
	}
	defer func(d time.Duration) { loginWait = d }(loginWait)
	loginWait = 10 * time.Millisecond
	h := login(accounts, nil, nil, log.New(io.Discard, "", 0))
	r := httptest.NewRequest("POST", "/auth/login", strings.NewReader(`{"username":"alice","password":"wonderland"}`))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusServiceUnavailable || len(w.Result().Cookies()) != 0 {
		t.Errorf("busy login: %d %v", w.Code, w.Result().Cookies())
	}
}

func TestUsersCheck(t *testing.T) {
	u, err := newUsers(1000)
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := u.check("alice", "wonderland"); !ok || d != "Alice Liddell" {
		t.Errorf("alice: %q %v", d, ok)
	}
	for _, c := range [][2]string{{"alice", "Wonderland"}, {"alice", ""}, {"", ""}, {"carol", "wonderland"}, {"bob", "wonderland"}} {
		if _, ok := u.check(c[0], c[1]); ok {
			t.Errorf("%q/%q accepted", c[0], c[1])
		}
	}
	if bytes.Equal(u.byName["alice"].salt, u.byName["bob"].salt) {
		t.Error("salts repeat")
	}
}

func TestSecretFrom(t *testing.T) {
	if s, random, err := secretFrom(""); err != nil || !random || len(s) < 32 {
		t.Errorf("empty: %d bytes, random %v, %v", len(s), random, err)
	}
	good := "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8" // bytes 0..31
	for _, env := range []string{good, good + "="} {
		s, random, err := secretFrom(env)
		if err != nil || random || len(s) != 32 || s[31] != 31 {
			t.Errorf("%q: %v %v %v", env, s, random, err)
		}
	}
	for _, env := range []string{"short", good[:40], "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+/"} {
		if _, _, err := secretFrom(env); err == nil {
			t.Errorf("%q accepted", env)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:80": true, "[::1]:8080": true, "127.1.2.3:1": true,
		":8080": false, "0.0.0.0:8080": false, "192.168.1.2:8080": false, "example.com:80": false, "bad": false,
	} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v", addr, got)
		}
	}
}

// TestREADMEWalkthrough runs the curl walkthrough of README.md for browsers against the
// handler: it interprets the small shell subset the block uses (curl with -s -i -X -H -d -b
// -c -o, a VAR=$(curl ... | jq -r .field) or VAR=$(jq -r .field FILE) assignment, cp, rm)
// and checks each "# expect" status.
func TestREADMEWalkthrough(t *testing.T) {
	runWalkthrough(t, "<!-- walkthrough:")
}

// TestREADMETokenWalkthrough runs the walkthrough for other clients, with the refresh token
// in JSON bodies, as TestREADMEWalkthrough runs the one for browsers.
func TestREADMETokenWalkthrough(t *testing.T) {
	runWalkthrough(t, "<!-- token-walkthrough:")
}

// runWalkthrough runs the sh block after marker in README.md against a test server.
func runWalkthrough(t *testing.T, marker string) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	steps := parseWalkthrough(t, string(readme), marker)
	if len(steps) < 10 {
		t.Fatalf("walkthrough has only %d steps", len(steps))
	}
	h, _ := testServer(t, nil, true)
	srv := httptest.NewServer(h)
	defer srv.Close()
	sh := &shell{t: t, base: srv.URL, vars: map[string]string{}, jars: map[string][]*http.Cookie{}, files: map[string][]byte{}}
	for _, s := range steps {
		sh.run(s)
	}
	if len(sh.jars) != 0 || len(sh.files) != 0 {
		t.Errorf("walkthrough leaves files behind: %v %v", slices.Collect(mapKeys(sh.jars)), slices.Collect(mapKeys(sh.files)))
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

type step struct {
	line   string // the command, continuation lines joined
	expect int    // expected status; 0 for commands that are not curl
}

var expectRE = regexp.MustCompile(`^# expect (\d{3})$`)

// parseWalkthrough returns the commands of the sh block after marker.
func parseWalkthrough(t *testing.T, readme, marker string) []step {
	_, after, ok := strings.Cut(readme, marker)
	if !ok {
		t.Fatalf("README.md has no %s marker", marker)
	}
	_, block, ok := strings.Cut(after, "```sh\n")
	if !ok {
		t.Fatal("no sh block after the walkthrough marker")
	}
	block, _, ok = strings.Cut(block, "\n```")
	if !ok {
		t.Fatal("unterminated sh block")
	}
	var steps []step
	var cur strings.Builder
	for line := range strings.SplitSeq(block, "\n") {
		if cur.Len() > 0 {
			cur.WriteString(" ")
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSpace(strings.TrimSuffix(line, "\\")))
			continue
		}
		cur.WriteString(strings.TrimSpace(line))
		full := strings.TrimSpace(cur.String())
		cur.Reset()
		switch m := expectRE.FindStringSubmatch(full); {
		case full == "":
		case m != nil:
			n := len(steps) - 1
			if n < 0 || steps[n].expect != 0 || !strings.Contains(steps[n].line, "curl ") {
				t.Fatalf("%q follows no curl command", full)
			}
			steps[n].expect, _ = strconv.Atoi(m[1])
		case strings.HasPrefix(full, "#"):
		default:
			if n := len(steps) - 1; n >= 0 && strings.Contains(steps[n].line, "curl ") && steps[n].expect == 0 {
				t.Fatalf("curl command without # expect: %q", steps[n].line)
			}
			steps = append(steps, step{line: full})
		}
	}
	if n := len(steps) - 1; n >= 0 && strings.Contains(steps[n].line, "curl ") && steps[n].expect == 0 {
		t.Fatalf("curl command without # expect: %q", steps[n].line)
	}
	return steps
}

// shell interprets walkthrough commands.
type shell struct {
	t     *testing.T
	base  string // replaces http://127.0.0.1:8080
	vars  map[string]string
	jars  map[string][]*http.Cookie // curl cookie files
	files map[string][]byte         // curl -o output files
}

var (
	assignRE   = regexp.MustCompile(`^([A-Z_]+)=\$\((curl .*) \| jq -r \.([a-z_]+)\)$`)
	jqAssignRE = regexp.MustCompile(`^([A-Z_]+)=\$\(jq -r \.([a-z_]+) ([a-z.-]+)\)$`)
)

// field returns the string member name of the JSON object body.
func (sh *shell) field(line string, body []byte, name string) string {
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil {
		sh.t.Fatalf("%s: body is not JSON: %v", line, err)
	}
	v, ok := obj[name].(string)
	if !ok || v == "" {
		sh.t.Fatalf("%s: no string field %s in the body", line, name)
	}
	return v
}

func (sh *shell) run(s step) {
	t := sh.t
	t.Helper()
	if m := assignRE.FindStringSubmatch(s.line); m != nil {
		sh.vars[m[1]] = sh.field(s.line, sh.curl(sh.words(m[2]), s.expect), m[3])
		return
	}
	if m := jqAssignRE.FindStringSubmatch(s.line); m != nil {
		body, ok := sh.files[m[3]]
		if !ok {
			t.Fatalf("%s: file %s read before it is written", s.line, m[3])
		}
		sh.vars[m[1]] = sh.field(s.line, body, m[2])
		return
	}
	w := sh.words(s.line)
	switch w[0] {
	case "curl":
		sh.curl(w, s.expect)
	case "cp":
		switch {
		case len(w) != 3:
			t.Fatalf("%s: unsupported", s.line)
		case sh.jars[w[1]] != nil:
			sh.jars[w[2]] = slices.Clone(sh.jars[w[1]])
		case sh.files[w[1]] != nil:
			sh.files[w[2]] = slices.Clone(sh.files[w[1]])
		default:
			t.Fatalf("%s: missing source", s.line)
		}
	case "rm":
		if len(w) < 3 || w[1] != "-f" {
			t.Fatalf("%s: unsupported", s.line)
		}
		for _, f := range w[2:] {
			delete(sh.jars, f)
			delete(sh.files, f)
		}
	default:
		t.Fatalf("walkthrough command not supported by the test: %q", s.line)
	}
}

// words splits a command into shell words: single quotes, double quotes with $VAR and
// ${VAR} expanded, and bare words with the same expansion.
func (sh *shell) words(line string) []string {
	var out []string
	var w strings.Builder
	in := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ':
			if in {
				out = append(out, w.String())
				w.Reset()
				in = false
			}
			continue
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				sh.t.Fatalf("unbalanced quote in %q", line)
			}
			w.WriteString(line[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			j := strings.IndexByte(line[i+1:], '"')
			if j < 0 {
				sh.t.Fatalf("unbalanced quote in %q", line)
			}
			w.WriteString(sh.expand(line[i+1 : i+1+j]))
			i += j + 1
		case c == '$':
			j := i + 1
			for j < len(line) && line[j] != ' ' && line[j] != '"' && line[j] != '\'' {
				j++
			}
			w.WriteString(sh.expand(line[i:j]))
			i = j - 1
		case strings.IndexByte("|&;<>()`\\*?", c) >= 0:
			sh.t.Fatalf("shell syntax not supported by the test: %q", line)
		default:
			w.WriteByte(c)
		}
		in = true
	}
	if in {
		out = append(out, w.String())
	}
	return out
}

var varRE = regexp.MustCompile(`\$\{([A-Z_]+)\}|\$([A-Z_]+)`)

func (sh *shell) expand(s string) string {
	return varRE.ReplaceAllStringFunc(s, func(m string) string {
		name := strings.Trim(m, "${}")
		v, ok := sh.vars[name]
		if !ok {
			sh.t.Fatalf("variable %s used before it is set", name)
		}
		return v
	})
}

// curl performs one curl command and returns the response body.
func (sh *shell) curl(args []string, expect int) []byte {
	t := sh.t
	t.Helper()
	method, url, data, readJar, writeJar, output := "", "", "", "", "", ""
	hasData := false
	header := http.Header{}
	for i := 1; i < len(args); i++ {
		a := args[i]
		next := func() string {
			i++
			if i >= len(args) {
				t.Fatalf("curl %s needs an argument", a)
			}
			return args[i]
		}
		switch a {
		case "-s", "-i", "-si", "-S", "-sS":
		case "-X":
			method = next()
		case "-H":
			k, v, ok := strings.Cut(next(), ":")
			if !ok {
				t.Fatalf("bad header %q", args[i])
			}
			header.Add(k, strings.TrimSpace(v))
		case "-d":
			data, hasData = next(), true
		case "-b":
			readJar = next()
		case "-c":
			writeJar = next()
		case "-o":
			output = next()
		default:
			if strings.HasPrefix(a, "-") || url != "" {
				t.Fatalf("curl argument not supported by the test: %q", a)
			}
			url = a
		}
	}
	const origin = "http://127.0.0.1:8080"
	if !strings.HasPrefix(url, origin+"/") {
		t.Fatalf("walkthrough URL %q does not start with %s", url, origin)
	}
	if method == "" {
		method = "GET"
		if hasData {
			method = "POST"
		}
	}
	req, err := http.NewRequest(method, sh.base+strings.TrimPrefix(url, origin), strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if hasData && header.Get("Content-Type") == "" {
		header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header = header
	if readJar != "" {
		jar, ok := sh.jars[readJar]
		if !ok {
			t.Fatalf("cookie file %s read before it is written", readJar)
		}
		for _, c := range jar {
			if strings.HasPrefix(req.URL.Path, c.Path) { // curl sends Secure cookies to 127.0.0.1 too
				req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
			}
		}
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != expect {
		t.Fatalf("%s %s: status %d, want %d per README (body %q)", method, url, resp.StatusCode, expect, body)
	}
	if output != "" {
		sh.files[output] = body
	}
	if writeJar != "" {
		jar := sh.jars[writeJar]
		if jar == nil {
			jar = []*http.Cookie{} // curl writes the file even when it holds no cookie
		}
		for _, c := range resp.Cookies() {
			jar = slices.DeleteFunc(jar, func(o *http.Cookie) bool { return o.Name == c.Name && o.Path == c.Path })
			if c.MaxAge >= 0 {
				jar = append(jar, c)
			}
		}
		sh.jars[writeJar] = jar
	}
	return body
}

// Issue 13 §5: 64 concurrent refreshes of one cookie, as from the tabs of one browser, gave
// one 200 and 63 × 401, and revoked the session with the winner's tokens. Within the grace
// window every one gets 200 and the same successor cookie, and the session stays alive.
func TestConcurrentRefreshOneCookie(t *testing.T) {
	clock := &fakeClock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	h, logs := testServer(t, clock.Now, false)
	c := &client{t: t, h: h}
	wantStatus(t, "login", c.login("alice", "wonderland"), 200)
	cookie := c.refresh
	const n = 64
	statuses, successors := make([]int, n), make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := httptest.NewRequest("POST", "/auth/refresh", nil)
			r.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			statuses[i] = w.Code
			if cks := w.Result().Cookies(); len(cks) == 1 {
				successors[i] = cks[0].Value
			}
		})
	}
	wg.Wait()
	for i := range n {
		if statuses[i] != 200 || successors[i] == "" || successors[i] != successors[0] || successors[i] == cookie.Value {
			t.Fatalf("refresh %d: status %d, successor the same as the others: %v", i, statuses[i], successors[i] == successors[0])
		}
	}
	if strings.Contains(logs.String(), "SECURITY") {
		t.Fatalf("concurrent refreshes logged as reuse:\n%s", logs)
	}
	// The session lives on: the successor refreshes, and its access token works.
	next := &http.Cookie{Name: cookie.Name, Value: successors[0]}
	wantStatus(t, "refresh with the successor", c.post("/auth/refresh", next), 200)
	wantStatus(t, "me", c.me(), 200)
}

// The /token/ endpoints carry the refresh token in JSON bodies and never set a cookie.
func TestTokenEndpoints(t *testing.T) {
	clock := &fakeClock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	h, _ := testServer(t, clock.Now, false)
	c := &client{t: t, h: h}
	tokens := func(step string, resp *http.Response) (access, refresh string) {
		t.Helper()
		wantStatus(t, step, resp, 200)
		if len(resp.Cookies()) != 0 || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("%s: cookies %v, Cache-Control %q", step, resp.Cookies(), resp.Header.Get("Cache-Control"))
		}
		var tr struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
			ExpiresIn    int    `json:"expires_in"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || tr.AccessToken == "" || tr.RefreshToken == "" || tr.ExpiresIn != 300 {
			t.Fatalf("%s: body %+v, %v", step, tr, err)
		}
		return tr.AccessToken, tr.RefreshToken
	}
	body := func(member, token string) string {
		b, _ := json.Marshal(map[string]string{member: token})
		return string(b)
	}
	access, refresh := tokens("login", c.do("POST", "/token/login", `{"username":"bob","password":"builder"}`, nil))
	c.access = access
	wantStatus(t, "me", c.me(), 200)
	clock.Advance(time.Minute)
	access2, refresh2 := tokens("refresh", c.do("POST", "/token/refresh", body("refresh_token", refresh), nil))
	if access2 == access || refresh2 == refresh {
		t.Fatal("refresh did not rotate both tokens")
	}
	// The browsers' cookie endpoints do not take a body token, and the body endpoints do
	// not take the cookie.
	wantStatus(t, "body token at /auth/refresh", c.do("POST", "/auth/refresh", body("refresh_token", refresh2), nil), 401)
	resp := c.do("POST", "/token/refresh", "", func(r *http.Request) {
		r.Header.Set("Content-Type", "application/json")
		r.AddCookie(&http.Cookie{Name: "__Secure-refresh", Value: refresh2})
	})
	wantStatus(t, "cookie at /token/refresh", resp, 400)
	wantStatus(t, "logout", c.do("POST", "/token/logout", body("refresh", refresh2), nil), 200)
	wantStatus(t, "refresh after logout", c.do("POST", "/token/refresh", body("refresh", refresh2), nil), 400)
	c.access = access2
	wantStatus(t, "me after logout", c.me(), 401)
}
