package jwt_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
	"github.com/zerojwt/jwt/storetest"
)

func TestMemoryStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) jwt.Store { return new(jwt.MemoryStore) })
}

// brokenStore breaks one rule of the Store contract, to show the suite notices.
type brokenStore struct {
	jwt.MemoryStore
	rule string
}

func (b *brokenStore) Rotate(ctx context.Context, r jwt.Rotation) ([]byte, error) {
	switch b.rule {
	case "no-revoke":
		r.RevokeOnReuse = false
	case "grace-any-age":
		if r.Grace > 0 {
			r.Grace = time.Hour
		}
	}
	return b.MemoryStore.Rotate(ctx, r)
}

func (b *brokenStore) RevokeSession(ctx context.Context, subject, id string) error {
	if b.rule == "revoke-creates" {
		_ = b.MemoryStore.Create(ctx, jwt.SessionState{Subject: subject, ID: id, Head: "x", Revoked: true})
	}
	return b.MemoryStore.RevokeSession(ctx, subject, id)
}

// TestConformanceSuiteCatchesBrokenStores runs the suite's cases on stores that each break a
// rule, in a subtest whose failure is expected: the suite must fail for each of them.
func TestConformanceSuiteCatchesBrokenStores(t *testing.T) {
	for _, rule := range []string{"no-revoke", "revoke-creates", "grace-any-age"} {
		t.Run(rule, func(t *testing.T) {
			failed := runExpectingFailure(func(t *testing.T) {
				storetest.Run(t, func(*testing.T) jwt.Store { return &brokenStore{rule: rule} })
			})
			if !failed {
				t.Fatalf("the conformance suite passed a store that breaks rule %q", rule)
			}
		})
	}
}

// runExpectingFailure runs f as a test of its own, through testing.RunTests, and reports
// whether it failed, without failing the calling test. The nested run's report is discarded
// (it goes to os.Stdout, which would make go test -json see a failing test).
func runExpectingFailure(f func(t *testing.T)) bool {
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		panic(err)
	}
	stdout := os.Stdout
	os.Stdout = devNull
	defer func() { os.Stdout = stdout; devNull.Close() }()
	ok := testing.RunTests(func(string, string) (bool, error) { return true, nil },
		[]testing.InternalTest{{Name: "Nested", F: f}})
	return !ok
}

func TestMemoryStoreZeroValue(t *testing.T) {
	var m jwt.MemoryStore
	ctx := context.Background()
	if n := m.Len(); n != 0 {
		t.Fatalf("Len of the zero store = %d", n)
	}
	if _, err := m.Lookup(ctx, "a", "b"); !errors.Is(err, jwt.ErrUnknownSession) {
		t.Fatalf("Lookup on the zero store: %v", err)
	}
	if _, err := m.Rotate(ctx, jwt.Rotation{Subject: "a", ID: "b"}); !errors.Is(err, jwt.ErrUnknownSession) {
		t.Fatalf("Rotate on the zero store: %v", err)
	}
	if err := m.RevokeSubject(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := m.RevokeSession(ctx, "a", "b"); err != nil {
		t.Fatal(err)
	}
	if n := m.Sweep(time.Now()); n != 0 {
		t.Fatalf("Sweep of the zero store = %d", n)
	}
}

func TestMemoryStoreSweep(t *testing.T) {
	var m jwt.MemoryStore
	ctx := context.Background()
	base := time.Unix(1_700_000_000, 0)
	for i := range 10 {
		s := jwt.SessionState{Subject: fmt.Sprint("u", i%3), ID: fmt.Sprint("s", i), Head: "h",
			Created: base, Expires: base.Add(time.Duration(i) * time.Minute)}
		s.Revoked = i%2 == 0
		if err := m.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	// Expires at or before base+4m: sessions 0..4 go, revoked or not.
	if n := m.Sweep(base.Add(4 * time.Minute)); n != 5 {
		t.Fatalf("Sweep removed %d sessions, want 5", n)
	}
	if n := m.Len(); n != 5 {
		t.Fatalf("Len after Sweep = %d, want 5", n)
	}
	for i := range 10 {
		_, err := m.Lookup(ctx, fmt.Sprint("u", i%3), fmt.Sprint("s", i))
		if gone := errors.Is(err, jwt.ErrUnknownSession); gone != (i <= 4) {
			t.Errorf("session s%d: Lookup error %v after the sweep", i, err)
		}
	}
	// RevokeSubject still finds the remaining sessions through the subject index.
	if err := m.RevokeSubject(ctx, "u2"); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{5, 8} {
		if s, _ := m.Lookup(ctx, "u2", fmt.Sprint("s", i)); !s.Revoked {
			t.Errorf("s%d of u2 not revoked after the sweep", i)
		}
	}
	if n := m.Sweep(base.Add(time.Hour)); n != 5 || m.Len() != 0 {
		t.Fatalf("final Sweep removed %d, Len %d", n, m.Len())
	}
}

// TestMemoryStoreBoundedWithoutSweep creates many short sessions over time and never calls
// Sweep: the amortised sweep in Create keeps the store near the number of live sessions.
func TestMemoryStoreBoundedWithoutSweep(t *testing.T) {
	var m jwt.MemoryStore
	ctx := context.Background()
	base := time.Unix(1_700_000_000, 0)
	const live = 100 // each session lives 100 steps
	maxLen := 0
	for i := range 20_000 {
		now := base.Add(time.Duration(i) * time.Second)
		s := jwt.SessionState{Subject: "u", ID: fmt.Sprint(i), Head: "h", Created: now,
			Expires: now.Add(live * time.Second)}
		if err := m.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
		maxLen = max(maxLen, m.Len())
	}
	// Live sessions are at most 100; the store may keep up to about twice that plus the
	// minimum sweep interval.
	if maxLen > 2*live+64 {
		t.Fatalf("MemoryStore grew to %d sessions with at most %d live", maxLen, live)
	}
}

func TestMemoryStoreRotateForgetsExpired(t *testing.T) {
	var m jwt.MemoryStore
	ctx := context.Background()
	base := time.Unix(1_700_000_000, 0)
	if err := m.Create(ctx, jwt.SessionState{Subject: "u", ID: "s", Head: "h", Created: base, Expires: base.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	_, err := m.Rotate(ctx, jwt.Rotation{Subject: "u", ID: "s", Presented: "h", Next: "h2", Now: base.Add(time.Minute)})
	if !errors.Is(err, jwt.ErrUnknownSession) || m.Len() != 0 {
		t.Fatalf("Rotate after Expires: %v, Len %d; want ErrUnknownSession and 0", err, m.Len())
	}
}
