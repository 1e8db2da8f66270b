package redisstore_test

import (
	"context"
	"testing"

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
