#!/bin/sh
# Installs headless Chromium (Debian package) for the tests that open report.html in a browser.
# Idempotent: does nothing when a Chromium binary is already on the PATH (or in VIGIL_CHROMIUM).
# Run as root (or through sudo) on a Debian/Ubuntu CI machine. Waits for a busy dpkg lock.
# Without Chromium those tests are skipped; set VIGIL_REQUIRE_CHROMIUM=true to make them fail instead.
set -eu

if [ -n "${VIGIL_CHROMIUM:-}" ] && [ -x "${VIGIL_CHROMIUM}" ]; then
    echo "chromium already installed: ${VIGIL_CHROMIUM}"
    exit 0
fi
for name in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$name" >/dev/null 2>&1; then
        echo "chromium already installed: $(command -v "$name")"
        exit 0
    fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium
chromium --version 2>/dev/null || echo "chromium installed: $(command -v chromium)"
