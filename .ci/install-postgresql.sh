#!/bin/sh
# Installs PostgreSQL (Debian package, 15 on bookworm) for the release-history tests against a real server.
# Idempotent: does nothing when initdb and pg_ctl are already under /usr/lib/postgresql/*/bin (or in PG_BIN).
# Run as root (or through sudo) on a Debian/Ubuntu CI machine. Waits for a busy dpkg lock.
# The tests start their own server in a temporary folder as the 'postgres' user the package creates.
set -eu

if [ -n "${PG_BIN:-}" ] && [ -x "${PG_BIN}/pg_ctl" ]; then
    echo "postgresql already installed: ${PG_BIN}"
    exit 0
fi
for bin in /usr/lib/postgresql/*/bin; do
    if [ -x "$bin/pg_ctl" ] && [ -x "$bin/initdb" ]; then
        echo "postgresql already installed: $bin"
        exit 0
    fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends postgresql
# The package starts a cluster of its own; the tests run their own server on a free port.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl stop postgresql >/dev/null 2>&1 || true
fi
ls -d /usr/lib/postgresql/*/bin
