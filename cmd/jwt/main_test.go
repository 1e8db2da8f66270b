package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestRun with the current output")

// now is the clock of the golden tests: an hour before the exp of the README's token.
var now = time.Date(2029, 12, 31, 23, 0, 0, 0, time.UTC)

// readmeToken is the token of the README's first example (key "an example secret of 32+
// bytes!!", sub 42, aud api, exp 2030-01-01T00:00:00Z).
const readmeToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsImF1ZCI6ImFwaSIsImV4cCI6MTg5MzQ1NjAwMCwibmFtZSI6IkFubiIsImFkbWluIjpmYWxzZX0.qnFTRVVjw7bz6qd7Mx_do_S3reXzhkz8ChnGqPqIDYs"

// testEnv is the environment of the golden tests.
var testEnv = map[string]string{
	"JWT_KEY":    "YW4gZXhhbXBsZSBzZWNyZXQgb2YgMzIrIGJ5dGVzISE", // the README's secret, base64url
	"JWT_KEY384": "a longer example secret of 48+ bytes for HS384!!",
	"EMPTY":      "",
}

// result is what one run of jwt gave.
type result struct {
	status         int
	stdout, stderr string
}

// runJWT runs jwt with args and stdin, the golden environment and clock.
func runJWT(args []string, stdin string) result {
	var stdout, stderr bytes.Buffer
	st := run(args, strings.NewReader(stdin), &stdout, &stderr, func(k string) string { return testEnv[k] }, func() time.Time { return now })
	return result{st, stdout.String(), stderr.String()}
}

// golden is the form of a result in a golden file.
func (r result) golden() string {
	return fmt.Sprintf("status %d\n-- stdout --\n%s-- stderr --\n%s", r.status, r.stdout, r.stderr)
}

// mustSign returns the token jwt sign prints for args, with the README's secret.
func mustSign(t *testing.T, args ...string) string {
	t.Helper()
	r := runJWT(append([]string{"sign", "-key-env", "JWT_KEY"}, args...), "")
	if r.status != exitOK {
		t.Fatalf("sign %q: status %d, stderr %q", args, r.status, r.stderr)
	}
	return strings.TrimSpace(r.stdout)
}

// unsigned returns a token with the given header and claims and a signature of zeros.
func unsigned(header, claims string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims)) + "." + enc.EncodeToString(make([]byte, 32))
}

