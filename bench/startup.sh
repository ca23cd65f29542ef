#!/usr/bin/env bash
# Command-line start-up (BENCHMARKS.md, "Command-line start-up"): `vigil --version`, `vigil validate`
# and `vigil verify` (a whole one-round run, and the time to its first measurement line) with the
# launcher cli/target/vigil (class-data sharing archive) and with plain `java -jar`, side by side:
# one hyperfine run per command, 2 warm-ups and 10 runs each, medians.
#
#   mvn -B -q -DskipTests package -pl cli -am
#   bench/startup.sh [OTHER.jar]     OTHER.jar: another build's vigil.jar, run with java -jar beside them
#
# Needs hyperfine and python3 (a local HTTP endpoint for verify, and the clock for its first line).
set -euo pipefail
cd "$(dirname "$0")/.."

target=$PWD/cli/target
other=${1:-}
[ -x "$target/vigil" ] && [ -f "$target/vigil.jsa" ] || { echo "build first: mvn -B -q -DskipTests package -pl cli -am" >&2; exit 2; }
[ -z "$other" ] || other=$(cd "$(dirname "$other")" && pwd)/$(basename "$other")
runs=10

work=$(mktemp -d)
server=
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The service verify measures: a static actuator health on a free loopback port.
mkdir -p "$work/www/actuator"
echo '{"status":"UP"}' > "$work/www/actuator/health"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
server=$!
cat > "$work/verify.properties" <<EOF
vigil.deployment.service=checkout
vigil.deployment.version=2.4.1
vigil.deployment.previous-version=2.4.0
vigil.plan.initial-delay=0s
vigil.plan.interval=1s
vigil.plan.duration=1s
vigil.probes.health.type=actuator
vigil.probes.health.url=http://127.0.0.1:$port/actuator/health
vigil.rollback.webhook.url=http://127.0.0.1:$port/rollback
EOF
export VIGIL_HISTORY_URL="jdbc:h2:file:$work/history"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && break; sleep 0.1; done

variants=()
[ -z "$other" ] || variants+=("java -jar $other")
variants+=("java -jar $target/vigil.jar" "$target/vigil")
export BASE="java -jar $target/vigil.jar"   # the ratios are to this one

medians() {
  python3 - "$1" <<'PY'
import json, os, sys
results = json.load(open(sys.argv[1]))["results"]
base = next(r for r in results if r["command"].startswith(os.environ["BASE"] + " "))
print("| command | median | mean ± σ | user CPU | vs java -jar |")
print("|---|---|---|---|---|")
for r in results:
    print(f"| `{r['command']}` | {r['median'] * 1000:.0f} ms | {r['mean'] * 1000:.0f} ± {r['stddev'] * 1000:.0f} ms "
          f"| {r['user'] * 1000:.0f} ms | {r['median'] / base['median']:.2f} |")
PY
}

bench() {
  local name=$1; shift
  local commands=()
  for v in "${variants[@]}"; do commands+=("$v $*"); done
  echo
  echo "### $name"
  echo
  hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/$name.json" "${commands[@]}" >/dev/null 2>&1
  medians "$work/$name.json"
}

echo "uptime:$(uptime)"
echo "java: $(java -version 2>&1 | head -1)"
bench version --version
bench validate validate --config "$PWD/cli/src/cds/validate.properties"
bench verify verify --config "$work/verify.properties" --progress lines --report-dir "$work/reports"

# The first measurement: the time from start to the progress line of round 1, each variant in turn.
echo
echo "### first measurement of verify"
echo
python3 - "$runs" "$work" "${variants[@]}" <<'PY'
import os, statistics, subprocess, sys, time
runs, work, variants = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
args = ["verify", "--config", f"{work}/verify.properties", "--progress", "lines", "--report-dir", f"{work}/reports"]
times = {v: [] for v in variants}
for i in range(runs + 2):
    for v in variants:
        start = time.monotonic()
        p = subprocess.Popen(v.split() + args, stdout=subprocess.PIPE, text=True)
        seen = None
        for line in p.stdout:
            if seen is None and "round 1/" in line:
                seen = time.monotonic() - start
        p.wait()
        if seen is None:
            sys.exit(f"{v}: no line of round 1 (exit {p.returncode})")
        if i >= 2:
            times[v].append(seen)
base = statistics.median(times[os.environ["BASE"]])
print("| command | median to the line of round 1 | vs java -jar |")
print("|---|---|---|")
for v in variants:
    m = statistics.median(times[v])
    print(f"| `{v} verify ...` | {m * 1000:.0f} ms | {m / base:.2f} |")
PY
echo
echo "uptime:$(uptime)"
