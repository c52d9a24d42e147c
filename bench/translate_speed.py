"""Translation speed: DoiChieu's Engine against Argos Translate's own decoding path, same model, same sentences.

    .venv/bin/python bench/translate_speed.py [--sentences 1000] [--baseline-sentences N]

The model is a random-weight package of the vi→en package's size (6+6 layers, d_model 512, 8 heads,
FFN 2048, int8 weights, ~16k SentencePiece vocabulary trained on local Vietnamese text), built by
tests/make_tiny_model.py and cached in bench/corpus/ (gitignored). Random weights almost never emit
</s>, so every sequence decodes to its call's `max_decoding_length`; both arms therefore get a
`max_decoding_length` tied to source length (Argos passes none, i.e. 256, which would make the
baseline look far worse than it is with a real model), and the report counts the decoding steps each
arm wastes on sentences shorter than the longest one they were decoded with.

Arms:
  argos  `argostranslate.translate.apply_packaged_translation` itself, once per paragraph, on a
         `ctranslate2.Translator(device="cpu", inter_threads=1, intra_threads=0)` (compute_type auto),
         as Argos's PackageTranslation builds it; the sentence splitter is replaced by the bench's
         own split (MiniSBD would download a model) and `max_decoding_length` is added to its call.
         Beam 4 is Argos's default (beam 4, 4 hypotheses); beam 1 is the same calls with
         beam_size=1, num_hypotheses=1.
  ours   app.core.translate.engine.Engine over all sentences at once, as translate_document runs it:
         n-best on (`translate_nbest_iter`, num_hypotheses = beam, with scores), the glossary's
         preference among the hypotheses (a few entries that match the text) and each sentence's
         score, confidence and alternatives kept (not written to a library: bench/store_speed.py
         measures storage).

Last line: `speedup_beam1=X speedup_beam4=Y` (sentences/s ours ÷ argos).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus"
MODEL = CORPUS / "translate-vi_en-bench.argosmodel"
SAMPLES = sorted((ROOT / "tests" / "fixtures").glob("*.vi.txt"))
LO_HELP = Path("/usr/share/libreoffice/help/vi")
DIMS = {"num_layers": 6, "d_model": 512, "num_heads": 8, "ffn": 2048, "vocab_size": 16000, "seed": 0}
TRAIN_CHARS = 3_000_000
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


# ---------------------------------------------------------------- text


def _html_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    raw = re.sub(r"(?is)<(script|style).*?</\1>", " ", raw)
    raw = re.sub(r"(?s)<[^>]+>", "\n", raw)
    return "\n".join(" ".join(line.split()) for line in html.unescape(raw).splitlines() if line.strip())


def training_texts() -> list[str]:
    """Vietnamese text for the tokenizer: the samples, the layout corpus gold, and (if installed) the
    Vietnamese LibreOffice help, up to ~3 MB. Without the help the vocabulary comes out smaller."""
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    gold = CORPUS / "gold.json"
    if gold.exists():
        texts += ["\n".join(paras) for paras in json.loads(gold.read_text(encoding="utf-8")).values()]
    size = sum(map(len, texts))
    if LO_HELP.is_dir():
        for page in sorted(LO_HELP.rglob("*.html")):
            if size > TRAIN_CHARS:
                break
            text = _html_text(page)
            texts.append(text)
            size += len(text)
    from make_tiny_model import ENGLISH

    return [*texts, ENGLISH]


def _split(paragraph: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ0-9“\"(])", paragraph) if s.strip()]


def bench_paragraphs(n_sentences: int) -> list[list[str]]:
    """Real Vietnamese paragraphs, split into sentences, until n_sentences (repeating if need be).
    Source: the layout corpus gold (LibreOffice help + man pages) if built, else the two samples."""
    gold = CORPUS / "gold.json"
    if gold.exists():
        paras = [p for ps in json.loads(gold.read_text(encoding="utf-8")).values() for p in ps]
    else:
        paras = [line for p in SAMPLES for line in p.read_text(encoding="utf-8").splitlines()]
    split = [[s for s in _split(p) if 3 <= len(s.split()) <= 80] for p in paras]
    split = [s for s in split if s]
    random.Random(0).shuffle(split)
    out: list[list[str]] = []
    count = 0
    while count < n_sentences:
        for sentences in split:
            take = sentences[: n_sentences - count]
            out.append(take)
            count += len(take)
            if count >= n_sentences:
                break
    return out


# ---------------------------------------------------------------- model


def _build(texts: list[str]) -> None:
    from make_tiny_model import build_model

    threads = os.cpu_count() or 1
    build_model(
        MODEL, texts=texts, package_name="translate-vi_en-bench", quantization="int8", sp_threads=threads, **DIMS
    )


def ensure_model() -> Path:
    """Build once; rebuilt when the builder, the dimensions or the training text change. The build
    runs in a child process so its ~1 GB of float32 arrays do not count in this process's peak RSS."""
    texts = training_texts()
    digest = hashlib.sha256((ROOT / "tests" / "make_tiny_model.py").read_bytes())
    digest.update(json.dumps(DIMS, sort_keys=True).encode())
    for t in texts:
        digest.update(t.encode())
    stamp = MODEL.with_suffix(".stamp")
    if MODEL.exists() and stamp.exists() and stamp.read_text() == digest.hexdigest():
        return MODEL
    print(f"building bench model ({sum(map(len, texts)) // 1000} k chars of training text) ...", flush=True)
    t0 = time.perf_counter()
    CORPUS.mkdir(parents=True, exist_ok=True)
    proc = multiprocessing.get_context("spawn").Process(target=_build, args=(texts,))
    proc.start()
    proc.join()
    if proc.exitcode != 0:
        sys.exit("model build failed")
    stamp.write_text(digest.hexdigest())
    print(f"built {MODEL.name} ({MODEL.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f} s", flush=True)
    return MODEL


