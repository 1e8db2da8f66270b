// Package storetest is the conformance suite for implementations of [jwt.Store]. Call [Run]
// from a test of the store's package:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) jwt.Store { return newTestStore(t) })
//	}
//
// What a store must do, in short (the [jwt.Store] documentation has the rules in full):
//
//   - Identify a session by Subject and ID together; any strings, including ones with
//     ':', '{', '}', spaces and non-ASCII, must stay distinct.
//   - Make Create, Rotate, Lookup, RevokeSession and RevokeSubject each one atomic step.
//     Rotate is a compare-and-set on the head jti: of many concurrent Rotate calls
//     presenting the same head exactly one rotates.
//   - Answer a repeat of the same Create or Rotate call (a client library re-sending it after
//     a lost reply) as the first run was answered: a repeated rotation is no reuse, while
//     another caller presenting the same token, with its own Next, is.
//   - Keep at most jwt.DefaultMaxSessionsPerSubject sessions per subject, ending the ones
//     with the earliest Expires first (newStore must return a store with the default cap).
//   - Report session states with jwt.ErrUnknownSession, jwt.ErrRevoked and jwt.ErrReused
//     (matched with errors.Is) and use any other error only for failures. Tell a rotation
//     from a grace answer by the length of the successor returned: empty for a rotation.
//   - Keep times to at least the millisecond and judge expiry and the grace window by the
//     times passed in (RotateRequest.Now), not by its own clock.
//   - Copy byte slices in and out, and change nothing when the context is already done.
//
// newStore must return an empty store, isolated from the stores of other calls (for a
// shared server such as Redis: a fresh key prefix or database). The suite is deterministic:
// it uses fixed names, and times relative to one instant read at the start of each subtest
// (sessions expire an hour later, so stores that delete records by their own clock pass
// too). It uses only the standard library and runs under -race.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zerojwt/jwt"
)

// goroutines is the number of goroutines the concurrency cases start at once.
const goroutines = 64

// rounds is how often each concurrency case repeats.
const rounds = 10

// Run runs the conformance suite as subtests of t, each on a store from newStore.
func Run(t *testing.T, newStore func(t *testing.T) jwt.Store) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := &harness{t: t, st: newStore(t), ctx: context.Background(), base: time.Now().Truncate(time.Second)}
			c.run(h)
		})
	}
}

// harness carries the store under test and a few helpers for the cases.
type harness struct {
	t    *testing.T
	st   jwt.Store
	ctx  context.Context
	base time.Time // an instant on a whole second
}

const (
	sub  = "user-42"
	sid  = "session-1"
	hour = time.Hour
	ms   = time.Millisecond
)

// at returns base + d.
func (h *harness) at(d time.Duration) time.Time { return h.base.Add(d) }

// state is a new session of subject s with id and head, created at base, expiring an hour
// later.
func (h *harness) state(s, id, head string) jwt.SessionState {
	return jwt.SessionState{Subject: s, SessionID: id, Head: head, Created: h.base, Expires: h.at(hour)}
}

func (h *harness) create(s jwt.SessionState) {
	h.t.Helper()
	if err := h.st.Create(h.ctx, s); err != nil {
		h.t.Fatalf("Create(%q, %q): %v", s.Subject, s.SessionID, err)
	}
}

func (h *harness) lookup(s, id string) jwt.SessionState {
	h.t.Helper()
	got, err := h.st.Lookup(h.ctx, s, id)
	if err != nil {
		h.t.Fatalf("Lookup(%q, %q): %v", s, id, err)
	}
	return got
}

// rotation presents jti presented of the default session at base+now, naming next as the
// successor, without grace and with reuse detection.
func (h *harness) rotation(presented, next string, now time.Duration) jwt.RotateRequest {
	return jwt.RotateRequest{
		Subject: sub, SessionID: sid, Presented: presented, Next: next,
		Expires: h.at(now + hour), Now: h.at(now), RevokeOnReuse: true,
	}
}

// rotate calls Rotate and requires the outcome want: nil for a rotation, a sentinel, or
// errGrace for a grace answer.
func (h *harness) rotate(r jwt.RotateRequest, want error) []byte {
	h.t.Helper()
	succ, err := h.st.Rotate(h.ctx, r)
	if got := outcome(succ, err); got != want {
		h.t.Fatalf("Rotate(presented %q, next %q, now base%+v, grace %v) = %v, want %v",
			r.Presented, r.Next, r.Now.Sub(h.base), r.Grace, describe(succ, err), name(want))
	}
	return succ
}

var errGrace = errors.New("successor returned (grace)")
var errOther = errors.New("other error")

