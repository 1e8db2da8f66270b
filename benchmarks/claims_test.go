package benchmarks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"testing"

	shared "github.com/zerojwt/jwt/internal/workload"
)

// The claims of every workload other than the standard one. Each workload's
// private claims are one struct type, embedded next to each library's own
// registered-claims type, so that every library signs and decodes the same
// members.

// The claims types and values live in internal/workload, shared with the root module's
// BenchmarkWorkload so that both measure the same tokens.
type (
	Flat30 = shared.Flat30
	Roles  = shared.Roles
	Access = shared.Access
	IdP    = shared.IdP
)

var (
	flatClaims  = shared.FlatClaims()
	rolesClaims = shared.RoleClaims()
	idpClaims   = shared.IdPClaims()
)

// The registered claims of the identity-provider token.
const (
	idpIssuer    = shared.IdPIssuer
	idpSubject   = shared.IdPSubject
	idpAudience  = shared.IdPAudience
	idpAudience2 = shared.IdPAudience2
	idpID        = shared.IdPID
)

// foreignToken writes the standard claims the way another library might: a
// header {"alg":"HS256"} without typ, and the members in another order
// (sorted by name, as encoding/json writes a map), aud as a single string.
// It is signed here with crypto/hmac, not by any library under test.
func foreignToken(tb testing.TB) string {
	tb.Helper()
	t := newTimes()
	header := `{"alg":"HS256"}`
	payload := fmt.Sprintf(
		`{"admin":%t,"aud":%q,"exp":%d,"iat":%d,"iss":%q,"jti":%q,"name":%q,"nbf":%d,"sub":%q}`,
		wlAdmin, wlAudience, t.exp.Unix(), t.iat.Unix(), wlIssuer, wlID, wlName, t.nbf.Unix(), wlSubject)
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	mac := hmac.New(sha256.New, wlSecret)
	mac.Write([]byte(input))
	return input + "." + enc.EncodeToString(mac.Sum(nil))
}
