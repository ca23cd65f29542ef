#!/bin/sh
# Installs Prometheus (Debian package, 2.42 on bookworm) for the tests that need a real server.
# Idempotent: does nothing when a prometheus binary is already on the PATH (or in PROMETHEUS_BIN).
# Run as root (or through sudo) on a Debian/Ubuntu CI machine. Waits for a busy dpkg lock.
set -eu

if [ -n "${PROMETHEUS_BIN:-}" ] && [ -x "${PROMETHEUS_BIN}" ]; then
    echo "prometheus already installed: ${PROMETHEUS_BIN}"
    exit 0
fi
if command -v prometheus >/dev/null 2>&1; then
    echo "prometheus already installed: $(command -v prometheus)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends prometheus
# The package starts a system service; the tests run their own server on a free port.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl stop prometheus >/dev/null 2>&1 || true
fi
prometheus --version 2>&1 | head -n 1