// outcome classifies the result of Rotate.
func outcome(succ []byte, err error) error {
	switch {
	case err == nil && len(succ) == 0:
		return nil
	case err == nil:
		return errGrace
	}
	for _, e := range []error{jwt.ErrUnknownSession, jwt.ErrRevoked, jwt.ErrReused} {
		if errors.Is(err, e) {
			return e
		}
	}
	return errOther
}

func name(e error) string {
	if e == nil {
		return "rotated"
	}
	return e.Error()
}

func describe(succ []byte, err error) string {
	if err != nil {
		return fmt.Sprintf("error %v", err)
	}
	if len(succ) == 0 {
		return "rotated"
	}
	return fmt.Sprintf("successor %q", succ)
}

// wantState checks the fields of session (sub, sid) that the suite controls.
func (h *harness) wantState(head, prev string, revoked bool) jwt.SessionState {
	h.t.Helper()
	got := h.lookup(sub, sid)
	if got.Head != head || got.Prev != prev || got.Revoked != revoked {
		h.t.Fatalf("session: head %q, prev %q, revoked %v; want %q, %q, %v",
			got.Head, got.Prev, got.Revoked, head, prev, revoked)
	}
	return got
}

func sameTime(a, b time.Time) bool { return a.Equal(b) }

type testCase struct {
	name string
	run  func(h *harness)
}

