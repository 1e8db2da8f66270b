// Package benchmarks compares zerojwt with other Go JWT libraries on HS256
// workloads: the standard token, 30 flat claims, a 4 KiB payload of roles,
// an identity provider's access token (into nested structs and into a map),
// the standard claims into a map, and a token another library wrote.
// Everything lives in the _test.go files: run `go test ./...` for the
// correctness checks and run.sh for the benchmark comparison.
package benchmarks
