#!/usr/bin/env bash
# Starts and stops newsdex's two-node SolrCloud test cluster (Cluster.java, MiniSolrCloudCluster).
#
#   tests/solr/cluster.sh start        build (offline when Maven's cache has it), start in the
#                                      background, wait (bounded) until the collection is up;
#                                      prints the nodes' base URLs, comma-separated, on stdout
#   tests/solr/cluster.sh stop         stop exactly the PIDs start wrote, nothing else
#   tests/solr/cluster.sh stop-node N  ask the launcher to stop node N (0 or 1); waits for it
#   tests/solr/cluster.sh start-node N ask it to start node N again; waits for it
#   tests/solr/cluster.sh status       the URLs, if the cluster is up
#
# State lives in $NEWSDEX_SOLR_STATE (default tests/solr/run): pids, urls, log, control/.
# Memory: NEWSDEX_SOLR_HEAP (default 1g) is the one JVM's heap, shared by both nodes and ZooKeeper.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
state="${NEWSDEX_SOLR_STATE:-$here/run}"
collection="${NEWSDEX_SOLR_COLLECTION:-newsdex}"
heap="${NEWSDEX_SOLR_HEAP:-1g}"
wait_s="${NEWSDEX_SOLR_WAIT:-180}"

build() {
  cd "$here"
  local goals=(-B -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
  if ! mvn -o "${goals[@]}" >"$state/build.log" 2>&1; then
    echo "cluster.sh: offline build failed; fetching from Maven Central" >&2
    mvn "${goals[@]}" >"$state/build.log" 2>&1 || { cat "$state/build.log" >&2; exit 2; }
  fi
}

start() {
  if [[ -f "$state/pids" ]] && kill -0 $(cat "$state/pids") 2>/dev/null; then
    echo "cluster.sh: already running (pids $(tr '\n' ' ' <"$state/pids")); stop it first" >&2
    exit 2
  fi
  rm -rf "$state"
  mkdir -p "$state/control"
  build
  local cp
  cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
  # setsid: its own process group, so `stop` can end the JVM without touching the caller
  setsid java -Xms256m -Xmx"$heap" -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true \
    -cp "$cp" newsdex.cluster.Cluster "$repo/src/solr/configset" "$state" "$collection" \
    >"$state/log" 2>&1 </dev/null &
  echo $! >"$state/pids"
  local deadline=$((SECONDS + wait_s))
  while [[ ! -f "$state/ready" ]]; do
    if ! kill -0 "$(cat "$state/pids")" 2>/dev/null; then
      echo "cluster.sh: the cluster exited before it was ready; its log:" >&2
      tail -50 "$state/log" >&2
      exit 2
    fi
    if ((SECONDS > deadline)); then
      echo "cluster.sh: not ready after ${wait_s} s; stopping it (log: $state/log)" >&2
      stop
      exit 2
    fi
    sleep 1
  done
  cat "$state/ready"
}

stop() {
  [[ -f "$state/pids" ]] || return 0
  local pid
  for pid in $(cat "$state/pids"); do
    kill "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 30); do
    local alive=0
    for pid in $(cat "$state/pids"); do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 1
  done
  for pid in $(cat "$state/pids"); do kill -9 "$pid" 2>/dev/null || true; done
  rm -f "$state/pids" "$state/ready"
}

node() { # node stop|start N
  local verb=$1 n=$2 ack
  [[ -f "$state/ready" ]] || { echo "cluster.sh: no cluster running" >&2; exit 2; }
  ack="$state/node-$n.${verb}ped"
  [[ $verb == start ]] && ack="$state/node-$n.started"
  rm -f "$ack"
  touch "$state/control/$verb-$n"
  for _ in $(seq 1 $((wait_s * 5))); do
    [[ -f "$ack" ]] && return 0
    sleep 0.2
  done
  echo "cluster.sh: node $n did not $verb within ${wait_s} s" >&2
  exit 2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  stop-node) node stop "${2:?node number}" ;;
  start-node) node start "${2:?node number}" ;;
  status) [[ -f "$state/ready" ]] && cat "$state/ready" ;;
  *) echo "usage: $0 start|stop|stop-node N|start-node N|status" >&2; exit 2 ;;
esac
