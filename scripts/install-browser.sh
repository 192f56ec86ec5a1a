#!/usr/bin/env bash
# Debian's Chromium for the explorer's browser tests (no downloaded browser builds), and a
# CJK font (fonts-wqy-zenhei) so that Chinese labels render as glyphs, not boxes.
set -euo pipefail
WANT=""
[ -x /usr/bin/chromium ] || WANT="chromium"
fc-list 2>/dev/null | grep -qi "wenquanyi zen hei" || WANT="$WANT fonts-wqy-zenhei"
if [ -z "${WANT// /}" ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-browser: installing Debian's$WANT" >&2
# shellcheck disable=SC2086
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $WANT >/dev/null; }; then
  echo "install-browser: could not install$WANT" >&2
  # Browser tests fail (CI=true) or skip loudly without it.
  exit 0
fi
