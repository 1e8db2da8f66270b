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

func (b *brokenStore) Create(ctx context.Context, s jwt.SessionState) error {
	if b.rule == "create-keeps-state" {
		s.Prev, s.PrevUsedAt, s.Successor, s.Revoked = "", time.Time{}, nil, false
	}
	return b.MemoryStore.Create(ctx, s)
}

func (b *brokenStore) Rotate(ctx context.Context, r jwt.RotateRequest) ([]byte, error) {
	switch b.rule {
	case "no-revoke":
		r.RevokeOnReuse = false
	case "grace-any-age":
		if r.Grace > 0 {
			r.Grace = time.Hour
		}
	case "repeat-is-reuse": // the rule before retry-safe rotation
		if st, err := b.MemoryStore.Lookup(ctx, r.Subject, r.SessionID); err == nil && st.Prev == r.Presented && st.Head == r.Next {
			if r.RevokeOnReuse {
				b.MemoryStore.RevokeSession(ctx, r.Subject, r.SessionID)
			}
			return nil, jwt.ErrReused
		}
	case "empty-grace": // a grace answer from an empty recorded successor
		st, err := b.MemoryStore.Lookup(ctx, r.Subject, r.SessionID)
		if err == nil && !st.Revoked && r.Grace > 0 && st.Prev == r.Presented && st.Head != r.Next &&
			st.Successor == nil && r.Now.Sub(st.PrevUsedAt) < r.Grace {
			return []byte{}, nil
		}
	}
	return b.MemoryStore.Rotate(ctx, r)
}

func (b *brokenStore) RevokeSession(ctx context.Context, subject, id string) error {
	if b.rule == "revoke-creates" {
		if b.MemoryStore.Create(ctx, jwt.SessionState{Subject: subject, SessionID: id, Head: "x"}) == nil {
			return b.MemoryStore.RevokeSession(ctx, subject, id)
		}
	}
	return b.MemoryStore.RevokeSession(ctx, subject, id)
}

