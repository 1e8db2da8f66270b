#!/bin/sh
# Interop tests of zerojwt against golang-jwt, jwx, go-jose (Go), jose,
# jsonwebtoken (Node.js) and Django REST framework SimpleJWT (Python). Installs
# the Node peers exactly as locked in node/package-lock.json and, when no
# python3 imports SimpleJWT, the Debian packages python3-djangorestframework-simplejwt
# and python3-jwt (as root or with sudo); then runs the Go tests of this nested
# module. Needs Go, Node.js >= 20 and npm, and access to the npm registry and
# the Go module proxy. Set PYTHON to use a python3 of your own. Usable from any
# directory.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
npm ci --prefix "$dir/node" --no-audit --no-fund

has_simplejwt() { "$1" -c 'import rest_framework_simplejwt, jwt' 2>/dev/null; }

if [ -z "${PYTHON:-}" ]; then
	# The Debian packages install for /usr/bin/python3, which need not be the python3 on PATH.
	for p in python3 /usr/bin/python3; do
		if command -v "$p" >/dev/null 2>&1 && has_simplejwt "$p"; then PYTHON=$p; break; fi
	done
fi
if [ -z "${PYTHON:-}" ] && command -v apt-get >/dev/null 2>&1; then
	echo "== interop: installing python3-djangorestframework-simplejwt and python3-jwt"
	sudo=""
	if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo=sudo; fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends \
		python3-djangorestframework-simplejwt python3-jwt >/dev/null
	PYTHON=/usr/bin/python3
fi
# Without a python3 holding SimpleJWT the Django tests say how to get one: they fail when CI
# is set or apt-get exists, and skip only on a system without apt-get.
if [ -n "${PYTHON:-}" ]; then export PYTHON; fi

cd "$dir"
go test -race ./...
