"""Generate ``sitegen/data/library_keys.txt``: the library keys the Hub knows, one a line, sorted.

A tag equal to one of these keys names a model's library (hub-docs ``docs/hub/model-cards.md``,
"Specifying a library"). The keys are those of ``MODEL_LIBRARIES_UI_ELEMENTS`` in huggingface.js
``packages/tasks/src/model-libraries.ts``; that file says each key is exactly the value models
carry in ``library_name``.

Source of the shipped list: the npm package ``@huggingface/tasks`` 0.21.54, which ships that
file as ``package/src/model-libraries.ts`` (257 keys), fetched with the registry's own client:

    cd /tmp && npm pack @huggingface/tasks@0.21.54 && tar xzf huggingface-tasks-0.21.54.tgz
    python scripts/make_library_keys.py /tmp/package/src/model-libraries.ts

It was checked against the stored copy of huggingface/huggingface.js
``packages/tasks/src/model-libraries.ts`` at commit 00142be70773c00449b42eb1acb4cef3db6e0e17 read
through the project's search tool (an older snapshot whose keys the package all has). Keys the
Hub used in early 2022 but has since dropped (``superb``, ``generic``) are not added: a card
that uses them says so in ``library_name``, which wins anyway.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "sitegen" / "data" / "library_keys.txt"
START = "export const MODEL_LIBRARIES_UI_ELEMENTS = {"
END = "} satisfies Record<string, LibraryUiElement>"
# One entry opens at one tab of indent: `\tkey: {` or `\t"quoted-key": {`.
ENTRY = re.compile(r'^\t(?:"([^"]+)"|([A-Za-z0-9_$.-]+)): \{', re.M)


def library_keys(source: str) -> list[str]:
    """Return the keys of MODEL_LIBRARIES_UI_ELEMENTS in a model-libraries.ts text."""
    start = source.find(START)
    end = source.find(END, start)
    if start < 0 or end < 0:
        sys.exit(f"MODEL_LIBRARIES_UI_ELEMENTS not found (looked for {START!r} ... {END!r})")
    return [quoted or bare for quoted, bare in ENTRY.findall(source[start:end])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", type=Path, help="model-libraries.ts")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    keys = library_keys(args.source.read_text(encoding="utf-8"))
    if len(set(keys)) != len(keys) or len(keys) < 100:
        sys.exit(f"{args.source}: {len(keys)} keys, {len(set(keys))} distinct; the file's shape changed")
    args.output.write_text("".join(k + "\n" for k in sorted(keys)), encoding="utf-8")
    print(f"wrote {args.output}: {len(keys)} keys")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
