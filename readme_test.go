package jwt_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeExamples keeps every Go block of the README equal to the body of the Example it
// names in the comment line above it (<!-- code: FILE FUNC -->), so the README shows only
// code that compiles and whose output is checked. The first block must be Example itself.
func TestReadmeExamples(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	marker := regexp.MustCompile("<!-- code: (\\S+) (\\S+) -->\n(?:[^`]*\n)?```go\n((?s:.*?))```\n")
	blocks := marker.FindAllStringSubmatch(string(readme), -1)
	if got := strings.Count(string(readme), "```go\n"); got != len(blocks) {
		t.Errorf("README has %d go blocks, %d of them marked with the code they show", got, len(blocks))
	}
	if len(blocks) == 0 || blocks[0][2] != "Example" {
		t.Fatal("the README's first go block must be marked as Example")
	}
	for _, b := range blocks {
		file, fn, shown := b[1], b[2], b[3]
		if file == "redisstore/readme_test.go" {
			continue // checked by the redisstore module's own test
		}
		body, err := funcBody(file, fn)
		if err != nil {
			t.Error(err)
			continue
		}
		if shown != body {
			t.Errorf("README block for %s differs from its body in %s; the body is:\n%s", fn, file, body)
		}
	}
}

// funcBody returns the body of func fn in file, one tab of indentation removed.
func funcBody(file, fn string) (string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	_, body, ok := strings.Cut(string(src), "\nfunc "+fn+"() {\n")
	if !ok {
		return "", &os.PathError{Op: "find func " + fn, Path: file, Err: os.ErrNotExist}
	}
	body, _, _ = strings.Cut(body, "\n}\n")
	var out strings.Builder
	for _, line := range strings.Split(body, "\n") {
		out.WriteString(strings.TrimPrefix(line, "\t") + "\n")
	}
	return out.String(), nil
}
