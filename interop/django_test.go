package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/jwthttp"
)

// Django REST framework SimpleJWT runs in one python3 process per batch: django/peer.py
// reads {"now", "settings", "users", "ops"} on stdin and writes {"users", "results"} on
// stdout (see the protocol there).

const djangoScript = "django/peer.py"

// djangoPackages are the Debian packages holding SimpleJWT and PyJWT (with Django and DRF as
// their dependencies); interop/run.sh installs them.
const djangoPackages = "python3-djangorestframework-simplejwt python3-jwt"

// djangoSettings are the SIMPLE_JWT settings of one Django process (see django/peer.py).
type djangoSettings struct {
	Algorithm   string `json:"algorithm"`
	SigningKey  []byte `json:"signing_key_b64"`
	Audience    string `json:"audience,omitempty"`
	Issuer      string `json:"issuer,omitempty"`
	UserIDField string `json:"user_id_field,omitempty"`
	UserIDClaim string `json:"user_id_claim,omitempty"`
}

type djangoUser struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type djangoOp struct {
	Op       string `json:"op"`
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
	Token    string `json:"token,omitempty"`
}

// djangoResult is the answer to one op: the tokens of "obtain", the user of
// "authenticate", or the HTTP status and JSON body of a refusal.
type djangoResult struct {
	OK        bool   `json:"ok"`
	Status    int    `json:"status"`
	Access    string `json:"access"`
	Refresh   string `json:"refresh"`
	Username  string `json:"username"`
	UserID    int    `json:"user_id"`
	TokenType string `json:"token_type"`
	Body      struct {
		Detail   string `json:"detail"`
		Code     string `json:"code"`
		Messages []struct {
			Message string `json:"message"`
		} `json:"messages"`
	} `json:"body"`
}

// reason is what Django said when it refused: the message of its AccessToken class when
// there is one, its detail otherwise.
func (r djangoResult) reason() string {
	if len(r.Body.Messages) == 1 {
		return r.Body.Messages[0].Message
	}
	return r.Body.Detail
}

// djangoUsers is the one user every Django process has.
var djangoUsers = []djangoUser{{Username: "alice", Password: "correct horse battery staple"}}

// findPython returns a python3 that imports SimpleJWT and PyJWT: $PYTHON if set, else the
// first of python3 on PATH and /usr/bin/python3 (where the Debian packages install, which
// may differ from a python3 earlier on PATH, such as pyenv's).
var findPython = sync.OnceValues(func() (string, error) {
	candidates := []string{"python3", "/usr/bin/python3"}
	if p := os.Getenv("PYTHON"); p != "" {
		candidates = []string{p}
	}
	var errs []error
	for _, c := range candidates {
		out, err := exec.Command(c, "-c", "import rest_framework_simplejwt, jwt").CombinedOutput()
		if err == nil {
			return c, nil
		}
		errs = append(errs, errors.New(c+": "+firstLine(out, err)))
	}
	return "", errors.Join(errs...)
})

func firstLine(out []byte, err error) string {
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	if last := lines[len(lines)-1]; len(last) > 0 {
		return string(last)
	}
	return err.Error()
}

// requireDjango returns the python3 to run django/peer.py with. When there is none it fails
// the test if CI is set or apt-get exists (interop/run.sh installs the packages there), and
// skips it, saying how to install them, only on a system without a Debian package manager.
func requireDjango(t testing.TB) string {
	t.Helper()
	python, err := findPython()
	if err == nil {
		return python
	}
	_, aptErr := exec.LookPath("apt-get")
	switch {
	case os.Getenv("CI") != "":
		t.Fatalf("SimpleJWT is needed and CI is set, so this fails instead of skipping (%v): "+
			"run interop/run.sh, or apt-get install --no-install-recommends %s", err, djangoPackages)
	case aptErr == nil:
		t.Fatalf("SimpleJWT is not installed (%v): run interop/run.sh, or "+
			"apt-get install --no-install-recommends %s; set PYTHON to use another python3", err, djangoPackages)
	default:
		t.Skipf("SimpleJWT is not installed and there is no apt-get (%v): install Django REST "+
			"framework SimpleJWT 5 and PyJWT 2 (pip install djangorestframework-simplejwt) and set PYTHON "+
			"to that python3", err)
	}
	return ""
}

