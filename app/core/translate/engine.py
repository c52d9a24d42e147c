"""Run an installed Argos package on CTranslate2, fast: the whole document in one go, sorted by length.

Argos translates one paragraph per `translate_batch` call with 32-token batches and beam 4. Here all
sentences are tokenized at once, sorted by token length and cut into batches of similar length, each
decoded with a `max_decoding_length` tied to its own longest source, so short sentences neither wait
for long ones nor pay for their padding. One call per batch gives progress, cancellation and
incremental results between batches.
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from app.core.errors import CancelledError, ModelError
from app.core.progress import Cancel, Progress
from app.core.translate.packages import PackageInfo, find_package, validate_package

MAX_BATCH_TOKENS = 2048  # padded source tokens per batch: ~1-2 s per batch on 2 cores at beam 1
MAX_BATCH_SENTENCES = 128
MAX_DECODING_CAP = 256
LENGTH_PENALTY = 0.2  # Argos's value for its packages
# CTranslate2 reads at most this many tokens of a source (translate_batch's max_input_length default);
# the rest of a longer "sentence" was never translated. Cutting the text before the tokenizer keeps a
# 10 MB "sentence" (a pasted blob) from costing gigabytes of tokens: 1024 tokens of at most 16
# characters each (SentencePiece's longest piece) fit in 16 K characters, so the cut changes nothing.
MAX_INPUT_TOKENS = 1024
MAX_SOURCE_CHARS = 32 * 1024


def _source(text: str) -> str:
    return text.strip()[:MAX_SOURCE_CHARS]


@dataclass(frozen=True)
class Hypothesis:
    """One of the engine's n-best translations of a sentence, best first."""

    text: str
    score: float  # CTranslate2's score: the log-probability divided by length ** LENGTH_PENALTY
    confidence: float  # 0..1: exp(mean log-probability per token, end of sentence included)


def confidence_of(score: float, tokens: int) -> float:
    """Undo the length normalisation to get the mean token log-probability, then exp() it."""
    length = max(1, tokens + 1)  # + the end-of-sentence token the model also scored
    mean = score * length**LENGTH_PENALTY / length
    return max(0.0, min(1.0, math.exp(mean)))


def decoding_budget(source_tokens: int) -> int:
    """How many target tokens a source of this length may produce (English runs ~1.2x Vietnamese
    SentencePiece tokens; the slack covers the odd outlier, the cap stops runaway repetition)."""
    return min(MAX_DECODING_CAP, int(1.5 * source_tokens) + 10)


class _Tokenizer(Protocol):
    def encode(self, texts: list[str]) -> list[list[str]]: ...
    def decode(self, tokens: list[str]) -> str: ...


class _SentencePiece:
    def __init__(self, model_file: Path) -> None:
        import sentencepiece as spm

        self._sp = spm.SentencePieceProcessor(model_file=str(model_file))

    def encode(self, texts: list[str]) -> list[list[str]]:
        return self._sp.encode(texts, out_type=str)

    def decode(self, tokens: list[str]) -> str:
        return self._sp.decode_pieces(tokens)


class _Bpe:
    """Older Argos packages ship a BPE model with Moses tokenization; Argos's own class handles it."""

    def __init__(self, model_file: Path, from_code: str, to_code: str) -> None:
        from app.core.translate.packages import use_our_argos_dir

        use_our_argos_dir()
        from argostranslate.tokenizer import BPETokenizer

        self._bpe = BPETokenizer(model_file, from_code, to_code)

    def encode(self, texts: list[str]) -> list[list[str]]:
        return [self._bpe.encode(t) for t in texts]

    def decode(self, tokens: list[str]) -> str:
        return self._bpe.decode(tokens)


def _device_and_compute() -> tuple[str, str]:
    import ctranslate2

    if ctranslate2.get_cuda_device_count() > 0:
        supported = ctranslate2.get_supported_compute_types("cuda")
        return "cuda", "int8_float16" if "int8_float16" in supported else "auto"
    # int8 on CPU: ~3x faster than float32 and the packages are stored in int8 anyway.
    return "cpu", "int8" if "int8" in ctranslate2.get_supported_compute_types("cpu") else "auto"


