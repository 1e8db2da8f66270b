// Package redisstore is a [jwt.Store] kept in Redis, so that several instances of a service
// share the refresh sessions of one [jwt.Sessions] configuration: a rotation done by one
// instance is seen by all, and reuse detection holds across them.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
//	store, err := redisstore.New(ctx, rdb, redisstore.Options{})
//	sessions, err := jwt.NewSessions(jwt.SessionConfig{Key: key, Store: store})
//
// Every Store operation is one atomic step in Redis: Create, Rotate, RevokeSession and
// RevokeSubject are Lua scripts, run by their SHA-1 (EVALSHA, falling back to EVAL when the
// server's script cache does not hold them, as after a restart or SCRIPT FLUSH); Lookup is
// one HGETALL. The rules of [jwt.Store] are judged by the times the caller passes in
// (RotateRequest.Now, SessionState.Created), never by the clock of the Redis server.
//
// go-redis sends a command again when its reply is lost (a dropped connection, a read
// timeout; MaxRetries, 3 by default). The scripts answer such a repeat as they answered the
// first run, as the Store contract asks: a retried rotation is not reuse and a retried
// Create is not a duplicate.
//
// # Keys
//
// A session is a hash at <prefix>{<h>}:s:<id>, and the sessions of one subject are indexed
// in a sorted set at <prefix>{<h>}:subj, where h is the base64url form of the first 16 bytes
// of SHA-256(subject). The hash tag {<h>} puts every key one script touches in the same Redis
// Cluster slot, and neither subjects nor ids can change the layout, whatever they contain
// (':', '{', '}', ...). The session hash also holds the subject itself, so two subjects whose
// hashes collide are still told apart.
//
// Keys expire by themselves: each session key carries PEXPIREAT at its Expires, moved
// forward at each rotation, and the subject index expires with the last of its sessions, so
// nothing needs sweeping. Redis deletes a key when its own clock passes Expires, so keep the
// clocks of the service and of Redis in step (NTP); until then the caller's times decide.
// Create trims index entries of sessions that Redis has already deleted, and keeps at most
// Options.MaxSessionsPerSubject sessions per subject, so the index, and the work of
// RevokeSubject, stay bounded.
//
// # What Redis must guarantee
//
// A revocation (logout, reuse detection, RevokeSubject) is only as durable as the write that
// records it. The store fails closed when a key is missing (the session is unknown), but a
// key that comes back, or an index that is gone, fails open:
//
//   - Eviction: run Redis with maxmemory-policy noeviction. Every key the store writes has a
//     TTL, so the volatile-* policies evict them as well as the allkeys-* ones, and an
//     evicted subject index lets RevokeSubject miss sessions. New checks the policy of
//     every server of the client (CONFIG GET) and refuses any other; Options.AllowEviction
//     skips the check, for servers that refuse CONFIG (most managed Redis) once the policy
//     has been checked in the provider's settings.
//   - Restarts: a restart from an RDB snapshot alone brings back the state of the snapshot:
//     reused tokens, logged-out sessions and revoked subjects work again. Use AOF
//     (appendonly yes) with appendfsync always, or everysec, which loses up to about one
//     second of writes in a crash of the machine.
//   - Replicas: a failover to a replica that had not received the latest writes has the
//     same effect. Where that matters, have the application wait for the replicas (WAIT)
//     after a revocation.
//
// # Redis Cluster
//
// Pass a *redis.ClusterClient. Its default ClusterStateReloadInterval (60 s) lets it keep
// sending to a failed master for up to a minute after a replica took over: set it to a
// second or two. Keep MaxRedirects at its default or higher, so that calls follow MOVED
// replies during a failover or resharding.
//
// # Errors
//
// The session states are reported with [jwt.ErrUnknownSession], [jwt.ErrRevoked] and
// [jwt.ErrReused]. Every other error (connection refused, timeout, a script error, a context
// done) is returned as it is, wrapped with the operation's name; [jwt.Sessions] reports it as
// [jwt.ErrStore] and issues no token. A context deadline or cancellation ends the call when it
// happens, whatever the client's ContextTimeoutEnabled option; as with any networked store,
// a command already sent may still take effect after the call has returned that error.
package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/zerojwt/jwt"
)

