#!/usr/bin/env bash
# Install everything citegraph needs into ./.venv, pinned by uv.lock.
# Idempotent: a second run only checks that the environment matches the lock.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.8
BOOT=.cache/bootstrap
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

if [ ! -x "$BOOT/bin/uv" ] || ! "$BOOT/bin/uv" --version | grep -q "$UV_VERSION"; then
  echo "setup: installing uv $UV_VERSION into $BOOT" >&2
  "$PYTHON" -m venv "$BOOT"
  "$BOOT/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
echo "setup: syncing .venv with uv.lock" >&2
"$BOOT/bin/uv" sync --locked --python "$PYTHON" --quiet
