"""Configuration from the environment (and ``.env``), with safe defaults.

``CITEGRAPH_*`` variables configure the tool; ``NEO4J_URI`` (with ``NEO4J_USER``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) switches the store from the embedded default to Neo4j.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


def default_store_path() -> Path:
    """``$XDG_DATA_HOME/citegraph/graph.json`` (``~/.local/share/citegraph/graph.json``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "citegraph" / "graph.json"


def default_corpus() -> Path | None:
    """``../shared/corpus`` beside the checkout, when it exists."""
    candidate = REPO_ROOT.parent / "shared" / "corpus"
    return candidate if candidate.is_dir() else None


def default_catalog_dir() -> Path:
    """The curated catalog: ``data/catalog`` of the checkout, else the copy in the package.

    The wheel ships ``data/catalog`` as ``citegraph/_data/catalog`` (see pyproject.toml), so an
    installed citegraph links the same mentions as the checkout.
    """
    checkout = REPO_ROOT / "data" / "catalog"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parent / "_data" / "catalog"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CITEGRAPH_", env_file=".env", extra="ignore")

    store: Path = Field(default_factory=default_store_path)
    catalog_dir: Path = Field(default_factory=default_catalog_dir)
    corpus: Path | None = Field(default_factory=default_corpus)

    neo4j_uri: str | None = Field(default=None, validation_alias=AliasChoices("NEO4J_URI"))
    neo4j_user: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_USER"))
    neo4j_password: SecretStr = Field(default=SecretStr(""),
                                      validation_alias=AliasChoices("NEO4J_PASSWORD"))
    neo4j_database: str | None = Field(default=None,
                                       validation_alias=AliasChoices("NEO4J_DATABASE"))

    token: SecretStr | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1

    enable_cypher: bool = False
    max_upload_bytes: int = 20 * 1024 * 1024
    max_uploads: int = 10
    max_depth: int = 3
    max_results: int = 500
    query_timeout_s: float = 5.0
    max_input_bytes: int = 64 * 1024 * 1024

    # The HTTP server's own guards (api/guards.py, api/server.py).
    allowed_hosts: str = "localhost,127.0.0.1,[::1]"
    max_body_bytes: int = 1024 * 1024
    body_timeout_s: float = 30.0
    header_timeout_s: float = 10.0
    keep_alive_s: int = 5
    max_connections: int = 512

    @property
    def uses_neo4j(self) -> bool:
        return bool(self.neo4j_uri)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
