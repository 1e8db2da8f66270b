#!/usr/bin/env bash
# Runs the tests of the Redis store, installing redis-server from the Debian packages first
# when it is missing. The Go tests start their own server on a free loopback port (without
# persistence) and stop it at the end; set REDIS_ADDR=host:port to use a running one instead.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v redis-server >/dev/null 2>&1; then
	echo "== redisstore: installing redis-server"
	sudo=""
	if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi

go test -race -count=1 ./...