# ---------------------------------------------------------------- measuring


@dataclass
class Recorder:
    """Wraps a ctranslate2.Translator: counts calls and decoding steps, optionally overrides kwargs."""

    translator: Any
    budget: Callable[[int], int]
    override: dict[str, Any] = field(default_factory=dict)
    cap_by_call: bool = False  # add max_decoding_length (tied to the call's longest source)
    calls: int = 0
    steps: int = 0
    wasted: int = 0

    def translate_batch(self, source: list[list[str]], **kwargs: Any) -> Any:
        kwargs.update(self.override)
        if self.cap_by_call:
            kwargs["max_decoding_length"] = self.budget(max(len(s) for s in source))
        results = self.translator.translate_batch(source, **kwargs)
        self.calls += 1
        if kwargs.get("asynchronous"):
            return [_Counted(self, src, fut) for src, fut in zip(source, results, strict=True)]
        for src, res in zip(source, results, strict=True):
            self.count(src, res)
        return results

    def count(self, src: list[str], result: Any) -> None:
        steps = len(result.hypotheses[0])
        self.steps += steps
        self.wasted += max(0, steps - self.budget(len(src)))


@dataclass
class _Counted:
    """An async result that is counted when read."""

    rec: Recorder
    src: list[str]
    future: Any

    def result(self) -> Any:
        res = self.future.result()
        self.rec.count(self.src, res)
        return res


class GivenSplit:
    """Stands in for Argos's sentencizer: returns the bench's own split of the current paragraph."""

    def __init__(self) -> None:
        self.sentences: list[str] = []

    def split_sentences(self, text: str) -> list[str]:
        return self.sentences


