#!/usr/bin/env bash
# Debian's Chromium for the explorer's browser tests (no downloaded browser builds).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-browser: installing Debian's chromium" >&2
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; }; then
  echo "install-browser: could not install chromium" >&2
  # Browser tests fail (CI=true) or skip loudly without it.
  exit 0
fi
