#!/bin/sh
# Interop tests of zerojwt against golang-jwt, jwx, go-jose (Go) and jose,
# jsonwebtoken (Node.js). Installs the Node peers exactly as locked in
# node/package-lock.json, then runs the Go tests of this nested module.
# Needs Go, Node.js >= 20 and npm, and access to the npm registry and the Go
# module proxy. Usable from any directory.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
npm ci --prefix "$dir/node" --no-audit --no-fund
cd "$dir"
go test -race ./...
