"""One configuration tree: every threshold of every stage, with defaults and overrides.

The tree is :class:`Config`; its sections are the frozen configs the stages already take
(``classify`` is :class:`~wiretrace.classify.ClassifyConfig`, ``diverge`` is
:class:`~wiretrace.diverge.DivergeConfig`, …), and its keys are their dataclass fields, so
a threshold added to a stage is configurable without a line here. Layers, lowest first:

1. the defaults of the stage configs;
2. a TOML file: ``--config PATH`` (or ``$WIRETRACE_CONFIG``), else ``wiretrace.toml`` in
   the working directory if there is one::

       [classify]
       edited_min_coverage = 0.6

3. ``--set section.key=value`` on the command line (repeatable), or ``config=`` in Python;
4. the options of one command (``--semantic off``, ``--text-field body``).

Unknown sections and keys are errors (:class:`~wiretrace.errors.ConfigError`) that list
the valid ones: a misspelt threshold must never be silently ignored.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from wiretrace.consolidate import ConsolidateConfig
from wiretrace.diverge import DivergeConfig
from wiretrace.errors import ConfigError
from wiretrace.extract.document import ExtractOptions
from wiretrace.pipeline import DetectConfig
from wiretrace.read import ReadOptions

CONFIG_FILE = "wiretrace.toml"
CONFIG_ENV = "WIRETRACE_CONFIG"


@dataclass(frozen=True, slots=True)
class Config:
    """The configuration of every stage of one run.

    ``detect`` holds the detection stages (fingerprint, candidates, align, classify,
    cluster, semantic), which appear as sections of their own in files and overrides.
    ``consolidate`` is the story view's configuration; its divergence checks are the
    ``diverge`` section (:attr:`story` joins the two).
    """

    detect: DetectConfig = field(default_factory=DetectConfig)
    diverge: DivergeConfig = field(default_factory=DivergeConfig)
    consolidate: ConsolidateConfig = field(default_factory=ConsolidateConfig)
    read: ReadOptions = field(default_factory=ReadOptions)
    extract: ExtractOptions = field(default_factory=ExtractOptions)

    @property
    def story(self) -> ConsolidateConfig:
        """The story view's configuration, with this tree's divergence checks."""
        return replace(self.consolidate, diverge=self.diverge)


# A section's place in the tree: ("detect", "classify") is Config.detect.classify.
_Path = tuple[str, ...]


def _sections() -> dict[str, _Path]:
    """Section name → path in :class:`Config`: the detection stages first, then the rest."""
    sections: dict[str, _Path] = {f.name: ("detect", f.name) for f in fields(DetectConfig)}
    for f in fields(Config):
        if f.name != "detect":
            sections.setdefault(f.name, (f.name,))
    return sections


SECTIONS = _sections()


def _get(config: Config, path: _Path) -> Any:
    node: Any = config
    for name in path:
        node = getattr(node, name)
    return node


def _set(node: Any, path: _Path, value: Any) -> Any:
    """``node`` with the dataclass at ``path`` replaced by ``value``."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    return replace(node, **{head: _set(getattr(node, head), rest, value)})


def _keys(section: str) -> dict[str, Any]:
    """The settable keys of a section with their types (nested configs are sections)."""
    cls = type(_get(Config(), SECTIONS[section]))
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in fields(cls) if not is_dataclass(hints[f.name])}


def valid_keys() -> list[str]:
    """Every ``section.key`` that files and ``--set`` accept, in tree order."""
    return [f"{section}.{key}" for section in SECTIONS for key in _keys(section)]


