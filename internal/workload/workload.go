// Package workload holds the private claims of the benchmark workloads, shared by the root
// module's BenchmarkWorkload and the peer comparison in benchmarks/, so that both measure the
// same tokens.
package workload

import "strconv"

// Flat30 holds the 23 private claims of the flat workload: with the seven
// registered ones, 30 flat members of strings, integers, one fraction and
// booleans.
type Flat30 struct {
	Name          string  `json:"name"`
	GivenName     string  `json:"given_name"`
	FamilyName    string  `json:"family_name"`
	Email         string  `json:"email"`
	EmailVerified bool    `json:"email_verified"`
	Locale        string  `json:"locale"`
	Zoneinfo      string  `json:"zoneinfo"`
	Tenant        string  `json:"tenant"`
	OrgID         int64   `json:"org_id"`
	Plan          string  `json:"plan"`
	Region        string  `json:"region"`
	SessionState  string  `json:"session_state"`
	AuthTime      int64   `json:"auth_time"`
	ACR           string  `json:"acr"`
	Admin         bool    `json:"admin"`
	MFA           bool    `json:"mfa"`
	Beta          bool    `json:"beta"`
	Level         int     `json:"level"`
	Quota         int64   `json:"quota"`
	Score         float64 `json:"score"`
	Department    string  `json:"department"`
	EmployeeID    string  `json:"employee_id"`
	Active        bool    `json:"active"`
}

// FlatClaims is the value of the flat30 workload's private claims.
func FlatClaims() Flat30 {
	return Flat30{
		Name:          "John Doe",
		GivenName:     "John",
		FamilyName:    "Doe",
		Email:         "john.doe@example.com",
		EmailVerified: true,
		Locale:        "en-GB",
		Zoneinfo:      "Europe/London",
		Tenant:        "acme-corp",
		OrgID:         48213,
		Plan:          "enterprise",
		Region:        "eu-west-1",
		SessionState:  "b1f2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
		AuthTime:      1767225600,
		ACR:           "urn:mace:incommon:iap:silver",
		Admin:         true,
		MFA:           true,
		Beta:          false,
		Level:         7,
		Quota:         1073741824,
		Score:         0.875,
		Department:    "Platform Engineering",
		EmployeeID:    "E-0042917",
		Active:        true,
	}
}

// Roles holds the private claim of the roles workload: 200 role names that
// make up most of a payload of about 4 KiB.
type Roles struct {
	Roles []string `json:"roles"`
}

// RoleClaims is the value of the roles4k workload's private claims.
func RoleClaims() Roles { return Roles{Roles: RoleNames(200)} }

// RoleNames returns n distinct role names of 16 or 17 bytes.
func RoleNames(n int) []string {
	verbs := []string{"read", "write", "admin", "audit"}
	out := make([]string, n)
	for i := range out {
		out[i] = "svc" + strconv.Itoa(1000+i/len(verbs)) + ".res:" + verbs[i%len(verbs)]
	}
	return out
}

// Access is the roles object of an identity provider's realm_access and of
// each client in resource_access.
type Access struct {
	Roles []string `json:"roles"`
}

// IdP holds the private claims of an identity provider's access token (the
// shape Keycloak writes; Auth0 and Entra ID tokens carry the same kinds of
// members): typ, azp, a space-separated scope, email, name, the realm roles
// and the roles of two clients, nested objects decoded into nested structs.
type IdP struct {
	Typ            string            `json:"typ"`
	Azp            string            `json:"azp"`
	Scope          string            `json:"scope"`
	Email          string            `json:"email"`
	Name           string            `json:"name"`
	RealmAccess    Access            `json:"realm_access"`
	ResourceAccess map[string]Access `json:"resource_access"`
}

// IdPClaims is the value of the idp workload's private claims.
func IdPClaims() IdP {
	return IdP{
		Typ:   "Bearer",
		Azp:   "web-console",
		Scope: "openid profile email offline_access orders:read orders:write",
		Email: "john.doe@example.com",
		Name:  "John Doe",
		RealmAccess: Access{Roles: []string{
			"default-roles-acme", "offline_access", "uma_authorization", "staff", "support-tier-2",
			"app-user", "reporting", "beta-features", "catalog-editor", "warehouse-ops",
		}},
		ResourceAccess: map[string]Access{
			"orders-api": {Roles: []string{
				"orders.read", "orders.write", "orders.refund", "reports.view",
				"invoices.read", "invoices.write", "customers.read",
			}},
			"account": {Roles: []string{
				"manage-account", "manage-account-links", "view-profile", "view-consent", "manage-consent",
			}},
		},
	}
}

// The registered claims of the identity-provider token.
const (
	IdPIssuer    = "https://idp.example.com/realms/acme"
	IdPSubject   = "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
	IdPAudience  = "orders-api"
	IdPAudience2 = "account"
	IdPID        = "onrtac:3f6c1e0a-5b7d-4c2e-9a8f-1d2e3f4a5b6c"
)
