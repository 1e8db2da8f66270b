package redisstore_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/zerojwt/jwt"
)

// BenchmarkRefresh measures Sessions.Refresh, one rotation after the other on one session,
// against Redis (one round trip to a loopback server per refresh) and against the memory
// store, and reports refreshes per second.
func BenchmarkRefresh(b *testing.B) {
	stores := []struct {
		name string
		new  func(b *testing.B) jwt.Store
	}{
		{"store=redis", func(b *testing.B) jwt.Store { return newStore(b, sharedClient(b)) }},
		{"store=memory", func(*testing.B) jwt.Store { return new(jwt.MemoryStore) }},
	}
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			s := newSessions(b, st.new(b), jwt.SessionConfig{})
			ctx := context.Background()
			p, err := s.Issue(ctx, "user-42", map[string]any{"role": "admin"})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if p, err = s.Refresh(ctx, p.Refresh); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "refreshes/s")
		})
	}
}

// emptyScript does nothing with arguments shaped like the rotation script's.
var emptyScript = redis.NewScript(`return 0`)

// BenchmarkEvalSHA is the floor under BenchmarkRefresh/store=redis: one EVALSHA round trip
// of a script that does nothing, with two keys and ten arguments of the sizes a rotation
// sends. The ratio of the two is the cost of the store and of the token work above the
// network.
func BenchmarkEvalSHA(b *testing.B) {
	c := sharedClient(b)
	ctx := context.Background()
	keys := []string{"zjwt-bench:{AAAAAAAAAAAAAAAAAAAAAA}:s:ABCDEFGHIJKLMNOPQRSTUVWXYZ", "zjwt-bench:{AAAAAAAAAAAAAAAAAAAAAA}:subj"}
	args := []any{"user-42", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
		"1700000000000", "1700000000000", "0", "1", "0", ""}
	if err := emptyScript.Run(ctx, c, keys, args...).Err(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := emptyScript.Run(ctx, c, keys, args...).Err(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}