def run_argos(pkg_dir: Path, paragraphs: list[list[str]], beam: int) -> tuple[float, Recorder]:
    import ctranslate2
    from argostranslate.package import Package
    from argostranslate.translate import apply_packaged_translation

    from app.core.translate.engine import decoding_budget

    pkg = Package(pkg_dir)
    # As PackageTranslation.hypotheses builds it (compute_type "auto" is not passed).
    translator = ctranslate2.Translator(str(pkg_dir / "model"), device="cpu", inter_threads=1, intra_threads=0)
    override = {} if beam == 4 else {"beam_size": 1, "num_hypotheses": 1}
    rec = Recorder(translator, decoding_budget, override, cap_by_call=True)
    splitter = GivenSplit()
    t0 = time.perf_counter()
    for sentences in paragraphs:
        splitter.sentences = sentences
        apply_packaged_translation(pkg, " ".join(sentences), rec, splitter, num_hypotheses=4 if beam == 4 else 1)
    return time.perf_counter() - t0, rec


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument(
        "--baseline-sentences",
        type=int,
        default=250,
        help="run the slow argos arm on the first N sentences only (0: all); ours also runs on that subset",
    )
    args = parser.parse_args()

    model_file = ensure_model()
    data = Path(tempfile.mkdtemp(prefix="doichieu-bench-"))
    try:
        return measure(args, model_file, data)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def measure(args: argparse.Namespace, model_file: Path, data: Path) -> int:
    os.environ["DOICHIEU_DATA_DIR"] = str(data)
    from app.core.translate.engine import Engine, decoding_budget
    from app.core.translate.packages import install_package, use_our_argos_dir

    info = install_package(model_file)
    use_our_argos_dir()
    paragraphs = bench_paragraphs(args.sentences)
    sentences = [s for p in paragraphs for s in p]
    print(f"model: {info.name} {info.size / 1e6:.0f} MB on disk, {json.dumps(DIMS)}")
    print(f"sentences: {len(sentences)} in {len(paragraphs)} paragraphs, cpus: {os.cpu_count()}")

    t0 = time.perf_counter()
    engine = Engine(info)
    load_s = time.perf_counter() - t0
    sp_tokens = engine._tokenizer.encode(sentences)
    print(f"tokens per sentence: mean {sum(map(len, sp_tokens)) / len(sp_tokens):.1f}, max {max(map(len, sp_tokens))}")
    print(f"vocabulary: {info.size and len(json.loads((info.path / 'model' / 'shared_vocabulary.json').read_text()))}")

    # Warm latency: a ~25-token sentence, beam 1, after one warm-up call.
    one = min(sentences, key=lambda s: abs(len(engine._tokenizer.encode([s])[0]) - 25))
    engine.translate([one])
    t0 = time.perf_counter()
    engine.translate([one])
    latency_ms = (time.perf_counter() - t0) * 1000

    base_paras = paragraphs
    if args.baseline_sentences:
        base_paras, count = [], 0
        for p in paragraphs:
            if count >= args.baseline_sentences:
                break
            base_paras.append(p)
            count += len(p)
    subset = [s for p in base_paras for s in p]

    from app.core.translate.glossary import Entry, Glossary
    from app.core.translate.provenance import Detail

    # A glossary whose terms occur in the bench text, so the preference runs on real matches.
    terms = Glossary(
        [
            Entry(vi, en)
            for vi, en in (
                ("tài liệu", "document"),
                ("người dùng", "user"),
                ("tệp", "file"),
                ("trang", "page"),
                ("hệ thống", "system"),
                ("chọn", "choose"),
            )
        ]
    )

    def run_ours(texts: list[str], beam: int) -> tuple[float, Recorder]:
        rec = Recorder(engine._translator, decoding_budget)
        engine._translator = rec
        t0 = time.perf_counter()
        kept: list[tuple[str, Detail]] = []
        for index, hyps in engine.translate_nbest_iter(texts, beam_size=beam, num_hypotheses=beam):
            best = terms.prefer(texts[index], [h.text for h in hyps]) if hyps else 0
            if hyps:
                others = tuple((h.text, h.score) for i, h in enumerate(hyps) if i != best)
                kept.append((hyps[best].text, Detail(hyps[best].score, hyps[best].confidence, others)))
        engine._translator = rec.translator
        assert len(kept) == len(texts)
        return time.perf_counter() - t0, rec

    arms: list[tuple[str, int, int, tuple[float, Recorder]]] = []
    for beam in (1, 4):
        arms.append(("ours", beam, len(sentences), run_ours(sentences, beam)))
        if len(subset) < len(sentences):
            arms.append(("ours", beam, len(subset), run_ours(subset, beam)))
    rss_ours_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for beam in (1, 4):
        arms.append(("argos", beam, len(subset), run_argos(info.path, base_paras, beam)))

    print()
    print(f"{'arm':<6} {'beam':>4} {'sent':>5} {'seconds':>8} {'sent/s':>8} {'calls':>6} {'steps':>8} {'wasted':>8}")
    speed: dict[tuple[str, int, int], float] = {}
    for name, beam, n, (secs, rec) in arms:
        speed[name, beam, n] = n / secs
        print(
            f"{name:<6} {beam:>4} {n:>5} {secs:>8.1f} {n / secs:>8.1f} {rec.calls:>6} {rec.steps:>8} "
            f"{rec.wasted:>8} ({100 * rec.wasted / max(rec.steps, 1):.0f}%)"
        )
    if len(subset) < len(sentences):
        tok = engine._tokenizer.encode(subset)
        print(
            f"argos ran on the first {len(subset)} sentences ({len(base_paras)} paragraphs, mean "
            f"{sum(map(len, tok)) / len(tok):.1f} tokens); speedups compare ours on all {len(sentences)} with it"
        )
    print()
    print(f"model load (Engine): {load_s:.2f} s (target <= 3 s)")
    print(
        f"warm latency, one {len(engine._tokenizer.encode([one])[0])}-token sentence, beam 1: {latency_ms:.0f} ms "
        "(target <= 300 ms)"
    )
    print(
        f"peak RSS after our arm: {rss_ours_mb:.0f} MB (target <= 600 MB); "
        f"after both arms: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    s1 = speed["ours", 1, len(sentences)] / speed["argos", 1, len(subset)]
    s4 = speed["ours", 4, len(sentences)] / speed["argos", 4, len(subset)]
    print(f"targets: beam 1 >= 10x: {'PASS' if s1 >= 10 else 'FAIL'}; beam 4 >= 2x: {'PASS' if s4 >= 2 else 'FAIL'}")
    print(f"speedup_beam1={s1:.1f} speedup_beam4={s4:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
