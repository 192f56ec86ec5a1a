#!/usr/bin/env bash
# Set everything up from nothing and run the whole test suite:
# Python environment (uv.lock), Debian's Chromium, the Neo4j test server's jars (Maven
# Central), then lint, types and pytest (which starts and stops Neo4j itself).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/install-browser.sh
scripts/neo4j.sh fetch

echo "test: ruff" >&2
.venv/bin/ruff check .
echo "test: mypy" >&2
.venv/bin/mypy
echo "test: pytest" >&2
exec .venv/bin/pytest "$@"
