"""Write the tables that `sitegen/lint.py` checks card metadata against.

Run from the repository root::

    python scripts/make_lint_data.py                 # both files
    python scripts/make_lint_data.py --licenses-md repositories-licenses.md

``sitegen/data/licenses.txt``: the Hub's license ids, one per line. They come from the table in
huggingface/hub-docs ``docs/hub/repositories-licenses.md`` (the "License identifier" column,
between the ``<!-- region licenses -->`` comments). ``LICENSE_IDS`` below is that column copied
from two versions of the page: hub-docs commit 008d54d08fd9d5d05ed2840bebb0b61111326a15, and
the newer published page (docs/hub/repositories-licenses.md as mirrored in
roboalchemist/llm-code-docs at 8d73ea0007ac5fc4722083bfea16bb139f43f3a7), which adds the
Llama 3.x/4, Grok 2, Apple, Intel, H, FAIR and OpenMDW ids and eupl-1.2. The union is kept so
that cards written against the older page stay valid. To refresh, save a newer copy of the page
and pass it with ``--licenses-md``; its ids are added to the list.

``sitegen/data/languages.txt``: every ISO 639-1, 639-2 (T and B) and 639-3 code, plus the
ISO 639-5 family codes (they include 639-2's collective codes such as ``roa``) and ``bh``, which
the Hub's own 639-1 table still lists (see ``HUB_EXTRA_LANGUAGES``), one per line as
``code<TAB>English name``, sorted by code. It comes from the ``pycountry`` package (its
iso639-3 and iso639-5 tables; the checked-in file was written with pycountry 26.2.16), which
is needed only here, never at run time::

    python -m venv /tmp/lintgen && /tmp/lintgen/bin/pip install pycountry
    /tmp/lintgen/bin/python scripts/make_lint_data.py

Both files are written with '\\n' line endings and no trailing spaces, so two runs with the same
inputs give byte-identical files.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "sitegen" / "data"

# The "License identifier (to use in repo card)" column, in the page's order.
LICENSE_IDS = """
apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m bigscience-bloom-rail-1.0
bigcode-openrail-m afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause bsd-3-clause
bsd-3-clause-clear c-uda cc cc0-1.0 cc-by-2.0 cc-by-2.5 cc-by-3.0 cc-by-4.0 cc-by-sa-3.0
cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0 cc-by-nc-4.0 cc-by-nd-4.0 cc-by-nc-nd-3.0
cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0 cdla-sharing-1.0
cdla-permissive-1.0 cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0 etalab-2.0 eupl-1.1
eupl-1.2 agpl-3.0 gfdl gpl gpl-2.0 gpl-3.0 lgpl lgpl-2.1 lgpl-3.0 isc h-research
intel-research lppl-1.3c ms-pl apple-ascl apple-amlr mpl-2.0 odc-by odbl openmdw-1.0
openrail++ osl-3.0 postgresql ofl-1.1 ncsa unlicense zlib pddl lgpl-lr deepfloyd-if-license
fair-noncommercial-research-license llama2 llama3 llama3.1 llama3.2 llama3.3 llama4
grok2-community gemma unknown other
""".split()

# The Hub's own ISO 639-1 table (huggingface/huggingface.js
# packages/languages/src/languages_iso_639_1.ts) still lists `bh`, which ISO withdrew in 2021
# and pycountry no longer has: keep what the Hub accepts.
HUB_EXTRA_LANGUAGES = {"bh": "Bihari"}

_REGION = re.compile(r"<!-- region licenses -->(.*?)<!-- endregion -->", re.S)
_ID_CELL = re.compile(r"\|\s*`([^`]+)`\s*\|?\s*$", re.M)


def ids_from_page(text: str) -> list[str]:
    """Read the license ids from a copy of repositories-licenses.md."""
    region = _REGION.search(text)
    ids = _ID_CELL.findall(region.group(1) if region else text)
    if not ids:
        raise SystemExit("no license ids found: is this docs/hub/repositories-licenses.md?")
    return ids


def licenses(page: Path | None) -> list[str]:
    ids = list(LICENSE_IDS)
    if page:
        ids += [i for i in ids_from_page(page.read_text(encoding="utf-8")) if i not in ids]
    return ids


def languages() -> list[tuple[str, str]]:
    try:
        import pycountry
    except ImportError:
        raise SystemExit("pycountry is needed to write languages.txt: pip install pycountry") from None
    names: dict[str, str] = {}
    for lang in pycountry.languages:
        for attr in ("alpha_2", "alpha_3", "bibliographic"):
            code = getattr(lang, attr, None)
            if code:
                names.setdefault(code, lang.name)
    for family in pycountry.language_families:
        names.setdefault(family.alpha_3, family.name)
    for code, name in HUB_EXTRA_LANGUAGES.items():
        names.setdefault(code, name)
    return sorted(names.items())


def write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="\n")
    print(f"wrote {path} ({len(lines)} lines, {path.stat().st_size:,} bytes)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--licenses-md", type=Path, help="a saved copy of repositories-licenses.md")
    parser.add_argument("--only", choices=["licenses", "languages"], help="write one file")
    args = parser.parse_args(argv)
    if args.only != "languages":
        write(DATA / "licenses.txt", licenses(args.licenses_md))
    if args.only != "licenses":
        write(DATA / "languages.txt", [f"{code}\t{name}" for code, name in languages()])
    return 0


if __name__ == "__main__":
    sys.exit(main())
