#!/usr/bin/env bash
# Runs the tests of the Redis store, installing redis-server (and redis-cli, from
# redis-tools) from the Debian packages first when they are missing. The Go tests start their
# own standalone servers on free loopback ports (without persistence) and stop them at the
# end; set REDIS_ADDR=host:port to use a running one instead. This script also starts a
# Redis Cluster on loopback (three masters with one replica each) for the cluster tests,
# and removes it when it exits; set REDIS_CLUSTER=host:port,... to use a running one.
# Arguments are passed to go test (for example -run TestCluster -v).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
	echo "== redisstore: installing redis-server and redis-tools"
	sudo=""
	if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null
fi

cluster_dir=""
cluster_pids=()
cleanup() {
	for pid in "${cluster_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${cluster_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	if [ -n "$cluster_dir" ]; then rm -rf "$cluster_dir"; fi
}
trap cleanup EXIT

# in_use reports whether something listens on 127.0.0.1:$1.
in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_cluster() {
	local ports=() p
	while [ ${#ports[@]} -lt 6 ]; do
		p=$((20000 + RANDOM % 20000)) # the cluster bus takes p+10000 too
		if ! in_use "$p" && ! in_use $((p + 10000)) && [[ " ${ports[*]} " != *" $p "* ]]; then
			ports+=("$p")
		fi
	done
	cluster_dir=$(mktemp -d)
	for p in "${ports[@]}"; do
		mkdir "$cluster_dir/$p"
		redis-server --port "$p" --bind 127.0.0.1 --dir "$cluster_dir/$p" --save "" --appendonly no \
			--cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
			--loglevel warning >"$cluster_dir/$p/log" 2>&1 &
		cluster_pids+=($!)
	done
	for p in "${ports[@]}"; do
		for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
	done
	redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-replicas 1 \
		--cluster-yes >"$cluster_dir/create.log" 2>&1 || { cat "$cluster_dir/create.log"; return 1; }
	for p in "${ports[@]}"; do
		for _ in $(seq 100); do
			redis-cli -p "$p" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && break
			sleep 0.1
		done
	done
	REDIS_CLUSTER=$(printf '127.0.0.1:%s,' "${ports[@]}")
	export REDIS_CLUSTER=${REDIS_CLUSTER%,} REDIS_CLUSTER_DISPOSABLE=1
}

if [ -z "${REDIS_CLUSTER:-}" ]; then
	echo "== redisstore: starting a Redis Cluster on loopback (3 masters, 3 replicas)"
	start_cluster
fi

go test -race -count=1 "$@" ./...
