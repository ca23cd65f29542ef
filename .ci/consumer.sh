#!/usr/bin/env bash
# Proof that what Vigil publishes is enough: builds and runs examples/consumer against the staging
# repository that `mvn deploy -DaltDeploymentRepository=staging::file://$PWD/target/staging` filled.
# The consumer gets a local repository of its own, so Vigil's artifacts can only come from staging
# (the machine's ~/.m2 may hold old Vigil SNAPSHOTs); third-party artifacts come from the machine's
# Maven cache (examples/consumer/settings.xml) or Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
staging="$root/target/staging"
repo="$root/target/consumer-m2"

[ -d "$staging/dev/vigil" ] || { echo "no staging repository at $staging: deploy the reactor first" >&2; exit 1; }
rm -rf "$repo" examples/consumer/target

mvn -B -f examples/consumer/pom.xml -s examples/consumer/settings.xml \
    -Dmaven.repo.local="$repo" -Dvigil.repository="file://$staging" verify

# Exactly the artifacts a consumer of vigil-core and vigil-probes-http needs, each from staging.
expected="vigil-bom vigil-core vigil-parent vigil-probes-http"
used=$(cd "$repo/dev/vigil" && ls | sort | tr '\n' ' ' | sed 's/ $//')
if [ "$used" != "$expected" ]; then
  echo "consumer: used the Vigil artifacts [$used], expected [$expected]" >&2
  exit 1
fi
for artifact in $expected; do
  marker=$(find "$repo/dev/vigil/$artifact" -name _remote.repositories)
  if [ -z "$marker" ] || ! grep -q '>vigil-staging=' $marker || grep -v '^#' $marker | grep -qv '>vigil-staging='; then
    echo "consumer: $artifact was not resolved from the staging repository only:" >&2
    cat $marker >&2 || true
    exit 1
  fi
done
echo "consumer: built and ran against the staged $expected"
