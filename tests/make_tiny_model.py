"""Build a real, tiny vi→en Argos package (`.argosmodel`) with random weights.

    python tests/make_tiny_model.py --out PATH.argosmodel [--layers 2 --d-model 64 ...]

No torch and no training: a SentencePiece model trained on the sample texts, a CTranslate2 Transformer
spec whose every weight is a seeded random array, and the zip layout Argos expects. Translations are
nonsense, but tokenizer, model loading, batching and decoding are the real code paths. Random weights
almost never produce </s>, so outputs usually run to `max_decoding_length`.

The same builder makes the bench's package-sized model (6+6 layers, d_model 512, FFN 2048, vocab 16k).
Given the same arguments and texts the output is byte-identical.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ZIP_DATE = (2024, 1, 1, 0, 0, 0)  # fixed so two builds give the same bytes

# A little English so the shared vocabulary has target-side pieces too.
ENGLISH = """\
The researchers published a new report on artificial intelligence and supercomputers this year.
China and the United States lead the world in patents, papers and investment in new data centres.
Many people in the forum argued about the quality of the research and the number of citations.
The government plans to build more computing capacity and to train engineers in every province.
We translate Vietnamese sources into English so that readers can compare them side by side.
Please check the numbers, the names and the dates before you quote a claim from this document.
"""


def default_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.vi.txt"))]
    return [*texts, ENGLISH]


def _lines(texts: Iterable[str]) -> list[str]:
    return [line.strip() for text in texts for line in text.splitlines() if line.strip()]


def train_sentencepiece(texts: Sequence[str], vocab_size: int, *, threads: int = 1) -> bytes:
    """A unigram SentencePiece model as bytes. `hard_vocab_limit=False` lets a small corpus give fewer
    pieces than asked instead of failing; the caller reads the real size back from the model."""
    import sentencepiece as spm

    writer = io.BytesIO()
    with open(os.devnull, "w") as devnull:
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(_lines(texts)),
            model_writer=writer,
            logstream=devnull,
            vocab_size=vocab_size,
            model_type="unigram",
            character_coverage=1.0,  # Vietnamese needs every diacritic letter, not the 99.95% default
            hard_vocab_limit=False,
            shuffle_input_sentence=False,
            num_threads=threads,  # 1 keeps the tiny model byte-identical between builds
            unk_id=0,
            bos_id=1,
            eos_id=2,
            pad_id=-1,
        )
    return writer.getvalue()


def _shape(name: str, d: int, ffn: int, vocab: int, target_vocab: int | None = None) -> tuple[int, ...]:
    """Shape of a required weight, from its scope name (as OpenNMT-py's converter fills them)."""
    parts = name.split("/")
    leaf, owner = parts[-1], parts[-2]
    if leaf in {"gamma", "beta"}:
        return (d,)
    if owner.startswith("embeddings") or owner == "projection":
        if target_vocab is not None and parts[0] == "decoder":
            return (target_vocab, d)
        return (vocab, d)
    if parts[-3] == "ffn":
        return (ffn, d) if owner == "linear_0" else (d, ffn)
    if parts[-3] == "self_attention":
        return (3 * d, d) if owner == "linear_0" else (d, d)  # fused QKV, then output
    if parts[-3] == "attention":
        return (2 * d, d) if owner == "linear_1" else (d, d)  # query, fused KV, output
    raise ValueError(f"no shape rule for {name}")


def build_spec(
    vocab: list[str],
    *,
    num_layers: int | tuple[int, int],
    d_model: int,
    num_heads: int,
    ffn: int,
    seed: int,
    target_vocab: list[str] | None = None,
) -> object:
    from ctranslate2.specs import model_spec, transformer_spec

    spec = transformer_spec.TransformerSpec.from_config(num_layers, num_heads)
    todo: list[tuple[object, str, str]] = []

    def collect(layer: object, name: str, value: object) -> None:
        if value is None:
            todo.append((layer, name, name.split("/")[-1]))

    model_spec.visit_spec(spec, collect)
    rng = np.random.default_rng(seed)
    for layer, name, attr in todo:
        shape = _shape(name, d_model, ffn, len(vocab), None if target_vocab is None else len(target_vocab))
        if attr == "gamma":
            value = np.ones(shape, dtype=np.float32)
        elif attr == "beta":
            value = np.zeros(shape, dtype=np.float32)
        else:
            # Scaled so activations stay finite through the layers.
            value = (rng.standard_normal(shape, dtype=np.float32) / np.sqrt(shape[-1])).astype(np.float32)
        setattr(layer, attr, value)
        if attr == "weight" and hasattr(layer, "bias") and not name.split("/")[-2].startswith("embeddings"):
            layer.bias = (0.01 * rng.standard_normal(shape[0], dtype=np.float32)).astype(np.float32)  # type: ignore[attr-defined]
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab if target_vocab is None else target_vocab)
    spec.validate()
    return spec


