package jwt_test

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeExample keeps the README's first code block equal to the body of Example in
// example_test.go, so the README shows code that compiles and whose output is checked.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, body, ok := strings.Cut(string(src), "\nfunc Example() {\n")
	if !ok {
		t.Fatal("example_test.go has no func Example")
	}
	body, _, _ = strings.Cut(body, "\n}\n")
	var want strings.Builder
	for _, line := range strings.Split(body, "\n") {
		want.WriteString(strings.TrimPrefix(line, "\t") + "\n")
	}

	_, block, ok := strings.Cut(string(readme), "```go\n")
	if !ok {
		t.Fatal("README.md has no go code block")
	}
	block, _, _ = strings.Cut(block, "```\n")
	if block != want.String() {
		t.Errorf("README's first code block differs from Example's body; paste this into the README:\n%s", want.String())
	}
}
