package jwt

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"
)

// Store keeps the server-side state of the refresh sessions of a [Sessions]: one small record
// per login, holding the jti of the one refresh token that may be exchanged next. Every
// method is one atomic step, so the same Store may serve many Sessions values and processes.
//
// Methods report the state of a session with the sentinels [ErrUnknownSession], [ErrRevoked]
// and [ErrReused]; any other error is a failure of the store, which Sessions reports as
// [ErrStore] without issuing a token. Every method must honour ctx and must change nothing
// when ctx is already done. Times are compared as given: a store must not consult its own
// clock for the rules below, though it may use its own clock to delete records whose
// Expires has passed.
//
// A networked store may run a call twice with the same arguments (a client library re-sends
// a command whose reply was lost): the rules make such a repeat of Create and Rotate return
// what the first run returned, never a reuse.
//
// The package storetest checks these rules; run it against every implementation.
type Store interface {
	// Create records a new session. A session is identified by Subject and ID together.
	// Create rejects (with an error that is none of the session sentinels):
	//
	//  1. a state with an empty Subject, ID or Head;
	//  2. a state that is not a fresh login: Prev, PrevUsedAt, Successor or Revoked set;
	//  3. a session that is already recorded with another Head, leaving that record
	//     unchanged. The same session with the same Head is a repeat of the same call (IDs
	//     are random): Create returns nil and changes nothing.
	//
	// A store keeps at most a fixed number of sessions per subject (its cap, by default
	// [DefaultMaxSessionsPerSubject]). When a new session would exceed it, Create deletes
	// the other sessions of the subject with the earliest Expires (the ones refreshed least
	// recently) until the new one fits, in the same step; their tokens then get
	// ErrUnknownSession. The cap bounds the work of RevokeSubject.
	Create(ctx context.Context, s SessionState) error

	// Rotate exchanges the refresh token r.Presented of session r.SessionID in one compare-and-set:
	//
	//  1. no session r.SessionID of subject r.Subject, or r.Now is at or after its Expires:
	//     ErrUnknownSession;
	//  2. the session is revoked: ErrRevoked;
	//  3. r.Presented is the Head: Prev becomes the old Head, PrevUsedAt r.Now, Head r.Next,
	//     Successor a copy of r.Successor (none when it is empty), Expires the later of
	//     itself and r.Expires; it returns an empty successor (rotated);
	//  4. r.Presented is Prev and r.Next is the Head: this rotation was done already, and
	//     this is the same call again; it returns an empty successor (rotated) again and
	//     changes nothing. Another caller presenting the same token names another Next (a
	//     fresh random jti) and falls to case 5 or 6;
	//  5. r.Presented is Prev, r.Grace > 0, a non-empty Successor is recorded and r.Now lies
	//     strictly less than r.Grace before or after PrevUsedAt: it returns a copy of
	//     Successor and changes nothing (so the window never restarts);
	//  6. otherwise the token was exchanged before: if r.RevokeOnReuse, the session is
	//     revoked in the same step; it returns ErrReused.
	//
	// Only a grace answer (case 5) returns a non-empty successor; callers tell the outcomes
	// apart by len(successor), so a store may return nil or an empty slice for a rotation.
	Rotate(ctx context.Context, r RotateRequest) (successor []byte, err error)

	// Lookup returns a copy of session id of subject, or ErrUnknownSession. It takes no
	// time, so it cannot judge expiry by the caller's clock: it may still return a session
	// whose Expires has passed (until the store forgets it), and the caller must treat a
	// state whose Expires is at or before its own time as unknown, as Rotate does.
	Lookup(ctx context.Context, subject, id string) (SessionState, error)

	// RevokeSession marks session id of subject revoked. It returns nil for a session that is
	// unknown or already revoked, and never creates a record.
	RevokeSession(ctx context.Context, subject, id string) error

	// RevokeSubject marks every recorded session of subject revoked ("log out everywhere").
	// Sessions created afterwards are not affected. It returns nil for an unknown subject.
	RevokeSubject(ctx context.Context, subject string) error
}

