package redisstore_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/redisstore"
)

// severalInstances is the code of the root README's "Running several instances" section:
// TestReadmeSeveralInstances runs it against Redis and checks that the README shows it as is.
func severalInstances(ctx context.Context, key *jwt.Key) (*jwt.Sessions, error) {
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})
	store, err := redisstore.New(ctx, rdb, redisstore.Options{})
	if err != nil {
		return nil, err
	}
	return jwt.NewSessions(jwt.SessionConfig{Key: key, Store: store})
}

func TestReadmeSeveralInstances(t *testing.T) {
	if shared.addr == "" {
		unavailable(t, shared.why)
	}
	t.Setenv("REDIS_ADDR", shared.addr)
	key, err := jwt.NewKey(jwt.HS256, []byte("redisstore readme secret, 32 bytes or more"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := severalInstances(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := severalInstances(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	pair, err := a.Issue(ctx, "readme-user", nil)
	if err != nil {
		t.Fatal(err)
	}
	next, err := b.Refresh(ctx, pair.Refresh) // the other instance sees the session
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Refresh(ctx, pair.Refresh); err == nil {
		t.Fatal("a rotated refresh token was accepted by the other instance")
	}
	if err := b.Logout(ctx, next.Refresh); err != nil {
		t.Fatal(err)
	}

	src, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(string(src), "\nfunc severalInstances(ctx context.Context, key *jwt.Key) (*jwt.Sessions, error) {\n")
	body, _, _ = strings.Cut(body, "\n}\n")
	var want strings.Builder
	for _, line := range strings.Split(body, "\n") {
		want.WriteString(strings.TrimPrefix(line, "\t") + "\n")
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "<!-- code: redisstore/readme_test.go severalInstances -->\n")
	if !ok {
		t.Fatal("README.md has no block marked for severalInstances")
	}
	_, block, _ = strings.Cut(block, "```go\n")
	block, _, _ = strings.Cut(block, "```\n")
	if block != want.String() {
		t.Errorf("README block differs from severalInstances; its body is:\n%s", want.String())
	}
}
