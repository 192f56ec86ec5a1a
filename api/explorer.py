"""The explorer page and HTML views (owned by the explorer work; placeholder router)."""

from fastapi import APIRouter

router = APIRouter()
