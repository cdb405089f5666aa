"""Settings from a TOML file: one table per stage, keys as the stage's config dataclass fields.

    [text]
    isolated_weight = 0.3
    [dedup]
    threshold = 0.65
    [fetch]
    per_host_delay = 2.0
"""
from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

from newsclean.clean.templates import TemplateConfig
from newsclean.clean.textdump import TextCleanConfig
from newsclean.dedup.minhash import DedupConfig
from newsclean.extract.html import HtmlConfig
from newsclean.fetch.client import FetchConfig
from newsclean.pipeline import CleanConfig
from newsclean.readers import ReadConfig

SECTIONS = {"read": ReadConfig, "html": HtmlConfig, "text": TextCleanConfig, "templates": TemplateConfig,
            "dedup": DedupConfig, "fetch": FetchConfig}


class ConfigError(ValueError):
    """A settings file that does not describe newsclean's settings."""


def _build(cls, values: dict, section: str):
    known = {f.name: f.type for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"[{section}] has unknown keys {unknown}; known: {sorted(known)}")
    return cls(**values)


def load_config(path: str | Path | None) -> tuple[CleanConfig, DedupConfig, FetchConfig]:
    """(cleaning, dedup, fetch) settings from a TOML file; defaults for what it leaves out (or with no file)."""
    data: dict = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings from {path}: {exc}") from exc
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise ConfigError(f"unknown sections {unknown}; known: {sorted(SECTIONS)}")
    parts = {name: _build(cls, data.get(name, {}), name) for name, cls in SECTIONS.items()}
    clean = CleanConfig(read=parts["read"], html=parts["html"], text=parts["text"], templates=parts["templates"])
    return clean, parts["dedup"], parts["fetch"]