// DefaultPrefix is the key prefix used when Options.Prefix is empty.
const DefaultPrefix = "zjwt:"

// Options configures [New].
type Options struct {
	// Prefix starts every key the store writes, to keep apart the stores of several
	// applications or environments sharing one Redis. It may not contain '{', '}' or the
	// glob characters '*', '?', '[', ']', '\'. Empty means DefaultPrefix.
	Prefix string

	// MaxSessionsPerSubject caps the sessions of one subject: a login past it ends the
	// subject's sessions with the earliest Expires (the ones refreshed least recently), whose
	// tokens then get jwt.ErrUnknownSession. 0 means jwt.DefaultMaxSessionsPerSubject.
	MaxSessionsPerSubject int

	// AllowEviction makes New accept the server without reading its maxmemory-policy. Set it
	// when the server refuses CONFIG GET (managed Redis) and you have made sure its policy is
	// noeviction, or when you accept that an evicted subject index lets RevokeSubject miss
	// sessions.
	AllowEviction bool
}

// Store is a [jwt.Store] kept in Redis. It is safe for concurrent use, and any number of
// Store values, in any number of processes, may share the same Redis and prefix.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	max    string // MaxSessionsPerSubject, in decimal
}

var _ jwt.Store = (*Store)(nil)

// New returns a Store that keeps its sessions in the Redis server or cluster of client, under
// opts.Prefix. Unless opts.AllowEviction is set, it first reads maxmemory-policy from every
// server of client (every node of a cluster).
//
// New returns an error wrapping [jwt.ErrInvalidConfig] when client is nil, the prefix holds
// a character it may not hold, MaxSessionsPerSubject is negative, a server's
// maxmemory-policy is not noeviction, or a server refuses CONFIG GET; and one wrapping
// [jwt.ErrStore] when a server cannot be reached (or ctx ends first).
func New(ctx context.Context, client redis.UniversalClient, opts Options) (*Store, error) {
	if client == nil {
		return nil, fmt.Errorf("%w: redisstore: nil client", jwt.ErrInvalidConfig)
	}
	p := opts.Prefix
	if p == "" {
		p = DefaultPrefix
	}
	if strings.ContainsAny(p, "{}*?[]\\") {
		return nil, fmt.Errorf("%w: redisstore: Prefix contains one of {}*?[]\\", jwt.ErrInvalidConfig)
	}
	limit := opts.MaxSessionsPerSubject
	switch {
	case limit < 0:
		return nil, fmt.Errorf("%w: redisstore: negative MaxSessionsPerSubject", jwt.ErrInvalidConfig)
	case limit == 0:
		limit = jwt.DefaultMaxSessionsPerSubject
	}
	if !opts.AllowEviction {
		if err := checkEviction(ctx, client); err != nil {
			return nil, err
		}
	}
	return &Store{rdb: client, prefix: p, max: strconv.Itoa(limit)}, nil
}

// configGetter is the part of a client checkEviction uses.
type configGetter interface {
	ConfigGet(ctx context.Context, parameter string) *redis.MapStringStringCmd
}

// checkEviction requires maxmemory-policy noeviction of every server of client.
func checkEviction(ctx context.Context, client redis.UniversalClient) error {
	if c, ok := client.(interface {
		ForEachShard(context.Context, func(context.Context, *redis.Client) error) error
	}); ok { // a cluster or ring: every node, replicas included
		return c.ForEachShard(ctx, func(ctx context.Context, n *redis.Client) error {
			return checkPolicy(ctx, n, n.Options().Addr)
		})
	}
	addr := "the server"
	if c, ok := client.(*redis.Client); ok {
		addr = c.Options().Addr
	}
	return checkPolicy(ctx, client, addr)
}

