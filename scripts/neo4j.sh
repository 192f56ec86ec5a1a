#!/usr/bin/env bash
# A real Neo4j server for tests, from Maven Central jars, on the machine's JDK (no Docker).
#
#   scripts/neo4j.sh fetch               download the jars into .cache/neo4j/lib (idempotent)
#   scripts/neo4j.sh start PORT DATADIR  start in the background, wait for Bolt, print the URI
#   scripts/neo4j.sh stop [DATADIR]      stop the server started on DATADIR (default: the
#                                        DATADIR of this checkout's last `start`)
#   scripts/neo4j.sh run PORT DATADIR [--exit-on-stdin-close]
#                                        run in the foreground (exec; used by tests/neo4j_server.py)
#
# PORT 0 picks a free port. Auth is disabled: connect with no credentials to the printed
# bolt:// URI (127.0.0.1 only). The version is pinned in neo4j/pom.xml; the launcher is
# neo4j/Server.java. Environment knobs:
#   NEO4J_JAVA            java binary (default: JDK 17, else 21, else `java` on PATH)
#   NEO4J_JAVA_OPTS       JVM flags replacing the default heap flags (-Xms256m -Xmx1g)
#   NEO4J_START_TIMEOUT   seconds `start` waits for Bolt (default 180)
#   NEO4J_TEST_PAGECACHE_MB, NEO4J_TEST_TX_MAX_MB   memory (defaults 64, 256; see Server.java)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
POM="$ROOT/neo4j/pom.xml"
LAUNCHER="$ROOT/neo4j/Server.java"
CACHE="$ROOT/.cache/neo4j"
LIB="$CACHE/lib"
STAMP="$LIB/.pom.sha256"
LAST_DATADIR="$CACHE/last-datadir"

log() { echo "neo4j.sh: $*" >&2; }
die() { log "$*"; exit 1; }

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