def build_model(
    out_path: str | os.PathLike[str],
    *,
    num_layers: int | tuple[int, int] = 2,
    d_model: int = 64,
    num_heads: int = 4,
    ffn: int = 128,
    vocab_size: int = 400,
    seed: int = 0,
    texts: Sequence[str] | None = None,
    from_code: str = "vi",
    to_code: str = "en",
    package_version: str = "0.1",
    quantization: str | None = None,
    sp_threads: int = 1,
    package_name: str | None = None,
) -> Path:
    """Write a `.argosmodel` to `out_path` and return its path. `quantization="int8"` stores weights
    as the real Argos packages do (a quarter of the float32 size)."""
    import sentencepiece as spm

    out = Path(out_path)
    sp_bytes = train_sentencepiece(texts if texts is not None else default_texts(), vocab_size, threads=sp_threads)
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    # Piece i is token i: <unk>, <s>, </s> come first, matching CTranslate2's default special tokens.
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    spec = build_spec(vocab, num_layers=num_layers, d_model=d_model, num_heads=num_heads, ffn=ffn, seed=seed)
    if quantization:
        spec.optimize(quantization=quantization)
    top = package_name or f"translate-{from_code}_{to_code}-tiny"
    metadata = {
        "package_name": top,
        "package_version": package_version,
        "argos_version": "1.9",
        "from_code": from_code,
        "from_name": {"vi": "Vietnamese", "en": "English"}.get(from_code, from_code),
        "to_code": to_code,
        "to_name": {"vi": "Vietnamese", "en": "English"}.get(to_code, to_code),
        "type": "translate",
        "description": "random weights, for tests and benches only",
    }
    readme = f"# {top}\n\nRandom weights from tests/make_tiny_model.py (seed {seed}). Output is nonsense.\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        spec.save(tmp)
        files = {f"{top}/model/{p.name}": p.read_bytes() for p in sorted(Path(tmp).iterdir())}
    files[f"{top}/metadata.json"] = json.dumps(metadata, indent=2).encode()
    files[f"{top}/sentencepiece.model"] = sp_bytes
    files[f"{top}/README.md"] = readme.encode()
    partial = out.with_name(out.name + ".part")
    with zipfile.ZipFile(partial, "w") as zf:
        for d in (f"{top}/", f"{top}/model/"):
            zf.writestr(zipfile.ZipInfo(d, ZIP_DATE), b"")
        for name in sorted(files):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name], compresslevel=1)
    partial.replace(out)  # never leave a half-written package where a cached one is expected
    return out


NLLB_LANGUAGES = ("eng_Latn", "fra_Latn", "vie_Latn", "zho_Hans")


def _english_texts() -> list[str]:
    return [ENGLISH, ENGLISH.lower(), ENGLISH.upper()]


def build_ct2_model(
    out_dir: str | os.PathLike[str],
    kind: str,
    *,
    num_layers: int = 1,
    d_model: int = 32,
    num_heads: int = 2,
    ffn: int = 64,
    vocab_size: int = 200,
    seed: int = 0,
    zip_it: bool = False,
) -> Path:
    """A plain CTranslate2 model folder as a user's own conversion leaves it, with random weights:
    `kind="marian"` (OPUS-MT style: source.spm trained on Vietnamese, target.spm on English, separate
    source/target vocabularies) or `kind="nllb"` (one shared `sentencepiece.bpe.model`, a shared
    vocabulary with NLLB language tokens such as `vie_Latn`/`eng_Latn` appended). Returns the folder,
    or, with `zip_it`, a `.zip` of it beside the folder."""
    import sentencepiece as spm

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    vi_texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.vi.txt"))]
    files: dict[str, bytes] = {}
    if kind == "marian":
        src_bytes = train_sentencepiece(vi_texts, vocab_size)
        tgt_bytes = train_sentencepiece(_english_texts(), vocab_size // 2)
        src_sp = spm.SentencePieceProcessor(model_proto=src_bytes)
        tgt_sp = spm.SentencePieceProcessor(model_proto=tgt_bytes)
        source = [src_sp.id_to_piece(i) for i in range(src_sp.get_piece_size())]
        target = [tgt_sp.id_to_piece(i) for i in range(tgt_sp.get_piece_size())]
        spec = build_spec(
            source, num_layers=num_layers, d_model=d_model, num_heads=num_heads, ffn=ffn, seed=seed, target_vocab=target
        )
        files["source.spm"], files["target.spm"] = src_bytes, tgt_bytes
    elif kind == "nllb":
        sp_bytes = train_sentencepiece([*vi_texts, ENGLISH], vocab_size)
        sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
        vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())] + list(NLLB_LANGUAGES)
        spec = build_spec(vocab, num_layers=num_layers, d_model=d_model, num_heads=num_heads, ffn=ffn, seed=seed)
        files["sentencepiece.bpe.model"] = sp_bytes
    else:
        raise ValueError(f"unknown kind {kind!r}")
    with tempfile.TemporaryDirectory() as tmp:
        spec.save(tmp)  # type: ignore[attr-defined]
        for p in sorted(Path(tmp).iterdir()):
            files[p.name] = p.read_bytes()
    for name, data in files.items():
        (out / name).write_bytes(data)
    if not zip_it:
        return out
    archive = out.with_name(out.name + ".zip")
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(zipfile.ZipInfo(f"{out.name}/", ZIP_DATE), b"")
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{out.name}/{name}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name], compresslevel=1)
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="where to write the .argosmodel")
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--d-model", type=int, default=64)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--ffn", type=int, default=128)
    parser.add_argument("--vocab", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--from-code", default="vi")
    parser.add_argument("--to-code", default="en")
    parser.add_argument("--quantization", default=None, help="e.g. int8, as real packages are stored")
    parser.add_argument(
        "--kind", choices=("argos", "marian", "nllb"), default="argos", help="marian/nllb: a plain CTranslate2 folder"
    )
    args = parser.parse_args(argv)
    if args.kind != "argos":
        folder = build_ct2_model(args.out, args.kind, seed=args.seed)
        print(f"wrote {folder}")
        return 0
    path = build_model(
        args.out,
        num_layers=args.layers,
        d_model=args.d_model,
        num_heads=args.heads,
        ffn=args.ffn,
        vocab_size=args.vocab,
        seed=args.seed,
        from_code=args.from_code,
        to_code=args.to_code,
        quantization=args.quantization,
    )
    print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