func checkPolicy(ctx context.Context, c configGetter, addr string) error {
	m, err := call(ctx, func(ctx context.Context) (map[string]string, error) {
		return c.ConfigGet(ctx, "maxmemory-policy").Result()
	})
	var refused redis.Error
	policy, ok := m["maxmemory-policy"]
	switch {
	case errors.As(err, &refused) || err == nil && !ok:
		return fmt.Errorf("%w: redisstore: %s does not answer CONFIG GET maxmemory-policy (%v); "+
			"make sure its policy is noeviction, then set Options.AllowEviction to skip this check",
			jwt.ErrInvalidConfig, addr, err)
	case err != nil:
		return fmt.Errorf("%w: redisstore: reading maxmemory-policy of %s: %w", jwt.ErrStore, addr, err)
	case policy != "noeviction":
		return fmt.Errorf("%w: redisstore: %s runs with maxmemory-policy %s, which can evict the "+
			"store's keys (all of them have a TTL) and let RevokeSubject miss sessions; set it to "+
			"noeviction, or set Options.AllowEviction to accept that", jwt.ErrInvalidConfig, addr, policy)
	}
	return nil
}

// Prefix returns the key prefix of the store.
func (s *Store) Prefix() string { return s.prefix }

// keys returns the hash-tagged base of subject's keys ("<prefix>{<h>}:"), with its session
// key for id and its index key.
func (s *Store) keys(subject, id string) (base, session, index string) {
	sum := sha256.Sum256([]byte(subject))
	base = s.prefix + "{" + base64.RawURLEncoding.EncodeToString(sum[:16]) + "}:"
	return base, base + "s:" + id, base + "subj"
}

// SessionKey returns the Redis key of session id of subject, and SubjectKey the key of the
// index of subject's sessions, for inspection and tests.
func (s *Store) SessionKey(subject, id string) string {
	_, k, _ := s.keys(subject, id)
	return k
}

// SubjectKey returns the Redis key of the index of the sessions of subject.
func (s *Store) SubjectKey(subject string) string {
	_, _, k := s.keys(subject, "")
	return k
}

// Session hash fields: sub (the subject), head, exp, cre (Created), prev, pua (PrevUsedAt),
// succ (Successor, absent for nil), rev ("1" once revoked). Times are Unix milliseconds in
// decimal; absent for the zero time.
//
// The index is a sorted set of session ids scored by their Expires (the PEXPIREAT of their
// keys), and the index key itself expires at its highest score. Since a session key expires
// exactly at its score, the sessions Redis has deleted are always the lowest-scored entries.

// createScript: KEYS session, index; ARGV subject, id, head, exp, cre, key base, cap.
// Returns 1 when created (or when the same session with the same head exists: a repeat of
// the call), 0 when the session exists with another head.
var createScript = redis.NewScript(`
local key, idx = KEYS[1], KEYS[2]
if redis.call('EXISTS', key) == 1 then
  local f = redis.call('HMGET', key, 'sub', 'head')
  if f[1] == ARGV[1] and f[2] == ARGV[3] then return 1 end
  return 0
end
redis.call('HSET', key, 'sub', ARGV[1], 'head', ARGV[3], 'exp', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', key, 'cre', ARGV[5]) end
redis.call('PEXPIREAT', key, ARGV[4])
-- Trim entries of sessions Redis has already deleted: they are the lowest-scored ones.
local old = redis.call('ZRANGE', idx, 0, 7)
for _, id in ipairs(old) do
  if redis.call('EXISTS', ARGV[6] .. 's:' .. id) == 1 then break end
  redis.call('ZREM', idx, id)
end
-- Make room under the cap by ending the sessions that expire first.
local over = redis.call('ZCARD', idx) + 1 - tonumber(ARGV[7])
if over > 0 then
  for _, id in ipairs(redis.call('ZRANGE', idx, 0, over - 1)) do
    redis.call('DEL', ARGV[6] .. 's:' .. id)
  end
  redis.call('ZREMRANGEBYRANK', idx, 0, over - 1)
end
redis.call('ZADD', idx, ARGV[4], ARGV[2])
local top = redis.call('ZRANGE', idx, -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', idx, top[2])
return 1
`)