jars_current() { [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(pom_hash)" ]; }

fetch_locked() {
  if jars_current; then
    log "jars up to date in $LIB"
    return
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (apt-get install maven)"
  log "fetching Neo4j jars into $LIB"
  local started=$SECONDS tmp="$LIB.tmp.$$"
  rm -rf "$tmp"
  # -q still prints bare colour resets; strip them (pipefail keeps mvn's status).
  mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1 \
    | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d' >&2 || die "mvn failed to fetch the jars"
  pom_hash >"$tmp/.pom.sha256"
  rm -rf "$LIB"
  mv "$tmp" "$LIB"
  log "fetched $(find "$LIB" -name '*.jar' | wc -l) jars in $((SECONDS - started)) s"
}

cmd_fetch() {
  mkdir -p "$CACHE"
  # Several test processes may fetch at once: serialise them.
  exec 9>"$CACHE/.fetch.lock"
  flock 9
  fetch_locked
  exec 9>&-
}

java_bin() {
  if [ -n "${NEO4J_JAVA:-}" ]; then echo "$NEO4J_JAVA"; return; fi
  local candidate
  for candidate in /usr/lib/jvm/java-17-openjdk-*/bin/java /usr/lib/jvm/java-21-openjdk-*/bin/java; do
    if [ -x "$candidate" ]; then echo "$candidate"; return; fi
  done
  command -v java >/dev/null 2>&1 || die "no java found (Neo4j 5.26 needs JDK 17 or 21)"
  command -v java
}

# Flags the Neo4j distribution's own launcher passes; without them the page cache falls
# back to a slower mode and logs warnings.
java_flags() {
  echo "${NEO4J_JAVA_OPTS:--Xms256m -Xmx1g}" \
    -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow \
    --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    -Dio.netty.tryReflectionSetAccessible=true \
    -Djdk.attach.allowAttachSelf=true
}

launcher_hash() { cat "$LAUNCHER" "$STAMP" | sha256sum | cut -d' ' -f1; }

# Compile Server.java once into .cache/neo4j/classes (saves ~2 s per start over
# source-file mode). Prints the classpath entry to use, or nothing without javac.
compiled_launcher() {
  local java=$1 javac classes="$CACHE/classes"
  javac="$(dirname "$java")/javac"
  [ -x "$javac" ] || return 0
  exec 8>"$CACHE/.compile.lock"
  flock 8
  if [ ! -f "$classes/.sha256" ] || [ "$(cat "$classes/.sha256")" != "$(launcher_hash)" ]; then
    local tmp="$classes.tmp.$$"
    rm -rf "$tmp"
    "$javac" -nowarn -d "$tmp" -cp "$LIB/*" "$LAUNCHER" >&2 || die "javac failed on $LAUNCHER"
    launcher_hash >"$tmp/.sha256"
    rm -rf "$classes"
    mv "$tmp" "$classes"
  fi
  exec 8>&-
  echo "$classes"
}

cmd_run() {
  [ $# -ge 2 ] || die "usage: neo4j.sh run PORT DATADIR [--exit-on-stdin-close]"
  jars_current || die "jars missing or stale: run 'scripts/neo4j.sh fetch' first"
  local java classes
  java=$(java_bin)
  classes=$(compiled_launcher "$java")
  if [ -n "$classes" ]; then
    # shellcheck disable=SC2046  # java_flags is a word list on purpose
    exec "$java" $(java_flags) -cp "$classes:$LIB/*" Server "$@"
  fi
  # shellcheck disable=SC2046
  exec "$java" $(java_flags) -cp "$LIB/*" "$LAUNCHER" "$@"
}

# The pid file and the launcher's log live in the data directory, so that several
# servers (several engineers, several test runs) never stop each other.
pidfile() { echo "$1/neo4j.pid"; }
logfile() { echo "$1/launcher.log"; }

# The pid of the server running on DATADIR, if any (checks it is still our launcher).
running_pid() {
  local file pid
  file=$(pidfile "$1")
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'Server' || return 1
  echo "$pid"
}

wait_until_ready() {
  local pid=$1 log_file=$2 deadline=$((SECONDS + ${NEO4J_START_TIMEOUT:-180}))
  while [ $SECONDS -lt $deadline ]; do
    if grep -q '^READY ' "$log_file" 2>/dev/null; then
      grep '^READY ' "$log_file" | tail -n1 | cut -d' ' -f2
      return
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$log_file" >&2; die "server exited during start-up"; }
    sleep 0.2
  done
  tail -n 30 "$log_file" >&2
  kill "$pid" 2>/dev/null || true
  die "Bolt not ready after ${NEO4J_START_TIMEOUT:-180} s"
}

cmd_start() {
  [ $# -eq 2 ] || die "usage: neo4j.sh start PORT DATADIR"
  local port=$1 data_dir pid
  mkdir -p "$2"
  data_dir=$(cd "$2" && pwd)
  if pid=$(running_pid "$data_dir"); then die "already running on $data_dir (pid $pid)"; fi
  cmd_fetch
  local started=$SECONDS log_file
  log_file=$(logfile "$data_dir")
  nohup "$0" run "$port" "$data_dir" </dev/null >"$log_file" 2>&1 &
  pid=$!
  echo "$pid" >"$(pidfile "$data_dir")"
  echo "$data_dir" >"$LAST_DATADIR"
  local uri
  uri=$(wait_until_ready "$pid" "$log_file")
  log "started pid $pid in $((SECONDS - started)) s, log $log_file"
  echo "$uri"
}

cmd_stop() {
  local data_dir=${1:-} pid
  if [ -z "$data_dir" ]; then
    [ -f "$LAST_DATADIR" ] || { log "not running"; return; }
    data_dir=$(cat "$LAST_DATADIR")
  fi
  if ! pid=$(running_pid "$data_dir"); then
    rm -f "$(pidfile "$data_dir")"
    log "not running on $data_dir"
    return
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid ignored SIGTERM for 30 s: killing"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(pidfile "$data_dir")"
  log "stopped pid $pid ($data_dir)"
}

main() {
  local command=${1:-}
  [ $# -gt 0 ] && shift
  case "$command" in
    fetch) cmd_fetch ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    run) cmd_run "$@" ;;
    *) die "usage: neo4j.sh fetch | start PORT DATADIR | stop [DATADIR] | run PORT DATADIR [--exit-on-stdin-close]" ;;
  esac
}

main "$@"