def _unknown(kind: str, name: str, valid: Iterable[str], where: str) -> ConfigError:
    """The error for an unknown section or key, listing the valid ones (the closest first)."""
    valid = list(valid)
    close = difflib.get_close_matches(name, valid, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return ConfigError(
        f"unknown configuration {kind} {name!r} in {where}.{hint} Valid {kind}s: {', '.join(valid)}"
    )


def _coerce(value: Any, kind: Any, name: str, where: str) -> Any:
    """``value`` as the field type ``kind``; a string (from ``--set``) is parsed."""
    options = typing.get_args(kind) if isinstance(kind, types.UnionType) else (kind,)
    if value is None and type(None) in options:
        return None
    for option in options:
        if option is type(None):
            continue
        converted = _convert(value, option)
        if converted is not _INVALID:
            return converted
    expected = " or ".join(
        "none" if option is type(None) else option.__name__ for option in options
    )
    raise ConfigError(f"configuration key {name!r} in {where} must be {expected}; got {value!r}")


_INVALID = object()
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def _convert(value: Any, kind: type) -> Any:
    """``value`` as ``kind``, or ``_INVALID``; never a lossy conversion (0.6 is not an int)."""
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _TRUE + _FALSE:
            return value.lower() in _TRUE
        return _INVALID
    if isinstance(value, bool):
        return _INVALID
    if kind is int:
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            try:
                return int(value.replace("_", ""))
            except ValueError:
                return _INVALID
        return _INVALID
    if kind is float:
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                return _INVALID
        return _INVALID
    if kind is str:
        return value if isinstance(value, str) else _INVALID
    return _INVALID


def apply_mapping(
    config: Config, mapping: Mapping[str, Any], where: str = "the configuration"
) -> Config:
    """``config`` with the sections of ``mapping`` (``{"classify": {"key": value}}``) set.

    Raises:
        ConfigError: an unknown section or key, or a value of the wrong type.
    """
    for section, values in mapping.items():
        if section not in SECTIONS:
            raise _unknown("section", section, SECTIONS, where)
        if not isinstance(values, Mapping):
            raise ConfigError(
                f"configuration section {section!r} in {where} must be a table of "
                f"key = value; got {values!r}"
            )
        keys = _keys(section)
        changes = {}
        for key, value in values.items():
            if key not in keys:
                raise _unknown("key", f"{section}.{key}", (f"{section}.{k}" for k in keys), where)
            changes[key] = _coerce(value, keys[key], f"{section}.{key}", where)
        path = SECTIONS[section]
        config = _set(config, path, replace(_get(config, path), **changes))
    return config


def parse_override(text: str) -> dict[str, dict[str, str]]:
    """One ``--set`` text as a mapping: ``"classify.x=0.6"`` is ``{"classify": {"x": "0.6"}}``."""
    name, sep, value = text.partition("=")
    section, dot, key = name.strip().partition(".")
    if not sep or not dot or not section or not key:
        raise ConfigError(
            f"--set expects section.key=value, such as classify.edited_min_coverage=0.6; "
            f"got {text!r}"
        )
    return {section: {key.strip(): value.strip()}}


def apply_overrides(config: Config, overrides: Iterable[str]) -> Config:
    """``config`` with each ``section.key=value`` applied in turn (later ones win)."""
    for text in overrides:
        config = apply_mapping(config, parse_override(text), f"--set {text}")
    return config


def read_config_file(path: str | Path, base: Config | None = None) -> Config:
    """``base`` (the defaults) with the settings of a TOML file.

    Raises:
        ConfigError: the file cannot be read or parsed, or names an unknown key.
    """
    try:
        with open(path, "rb") as stream:
            mapping = tomllib.load(stream)
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration file {str(path)!r}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"the configuration file {str(path)!r} is not valid TOML: {exc}"
        ) from None
    return apply_mapping(base or Config(), mapping, str(path))


def load_config(
    path: str | Path | None = None,
    overrides: Iterable[str] = (),
    *,
    directory: str | Path | None = None,
) -> Config:
    """The defaults, then a TOML file, then ``--set`` overrides.

    Args:
        path: the TOML file; ``None``: ``$WIRETRACE_CONFIG``, else ``wiretrace.toml`` in
            ``directory`` if it exists, else none.
        overrides: ``section.key=value`` texts.
        directory: where to look for ``wiretrace.toml`` (default: the working directory).
    """
    if path is None:
        path = os.environ.get(CONFIG_ENV) or None
    if path is None:
        found = Path(directory or ".") / CONFIG_FILE
        path = found if found.is_file() else None
    config = read_config_file(path) if path is not None else Config()
    return apply_overrides(config, overrides)


def as_config(value: Config | DetectConfig | Mapping[str, Any] | None) -> Config:
    """The ``config=`` argument of the Python API as a :class:`Config`.

    Accepts a whole :class:`Config`, a :class:`DetectConfig` (the other sections keep their
    defaults), a mapping of sections as in a TOML file, or ``None`` (the defaults; a
    ``wiretrace.toml`` is read only by the command line).
    """
    if value is None:
        return Config()
    if isinstance(value, Config):
        return value
    if isinstance(value, DetectConfig):
        return Config(detect=value)
    if isinstance(value, Mapping):
        return apply_mapping(Config(), value, "config=")
    raise ConfigError(
        "config= takes a wiretrace.Config, a DetectConfig or a mapping such as "
        f"{{'classify': {{'edited_min_coverage': 0.6}}}}; got {type(value).__name__}"
    )


def config_dict(config: Config) -> dict[str, dict[str, Any]]:
    """Every section and key with its value: the form a run records."""
    return {
        section: {key: getattr(_get(config, path), key) for key in _keys(section)}
        for section, path in SECTIONS.items()
    }


def changed_settings(recorded: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The values of a recorded :func:`config_dict` that differ from today's defaults."""
    defaults = config_dict(Config())
    changed: dict[str, dict[str, Any]] = {}
    for section, values in recorded.items():
        for key, value in values.items():
            if defaults.get(section, {}).get(key, dataclasses.MISSING) != value:
                changed.setdefault(section, {})[key] = value
    return changed
