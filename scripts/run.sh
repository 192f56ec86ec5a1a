#!/usr/bin/env bash
# Set everything up, ingest the catalog (and the corpus when one is found) into the
# embedded default store, and serve the explorer on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
.venv/bin/citegraph ingest --corpus
exec .venv/bin/citegraph serve "$@"
