"""docker-compose.yml is valid for users (no Docker engine here: check its structure)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]


def _compose() -> dict[str, Any]:
    data = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_neo4j_service_uses_the_lts_image_with_a_healthcheck_and_volume() -> None:
    neo4j = _compose()["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert {"test", "interval", "retries"} <= set(neo4j["healthcheck"])
    assert any(str(v).endswith(":/data") for v in neo4j["volumes"])
    assert "NEO4J_PASSWORD" in neo4j["environment"]["NEO4J_AUTH"]


def test_api_waits_for_healthy_neo4j_and_points_at_it() -> None:
    api = _compose()["services"]["api"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert api["build"] == "."
    assert (REPO / "Dockerfile").is_file()


def test_named_volume_is_declared() -> None:
    assert "neo4j-data" in _compose()["volumes"]


def test_dockerfile_installs_from_the_lock() -> None:
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert "uv sync --locked" in text
    assert "uv.lock" in text


def test_neo4j_is_hardened_like_the_test_server() -> None:
    """File URLs off, the same procedure allow-list as neo4j/Server.java, memory capped."""
    env = _compose()["services"]["neo4j"]["environment"]
    assert env["NEO4J_dbms_security_allow__csv__import__from__file__urls"] == "false"
    assert env["NEO4J_dbms_security_procedures_unrestricted"] == ""
    assert env["NEO4J_db_memory_transaction_max"]
    server = (REPO / "neo4j" / "Server.java").read_text(encoding="utf-8")
    listed = re.search(r"PROCEDURE_ALLOWLIST = List\.of\((.*?)\);", server, re.DOTALL)
    assert listed is not None
    assert env["NEO4J_dbms_security_procedures_allowlist"].split(",") == re.findall(
        r'"([^"]+)"', listed.group(1))
    for service in _compose()["services"].values():
        assert all(str(port).startswith("127.0.0.1:") for port in service.get("ports", []))
