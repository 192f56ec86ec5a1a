.PHONY: run test lint setup

run:  ## install everything, ingest the demo inputs, serve the explorer on :8000
	bash scripts/run.sh

test:  ## install everything and run the whole test suite (real Neo4j, real Chromium)
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

lint:
	.venv/bin/ruff check . && .venv/bin/mypy
