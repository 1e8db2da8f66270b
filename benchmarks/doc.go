// Package benchmarks compares zerojwt with other Go JWT libraries on one
// standard HS256 workload. Everything lives in the _test.go files: run
// `go test -run . ./...` for the correctness checks and run.sh for the
// benchmark comparison.
package benchmarks
