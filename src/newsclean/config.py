"""Settings from a TOML file: one table per stage, keys as the stage's config dataclass fields.

    [text]
    isolated_weight = 0.3
    [dedup]
    threshold = 0.65
    [fetch]
    per_host_delay = 2.0
"""
from __future__ import annotations

import tomllib
import types
import typing
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


TYPE_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}


def _fits(value, hint) -> bool:
    """Whether a TOML value fits a field's type: a float field takes whole numbers too, a number field no booleans."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_fits(value, h) for h in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True


def _build(cls, values: dict, section: str, path):
    known = typing.get_type_hints(cls)
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"[{section}] in {path} has unknown keys {unknown}; known: {sorted(known)}")
    for key, value in values.items():
        if not _fits(value, known[key]):
            want = TYPE_NAMES.get(known[key], str(known[key]))
            raise ConfigError(f"[{section}] {key} = {value!r} in {path} should be {want}; fix it or remove the key")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:  # counts, sizes, shares, seconds
            raise ConfigError(f"[{section}] {key} = {value!r} in {path} should not be negative; fix it or remove the key")
    try:
        return cls(**values)
    except ValueError as exc:  # a setting's own check (DedupConfig: banding that fits the permutations)
        raise ConfigError(f"[{section}] in {path}: {exc}; fix it or remove the keys") from None


def load_config(path: str | Path | None) -> tuple[CleanConfig, DedupConfig, FetchConfig]:
    """(cleaning, dedup, fetch) settings from a TOML file; defaults for what it leaves out (or with no file)."""
    data: dict = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings from {path}: {exc}; give a readable TOML file (README: Configuration)") from exc
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise ConfigError(f"{path} has unknown sections {unknown}; known: {sorted(SECTIONS)}")
    not_tables = sorted(name for name, value in data.items() if not isinstance(value, dict))
    if not_tables:
        raise ConfigError(f"{path}: {not_tables} should be tables ([{not_tables[0]}] with keys under it)")
    parts = {name: _build(cls, data.get(name, {}), name, path) for name, cls in SECTIONS.items()}
    clean = CleanConfig(read=parts["read"], html=parts["html"], text=parts["text"], templates=parts["templates"])
    return clean, parts["dedup"], parts["fetch"]
