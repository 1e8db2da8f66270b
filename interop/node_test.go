package interop

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The Node.js peers run in one node process per batch: node/peer.mjs reads
// {"ops": [...]} on stdin and writes {"results": [...]} on stdout.

const nodeScript = "node/peer.mjs"

// nodeOp is one request to node/peer.mjs (see the protocol there).
type nodeOp struct {
	Op         string         `json:"op"`
	Lib        string         `json:"lib"`
	Alg        string         `json:"alg"`
	Key        string         `json:"key"` // standard base64
	Kid        *string        `json:"kid,omitempty"`
	Payload    map[string]any `json:"payload,omitempty"`
	PayloadB64 string         `json:"payload_b64,omitempty"`
	Header     map[string]any `json:"header,omitempty"`
	Token      string         `json:"token,omitempty"`
	Now        int64          `json:"now,omitempty"`
	Audience   string         `json:"audience,omitempty"`
	Issuer     string         `json:"issuer,omitempty"`
}

type nodeResult struct {
	OK      bool            `json:"ok"`
	Error   string          `json:"error"`
	Token   string          `json:"token"`
	Header  map[string]any  `json:"header"`
	Payload json.RawMessage `json:"payload"` // any JSON: jsonwebtoken can return a string
}

var nodeLibs = []string{"jose", "jsonwebtoken"}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// requireNode fails the test (never skips it) when node or the pinned
// node_modules are missing.
func requireNode(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not on PATH (%v); the interop tests need Node.js >= 20", err)
	}
	var pins struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := readJSON(filepath.Join("node", "package.json"), &pins); err != nil {
		t.Fatalf("node/package.json: %v", err)
	}
	for _, pkg := range nodeLibs {
		var installed struct {
			Version string `json:"version"`
		}
		p := filepath.Join("node", "node_modules", pkg, "package.json")
		if err := readJSON(p, &installed); err != nil {
			t.Fatalf("Node dependency %q is not installed (%v): run `npm ci --prefix interop/node` "+
				"from the repository root (or interop/run.sh) before `go test`", pkg, err)
		}
		if want := pins.Dependencies[pkg]; installed.Version != want {
			t.Fatalf("Node dependency %q is %s, package.json pins %q: run `npm ci --prefix interop/node` "+
				"from the repository root (or interop/run.sh) before `go test`", pkg, installed.Version, want)
		}
	}
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// runNode sends ops to node/peer.mjs and returns one result per op. A
// failing op is a result with OK false; a failure of node itself or of the
// protocol fails the test.
func runNode(t testing.TB, ops []nodeOp) []nodeResult {
	t.Helper()
	requireNode(t)
	if len(ops) == 0 {
		return nil
	}
	in, err := json.Marshal(map[string]any{"ops": ops})
	if err != nil {
		t.Fatalf("marshal node ops: %v", err)
	}
	script, err := filepath.Abs(nodeScript)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("node %s: %v\nstderr:\n%s", nodeScript, err, stderr.String())
		}
		t.Fatalf("node %s: %v", nodeScript, err)
	}
	var out struct {
		Results []nodeResult `json:"results"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("node %s: bad output (%v): %q\nstderr:\n%s", nodeScript, err, stdout.String(), stderr.String())
	}
	if len(out.Results) != len(ops) {
		t.Fatalf("node %s: %d results for %d ops", nodeScript, len(out.Results), len(ops))
	}
	return out.Results
}

func TestNodeDependenciesInstalled(t *testing.T) {
	requireNode(t)
}