// rotateScript: KEYS session, index; ARGV subject, id, presented, next, exp, now, grace (ms),
// revoke on reuse ("1"/"0"), has successor ("1"/"0"), successor.
// Returns 0 rotated (or the same rotation repeated), 1 unknown, 2 revoked, 3 reused, or the
// recorded successor (a non-empty string).
var rotateScript = redis.NewScript(`
local key, idx = KEYS[1], KEYS[2]
local f = redis.call('HMGET', key, 'sub', 'head', 'exp', 'rev', 'prev', 'pua', 'succ')
if f[1] ~= ARGV[1] or not f[3] then return 1 end
local now = tonumber(ARGV[6])
if now >= tonumber(f[3]) then return 1 end
if f[4] then return 2 end
if ARGV[3] == f[2] then
  local exp = f[3]
  if tonumber(ARGV[5]) > tonumber(exp) then exp = ARGV[5] end
  redis.call('HSET', key, 'prev', f[2], 'pua', ARGV[6], 'head', ARGV[4], 'exp', exp)
  if ARGV[9] == '1' then
    redis.call('HSET', key, 'succ', ARGV[10])
  else
    redis.call('HDEL', key, 'succ')
  end
  if exp ~= f[3] then
    redis.call('PEXPIREAT', key, exp)
    redis.call('ZADD', idx, exp, ARGV[2])
    local top = redis.call('ZRANGE', idx, -1, -1, 'WITHSCORES')
    redis.call('PEXPIREAT', idx, top[2])
  end
  return 0
end
if f[5] and ARGV[3] == f[5] and ARGV[4] == f[2] then return 0 end
local grace = tonumber(ARGV[7])
if grace > 0 and f[5] and ARGV[3] == f[5] and f[7] and f[7] ~= '' and f[6] and math.abs(now - tonumber(f[6])) < grace then
  return f[7]
end
if ARGV[8] == '1' then redis.call('HSET', key, 'rev', '1') end
return 3
`)