class Engine:
    """One loaded package. Load once and reuse: loading costs ~1 s, translating a sentence ~10 ms."""

    def __init__(
        self,
        package: PackageInfo | str | os.PathLike[str] | None = None,
        *,
        threads: int | None = None,
        max_batch_tokens: int = MAX_BATCH_TOKENS,
    ) -> None:
        if package is None:
            package = find_package("vi", "en")
        elif not isinstance(package, PackageInfo):
            package = _info_for_folder(Path(package))
        self.package = package
        self.model_id = package.model_id
        self.max_batch_tokens = max_batch_tokens
        self.device, self.compute_type = _device_and_compute()
        threads = threads or os.cpu_count() or 1
        folder = package.path
        # On CPU: two workers, each allowed every core, fed two batches at a time. Measured on 2 cores
        # with the vi→en-sized model: (inter 2, intra 2) gave 12-14 sentences/s in bulk and 270-290 ms
        # for one 25-token sentence; (2, 1) gave 11 sentences/s and 340-440 ms (a lone sentence got one
        # core); (1, 2) gave 11 sentences/s and 240-310 ms. The mild oversubscription lets a batch use
        # the cores the other worker leaves idle.
        self._workers = min(2, threads) if self.device == "cpu" else 1
        intra = threads if self.device == "cpu" else 0
        try:
            import ctranslate2

            self._translator = ctranslate2.Translator(
                str(folder / "model"),
                device=self.device,
                compute_type=self.compute_type,
                inter_threads=self._workers,
                intra_threads=intra,
            )
            if package.kind != "argos":  # OPUS-MT / NLLB models: their own tokenizing (model_kinds.py)
                from app.core.translate.model_kinds import tokenizer_for

                self._tokenizer: _Tokenizer = tokenizer_for(package)
            elif package.tokenizer == "sentencepiece.model":
                self._tokenizer = _SentencePiece(folder / "sentencepiece.model")
            else:
                self._tokenizer = _Bpe(folder / "bpe.model", package.from_code, package.to_code)
        except (RuntimeError, ValueError, OSError) as err:
            what = f"could not load the translation model in {folder}: {err}"
            raise ModelError(f"{what}; reinstall the package with `main.py models install FILE`", neutral=what) from err

    def translate(
        self,
        texts: Sequence[str],
        *,
        beam_size: int = 1,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> list[str]:
        """Translations in input order; "" for empty or blank inputs. Raises CancelledError."""
        out = [""] * len(texts)
        for index, text in self.translate_iter(texts, beam_size=beam_size, progress=progress, cancel=cancel):
            out[index] = text
        return out

    def translate_iter(
        self,
        texts: Sequence[str],
        *,
        beam_size: int = 1,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> Iterator[tuple[int, str]]:
        """Yield `(index, translation)` batch by batch (shortest sentences first), so a caller can
        store each batch as it comes and keep it if the user cancels. `cancel` is checked before
        every batch; when it returns True, CancelledError is raised after the last yielded batch."""
        for index, hyps in self.translate_nbest_iter(
            texts, beam_size=beam_size, num_hypotheses=1, progress=progress, cancel=cancel
        ):
            yield index, hyps[0].text if hyps else ""

    def decoding_settings(self, beam_size: int = 1, num_hypotheses: int | None = None) -> dict[str, object]:
        """What decides the output besides the model (recorded with every translation)."""
        return {
            "beam_size": beam_size,
            "num_hypotheses": self.hypotheses_for(beam_size, num_hypotheses),
            "length_penalty": LENGTH_PENALTY,
            "replace_unknowns": True,
            "max_decoding_length": f"min({MAX_DECODING_CAP}, 1.5 x source tokens + 10)",
            "device": self.device,
            "compute_type": self.compute_type,
        }

    @staticmethod
    def hypotheses_for(beam_size: int, num_hypotheses: int | None) -> int:
        """Beam search can return at most `beam_size` hypotheses; greedy search (beam 1) one."""
        wanted = beam_size if num_hypotheses is None else num_hypotheses
        return max(1, min(wanted, max(1, beam_size)))

    def translate_nbest_iter(
        self,
        texts: Sequence[str],
        *,
        beam_size: int = 1,
        num_hypotheses: int | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> Iterator[tuple[int, list[Hypothesis]]]:
        """Like `translate_iter`, with each sentence's n-best hypotheses (best score first) and their
        scores; `num_hypotheses` defaults to `beam_size`. An empty input gives an empty list."""
        n_best = self.hypotheses_for(beam_size, num_hypotheses)
        total = len(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        for i, t in enumerate(texts):
            if not t.strip():
                yield i, []
        done = total - len(todo)
        tokens = self._tokenizer.encode([_source(texts[i]) for i in todo]) if todo else []
        lengths = [len(t) for t in tokens]  # before the cut below: batches stay as they were
        tokens = [t[:MAX_INPUT_TOKENS] for t in tokens]
        by_length = sorted(range(len(todo)), key=lambda k: lengths[k])
        pending: deque[tuple[list[int], list[Any]]] = deque()
        batches = iter(self._batches([lengths[k] for k in by_length], beam_size))
        while True:
            while len(pending) < self._workers:
                batch = next(batches, None)
                if batch is None:
                    break
                if cancel is not None and cancel():
                    # Batches already running finish, but their results are dropped with the rest.
                    raise CancelledError(f"translation cancelled after {done} of {total} sentences")
                keys = [by_length[j] for j in batch]
                pending.append((keys, self._submit([tokens[k] for k in keys], beam_size, n_best)))
            if not pending:
                break
            keys, futures = pending.popleft()
            for k, hyps in zip(keys, self._collect(futures), strict=True):
                yield todo[k], hyps
            done += len(keys)
            if progress is not None:
                progress(done, total, "translating")
        if not todo and progress is not None:
            progress(total, total, "translating")

    def _batches(self, lengths: list[int], beam_size: int = 1) -> Iterator[list[int]]:
        """Cut positions of a length-sorted list into batches of at most `max_batch_tokens` padded
        tokens, and of similar lengths: a batch decodes until its longest sentence's budget is used
        (random weights, or a model that loops), so mixing lengths wastes steps on the short ones.
        Memory grows with sentences x beam, so a beam-4 batch holds a quarter as many sentences."""
        budget = max(1, self.max_batch_tokens // max(1, beam_size))
        start = 0
        while start < len(lengths):
            end = start + 1
            while (
                end < len(lengths)
                and end - start < MAX_BATCH_SENTENCES // max(1, beam_size)
                and max(lengths[end], 1) * (end + 1 - start) <= budget
                and decoding_budget(lengths[end]) <= decoding_budget(lengths[start]) * 1.15 + 3
            ):
                end += 1
            yield list(range(start, end))
            start = end

    def _submit(self, batch: list[list[str]], beam_size: int, num_hypotheses: int = 1) -> list[Any]:
        prefix = self.package.target_prefix
        longest = max(len(t) for t in batch)
        try:
            return self._translator.translate_batch(
                batch,
                target_prefix=[[prefix]] * len(batch) if prefix else None,
                beam_size=beam_size,
                num_hypotheses=num_hypotheses,
                return_scores=True,
                length_penalty=LENGTH_PENALTY,
                max_decoding_length=decoding_budget(longest) + (1 if prefix else 0),
                replace_unknowns=True,  # copy the source token for <unk> (rare names, symbols)
                max_batch_size=0,  # batched here already
                asynchronous=True,
            )
        except (RuntimeError, ValueError) as err:
            raise ModelError(f"translation failed in model {self.model_id}: {err}") from err

    def _collect(self, futures: list[Any]) -> list[list[Hypothesis]]:
        prefix = self.package.target_prefix
        out: list[list[Hypothesis]] = []
        for future in futures:
            try:
                result = future.result()
            except (RuntimeError, ValueError) as err:
                raise ModelError(f"translation failed in model {self.model_id}: {err}") from err
            scores = list(result.scores) or [0.0] * len(result.hypotheses)
            hyps: list[Hypothesis] = []
            seen: set[str] = set()
            for tokens, score in zip(result.hypotheses, scores, strict=False):
                if prefix and tokens[:1] == [prefix]:
                    tokens = tokens[1:]
                text = self._tokenizer.decode(tokens).strip()
                if text in seen:
                    continue  # two token sequences can detokenize to the same words
                seen.add(text)
                hyps.append(Hypothesis(text, float(score), confidence_of(float(score), len(tokens))))
            out.append(hyps)
        return out


def _info_for_folder(path: Path) -> PackageInfo:
    """A PackageInfo for an unpacked package folder (or a .argosmodel, which must be installed first)."""
    from app.core.translate.packages import package_at

    if path.is_file():
        validate_package(path)
        raise ModelError(f"{path.name} is a package file; install it first with `main.py models install {path.name}`")
    if not (path / "metadata.json").is_file():
        raise ModelError(f"{path} is not an installed translation package (no metadata.json)")
    return package_at(path)