// DefaultMaxSessionsPerSubject is the number of sessions a store keeps per subject unless
// configured otherwise ([MemoryStore].MaxSessionsPerSubject, redisstore's Options): past
// it, a login ends the subject's least recently refreshed session.
const DefaultMaxSessionsPerSubject = 100

// SessionState is the record a [Store] keeps for one session (one login).
type SessionState struct {
	Subject   string // sub of the session's tokens
	SessionID string // session id, the sid claim
	Head      string // jti of the one refresh token that may be exchanged next

	// Expires is the exp of the head refresh token plus the leeway. From then on no token of
	// the session is accepted any more, and the store may forget the record.
	Expires time.Time
	Created time.Time // time of login

	// Set by the store only; Create refuses a state that has any of them.
	Prev       string    // jti of the refresh token exchanged last; "" before the first rotation
	PrevUsedAt time.Time // time of the last rotation
	Successor  []byte    // opaque record returned in the grace window; nil without grace
	Revoked    bool
}

// RotateRequest is the argument of [Store.Rotate].
type RotateRequest struct {
	Subject, SessionID string
	Presented          string // jti of the refresh token presented
	// Next is the jti of its successor, chosen at random by each caller: a store tells a
	// repeat of the same call from another caller presenting the same token by it.
	Next      string
	Expires   time.Time // exp of the successor plus the leeway
	Successor []byte    // opaque record to return in the grace window (empty: no grace)
	Now       time.Time
	Grace     time.Duration
	// RevokeOnReuse revokes the session when a token exchanged before is presented again.
	RevokeOnReuse bool
}

// MemoryStore is a [Store] that keeps sessions in process memory, for a single process and
// for tests. It is safe for concurrent use. Its zero value is an empty store ready to use; it
// must not be copied after first use.
//
// Memory is bounded by the live sessions: a session is removed when an operation finds it
// past its Expires, and Create sweeps every expired session once the number of Creates since
// the last sweep reaches the number of sessions the last sweep kept (at least 64), so there
// is no background goroutine and the store holds at most about twice the live sessions.
// Create uses the new session's Created time as the current time.
type MemoryStore struct {
	// MaxSessionsPerSubject is the cap on the sessions of one subject (see [Store]); values
	// below 1 mean DefaultMaxSessionsPerSubject. Set it before first use.
	MaxSessionsPerSubject int

	mu       sync.Mutex
	sessions map[sessionKey]*SessionState
	subjects map[string]map[string]bool // subject -> session IDs
	creates  int                        // Creates since the last sweep
	kept     int                        // sessions kept after the last sweep
}

type sessionKey struct{ subject, id string }

const minSweepInterval = 64

var (
	errSessionExists = fmt.Errorf("%w: session already recorded with another head", ErrStore)
	errIncomplete    = fmt.Errorf("%w: session state without subject, id or head", ErrStore)
	errNotFresh      = fmt.Errorf("%w: Create given a state with Prev, PrevUsedAt, Successor or Revoked set; pass only a new session", ErrStore)
)

// checkNew applies the first two rules of [Store.Create] to s.
func checkNew(s SessionState) error {
	switch {
	case s.Subject == "" || s.SessionID == "" || s.Head == "":
		return errIncomplete
	case s.Prev != "" || !s.PrevUsedAt.IsZero() || s.Successor != nil || s.Revoked:
		return errNotFresh
	}
	return nil
}

// Create implements [Store].
func (m *MemoryStore) Create(ctx context.Context, s SessionState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkNew(s); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sessions == nil {
		m.sessions = make(map[sessionKey]*SessionState)
		m.subjects = make(map[string]map[string]bool)
	}
	m.creates++
	if m.creates >= max(minSweepInterval, m.kept) {
		m.sweep(s.Created)
	}
	k := sessionKey{s.Subject, s.SessionID}
	if old, ok := m.sessions[k]; ok {
		if old.Head == s.Head {
			return nil // the same call again
		}
		return errSessionExists
	}
	limit := m.MaxSessionsPerSubject
	if limit < 1 {
		limit = DefaultMaxSessionsPerSubject
	}
	for ids := m.subjects[s.Subject]; len(ids) >= limit; {
		m.remove(m.stalest(s.Subject, ids))
	}
	ids := m.subjects[s.Subject]
	if ids == nil {
		ids = make(map[string]bool)
		m.subjects[s.Subject] = ids
	}
	m.sessions[k] = &s
	ids[s.SessionID] = true
	return nil
}