// TestRun runs jwt on golden inputs: each case's exit status is stated in the table, and its
// whole output is compared with testdata/NAME.golden (go test -update rewrites those).
func TestRun(t *testing.T) {
	expired := mustSign(t, "-exp", "-1m", "-claims", `{"sub":"42"}`)
	notYet := mustSign(t, "-exp", "2h", "-claims", fmt.Sprintf(`{"nbf":%d}`, now.Add(time.Hour).Unix()))
	noExp := mustSign(t, "-claims", `{"sub":"42"}`)
	issued := mustSign(t, "-exp", "1h", "-claims", `{"iss":"auth.example"}`)
	typed := mustSign(t, "-exp", "1h", "-kid", "k1", "-typ", "at+jwt")
	dated := mustSign(t, "-exp", "4m10s", "-claims", fmt.Sprintf(`{"iat":%d,"nbf":%d}`, now.Add(-3*time.Minute).Unix(), now.Add(90*time.Second).Unix()))
	hs384 := strings.TrimSpace(runJWT([]string{"sign", "-alg", "HS384", "-key-env", "JWT_KEY384", "-key-format", "raw", "-exp", "1h"}, "").stdout)
	access := mustSign(t, "-exp", "1h", "-claims", `{"sub":"42","token_type":"access","user_id":42,"role":"admin"}`)
	refresh := mustSign(t, "-exp", "24h", "-claims", `{"sub":"42","token_type":"refresh","user_id":42}`)
	deep := strings.Repeat("[", maxClaimsDepth) + strings.Repeat("]", maxClaimsDepth)

	key := []string{"-key-env", "JWT_KEY"}
	verify := func(args ...string) []string { return append(append([]string{"verify"}, key...), args...) }
	sign := func(args ...string) []string { return append(append([]string{"sign"}, key...), args...) }
	tests := []struct {
		name   string
		args   []string
		stdin  string
		status int
	}{
		{"help", []string{"help"}, "", exitOK},
		{"help_flag", []string{"-h"}, "", exitOK},
		{"help_verify", []string{"help", "verify"}, "", exitOK},
		{"help_unknown", []string{"help", "frobnicate"}, "", exitUsage},
		{"help_two", []string{"help", "sign", "verify"}, "", exitUsage},
		{"no_command", nil, "", exitUsage},
		{"unknown_command", []string{"frobnicate"}, "", exitUsage},

		{"decode_h", []string{"decode", "-h"}, "", exitOK},
		{"decode", []string{"decode", readmeToken}, "", exitOK},
		{"decode_stdin", []string{"decode"}, "\n  " + readmeToken + "\r\n", exitOK},
		{"decode_dash", []string{"decode", "-"}, readmeToken, exitOK},
		{"decode_dates", []string{"decode", dated}, "", exitOK},
		{"decode_expired", []string{"decode", expired}, "", exitOK},
		{"decode_no_dates", []string{"decode", unsigned(`{"alg":"HS256","kid":"k<1>"}`, `{"sub":"42"}`)}, "", exitOK},
		{"decode_bad_date", []string{"decode", unsigned(`{"alg":"HS256"}`, `{"exp":"tomorrow","iat":-1}`)}, "", exitOK},
		{"decode_malformed", []string{"decode", "abc.def"}, "", exitRefused},
		{"decode_no_alg", []string{"decode", unsigned(`{"typ":"JWT"}`, `{}`)}, "", exitRefused},
		{"decode_too_large", []string{"decode"}, strings.Repeat("a", maxTokenInput+1), exitRefused},
		{"decode_empty", []string{"decode"}, " \n", exitUsage},
		{"decode_two_tokens", []string{"decode", readmeToken, readmeToken}, "", exitUsage},
		{"decode_unknown_flag", []string{"decode", "-key", "k", readmeToken}, "", exitUsage},

		{"verify_h", []string{"verify", "-h"}, "", exitOK},
		{"verify", verify("-aud", "api", "-sub", "42", readmeToken), "", exitOK},
		{"verify_any_audience", verify("-aud", "web", "-aud", "api", readmeToken), "", exitOK},
		{"verify_stdin", verify(), readmeToken + "\n", exitOK},
		{"verify_key_file", []string{"verify", "-key", "testdata/key", readmeToken}, "", exitOK},
		{"verify_key_hex", []string{"verify", "-key", "testdata/key.hex", "-key-format", "hex", readmeToken}, "", exitOK},
		{"verify_key_raw", []string{"verify", "-key", "testdata/key.raw", "-key-format", "raw", readmeToken}, "", exitOK},
		{"verify_iss", verify("-iss", "auth.example", issued), "", exitOK},
		{"verify_typ", verify("-typ", "application/at+jwt", typed), "", exitOK},
		{"verify_leeway", verify("-leeway", "2m", expired), "", exitOK},
		{"verify_claim", verify("-claim", "token_type=access", access), "", exitOK},
		{"verify_claims", verify("-claim", "token_type=access", "-claim", "role=admin", access), "", exitOK},
		{"verify_claim_equals_in_value", verify("-claim", "token_type=acc=ess", access), "", exitClaim},
		{"verify_exp_optional", verify("-exp-optional", noExp), "", exitOK},
		{"verify_exp_optional_with_exp", verify("-exp-optional", readmeToken), "", exitOK},
		{"verify_signature", []string{"verify", "-key-env", "JWT_KEY384", "-key-format", "raw", readmeToken}, "", exitRefused},
		{"verify_raw_newline", []string{"verify", "-key", "testdata/key-newline.raw", "-key-format", "raw", readmeToken}, "", exitRefused},
		{"verify_algorithm", verify(hs384), "", exitRefused},
		{"verify_malformed", verify("abc.def.ghi"), "", exitRefused},
		{"verify_too_large", verify(), strings.Repeat("a", maxTokenInput+1), exitRefused},
		{"verify_expired", verify(expired), "", exitExpired},
		{"verify_not_yet_valid", verify(notYet), "", exitNotYetValid},
		{"verify_issuer", verify("-iss", "auth", readmeToken), "", exitClaim},
		{"verify_issuer_differs", verify("-iss", "auth", issued), "", exitClaim},
		{"verify_subject", verify("-sub", "43", readmeToken), "", exitClaim},
		{"verify_audience", verify("-aud", "web", readmeToken), "", exitClaim},
		{"verify_type", verify("-typ", "at+jwt", readmeToken), "", exitClaim},
		{"verify_missing_exp", verify(noExp), "", exitClaim},
		{"verify_exp_optional_expired", verify("-exp-optional", expired), "", exitExpired},
		{"verify_claim_value", verify("-claim", "token_type=access", refresh), "", exitClaim},
		{"verify_claim_not_string", verify("-claim", "admin=false", readmeToken), "", exitClaim},
		{"verify_claim_missing", verify("-claim", "token_type=access", readmeToken), "", exitClaim},
		{"verify_claim_no_equals", verify("-claim", "token_type", access), "", exitUsage},
		{"verify_claim_empty_name", verify("-claim", "=access", access), "", exitUsage},
		{"verify_claim_sub", verify("-claim", "sub=42", access), "", exitUsage},
		{"verify_claim_exp", verify("-claim", "exp=1", access), "", exitUsage},
		{"verify_claim_twice", verify("-claim", "token_type=access", "-claim", "token_type=refresh", access), "", exitUsage},
		{"verify_negative_leeway", verify("-leeway", "-1s", readmeToken), "", exitUsage},
		{"verify_empty_audience", verify("-aud", "", readmeToken), "", exitUsage},
		{"verify_no_key", []string{"verify", readmeToken}, "", exitUsage},
		{"verify_two_keys", []string{"verify", "-key", "testdata/key", "-key-env", "JWT_KEY", readmeToken}, "", exitUsage},
		{"verify_key_format", verify("-key-format", "pem", readmeToken), "", exitUsage},
		{"verify_alg_unknown", verify("-alg", "RS256", readmeToken), "", exitUsage},
		{"verify_flag_after_token", verify(readmeToken, "-sub", "42"), "", exitUsage},
		{"verify_unknown_flag", verify("-secret", "hunter2", readmeToken), "", exitUsage},
		{"verify_key_missing", []string{"verify", "-key", "testdata/no-such-key", readmeToken}, "", exitKey},
		{"verify_key_env_empty", []string{"verify", "-key-env", "EMPTY", readmeToken}, "", exitKey},
		{"verify_key_env_unset", []string{"verify", "-key-env", "UNSET", readmeToken}, "", exitKey},
		{"verify_key_not_base64url", []string{"verify", "-key", "testdata/key.raw", readmeToken}, "", exitKey},
		{"verify_key_not_hex", []string{"verify", "-key", "testdata/key", "-key-format", "hex", readmeToken}, "", exitKey},
		{"verify_key_too_short", []string{"verify", "-key", "testdata/short.key", readmeToken}, "", exitKey},
		{"verify_key_wrong_alg", verify("-alg", "HS512", readmeToken), "", exitKey},
		{"verify_key_directory", []string{"verify", "-key", "testdata", readmeToken}, "", exitKey},

		{"sign_h", []string{"sign", "-h"}, "", exitOK},
		{"sign", sign("-exp", "1h", "-claims", `{"sub":"42","aud":"api","name":"Ann <a@b>"}`), "", exitOK},
		{"sign_readme", sign("-claims", `{"sub":"42","aud":"api","exp":1893456000,"name":"Ann","admin":false}`), "", exitOK},
		{"sign_kid_typ", sign("-kid", "k1", "-typ", "at+jwt", "-exp", "5m"), "", exitOK},
		{"sign_claims_file", sign("-exp", "1h", "-claims", "@testdata/claims.json"), "", exitOK},
		{"sign_claims_stdin", sign("-exp", "1h", "-claims", "-"), `{"sub":"42","iat":1}`, exitOK},
		{"sign_hs384", []string{"sign", "-alg", "HS384", "-key-env", "JWT_KEY384", "-key-format", "raw", "-exp", "1h"}, "", exitOK},
		{"sign_no_exp", sign("-claims", `{"sub":"42"}`), "", exitOK},
		{"sign_not_object", sign("-claims", `["sub"]`), "", exitRefused},
		{"sign_duplicate", sign("-claims", `{"sub":"42","x":{"a":1,"a":2}}`), "", exitRefused},
		{"sign_syntax", sign("-claims", `{"sub":42,}`), "", exitRefused},
		{"sign_truncated", sign("-claims", `{"sub":"42"`), "", exitRefused},
		{"sign_two_values", sign("-claims", `{} {}`), "", exitRefused},
		{"sign_invalid_utf8", sign("-claims", "{\"sub\":\"\xff\"}"), "", exitRefused},
		{"sign_too_deep", sign("-claims", `{"a":`+deep+`}`), "", exitRefused},
		{"sign_exp_string", sign("-claims", `{"exp":"tomorrow"}`), "", exitRefused},
		{"sign_aud_number", sign("-exp", "1h", "-claims", `{"aud":1}`), "", exitRefused},
		{"sign_claims_file_missing", sign("-claims", "@testdata/no-such-file"), "", exitRefused},
		{"sign_claims_too_large", sign("-claims", "-"), strings.Repeat(" ", maxClaims+1), exitRefused},
		{"sign_exp_twice", sign("-exp", "1h", "-claims", `{"exp":1893456000}`), "", exitUsage},
		{"sign_kid_utf8", sign("-kid", "\xff"), "", exitUsage},
		{"sign_argument", sign(`{"sub":"42"}`), "", exitUsage},
		{"sign_exp_bad", sign("-exp", "1 hour"), "", exitUsage},
		{"sign_key_too_short", []string{"sign", "-key", "testdata/short.key"}, "", exitKey},

		{"secret_h", []string{"secret", "-h"}, "", exitOK},
		{"secret_both_formats", []string{"secret", "-hex", "-base64url"}, "", exitUsage},
		{"secret_argument", []string{"secret", "32"}, "", exitUsage},
		{"secret_alg_unknown", []string{"secret", "-alg", "none"}, "", exitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runJWT(tc.args, tc.stdin)
			if r.status != tc.status {
				t.Errorf("status %d, want %d; stderr:\n%s", r.status, tc.status, r.stderr)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(r.golden()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.golden(); got != string(want) {
				t.Errorf("output differs from %s\ngot:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}

// TestRunNeverPrintsSecret checks that no output of a failing verify or sign holds the
// secret, in any of its forms, or the claim values of the token.
func TestRunNeverPrintsSecret(t *testing.T) {
	secret := "an example secret of 32+ bytes!!"
	forms := []string{secret, testEnv["JWT_KEY"], hex.EncodeToString([]byte(secret)), "Ann", readmeToken}
	for _, args := range [][]string{
		{"verify", "-key-env", "JWT_KEY", "-key-format", "hex", readmeToken},
		{"verify", "-key-env", "JWT_KEY", "-key-format", "raw", "-alg", "HS512", readmeToken},
		{"verify", "-key-env", "JWT_KEY", "-sub", "43", readmeToken},
		{"verify", "-key-env", "JWT_KEY", "-claim", "name=Bob", readmeToken},
		{"verify", "-key-env", "JWT_KEY384", "-key-format", "raw", readmeToken},
		{"sign", "-key-env", "JWT_KEY", "-key-format", "hex"},
		{"sign", "-key-env", "JWT_KEY", "-claims", `{"name":"Ann","name":"Ann"}`},
	} {
		r := runJWT(args, "")
		if r.status == exitOK {
			t.Errorf("%q: status 0, want a failure", args)
		}
		for _, f := range forms {
			if strings.Contains(r.stdout+r.stderr, f) {
				t.Errorf("%q: output holds %q:\n%s%s", args, f, r.stdout, r.stderr)
			}
		}
	}
}

// TestSecretReadsBack checks that what jwt secret prints, written to a file, is a key that
// sign and verify accept with the matching -key-format, for every algorithm.
func TestSecretReadsBack(t *testing.T) {
	for _, alg := range []string{"HS256", "HS384", "HS512"} {
		for _, f := range []struct {
			flag, format string
			decode       func(string) ([]byte, error)
		}{
			{"", "base64url", base64.RawURLEncoding.DecodeString},
			{"-base64url", "base64url", base64.RawURLEncoding.DecodeString},
			{"-hex", "hex", hex.DecodeString},
		} {
			t.Run(alg+f.flag, func(t *testing.T) {
				args := []string{"secret", "-alg", alg}
				if f.flag != "" {
					args = append(args, f.flag)
				}
				r := runJWT(args, "")
				if r.status != exitOK || r.stderr != "" {
					t.Fatalf("secret: status %d, stderr %q", r.status, r.stderr)
				}
				text, ok := strings.CutSuffix(r.stdout, "\n")
				if !ok {
					t.Fatalf("secret: output %q does not end with a newline", r.stdout)
				}
				b, err := f.decode(text)
				if err != nil {
					t.Fatalf("secret: output is not %s: %v", f.format, err)
				}
				if want := map[string]int{"HS256": 32, "HS384": 48, "HS512": 64}[alg]; len(b) != want {
					t.Errorf("secret: %d bytes, want %d", len(b), want)
				}
				file := filepath.Join(t.TempDir(), "key")
				if err := os.WriteFile(file, []byte(r.stdout), 0o600); err != nil {
					t.Fatal(err)
				}
				key := []string{"-key", file, "-key-format", f.format, "-alg", alg}
				s := runJWT(append(append([]string{"sign"}, key...), "-exp", "1h"), "")
				if s.status != exitOK {
					t.Fatalf("sign: status %d, stderr %q", s.status, s.stderr)
				}
				if v := runJWT(append(append([]string{"verify"}, key...), "-"), s.stdout); v.status != exitOK {
					t.Errorf("verify: status %d, stderr %q", v.status, v.stderr)
				}
			})
		}
	}
}

// TestKeyFileTooLarge checks that jwt stops reading a key file after maxKeyFile bytes.
func TestKeyFileTooLarge(t *testing.T) {
	file := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(file, bytes.Repeat([]byte("a"), maxKeyFile+1), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runJWT([]string{"verify", "-key", file, readmeToken}, "")
	if r.status != exitKey {
		t.Errorf("status %d, want %d; stderr %q", r.status, exitKey, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing", r.stdout)
	}
}

// TestSecretIsRandom checks that two secrets differ.
func TestSecretIsRandom(t *testing.T) {
	a, b := runJWT([]string{"secret"}, ""), runJWT([]string{"secret"}, "")
	if a.stdout == b.stdout {
		t.Errorf("two secrets are equal: %q", a.stdout)
	}
}

// TestSignVerifyRoundTrip checks that verify prints the claims sign was given, numbers and
// member names unchanged, with exp and iat from -exp.
func TestSignVerifyRoundTrip(t *testing.T) {
	token := mustSign(t, "-exp", "90s", "-claims", `{"sub":"42","big":12345678901234567890,"f":1.5e300,"nested":{"a":[1,"x",null,true]}}`)
	r := runJWT([]string{"verify", "-key-env", "JWT_KEY", token}, "")
	if r.status != exitOK {
		t.Fatalf("verify: status %d, stderr %q", r.status, r.stderr)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"sub":    `"42"`,
		"big":    `12345678901234567890`,
		"f":      `1.5e300`,
		"nested": `{"a":[1,"x",null,true]}`,
		"exp":    fmt.Sprint(now.Add(90 * time.Second).Unix()),
		"iat":    fmt.Sprint(now.Unix()),
	}
	if len(got) != len(want) {
		t.Errorf("claims %s, want the members of %v", r.stdout, want)
	}
	for name, w := range want {
		var compact bytes.Buffer
		if err := json.Compact(&compact, got[name]); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if compact.String() != w {
			t.Errorf("%s = %s, want %s", name, compact.String(), w)
		}
	}
}

// TestStatus maps every sentinel of package jwt that verify, sign or decode can meet, and
// the command's own, to its exit status, wrapped as the library and jwt wrap them.
func TestStatus(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, exitOK},
		{jwt.ErrMalformed, exitRefused},
		{jwt.ErrTooLarge, exitRefused},
		{jwt.ErrAlgorithm, exitRefused},
		{jwt.ErrUnknownKey, exitRefused},
		{jwt.ErrSignature, exitRefused},
		{jwt.ErrEncode, exitRefused},
		{errClaims, exitRefused},
		{errUsage, exitUsage},
		{jwt.ErrInvalidConfig, exitUsage},
		{jwt.ErrExpired, exitExpired},
		{jwt.ErrNotYetValid, exitNotYetValid},
		{jwt.ErrIssuedInFuture, exitNotYetValid},
		{jwt.ErrIssuer, exitClaim},
		{jwt.ErrSubject, exitClaim},
		{jwt.ErrAudience, exitClaim},
		{jwt.ErrTokenType, exitClaim},
		{jwt.ErrMissingClaim, exitClaim},
		{jwt.ErrClaimValue, exitClaim},
		{errKey, exitKey},
		{jwt.ErrKeyTooShort, exitKey},
	}
	for _, tc := range tests {
		err := tc.err
		if err != nil {
			err = fmt.Errorf("%w: detail", err)
		}
		if got := status(err); got != tc.want {
			t.Errorf("status(%v) = %d, want %d", err, got, tc.want)
		}
	}
	if got := status(errors.New("jwt: something else")); got != exitRefused {
		t.Errorf("status of an unknown error = %d, want %d", got, exitRefused)
	}
}

// TestFormatSpan checks the relative times of decode at each unit's boundaries.
func TestFormatSpan(t *testing.T) {
	tests := []struct {
		sec  int64
		want string
	}{
		{0, "0s"},
		{1, "1s"},
		{59, "59s"},
		{60, "1m"},
		{250, "4m10s"},
		{3599, "59m59s"},
		{3600, "1h"},
		{7200, "2h"},
		{7260, "2h1m"},
		{7261, "2h1m"},
		{86399, "23h59m"},
		{86400, "1d"},
		{90000, "1d1h"},
		{365 * 86400, "1y"},
		{12*365*86400 + 40*86400 + 5, "12y40d"},
		{1<<63 - 1, "292471208677y195d"},
	}
	for _, tc := range tests {
		if got := formatSpan(tc.sec); got != tc.want {
			t.Errorf("formatSpan(%d) = %q, want %q", tc.sec, got, tc.want)
		}
	}
}

// TestExitStatusesDocumented checks that the command's doc comment and the README list the
// exit statuses exactly as the help does.
func TestExitStatusesDocumented(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range exitStatuses {
		if line := fmt.Sprintf("//\t%d  %s\n", s.status, s.meaning); !bytes.Contains(src, []byte(line)) {
			t.Errorf("the doc comment in main.go lacks the line %q", line)
		}
		if row := fmt.Sprintf("| %d | %s |\n", s.status, s.meaning); !bytes.Contains(readme, []byte(row)) {
			t.Errorf("README.md lacks the row %q", row)
		}
	}
}