// TestConformanceSuiteCatchesBrokenStores runs the suite's cases on stores that each break a
// rule, in a subtest whose failure is expected: the suite must fail for each of them.
func TestConformanceSuiteCatchesBrokenStores(t *testing.T) {
	rules := map[string]func() jwt.Store{
		"no-revoke":          nil,
		"revoke-creates":     nil,
		"grace-any-age":      nil,
		"repeat-is-reuse":    nil,
		"create-keeps-state": nil,
		"empty-grace":        nil,
		"no-cap": func() jwt.Store {
			return &brokenStore{MemoryStore: jwt.MemoryStore{MaxSessionsPerSubject: 1 << 30}}
		},
	}
	for rule, newStore := range rules {
		if newStore == nil {
			newStore = func() jwt.Store { return &brokenStore{rule: rule} }
		}
		t.Run(rule, func(t *testing.T) {
			failed := runExpectingFailure(func(t *testing.T) {
				storetest.Run(t, func(*testing.T) jwt.Store { return newStore() })
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
	if _, err := m.Rotate(ctx, jwt.RotateRequest{Subject: "a", SessionID: "b"}); !errors.Is(err, jwt.ErrUnknownSession) {
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
		s := jwt.SessionState{Subject: fmt.Sprint("u", i%3), SessionID: fmt.Sprint("s", i), Head: "h",
			Created: base, Expires: base.Add(time.Duration(i) * time.Minute)}
		if err := m.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := m.RevokeSession(ctx, s.Subject, s.SessionID); err != nil {
				t.Fatal(err)
			}
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
		s := jwt.SessionState{Subject: "u", SessionID: fmt.Sprint(i), Head: "h", Created: now,
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
	if err := m.Create(ctx, jwt.SessionState{Subject: "u", SessionID: "s", Head: "h", Created: base, Expires: base.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	_, err := m.Rotate(ctx, jwt.RotateRequest{Subject: "u", SessionID: "s", Presented: "h", Next: "h2", Now: base.Add(time.Minute)})
	if !errors.Is(err, jwt.ErrUnknownSession) || m.Len() != 0 {
		t.Fatalf("Rotate after Expires: %v, Len %d; want ErrUnknownSession and 0", err, m.Len())
	}
}

func TestMemoryStoreMaxSessionsPerSubject(t *testing.T) {
	m := jwt.MemoryStore{MaxSessionsPerSubject: 3}
	ctx := context.Background()
	base := time.Unix(1_700_000_000, 0)
	for i := range 5 {
		s := jwt.SessionState{Subject: "u", SessionID: fmt.Sprint("s", i), Head: "h", Created: base,
			Expires: base.Add(time.Hour + time.Duration(i)*time.Second)}
		if err := m.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Create(ctx, jwt.SessionState{Subject: "v", SessionID: "s0", Head: "h", Created: base, Expires: base.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		_, err := m.Lookup(ctx, "u", fmt.Sprint("s", i))
		if gone := errors.Is(err, jwt.ErrUnknownSession); gone != (i < 2) {
			t.Errorf("session s%d past a cap of 3: Lookup error %v", i, err)
		}
	}
	if n := m.Len(); n != 4 {
		t.Fatalf("Len = %d, want 3 sessions of u and 1 of v", n)
	}
}

// keyForStoreTests signs the tokens of the Sessions tests in this file.
func keyForStoreTests(t *testing.T) *jwt.Key {
	t.Helper()
	k, err := jwt.NewKey(jwt.HS256, []byte("store tests secret, at least 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// rotateTwice runs every Rotate twice with the same arguments and returns the second
// result, as a client library does when the reply to the first run was lost.
type rotateTwice struct{ jwt.MemoryStore }

func (s *rotateTwice) Rotate(ctx context.Context, r jwt.RotateRequest) ([]byte, error) {
	if _, err := s.MemoryStore.Rotate(ctx, r); err != nil {
		return nil, err
	}
	return s.MemoryStore.Rotate(ctx, r)
}

// emptyRotated answers a rotation with an empty, non-nil successor.
type emptyRotated struct{ jwt.MemoryStore }

func (s *emptyRotated) Rotate(ctx context.Context, r jwt.RotateRequest) ([]byte, error) {
	succ, err := s.MemoryStore.Rotate(ctx, r)
	if err == nil && succ == nil {
		succ = []byte{}
	}
	return succ, err
}

// TestRefreshThroughStoreQuirks runs a rotation chain through stores that repeat each
// Rotate (a retried store call must not be reuse) or answer a rotation with an empty slice
// (it must not read as a grace answer), with and without grace.
func TestRefreshThroughStoreQuirks(t *testing.T) {
	stores := map[string]func() jwt.Store{
		"repeated":     func() jwt.Store { return new(rotateTwice) },
		"empty-result": func() jwt.Store { return new(emptyRotated) },
	}
	for name, newStore := range stores {
		for _, grace := range []time.Duration{0, 5 * time.Second} {
			t.Run(fmt.Sprint(name, "/grace=", grace), func(t *testing.T) {
				st := newStore()
				s, err := jwt.NewSessions(jwt.SessionConfig{Key: keyForStoreTests(t), Store: st, ReuseGrace: grace})
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				p, err := s.Issue(ctx, "42", nil)
				if err != nil {
					t.Fatal(err)
				}
				for i := range 3 {
					if p, err = s.Refresh(ctx, p.Refresh); err != nil {
						t.Fatalf("refresh %d: %v", i+1, err)
					}
				}
				if got, err := st.Lookup(ctx, "42", p.SessionID); err != nil || got.Revoked {
					t.Fatalf("session after the chain: revoked %v, %v", got.Revoked, err)
				}
			})
		}
	}
}

// TestRefreshStaticExpiredSession: without rotation Refresh asks Lookup, which may return a
// session past its Expires; Refresh must treat it as unknown. Instance b allows more leeway
// than instance a, which recorded the session, so b still accepts the token itself.
func TestRefreshStaticExpiredSession(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	store := new(jwt.MemoryStore)
	cfg := jwt.SessionConfig{Key: keyForStoreTests(t), Store: store, DisableRotation: true,
		Now: func() time.Time { return now }}
	a, err := jwt.NewSessions(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Leeway = 5 * time.Minute
	b, err := jwt.NewSessions(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := a.Issue(ctx, "42", nil)
	if err != nil {
		t.Fatal(err)
	}
	now = p.RefreshExpiresAt.Add(time.Minute)
	if q, err := b.Refresh(ctx, p.Refresh); !errors.Is(err, jwt.ErrUnknownSession) || q != (jwt.Pair{}) {
		t.Fatalf("Refresh of a session past its Expires: %v, want ErrUnknownSession and no pair", err)
	}
}