var cases = []testCase{
	{"Create/LookupRoundTrip", func(h *harness) {
		s := h.state(sub, sid, "j1")
		h.create(s)
		got := h.lookup(sub, sid)
		if got.Subject != sub || got.SessionID != sid || got.Head != "j1" || got.Prev != "" || got.Revoked ||
			!sameTime(got.Expires, s.Expires) || !sameTime(got.Created, s.Created) || got.Successor != nil {
			h.t.Fatalf("Lookup after Create = %+v, want %+v", got, s)
		}
	}},
	{"Create/DuplicateRejected", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		if err := h.st.Create(h.ctx, h.state(sub, sid, "j2")); err == nil {
			h.t.Fatal("second Create of the same session succeeded")
		}
		h.wantState("j1", "", false)
	}},
	{"Create/RepeatedCallSucceeds", func(h *harness) {
		// A client library may send the same Create again when the reply was lost.
		s := h.state(sub, sid, "j1")
		h.create(s)
		h.create(s)
		h.wantState("j1", "", false)
		h.rotate(h.rotation("j1", "j2", 0), nil)
		if err := h.st.Create(h.ctx, s); err == nil {
			h.t.Fatal("Create with the first head succeeded after a rotation")
		}
		h.wantState("j2", "j1", false)
	}},
	{"Create/NotFreshRejected", func(h *harness) {
		for name, change := range map[string]func(*jwt.SessionState){
			"Prev":       func(s *jwt.SessionState) { s.Prev = "j0" },
			"PrevUsedAt": func(s *jwt.SessionState) { s.PrevUsedAt = h.base },
			"Successor":  func(s *jwt.SessionState) { s.Successor = []byte("s1") },
			"Revoked":    func(s *jwt.SessionState) { s.Revoked = true },
		} {
			s := h.state(sub, sid, "j1")
			change(&s)
			if err := h.st.Create(h.ctx, s); err == nil {
				h.t.Errorf("Create of a state with %s set succeeded", name)
			} else if outcome(nil, err) != errOther {
				h.t.Errorf("Create of a state with %s set: %v, want a failure, not a session state", name, err)
			}
		}
		if _, err := h.st.Lookup(h.ctx, sub, sid); !errors.Is(err, jwt.ErrUnknownSession) {
			h.t.Fatalf("Lookup after rejected Creates: %v, want ErrUnknownSession", err)
		}
	}},
	{"Create/CapEndsStalestSession", func(h *harness) {
		// Sessions s0 … s(cap-1), each expiring a second after the one before; s0 is then
		// refreshed, so s1 has the earliest Expires when one more login comes.
		n := jwt.DefaultMaxSessionsPerSubject
		for i := range n {
			s := h.state(sub, fmt.Sprint("s", i), "j1")
			s.Expires = h.at(hour + time.Duration(i)*time.Second)
			h.create(s)
		}
		h.create(h.state("other", "s1", "j1"))
		r := h.rotation("j1", "j2", time.Minute)
		r.SessionID = "s0"
		h.rotate(r, nil)
		h.create(h.state(sub, "new", "j1"))
		if _, err := h.st.Lookup(h.ctx, sub, "s1"); !errors.Is(err, jwt.ErrUnknownSession) {
			h.t.Fatalf("Lookup of the stalest session past the cap: %v, want ErrUnknownSession", err)
		}
		for _, id := range []string{"s0", "s2", fmt.Sprint("s", n-1), "new"} {
			h.lookup(sub, id)
		}
		h.lookup("other", "s1")
		if err := h.st.RevokeSubject(h.ctx, sub); err != nil {
			h.t.Fatal(err)
		}
		if !h.lookup(sub, "s0").Revoked || !h.lookup(sub, "new").Revoked || h.lookup("other", "s1").Revoked {
			h.t.Fatal("RevokeSubject after the cap missed a session or touched another subject")
		}
	}},
	{"Create/CapKeepsNewSession", func(h *harness) {
		// The new session expires before all others: one of them goes, never the new one.
		n := jwt.DefaultMaxSessionsPerSubject
		for i := range n {
			h.create(h.state(sub, fmt.Sprint("s", i), "j1"))
		}
		s := h.state(sub, "new", "j1")
		s.Expires = h.at(hour / 2)
		h.create(s)
		h.lookup(sub, "new")
		known := 0
		for i := range n {
			if _, err := h.st.Lookup(h.ctx, sub, fmt.Sprint("s", i)); err == nil {
				known++
			} else if !errors.Is(err, jwt.ErrUnknownSession) {
				h.t.Fatal(err)
			}
		}
		if known != n-1 {
			h.t.Fatalf("%d of the %d older sessions kept, want %d", known, n, n-1)
		}
	}},
	{"Create/IncompleteRejected", func(h *harness) {
		for _, s := range []jwt.SessionState{h.state("", sid, "j1"), h.state(sub, "", "j1"), h.state(sub, sid, "")} {
			if err := h.st.Create(h.ctx, s); err == nil {
				h.t.Errorf("Create(subject %q, id %q, head %q) succeeded", s.Subject, s.SessionID, s.Head)
			}
		}
		if _, err := h.st.Lookup(h.ctx, sub, sid); !errors.Is(err, jwt.ErrUnknownSession) {
			h.t.Fatalf("Lookup after rejected Creates: %v, want ErrUnknownSession", err)
		}
	}},
	{"Create/SameIDOtherSubjectIsDistinct", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		h.create(h.state("other", sid, "k1"))
		h.rotate(h.rotation("j1", "j2", 0), nil)
		if got := h.lookup("other", sid); got.Head != "k1" || got.Revoked {
			h.t.Fatalf("other subject's session changed: %+v", got)
		}
	}},
	{"Lookup/Unknown", func(h *harness) {
		if _, err := h.st.Lookup(h.ctx, sub, sid); !errors.Is(err, jwt.ErrUnknownSession) {
			h.t.Fatalf("Lookup on an empty store: %v, want ErrUnknownSession", err)
		}
		h.create(h.state(sub, sid, "j1"))
		if _, err := h.st.Lookup(h.ctx, "other", sid); !errors.Is(err, jwt.ErrUnknownSession) {
			h.t.Fatalf("Lookup with another subject: %v, want ErrUnknownSession", err)
		}
		if _, err := h.st.Lookup(h.ctx, sub, "session-2"); !errors.Is(err, jwt.ErrUnknownSession) {
			h.t.Fatalf("Lookup of another id: %v, want ErrUnknownSession", err)
		}
	}},
	{"Keys/UnusualStringsStayDistinct", func(h *harness) {
		subjects := []string{"a", "a:", ":a", "a:b", "{a}", "a}", "{", "a b", "ü", "\x00", "a\nb", string(bytes.Repeat([]byte("s"), 1000))}
		for i, s := range subjects {
			h.create(h.state(s, "id:{"+s+"}", fmt.Sprint("head-", i)))
		}
		if err := h.st.RevokeSubject(h.ctx, "a:"); err != nil {
			h.t.Fatal(err)
		}
		for i, s := range subjects {
			got := h.lookup(s, "id:{"+s+"}")
			if got.Head != fmt.Sprint("head-", i) || got.Revoked != (s == "a:") {
				h.t.Errorf("subject %q: head %q revoked %v", s, got.Head, got.Revoked)
			}
		}
	}},
	{"Keys/SubjectAndIDDoNotRunTogether", func(h *harness) {
		// A store that joins subject and id with a separator would confuse these two.
		h.create(h.state("a", "b:c", "head-1"))
		h.create(h.state("a:b", "c", "head-2"))
		if err := h.st.RevokeSubject(h.ctx, "a"); err != nil {
			h.t.Fatal(err)
		}
		if got := h.lookup("a", "b:c"); got.Head != "head-1" || !got.Revoked {
			h.t.Errorf(`("a", "b:c"): head %q revoked %v, want head-1 revoked`, got.Head, got.Revoked)
		}
		if got := h.lookup("a:b", "c"); got.Head != "head-2" || got.Revoked {
			h.t.Errorf(`("a:b", "c"): head %q revoked %v, want head-2 live`, got.Head, got.Revoked)
		}
	}},
	{"Rotate/Head", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		h.rotate(h.rotation("j1", "j2", 10*time.Second), nil)
		got := h.wantState("j2", "j1", false)
		if !sameTime(got.PrevUsedAt, h.at(10*time.Second)) || !sameTime(got.Expires, h.at(10*time.Second+hour)) {
			h.t.Fatalf("after Rotate: PrevUsedAt base%+v, Expires base%+v; want base+10s, base+1h0m10s",
				got.PrevUsedAt.Sub(h.base), got.Expires.Sub(h.base))
		}
	}},
	{"Rotate/Chain", func(h *harness) {
		h.create(h.state(sub, sid, "j0"))
		for i := 1; i <= 20; i++ {
			h.rotate(h.rotation(fmt.Sprint("j", i-1), fmt.Sprint("j", i), time.Duration(i)*time.Second), nil)
		}
		h.wantState("j20", "j19", false)
	}},
	{"Rotate/Unknown", func(h *harness) {
		h.rotate(h.rotation("j1", "j2", 0), jwt.ErrUnknownSession)
		if _, err := h.st.Lookup(h.ctx, sub, sid); !errors.Is(err, jwt.ErrUnknownSession) {
			h.t.Fatalf("Rotate of an unknown session created one: Lookup gives %v", err)
		}
		h.create(h.state(sub, sid, "j1"))
		r := h.rotation("j1", "j2", 0)
		r.Subject = "other"
		h.rotate(r, jwt.ErrUnknownSession)
		r = h.rotation("j1", "j2", 0)
		r.SessionID = "session-2"
		h.rotate(r, jwt.ErrUnknownSession)
		h.wantState("j1", "", false)
	}},
	{"Rotate/ExpiredIsUnknown", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		h.rotate(h.rotation("j1", "j2", hour), jwt.ErrUnknownSession)
		h.rotate(h.rotation("j1", "j2", 2*hour), jwt.ErrUnknownSession)
	}},
	{"Rotate/JustBeforeExpiry", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		h.rotate(h.rotation("j1", "j2", hour-ms), nil)
		h.wantState("j2", "j1", false)
	}},
	{"Rotate/ExpiresNeverShrinks", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		r := h.rotation("j1", "j2", 0)
		r.Expires = h.at(30 * time.Minute)
		h.rotate(r, nil)
		if got := h.lookup(sub, sid); !sameTime(got.Expires, h.at(hour)) {
			h.t.Fatalf("Expires moved back to base%+v, want base+1h", got.Expires.Sub(h.base))
		}
	}},
	{"Rotate/RepeatedCallIsNoReuse", func(h *harness) {
		// A client library re-sends the same call when the reply was lost: the repeat
		// reports the rotation again and changes nothing, with or without grace.
		for i, grace := range []time.Duration{0, 10 * time.Second} {
			id := fmt.Sprint("session-", i)
			h.create(h.state(sub, id, "j1"))
			r := h.rotation("j1", "j2", time.Second)
			r.SessionID, r.Grace = id, grace
			if grace > 0 {
				r.Successor = []byte("s2")
			}
			h.rotate(r, nil)
			before := h.lookup(sub, id)
			r2 := r
			r2.Now = h.at(2 * time.Second) // a repeat sent later is still the same call
			h.rotate(r, nil)
			h.rotate(r2, nil)
			after := h.lookup(sub, id)
			if after.Head != "j2" || after.Prev != "j1" || after.Revoked || !sameTime(after.PrevUsedAt, before.PrevUsedAt) ||
				!sameTime(after.Expires, before.Expires) || string(after.Successor) != string(before.Successor) {
				h.t.Fatalf("grace %v: the repeated rotation changed the session: %+v, was %+v", grace, after, before)
			}
			n := h.rotation("j2", "j3", 3*time.Second)
			n.SessionID = id
			h.rotate(n, nil)
		}
	}},
	{"Rotate/RepeatAfterNextRotationIsReuse", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		h.rotate(h.rotation("j1", "j2", 0), nil)
		h.rotate(h.rotation("j2", "j3", time.Second), nil)
		h.rotate(h.rotation("j1", "j2", 0), jwt.ErrReused)
		h.wantState("j3", "j2", true)
	}},
	{"Rotate/RepeatOfRevokedSession", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		h.rotate(h.rotation("j1", "j2", 0), nil)
		if err := h.st.RevokeSession(h.ctx, sub, sid); err != nil {
			h.t.Fatal(err)
		}
		h.rotate(h.rotation("j1", "j2", 0), jwt.ErrRevoked)
	}},
	{"Reuse/OtherCallerWithSameTokenIsReuse", func(h *harness) {
		// Two callers present j1, each with its own random successor: the second is reuse
		// even when it comes at the same instant.
		h.create(h.state(sub, sid, "j1"))
		h.rotate(h.rotation("j1", "j2-a", 0), nil)
		h.rotate(h.rotation("j1", "j2-b", 0), jwt.ErrReused)
		h.wantState("j2-a", "j1", true)
	}},
	{"Reuse/RevokesSession", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		h.rotate(h.rotation("j1", "j2", 0), nil)
		h.rotate(h.rotation("j1", "x", time.Second), jwt.ErrReused)
		h.wantState("j2", "j1", true)
		h.rotate(h.rotation("j2", "j3", 2*time.Second), jwt.ErrRevoked)
		h.rotate(h.rotation("j1", "j3", 2*time.Second), jwt.ErrRevoked)
	}},
	{"Reuse/NeverIssuedJTICountsAsReuse", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		h.rotate(h.rotation("forged-or-ancient", "x", 0), jwt.ErrReused)
		h.wantState("j1", "", true)
	}},
	{"Reuse/WithoutRevoke", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		h.rotate(h.rotation("j1", "j2", 0), nil)
		r := h.rotation("j1", "x", time.Second)
		r.RevokeOnReuse = false
		h.rotate(r, jwt.ErrReused)
		h.wantState("j2", "j1", false)
		h.rotate(h.rotation("j2", "j3", 2*time.Second), nil)
	}},
	{"Grace/ReturnsSuccessorWithoutChange", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		r := h.rotation("j1", "j2", 0)
		r.Grace, r.Successor = 10*time.Second, []byte(`{"jti":"j2"}`)
		h.rotate(r, nil)
		before := h.wantState("j2", "j1", false)
		for _, d := range []time.Duration{0, 5 * time.Second, 10*time.Second - ms} {
			g := h.rotation("j1", "other", d)
			g.Grace, g.Successor = 10*time.Second, []byte(`{"jti":"other"}`)
			if succ := h.rotate(g, errGrace); string(succ) != `{"jti":"j2"}` {
				h.t.Fatalf("grace successor %q, want the recorded one", succ)
			}
		}
		after := h.wantState("j2", "j1", false)
		if !sameTime(before.PrevUsedAt, after.PrevUsedAt) || !sameTime(before.Expires, after.Expires) {
			h.t.Fatal("a grace answer changed PrevUsedAt or Expires")
		}
		h.rotate(h.rotation("j2", "j3", 11*time.Second), nil)
	}},
	{"Grace/EndsAtExactlyGrace", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		r := h.rotation("j1", "j2", 0)
		r.Grace, r.Successor = 10*time.Second, []byte("s2")
		h.rotate(r, nil)
		g := h.rotation("j1", "x", 10*time.Second)
		g.Grace = 10 * time.Second
		h.rotate(g, jwt.ErrReused)
		h.wantState("j2", "j1", true)
	}},
	{"Grace/UseDoesNotRestartWindow", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		r := h.rotation("j1", "j2", 0)
		r.Grace, r.Successor = 10*time.Second, []byte("s2")
		h.rotate(r, nil)
		for _, d := range []time.Duration{9 * time.Second, 10*time.Second - ms, 10 * time.Second} {
			g := h.rotation("j1", "x", d)
			g.Grace = 10 * time.Second
			want := errGrace
			if d == 10*time.Second {
				want = jwt.ErrReused
			}
			h.rotate(g, want)
		}
	}},
	{"Grace/ClockSteppedBack", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		r := h.rotation("j1", "j2", hour/2)
		r.Grace, r.Successor = 10*time.Second, []byte("s2")
		h.rotate(r, nil)
		g := h.rotation("j1", "x", hour/2-(10*time.Second-ms))
		g.Grace = 10 * time.Second
		h.rotate(g, errGrace)
		g = h.rotation("j1", "x", 0) // 30 minutes back
		g.Grace = 10 * time.Second
		h.rotate(g, jwt.ErrReused)
		h.wantState("j2", "j1", true)
	}},
	{"Grace/OnlyImmediatePredecessor", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		for i, p := range []string{"j1", "j2"} {
			r := h.rotation(p, fmt.Sprint("j", i+2), time.Duration(i)*time.Second)
			r.Grace, r.Successor = 10*time.Second, []byte(r.Next)
			h.rotate(r, nil)
		}
		g := h.rotation("j1", "x", 2*time.Second)
		g.Grace = 10 * time.Second
		h.rotate(g, jwt.ErrReused)
		h.wantState("j3", "j2", true)
	}},
	{"Grace/NeedsRecordedSuccessor", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		h.rotate(h.rotation("j1", "j2", 0), nil) // no Successor: rotated without grace
		g := h.rotation("j1", "x", time.Second)
		g.Grace = 10 * time.Second
		h.rotate(g, jwt.ErrReused)
	}},
	{"Grace/EmptySuccessorIsNoGrace", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		r := h.rotation("j1", "j2", 0)
		r.Grace, r.Successor = 10*time.Second, []byte{}
		h.rotate(r, nil)
		g := h.rotation("j1", "x", time.Second)
		g.Grace = 10 * time.Second
		h.rotate(g, jwt.ErrReused)
		h.wantState("j2", "j1", true)
	}},
	{"Grace/ZeroGraceIsReuse", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		r := h.rotation("j1", "j2", 0)
		r.Grace, r.Successor = 10*time.Second, []byte("s2")
		h.rotate(r, nil)
		h.rotate(h.rotation("j1", "x", time.Second), jwt.ErrReused)
	}},
	{"Grace/RevokedSessionGetsNoSuccessor", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		r := h.rotation("j1", "j2", 0)
		r.Grace, r.Successor = 10*time.Second, []byte("s2")
		h.rotate(r, nil)
		if err := h.st.RevokeSession(h.ctx, sub, sid); err != nil {
			h.t.Fatal(err)
		}
		g := h.rotation("j1", "x", time.Second)
		g.Grace = 10 * time.Second
		h.rotate(g, jwt.ErrRevoked)
	}},
	{"Copies/NoAliasing", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		in := []byte("s2")
		r := h.rotation("j1", "j2", 0)
		r.Grace, r.Successor = 10*time.Second, in
		h.rotate(r, nil)
		in[0] = 'X'
		g := h.rotation("j1", "x", time.Second)
		g.Grace = 10 * time.Second
		out := h.rotate(g, errGrace)
		if string(out) != "s2" {
			h.t.Fatalf("successor %q: the store kept the caller's slice", out)
		}
		out[0] = 'Y'
		if got := h.lookup(sub, sid); string(got.Successor) != "s2" {
			h.t.Fatalf("Successor %q after the returned slice was changed", got.Successor)
		} else {
			got.Successor[0] = 'Z'
		}
		if out := h.rotate(g, errGrace); string(out) != "s2" {
			h.t.Fatalf("successor %q after Lookup's slice was changed", out)
		}
	}},
	{"RevokeSession/Idempotent", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		for range 2 {
			if err := h.st.RevokeSession(h.ctx, sub, sid); err != nil {
				h.t.Fatalf("RevokeSession: %v", err)
			}
		}
		h.wantState("j1", "", true)
		h.rotate(h.rotation("j1", "j2", 0), jwt.ErrRevoked)
	}},
	{"RevokeSession/UnknownCreatesNothing", func(h *harness) {
		if err := h.st.RevokeSession(h.ctx, sub, sid); err != nil {
			h.t.Fatalf("RevokeSession of an unknown session: %v", err)
		}
		if _, err := h.st.Lookup(h.ctx, sub, sid); !errors.Is(err, jwt.ErrUnknownSession) {
			h.t.Fatalf("Lookup after RevokeSession of an unknown session: %v, want ErrUnknownSession", err)
		}
		h.create(h.state(sub, sid, "j1"))
		h.wantState("j1", "", false)
	}},
	{"RevokeSession/OnlyThatSession", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		h.create(h.state(sub, "session-2", "k1"))
		h.create(h.state("other", sid, "m1"))
		if err := h.st.RevokeSession(h.ctx, sub, sid); err != nil {
			h.t.Fatal(err)
		}
		if err := h.st.RevokeSession(h.ctx, "nobody", "session-2"); err != nil {
			h.t.Fatal(err)
		}
		h.wantState("j1", "", true)
		if h.lookup(sub, "session-2").Revoked || h.lookup("other", sid).Revoked {
			h.t.Fatal("RevokeSession revoked another session")
		}
	}},
	{"RevokeSubject/AllSessionsOfSubjectOnly", func(h *harness) {
		for i := range 5 {
			h.create(h.state(sub, fmt.Sprint("s", i), "j1"))
			h.create(h.state("other", fmt.Sprint("s", i), "j1"))
		}
		if err := h.st.RevokeSubject(h.ctx, sub); err != nil {
			h.t.Fatal(err)
		}
		if err := h.st.RevokeSubject(h.ctx, sub); err != nil {
			h.t.Fatalf("second RevokeSubject: %v", err)
		}
		for i := range 5 {
			if !h.lookup(sub, fmt.Sprint("s", i)).Revoked {
				h.t.Errorf("session s%d of the subject not revoked", i)
			}
			if h.lookup("other", fmt.Sprint("s", i)).Revoked {
				h.t.Errorf("session s%d of another subject revoked", i)
			}
		}
	}},
	{"RevokeSubject/UnknownSubject", func(h *harness) {
		if err := h.st.RevokeSubject(h.ctx, "nobody"); err != nil {
			h.t.Fatalf("RevokeSubject of an unknown subject: %v", err)
		}
	}},
	{"RevokeSubject/LaterSessionsUnaffected", func(h *harness) {
		h.create(h.state(sub, "old", "j1"))
		if err := h.st.RevokeSubject(h.ctx, sub); err != nil {
			h.t.Fatal(err)
		}
		h.create(h.state(sub, sid, "j1"))
		h.rotate(h.rotation("j1", "j2", 0), nil)
		h.wantState("j2", "j1", false)
	}},
	{"Context/DoneChangesNothing", func(h *harness) {
		h.create(h.state(sub, sid, "j1"))
		ctx, cancel := context.WithCancel(h.ctx)
		cancel()
		if err := h.st.Create(ctx, h.state(sub, "session-2", "k1")); err == nil {
			h.t.Error("Create with a done context succeeded")
		}
		if _, err := h.st.Rotate(ctx, h.rotation("j1", "j2", 0)); err == nil {
			h.t.Error("Rotate with a done context succeeded")
		}
		if _, err := h.st.Lookup(ctx, sub, sid); err == nil {
			h.t.Error("Lookup with a done context succeeded")
		}
		if err := h.st.RevokeSession(ctx, sub, sid); err == nil {
			h.t.Error("RevokeSession with a done context succeeded")
		}
		if err := h.st.RevokeSubject(ctx, sub); err == nil {
			h.t.Error("RevokeSubject with a done context succeeded")
		}
		h.wantState("j1", "", false)
		if _, err := h.st.Lookup(h.ctx, sub, "session-2"); !errors.Is(err, jwt.ErrUnknownSession) {
			h.t.Errorf("Lookup of the session created with a done context: %v, want ErrUnknownSession", err)
		}
	}},
	{"Concurrent/SameHead/RevokeOnReuse", func(h *harness) {
		concurrentSameHead(h, true, 0)
	}},
	{"Concurrent/SameHead/NoRevoke", func(h *harness) {
		concurrentSameHead(h, false, 0)
	}},
	{"Concurrent/SameHead/Grace", func(h *harness) {
		concurrentSameHead(h, true, 10*time.Second)
	}},
	{"Concurrent/CreateSameSession", func(h *harness) {
		for round := range rounds {
			id := fmt.Sprint("session-", round)
			errs := parallel(func(i int) error {
				s := h.state(sub, id, fmt.Sprint("head-", i))
				return h.st.Create(h.ctx, s)
			})
			winner := -1
			for i, err := range errs {
				if err == nil {
					if winner >= 0 {
						h.t.Fatalf("round %d: Create succeeded for goroutines %d and %d", round, winner, i)
					}
					winner = i
				}
			}
			if winner < 0 {
				h.t.Fatalf("round %d: no Create succeeded", round)
			}
			if got := h.lookup(sub, id).Head; got != fmt.Sprint("head-", winner) {
				h.t.Fatalf("round %d: head %q, want the winner's head-%d", round, got, winner)
			}
		}
	}},
	{"Concurrent/IndependentSessions", func(h *harness) {
		const steps = 20
		errs := parallel(func(i int) error {
			id := fmt.Sprint("session-", i)
			if err := h.st.Create(h.ctx, h.state(sub, id, "j0")); err != nil {
				return err
			}
			for n := 1; n <= steps; n++ {
				r := jwt.RotateRequest{Subject: sub, SessionID: id, Presented: fmt.Sprint("j", n-1), Next: fmt.Sprint("j", n),
					Expires: h.at(hour), Now: h.at(time.Duration(n) * time.Second), RevokeOnReuse: true}
				if succ, err := h.st.Rotate(h.ctx, r); err != nil || len(succ) > 0 {
					return fmt.Errorf("rotation %d: %s", n, describe(succ, err))
				}
			}
			return nil
		})
		for i, err := range errs {
			if err != nil {
				h.t.Fatalf("goroutine %d: %v", i, err)
			}
			if got := h.lookup(sub, fmt.Sprint("session-", i)); got.Head != fmt.Sprint("j", steps) || got.Revoked {
				h.t.Fatalf("session-%d: head %q revoked %v", i, got.Head, got.Revoked)
			}
		}
	}},
	{"Concurrent/RevokeSubjectWhileRotating", func(h *harness) {
		for i := range goroutines {
			h.create(h.state(sub, fmt.Sprint("s", i), "j1"))
			h.create(h.state("other", fmt.Sprint("s", i), "j1"))
		}
		errs := parallel(func(i int) error {
			if i == 0 {
				return h.st.RevokeSubject(h.ctx, sub)
			}
			for _, s := range []string{sub, "other"} {
				r := jwt.RotateRequest{Subject: s, SessionID: fmt.Sprint("s", i), Presented: "j1", Next: "j2",
					Expires: h.at(hour), Now: h.base, RevokeOnReuse: true}
				succ, err := h.st.Rotate(h.ctx, r)
				if got := outcome(succ, err); got != nil && (s == "other" || got != jwt.ErrRevoked) {
					return fmt.Errorf("subject %q: %s", s, describe(succ, err))
				}
			}
			return nil
		})
		for i, err := range errs {
			if err != nil {
				h.t.Fatalf("goroutine %d: %v", i, err)
			}
		}
		for i := range goroutines {
			if !h.lookup(sub, fmt.Sprint("s", i)).Revoked {
				h.t.Errorf("session s%d of the revoked subject is live", i)
			}
			if got := h.lookup("other", fmt.Sprint("s", i)); got.Revoked || (i > 0 && got.Head != "j2") {
				h.t.Errorf("session s%d of another subject: head %q revoked %v", i, got.Head, got.Revoked)
			}
		}
	}},
}

