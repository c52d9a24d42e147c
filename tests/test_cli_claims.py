"""`main.py claims/tags/delete` as a user runs them, on a real library file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli_library import run


def test_claims_cli_round_trip(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "import", *sorted(fixtures.glob("*.vi.txt"))).returncode == 0
    show = json.loads(run(data, "show", "forum", "--json").stdout)
    sentence = next(s for p in show["paragraphs"] for s in p["sentences"] if "xếp thứ 12" in s["text"])
    added = run(
        data, "claims", "add", "forum", "--start", str(sentence["start_char"]), "--end", str(sentence["end_char"]),
        "--tag", "ranking", "--tag", "source-cited", "--note", "GII 2023", "--verdict", "supported", "--json",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    claim = json.loads(added.stdout)
    assert claim["vi"] == sentence["text"] and claim["tags"] == ["ranking", "source-cited"]

    edited = run(data, "claims", "edit", str(claim["id"]), "--evidence", "https://www.wipo.int/gii", "--quote", "12th")
    assert edited.returncode == 0 and "evidence: https://www.wipo.int/gii — “12th”" in edited.stdout
    listed = json.loads(run(data, "claims", "list", "--tag", "ranking", "--json").stdout)
    assert [c["id"] for c in listed] == [claim["id"]] and listed[0]["evidence"][0]["quote"] == "12th"
    assert json.loads(run(data, "claims", "list", "--verdict", "false", "--json").stdout) == []
    assert json.loads(run(data, "claims", "list", "--text", "xep thu", "--json").stdout)[0]["id"] == claim["id"]

    refused = run(data, "tags", "delete", "ranking")
    assert refused.returncode != 0 and "--reassign" in refused.stderr
    assert run(data, "tags", "delete", "ranking", "--reassign", "statistic").returncode == 0
    tags = json.loads(run(data, "tags", "list", "--json").stdout)
    assert {t["name"]: t["claims"] for t in tags}["statistic"] == 1
    assert run(data, "tags", "add", "kinh tế", "--shortcut", "7").returncode == 0
    assert run(data, "tags", "rename", "kinh tế", "economy").returncode == 0
    assert "economy" in run(data, "tags", "list").stdout

    bad = run(data, "claims", "add", "forum", "--start", "5", "--end", "999999")
    assert bad.returncode != 0 and bad.stderr.startswith("doichieu: the span")

    deleted = run(data, "delete", "forum")
    assert deleted.returncode == 0 and "its claims were saved to" in deleted.stdout
    kept = Path(deleted.stdout.split("saved to ", 1)[1].strip())
    assert json.loads(kept.read_text(encoding="utf-8").splitlines()[0])["vi"] == sentence["text"]
    assert [d["id"] for d in json.loads(run(data, "list", "--json").stdout)] == [2]


def test_claims_suggest_and_dismiss(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "import", *sorted(fixtures.glob("*.vi.txt"))).returncode == 0
    res = run(data, "claims", "suggest", "forum", "--json")
    assert res.returncode == 0, res.stderr
    found = json.loads(res.stdout)
    assert [s["score"] for s in found] == sorted((s["score"] for s in found), reverse=True)
    assert set(found[0]) == {"text", "start", "end", "score", "cues"}
    texts = [s["text"] for s in found]
    for phrase in ("40 mô hình", "Trung Quốc: 15", "EU: chỉ 3", "WIPO", "xếp thứ 10", "thứ 11", "thứ 12"):
        assert any(phrase in t for t in texts), phrase
    assert all(s["cues"] for s in found)
    pdf_copy = json.loads(run(data, "claims", "suggest", "supercomputers", "--json").stdout)
    assert any("gấp hàng triệu lần" in s["text"] for s in pdf_copy)

    dismissed = next(s for s in found if "thứ 12" in s["text"])
    assert run(data, "claims", "dismiss", "forum", "--start", str(dismissed["start"])).returncode == 0
    again = [s["text"] for s in json.loads(run(data, "claims", "suggest", "forum", "--json").stdout)]
    assert dismissed["text"] not in again and len(again) == len(found) - 1