// stalest returns the session among ids of subject with the earliest Expires.
func (m *MemoryStore) stalest(subject string, ids map[string]bool) *SessionState {
	var old *SessionState
	for id := range ids {
		if s := m.sessions[sessionKey{subject, id}]; old == nil || s.Expires.Before(old.Expires) {
			old = s
		}
	}
	return old
}

// Rotate implements [Store].
func (m *MemoryStore) Rotate(ctx context.Context, r RotateRequest) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.sessions[sessionKey{r.Subject, r.SessionID}]
	if s == nil {
		return nil, ErrUnknownSession
	}
	if !r.Now.Before(s.Expires) {
		m.remove(s)
		return nil, ErrUnknownSession
	}
	if s.Revoked {
		return nil, ErrRevoked
	}
	switch {
	case r.Presented == s.Head:
		s.Prev, s.PrevUsedAt = s.Head, r.Now
		s.Head = r.Next
		s.Successor = nil
		if len(r.Successor) > 0 {
			s.Successor = bytes.Clone(r.Successor)
		}
		if r.Expires.After(s.Expires) {
			s.Expires = r.Expires
		}
		return nil, nil
	case r.Presented == s.Prev && r.Next == s.Head:
		return nil, nil // this rotation, repeated
	case r.Presented == s.Prev && r.Grace > 0 && len(s.Successor) > 0 && within(r.Now, s.PrevUsedAt, r.Grace):
		return bytes.Clone(s.Successor), nil
	}
	if r.RevokeOnReuse {
		s.Revoked = true
	}
	return nil, ErrReused
}

// within reports whether |a-b| < d, without overflowing.
func within(a, b time.Time, d time.Duration) bool {
	if a.Before(b) {
		a, b = b, a
	}
	return a.Sub(b) < d // Sub saturates; a saturated difference is never below d
}

// Lookup implements [Store].
func (m *MemoryStore) Lookup(ctx context.Context, subject, id string) (SessionState, error) {
	if err := ctx.Err(); err != nil {
		return SessionState{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.sessions[sessionKey{subject, id}]
	if s == nil {
		return SessionState{}, ErrUnknownSession
	}
	c := *s
	c.Successor = bytes.Clone(s.Successor)
	return c, nil
}

// RevokeSession implements [Store].
func (m *MemoryStore) RevokeSession(ctx context.Context, subject, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.sessions[sessionKey{subject, id}]; s != nil {
		s.Revoked = true
	}
	return nil
}

// RevokeSubject implements [Store].
func (m *MemoryStore) RevokeSubject(ctx context.Context, subject string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for id := range m.subjects[subject] {
		m.sessions[sessionKey{subject, id}].Revoked = true
	}
	return nil
}

// Sweep removes every session whose Expires is at or before now, revoked ones included, and
// returns how many it removed. No token of a removed session is accepted by Sessions any
// more, since Expires lies past the exp (plus leeway) of each of them.
func (m *MemoryStore) Sweep(now time.Time) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sweep(now)
}

func (m *MemoryStore) sweep(now time.Time) int {
	m.creates = 0
	n := 0
	for _, s := range m.sessions {
		if !now.Before(s.Expires) {
			m.remove(s)
			n++
		}
	}
	m.kept = len(m.sessions)
	return n
}

func (m *MemoryStore) remove(s *SessionState) {
	delete(m.sessions, sessionKey{s.Subject, s.SessionID})
	ids := m.subjects[s.Subject]
	delete(ids, s.SessionID)
	if len(ids) == 0 {
		delete(m.subjects, s.Subject)
	}
}

// Len returns the number of sessions kept, expired ones not yet removed included.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sessions)
}