// runDjango runs one Django process with settings s and the ops, and returns the users' ids
// and one result per op. A failing op is a result with OK false; a failure of python or of
// the protocol fails the test.
func runDjango(t testing.TB, s djangoSettings, ops []djangoOp) (map[string]int, []djangoResult) {
	t.Helper()
	python := requireDjango(t)
	in, err := json.Marshal(map[string]any{"now": nowUnix, "settings": s, "users": djangoUsers, "ops": ops})
	if err != nil {
		t.Fatalf("marshal django request: %v", err)
	}
	script, err := filepath.Abs(djangoScript)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, script)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\nstderr:\n%s", python, djangoScript, err, stderr.String())
	}
	var out struct {
		Users   map[string]int `json:"users"`
		Results []djangoResult `json:"results"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("%s: bad output (%v): %q\nstderr:\n%s", djangoScript, err, stdout.String(), stderr.String())
	}
	if len(out.Results) != len(ops) {
		t.Fatalf("%s: %d results for %d ops", djangoScript, len(out.Results), len(ops))
	}
	return out.Users, out.Results
}

// djangoClaims is what a Go service reads from a SimpleJWT access token.
type djangoClaims struct {
	jwt.Claims
	TokenType string `json:"token_type"`
	UserID    int    `json:"user_id"`
}

// djangoAccess is the Expect of a Go service accepting SimpleJWT access tokens and nothing
// else: SimpleJWT tells its two kinds of token apart only by token_type.
func djangoAccess() jwt.Expect {
	return jwt.Expect{
		Issuer:   testIssuer,
		Audience: []string{testAudience},
		Claims:   map[string]string{"token_type": "access"},
		Now:      func() time.Time { return testNow },
	}
}

// obtainDjangoPair logs alice in through SimpleJWT's TokenObtainPairView and returns her id
// and tokens.
func obtainDjangoPair(t *testing.T, s djangoSettings) (int, djangoResult) {
	t.Helper()
	u := djangoUsers[0]
	users, res := runDjango(t, s, []djangoOp{{Op: "obtain", Username: u.Username, Password: u.Password}})
	if !res[0].OK {
		t.Fatalf("SimpleJWT refused the login: %d %s", res[0].Status, res[0].reason())
	}
	return users[u.Username], res[0]
}

// TestDjangoTokensVerifiedByGo: a Go service verifies SimpleJWT's access tokens with
// Key.Decode, and refuses its refresh tokens, signed with the same key, by their token_type.
func TestDjangoTokensVerifiedByGo(t *testing.T) {
	for _, ak := range algKeys {
		t.Run(ak.alg, func(t *testing.T) {
			key := mustKey(t, ak.alg, ak.key)
			id, pair := obtainDjangoPair(t, djangoSettings{
				Algorithm: ak.alg, SigningKey: ak.key, Issuer: testIssuer, Audience: testAudience,
			})

			var got djangoClaims
			if err := key.Decode(pair.Access, &got, djangoAccess()); err != nil {
				t.Fatalf("access token refused: %v", err)
			}
			if got.UserID != id || got.TokenType != "access" || got.ID == "" ||
				got.ExpiresAt.Unix() != nowUnix+300 || got.IssuedAt.Unix() != nowUnix {
				t.Errorf("access claims %+v; want user_id %d, token_type access, a jti, iat %d and exp 5 minutes later",
					got, id, nowUnix)
			}

			// The refresh token is genuine: without the claim check it passes every other one,
			// so the refusal below is the token_type check's.
			if err := key.Decode(pair.Refresh, nil, jwt.Expect{Issuer: testIssuer, Now: djangoAccess().Now}); err != nil {
				t.Fatalf("refresh token refused without the token_type check (%v): the test proves nothing", err)
			}
			keep := djangoClaims{UserID: -1}
			dst := keep
			if err := key.Decode(pair.Refresh, &dst, djangoAccess()); !errors.Is(err, jwt.ErrClaimValue) {
				t.Errorf("refresh token as access: %v, want ErrClaimValue", err)
			}
			if !reflect.DeepEqual(dst, keep) {
				t.Errorf("destination changed on error: %+v", dst)
			}
		})
	}
}

// TestDjangoTokensThroughMiddleware: jwthttp.Authenticate with VerifyWith and the
// token_type check admits SimpleJWT's access token and answers its refresh token 401 with
// ErrClaimValue, the finding of issue 14 (the middleware took the refresh token).
func TestDjangoTokensThroughMiddleware(t *testing.T) {
	ak := algKeys[0]
	key := mustKey(t, ak.alg, ak.key)
	id, pair := obtainDjangoPair(t, djangoSettings{
		Algorithm: ak.alg, SigningKey: ak.key, Issuer: testIssuer, Audience: testAudience,
	})

	var refused []error
	auth, err := jwthttp.Authenticate[djangoClaims](jwthttp.AuthConfig{
		Verify:   jwthttp.VerifyWith(key, djangoAccess()),
		ErrorLog: func(_ *http.Request, err error) { refused = append(refused, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	h := auth.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := auth.Claims(r.Context())
		if !ok {
			http.Error(w, "no claims", http.StatusInternalServerError)
			return
		}
		w.Write([]byte(strconv.Itoa(c.UserID)))
	}))

	for _, tc := range []struct {
		name, token string
		status      int
		body        string
		err         error
	}{
		{"access", pair.Access, http.StatusOK, strconv.Itoa(id), nil},
		{"refresh", pair.Refresh, http.StatusUnauthorized, "", jwt.ErrClaimValue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refused = nil
			r := httptest.NewRequest("GET", "/api/me", nil)
			r.Header.Set("Authorization", "Bearer "+tc.token)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			if tc.err == nil {
				if w.Body.String() != tc.body || len(refused) != 0 {
					t.Errorf("body %q, want %q; refusals %v", w.Body.String(), tc.body, refused)
				}
				return
			}
			if len(refused) != 1 || !errors.Is(refused[0], tc.err) {
				t.Errorf("refusals %v, want one matching %v", refused, tc.err)
			}
		})
	}
}

// sessionsFor returns Sessions signing with key (and refreshKey when set), with the issuer,
// audience and clock of the interop tests.
func sessionsFor(t *testing.T, key, refreshKey *jwt.Key) *jwt.Sessions {
	t.Helper()
	s, err := jwt.NewSessions(jwt.SessionConfig{
		Key: key, RefreshKey: refreshKey,
		Issuer: testIssuer, Audience: testAudience,
		Now: func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSessionsTokensAuthenticatedByDjango: SimpleJWT's JWTAuthentication accepts access
// tokens of jwt.Sessions, with USER_ID_CLAIM = "sub" and the user field the subject names,
// and refuses Sessions' refresh tokens: by their signature when only the access key is
// shared, and by their token_type when Django is given the refresh key too.
func TestSessionsTokensAuthenticatedByDjango(t *testing.T) {
	ctx := context.Background()
	access := mustKey(t, "HS256", algKeys[0].key).WithKeyID(testKid)
	refreshSecret := algKeys[2].key[:32]
	refresh := mustKey(t, "HS256", refreshSecret)

	django := func(secret []byte, idField, idClaim string) djangoSettings {
		return djangoSettings{
			Algorithm: "HS256", SigningKey: secret, Issuer: testIssuer, Audience: testAudience,
			UserIDField: idField, UserIDClaim: idClaim,
		}
	}
	for _, tc := range []struct {
		name       string
		refreshKey *jwt.Key
		settings   djangoSettings
		subject    func(id int) string
		token      func(jwt.Pair) string
		ok         bool
		reason     string // SimpleJWT's message when it refuses
	}{
		{
			name: "access, sub is the user id", settings: django(algKeys[0].key, "id", "sub"),
			subject: strconv.Itoa, token: accessOf, ok: true,
		},
		{
			name: "access, sub is the username", settings: django(algKeys[0].key, "username", "sub"),
			subject: func(int) string { return "alice" }, token: accessOf, ok: true,
		},
		{
			name: "access, default USER_ID_CLAIM user_id", settings: django(algKeys[0].key, "", ""),
			subject: strconv.Itoa, token: accessOf,
			reason: "Token contained no recognizable user identification",
		},
		{
			name: "refresh, derived refresh key", settings: django(algKeys[0].key, "id", "sub"),
			subject: strconv.Itoa, token: refreshOf,
			reason: "Token is invalid or expired",
		},
		{
			name: "refresh, Django holds the refresh key", refreshKey: refresh,
			settings: django(refreshSecret, "id", "sub"),
			subject:  strconv.Itoa, token: refreshOf,
			reason: "Token has wrong type",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The user's id is known once Django has created alice: 1 in a new database.
			const aliceID = 1
			pair, err := sessionsFor(t, access, tc.refreshKey).Issue(ctx, tc.subject(aliceID), nil)
			if err != nil {
				t.Fatal(err)
			}
			users, res := runDjango(t, tc.settings, []djangoOp{{Op: "authenticate", Token: tc.token(pair)}})
			if users["alice"] != aliceID {
				t.Fatalf("alice has id %d in Django, the test assumed %d", users["alice"], aliceID)
			}
			got := res[0]
			if !tc.ok {
				if got.OK || got.Status != http.StatusUnauthorized || got.reason() != tc.reason {
					t.Errorf("Django answered %d %q (ok %v), want 401 %q", got.Status, got.reason(), got.OK, tc.reason)
				}
				return
			}
			if !got.OK || got.Username != "alice" || got.UserID != aliceID || got.TokenType != "access" {
				t.Errorf("Django answered %d %+v (%q), want alice's access token admitted", got.Status, got, got.reason())
			}
		})
	}
}

func accessOf(p jwt.Pair) string  { return p.Access }
func refreshOf(p jwt.Pair) string { return p.Refresh }

func mustKey(t testing.TB, alg string, secret []byte) *jwt.Key {
	t.Helper()
	k, err := jwt.NewKey(jwt.Algorithm(alg), secret)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
