package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// buildJWT builds the command into a temporary directory and returns the binary's path.
func buildJWT(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "jwt")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	// go test puts the go command of its own toolchain first in PATH.
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// execJWT runs the binary in dir with stdin, the environment plus env, and returns what it
// gave.
func execJWT(t *testing.T, bin, dir, stdin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("jwt %q: %v", args, err)
	}
	return result{cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()}
}

// TestBinary builds the command and runs it as a user would, on its own and through the
// README's session.
func TestBinary(t *testing.T) {
	bin := buildJWT(t)
	t.Run("commands", func(t *testing.T) { testCommands(t, bin) })
	t.Run("readme", func(t *testing.T) { testReadmeSession(t, bin) })
}

// testCommands runs secret, sign, decode and verify, and one failure of each exit status.
// Tokens expire in about a century, so that no output depends on the day the test runs.
func testCommands(t *testing.T, bin string) {
	dir := t.TempDir()
	jwtIn := func(stdin string, env []string, args ...string) result {
		return execJWT(t, bin, dir, stdin, env, args...)
	}
	ok := func(r result, what string) string {
		t.Helper()
		if r.status != exitOK {
			t.Fatalf("%s: status %d, stderr %q", what, r.status, r.stderr)
		}
		return r.stdout
	}

	key := ok(jwtIn("", nil, "secret"), "secret")
	if err := os.WriteFile(filepath.Join(dir, "key"), []byte(key), 0o600); err != nil {
		t.Fatal(err)
	}
	other := ok(jwtIn("", nil, "secret"), "secret")
	keyEnv := []string{"JWT_SECRET=" + strings.TrimSpace(key), "OTHER_SECRET=" + other}

	token := ok(jwtIn(`{"sub":"42","aud":"api"}`, nil, "sign", "-key", "key", "-exp", "900000h", "-claims", "-"), "sign")
	expired := ok(jwtIn("", nil, "sign", "-key", "key", "-exp", "-1h"), "sign -exp -1h")
	notYet := ok(jwtIn("", nil, "sign", "-key", "key", "-exp", "900000h", "-claims", `{"nbf":4102444800}`), "sign nbf")

	var decoded struct {
		Header struct{ Alg, Typ string }
		Claims struct{ Sub string }
		Dates  struct {
			Exp struct{ Time, Relative string }
		}
	}
	d := jwtIn(token, nil, "decode")
	if err := json.Unmarshal([]byte(ok(d, "decode")), &decoded); err != nil {
		t.Fatalf("decode: output is not JSON: %v", err)
	}
	if decoded.Header.Alg != "HS256" || decoded.Header.Typ != "JWT" || decoded.Claims.Sub != "42" {
		t.Errorf("decode: %+v", decoded)
	}
	if !strings.HasPrefix(decoded.Dates.Exp.Relative, "expires in 10") || !strings.HasSuffix(decoded.Dates.Exp.Time, "Z") {
		t.Errorf("decode: exp shown as %+v", decoded.Dates.Exp)
	}
	if !strings.Contains(d.stderr, "NOT VERIFIED") {
		t.Errorf("decode: stderr %q does not say that nothing was verified", d.stderr)
	}

	var claims struct{ Sub, Aud string }
	v := jwtIn("", keyEnv, "verify", "-key-env", "JWT_SECRET", "-aud", "api", "-sub", "42", strings.TrimSpace(token))
	if err := json.Unmarshal([]byte(ok(v, "verify")), &claims); err != nil {
		t.Fatalf("verify: output is not JSON: %v", err)
	}
	if claims.Sub != "42" || claims.Aud != "api" {
		t.Errorf("verify: claims %+v", claims)
	}
	if h := jwtIn("", nil, "-h"); h.status != exitOK || !strings.Contains(h.stdout, "Exit status:") {
		t.Errorf("jwt -h: status %d, stdout %q", h.status, h.stdout)
	}

	for _, tc := range []struct {
		name   string
		stdin  string
		args   []string
		status int
	}{
		{"other key", token, []string{"verify", "-key-env", "OTHER_SECRET"}, exitRefused},
		{"unknown flag", token, []string{"verify", "-key", "key", "-secret", "x"}, exitUsage},
		{"unknown command", "", []string{"check"}, exitUsage},
		{"expired", expired, []string{"verify", "-key", "key"}, exitExpired},
		{"not yet valid", notYet, []string{"verify", "-key", "key"}, exitNotYetValid},
		{"issuer", token, []string{"verify", "-key", "key", "-iss", "auth"}, exitClaim},
		{"key missing", token, []string{"verify", "-key", "no-such-key"}, exitKey},
	} {
		r := jwtIn(tc.stdin, keyEnv, tc.args...)
		if r.status != tc.status {
			t.Errorf("%s: status %d, want %d; stderr %q", tc.name, r.status, tc.status, r.stderr)
		}
		if r.stdout != "" || r.stderr == "" {
			t.Errorf("%s: stdout %q, stderr %q; want only a reason on stderr", tc.name, r.stdout, r.stderr)
		}
		if strings.Contains(r.stderr, strings.TrimSpace(key)) || strings.Contains(r.stderr, strings.TrimSpace(other)) {
			t.Errorf("%s: stderr holds a secret", tc.name)
		}
	}
}

// testReadmeSession runs the shell blocks of the README's "Command line" section with the
// built command first in PATH, in an empty directory; each must print claims.
func testReadmeSession(t *testing.T, bin string) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Command line\n")
	if !ok {
		t.Fatal(`README.md has no "## Command line" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)```\n").FindAllStringSubmatch(section, -1)
	if len(blocks) == 0 {
		t.Fatal("the Command line section has no sh block")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatalf("the README session needs a POSIX shell: %v", err)
	}
	dir := t.TempDir()
	path := "PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH")
	for _, b := range blocks {
		r := execJWT(t, sh, dir, "", []string{path}, "-e", "-c", b[1])
		if r.status != exitOK {
			t.Errorf("README block\n%s\nstatus %d, stderr %q", b[1], r.status, r.stderr)
		}
		if !strings.Contains(r.stdout, `"sub": "42"`) {
			t.Errorf("README block\n%s\nprints no claims: %q", b[1], r.stdout)
		}
	}
}
