"""The sample site, compared file by file with tests/fixtures/golden/ (reviewed by eye when changed).

`python -m pytest tests/test_golden.py --update-golden` rewrites the golden copy. Rendered text
files are stored whole; theme and media files as sha256 in MANIFEST, except thumbnails, which Pillow
re-encodes and so are pinned by their pixel size only.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from PIL import Image

from sitegen.build import build
from sitegen.config import Config

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "golden"
TEXT = {".html", ".css", ".js", ".svg", ".json", ".md", ".txt", ".nojekyll", ".sitegen-site"}


def _describe(path: Path, rel: str) -> str:
    if "/thumbs/" in rel:
        with Image.open(path) as im:
            return f"{im.width}x{im.height} {im.format}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _is_text(rel: str) -> bool:
    if rel.startswith("static/"):  # the theme's files, copied as they are: pinned by hash
        return False
    name = rel.rsplit("/", 1)[-1]
    return name in TEXT or Path(name).suffix in TEXT


def _snapshot(site: Path) -> tuple[dict[str, bytes], str]:
    texts: dict[str, bytes] = {}
    manifest = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if _is_text(rel):
            texts[rel] = path.read_bytes()
        else:
            manifest.append(f"{_describe(path, rel)}  {rel}")
    return texts, "\n".join(manifest) + "\n"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "site"
    result = build(Config(source=ROOT / "sample_repos", output=out, title="Sample models",
                          source_date_epoch=1767225600))  # 2026-01-01: dates do not follow the checkout
    assert result.report.items == [], [d.format() for d in result.report.items]
    return out


def test_sample_site_matches_golden(sample_site: Path, request: pytest.FixtureRequest) -> None:
    texts, manifest = _snapshot(sample_site)
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in texts.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
        (GOLDEN / "MANIFEST").write_text(manifest, encoding="utf-8")
        pytest.skip("golden files rewritten; review the diff before committing")
    assert GOLDEN.is_dir(), "no golden copy yet: run with --update-golden and review it"
    expected = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()} - {"MANIFEST"}
    assert sorted(texts) == sorted(expected), "the set of text files changed"
    for rel, data in texts.items():
        assert data == (GOLDEN / rel).read_bytes(), f"{rel} differs from tests/fixtures/golden/{rel}"
    assert manifest == (GOLDEN / "MANIFEST").read_text(encoding="utf-8")
