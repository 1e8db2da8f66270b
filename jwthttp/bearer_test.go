package jwthttp_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/jwthttp"
)

var b64TokenRE = regexp.MustCompile(`^[A-Za-z0-9\-._~+/]+=*$`)

// withAuthorization returns a request with one Authorization header per value.
func withAuthorization(values ...string) *http.Request {
	r := httptest.NewRequest("GET", "/api", nil)
	for _, v := range values {
		r.Header.Add("Authorization", v)
	}
	return r
}

func TestBearerToken(t *testing.T) {
	for _, tc := range []struct {
		in    []string
		token string
		err   error
	}{
		{[]string{"Bearer abc"}, "abc", nil},
		{[]string{"bearer abc"}, "abc", nil},
		{[]string{"BeArEr a.b.c"}, "a.b.c", nil},
		{[]string{"Bearer    abc"}, "abc", nil},
		{[]string{" \tBearer abc\t "}, "abc", nil},
		{[]string{"Bearer AZaz09-._~+/=="}, "AZaz09-._~+/==", nil},
		{nil, "", jwthttp.ErrNoToken},
		{[]string{""}, "", jwthttp.ErrNoToken},
		{[]string{"   "}, "", jwthttp.ErrNoToken},
		{[]string{"Basic YWxhZGRpbjpvcGVuc2VzYW1l"}, "", jwthttp.ErrNoToken},
		{[]string{"Bearerabc"}, "", jwthttp.ErrNoToken},
		{[]string{"Bearer\tabc"}, "", jwthttp.ErrNoToken},
		{[]string{"a.b.c"}, "", jwt.ErrMalformed},
		{[]string{" a.b.c "}, "", jwt.ErrMalformed},
		{[]string{"Negotiate"}, "", jwthttp.ErrNoToken},
		{[]string{"Bearer"}, "", jwt.ErrMalformed},
		{[]string{"Bearer "}, "", jwt.ErrMalformed},
		{[]string{"Bearer a b"}, "", jwt.ErrMalformed},
		{[]string{"Bearer a  b"}, "", jwt.ErrMalformed},
		{[]string{"Bearer a,b"}, "", jwt.ErrMalformed},
		{[]string{"Bearer abc,"}, "", jwt.ErrMalformed},
		{[]string{"Bearer abc ,"}, "", jwt.ErrMalformed},
		{[]string{"Bearer a, Bearer b"}, "", jwt.ErrMalformed},
		{[]string{"Bearer =abc"}, "", jwt.ErrMalformed},
		{[]string{"Bearer ab=c"}, "", jwt.ErrMalformed},
		{[]string{"Bearer a\tb"}, "", jwt.ErrMalformed},
		{[]string{"Bearer \"abc\""}, "", jwt.ErrMalformed},
		{[]string{"Bearer abc\x00"}, "", jwt.ErrMalformed},
		{[]string{"Bearer é"}, "", jwt.ErrMalformed},
		{[]string{"Bearer abc", "Bearer abc"}, "", jwt.ErrMalformed},
		{[]string{"Bearer abc", "Basic eDp5"}, "", jwt.ErrMalformed},
	} {
		tok, err := jwthttp.BearerToken(withAuthorization(tc.in...))
		if tok != tc.token || (tc.err == nil) != (err == nil) {
			t.Errorf("BearerToken(%q) = %q, %v; want %q, %v", tc.in, tok, err, tc.token, tc.err)
			continue
		}
		if tc.err != nil {
			wantErr(t, err, tc.err)
		}
	}
}

// FuzzBearer checks properties of BearerToken on one Authorization header: whatever it
// accepts is a well-formed "Bearer" 1*SP b64token value whose token it returns; every
// well-formed value built from a valid token and any spelling of the scheme is accepted
// with that token; a refusal matches exactly one of ErrNoToken and ErrMalformed and never
// contains the value.
func FuzzBearer(f *testing.F) {
	f.Add("Bearer abc", uint8(0), uint8(1), "abc")
	f.Add("bearer a.b.c", uint8(0xff), uint8(3), "eyJhbGciOiJIUzI1NiJ9.e30.sig")
	f.Add("Bearer a b", uint8(5), uint8(0), "a b")
	f.Add("Basic Zm9vOmJhcg==", uint8(2), uint8(2), "Zm9vOmJhcg==")
	f.Add("Bearer ==", uint8(1), uint8(1), "==")
	f.Add(" Bearer\ttok", uint8(9), uint8(1), "tok,tok")
	f.Add("BEARER x=", uint8(0x2a), uint8(7), "x=y")
	f.Add("eyJhbGciOiJIUzI1NiJ9.e30.sig", uint8(0), uint8(0), "a.b.c")
	f.Fuzz(func(t *testing.T, value string, caseMask, spaces uint8, tok string) {
		// 1. Anything accepted has the grammar's shape.
		got, err := jwthttp.BearerToken(withAuthorization(value))
		if err == nil {
			trimmed := strings.Trim(value, " \t")
			if !b64TokenRE.MatchString(got) {
				t.Fatalf("BearerToken(%q) accepted non-b64token %q", value, got)
			}
			if len(trimmed) < 7+len(got) || !strings.EqualFold(trimmed[:6], "bearer") ||
				!strings.HasSuffix(trimmed, got) || strings.Trim(trimmed[6:len(trimmed)-len(got)], " ") != "" {
				t.Fatalf("BearerToken(%q) = %q: not Bearer 1*SP token", value, got)
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
		got, err = jwthttp.BearerToken(withAuthorization(built))
		// Spaces before tok join the separator; white space after it is optional white
		// space around the field value. What is left must be exactly one b64token.
		core := strings.TrimLeft(strings.TrimRight(tok, " \t"), " ")
		if b64TokenRE.MatchString(core) {
			if err != nil || got != core {
				t.Fatalf("BearerToken(%q) = %q, %v; want %q", built, got, err, core)
			}
		} else if !errors.Is(err, jwt.ErrMalformed) {
			t.Fatalf("BearerToken(%q) = %q, %v; want ErrMalformed", built, got, err)
		}
	})
}

// checkRefusal requires err to be exactly one of ErrNoToken and ErrMalformed, with a text
// that does not show value.
func checkRefusal(t *testing.T, value string, err error) {
	t.Helper()
	if errors.Is(err, jwthttp.ErrNoToken) == errors.Is(err, jwt.ErrMalformed) {
		t.Fatalf("BearerToken(%q): error %v is not exactly one of ErrNoToken, ErrMalformed", value, err)
	}
	// The texts are fixed, so they cannot carry any part of the value.
	for _, fixed := range bearerRefusals {
		if err.Error() == fixed {
			return
		}
	}
	t.Fatalf("BearerToken(%q): unexpected error text %q", value, err)
}

// bearerRefusals are the texts of BearerToken's refusals of one Authorization header.
var bearerRefusals = []string{
	"jwthttp: no token in request: no Authorization header with the Bearer scheme",
	"jwt: malformed token: Authorization header does not hold exactly one bearer token",
	"jwt: malformed token: Authorization header has no Bearer scheme: send \"Bearer <token>\"",
}