// revokeSessionScript: KEYS session; ARGV subject. Creates nothing for a missing session.
var revokeSessionScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'sub') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'rev', '1')
end
return 0
`)

// revokeSubjectScript: KEYS index; ARGV subject, key base. Revokes every indexed session of
// the subject and drops the entries of sessions Redis has deleted.
var revokeSubjectScript = redis.NewScript(`
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, id in ipairs(ids) do
  local key = ARGV[2] .. 's:' .. id
  if redis.call('HGET', key, 'sub') == ARGV[1] then
    redis.call('HSET', key, 'rev', '1')
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return 0
`)

var (
	errExists     = fmt.Errorf("%w: redisstore: session already recorded with another head", jwt.ErrStore)
	errIncomplete = fmt.Errorf("%w: redisstore: session state without subject, id or head", jwt.ErrStore)
	errNotFresh   = fmt.Errorf("%w: redisstore: Create given a state with Prev, PrevUsedAt, Successor or Revoked set; pass only a new session", jwt.ErrStore)
)

// Create implements [jwt.Store]. The session key expires at s.Expires.
func (s *Store) Create(ctx context.Context, st jwt.SessionState) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("redisstore: create: %w", err)
	}
	switch {
	case st.Subject == "" || st.SessionID == "" || st.Head == "":
		return errIncomplete
	case st.Prev != "" || !st.PrevUsedAt.IsZero() || st.Successor != nil || st.Revoked:
		return errNotFresh
	}
	base, key, idx := s.keys(st.Subject, st.SessionID)
	v, err := s.run(ctx, createScript, []string{key, idx},
		st.Subject, st.SessionID, st.Head, millis(st.Expires), optMillis(st.Created), base, s.max)
	if err != nil {
		return fmt.Errorf("redisstore: create: %w", err)
	}
	if n, ok := v.(int64); !ok || n != 1 {
		if ok && n == 0 {
			return errExists
		}
		return fmt.Errorf("redisstore: create: unexpected reply %T", v)
	}
	return nil
}

// Rotate implements [jwt.Store]. A rotation that moves Expires forward moves the key's
// expiry with it.
func (s *Store) Rotate(ctx context.Context, r jwt.RotateRequest) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("redisstore: rotate: %w", err)
	}
	_, key, idx := s.keys(r.Subject, r.SessionID)
	revoke, hasSucc := "0", "0"
	if r.RevokeOnReuse {
		revoke = "1"
	}
	if len(r.Successor) > 0 {
		hasSucc = "1"
	}
	grace := r.Grace.Milliseconds()
	if grace == 0 && r.Grace > 0 {
		grace = 1 // a positive grace under a millisecond still counts as grace
	}
	v, err := s.run(ctx, rotateScript, []string{key, idx},
		r.Subject, r.SessionID, r.Presented, r.Next, millis(r.Expires), millis(r.Now),
		strconv.FormatInt(max(grace, 0), 10), revoke, hasSucc, r.Successor)
	if err != nil {
		return nil, fmt.Errorf("redisstore: rotate: %w", err)
	}
	switch v := v.(type) {
	case string:
		return []byte(v), nil
	case int64:
		switch v {
		case 0:
			return nil, nil
		case 1:
			return nil, jwt.ErrUnknownSession
		case 2:
			return nil, jwt.ErrRevoked
		case 3:
			return nil, jwt.ErrReused
		}
	}
	return nil, fmt.Errorf("redisstore: rotate: unexpected reply %v", v)
}

// Lookup implements [jwt.Store]. A session whose key Redis has expired is unknown.
func (s *Store) Lookup(ctx context.Context, subject, id string) (jwt.SessionState, error) {
	if err := ctx.Err(); err != nil {
		return jwt.SessionState{}, fmt.Errorf("redisstore: lookup: %w", err)
	}
	_, key, _ := s.keys(subject, id)
	m, err := call(ctx, func(ctx context.Context) (map[string]string, error) {
		return s.rdb.HGetAll(ctx, key).Result()
	})
	if err != nil {
		return jwt.SessionState{}, fmt.Errorf("redisstore: lookup: %w", err)
	}
	sub, ok := m["sub"]
	if !ok || sub != subject {
		return jwt.SessionState{}, jwt.ErrUnknownSession
	}
	st := jwt.SessionState{Subject: subject, SessionID: id, Head: m["head"], Prev: m["prev"], Revoked: m["rev"] == "1"}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"exp", &st.Expires}, {"cre", &st.Created}, {"pua", &st.PrevUsedAt}} {
		v, ok := m[f.name]
		if !ok {
			continue
		}
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return jwt.SessionState{}, fmt.Errorf("redisstore: lookup: bad %s field", f.name)
		}
		*f.dst = time.UnixMilli(ms)
	}
	if succ, ok := m["succ"]; ok {
		st.Successor = []byte(succ)
	}
	return st, nil
}

// RevokeSession implements [jwt.Store]. It never creates a key.
func (s *Store) RevokeSession(ctx context.Context, subject, id string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("redisstore: revoke session: %w", err)
	}
	_, key, _ := s.keys(subject, id)
	if _, err := s.run(ctx, revokeSessionScript, []string{key}, subject); err != nil {
		return fmt.Errorf("redisstore: revoke session: %w", err)
	}
	return nil
}

// RevokeSubject implements [jwt.Store]. It never creates a key.
func (s *Store) RevokeSubject(ctx context.Context, subject string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("redisstore: revoke subject: %w", err)
	}
	base, _, idx := s.keys(subject, "")
	if _, err := s.run(ctx, revokeSubjectScript, []string{idx}, subject, base); err != nil {
		return fmt.Errorf("redisstore: revoke subject: %w", err)
	}
	return nil
}

// run runs script by its SHA-1, loading it on NOSCRIPT, and returns its reply.
func (s *Store) run(ctx context.Context, script *redis.Script, keys []string, args ...any) (any, error) {
	return call(ctx, func(ctx context.Context) (any, error) {
		return script.Run(ctx, s.rdb, keys, args...).Result()
	})
}

// call runs f, returning early with ctx's error when ctx is done first: go-redis bounds
// socket reads by ctx only when the client has ContextTimeoutEnabled.
func call[T any](ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	if ctx.Done() == nil { // never done: no need for a goroutine
		return f(ctx)
	}
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := f(ctx)
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
}

// millis formats t as Unix milliseconds.
func millis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// optMillis is millis, or "" for the zero time.
func optMillis(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return millis(t)
}