// concurrentSameHead presents the head of one session from goroutines goroutines at once,
// each naming its own successor, and checks that exactly one rotates.
func concurrentSameHead(h *harness, revoke bool, grace time.Duration) {
	for round := range rounds {
		id := fmt.Sprint("session-", round)
		h.create(h.state(sub, id, "j1"))
		type result struct {
			succ []byte
			err  error
		}
		results := make([]result, goroutines)
		parallel(func(i int) error {
			r := jwt.RotateRequest{Subject: sub, SessionID: id, Presented: "j1", Next: fmt.Sprint("j2-", i),
				Expires: h.at(hour), Now: h.base, Grace: grace, RevokeOnReuse: revoke}
			if grace > 0 {
				r.Successor = []byte(r.Next)
			}
			succ, err := h.st.Rotate(h.ctx, r)
			results[i] = result{succ, err}
			return nil
		})
		count := map[error]int{}
		winner := -1
		for i, r := range results {
			o := outcome(r.succ, r.err)
			count[o]++
			if o == nil {
				winner = i
			}
			if o == errOther {
				h.t.Fatalf("round %d: goroutine %d: %v", round, i, r.err)
			}
		}
		if count[nil] != 1 {
			h.t.Fatalf("round %d: %d rotations, want exactly 1 (outcomes %v)", round, count[nil], count)
		}
		want := map[error]int{nil: 1}
		switch {
		case grace > 0:
			want[errGrace] = goroutines - 1
		case revoke:
			want[jwt.ErrReused], want[jwt.ErrRevoked] = 1, goroutines-2
		default:
			want[jwt.ErrReused] = goroutines - 1
		}
		for o, n := range want {
			if count[o] != n {
				h.t.Fatalf("round %d: %d × %s, want %d (outcomes %v)", round, count[o], name(o), n, count)
			}
		}
		next := fmt.Sprint("j2-", winner)
		for i, r := range results {
			if len(r.succ) > 0 && string(r.succ) != next {
				h.t.Fatalf("round %d: goroutine %d got successor %q, want the winner's %q", round, i, r.succ, next)
			}
		}
		got := h.lookup(sub, id)
		if got.Head != next || got.Prev != "j1" || got.Revoked != (revoke && grace == 0) {
			h.t.Fatalf("round %d: head %q prev %q revoked %v after the race; want %q, %q, %v",
				round, got.Head, got.Prev, got.Revoked, next, "j1", revoke && grace == 0)
		}
	}
}

// parallel runs f(0) … f(goroutines-1) in goroutines released together, and returns their
// errors.
func parallel(f func(i int) error) []error {
	errs := make([]error, goroutines)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(goroutines)
	done.Add(goroutines)
	for i := range goroutines {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			errs[i] = f(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	return errs
}
