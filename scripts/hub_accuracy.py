"""Measure how often sitegen.hub.infer agrees with what the Hub showed for the 2022 real cards.

    python scripts/hub_accuracy.py [PATH]

PATH is the ``hub2022`` folder of the shared real cards (``truth.tsv`` plus ``repos/<org>/<name>``);
it defaults to ``../shared/real_cards/hub2022`` beside the repo. Prints the task agreement over
the repos the Hub gave a task (a retired name counts as its successor), the library agreement
over the repos the Hub gave a library (and over all repos), and every disagreement grouped by
cause with example ids. A card that does not parse counts as a disagreement ("card does not
parse"). Reads only; writes nothing.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sitegen.load.discover import RepoDir  # noqa: E402
from sitegen.hub.infer import Inference, class_table, first_architecture, infer  # noqa: E402
from sitegen.load.repo import ModelRepo, load_repo  # noqa: E402
from sitegen.report import CardError, Report  # noqa: E402
from sitegen.hub.tasks import RETIRED, TASKS  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "real_cards" / "hub2022"
EXAMPLES = 4


@dataclass
class Tally:
    agree: int = 0
    total: int = 0
    causes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def rate(self) -> float:
        return self.agree / self.total if self.total else 1.0

    def count(self, same: bool, cause: str, example: str) -> None:
        self.total += 1
        if same:
            self.agree += 1
        else:
            self.causes[cause].append(example)


@dataclass
class Accuracy:
    task: Tally  # repos the Hub gave a task
    no_task: Tally  # repos the Hub gave no task
    library: Tally  # repos the Hub gave a library
    no_library: Tally  # repos the Hub gave no library
    repos: int = 0

    @property
    def library_all(self) -> float:
        total = self.library.total + self.no_library.total
        return (self.library.agree + self.no_library.agree) / total if total else 1.0


def hub_task(tag: str) -> str:
    """The Hub's 2022 tag under today's name (retired names become their successor)."""
    return RETIRED.get(tag, tag)


def measure(path: Path = DEFAULT) -> Accuracy:
    """Infer every repo of truth.tsv and compare with what the Hub showed."""
    acc = Accuracy(Tally(), Tally(), Tally(), Tally())
    with open(path / "truth.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows:
        repo_id, hub_tag, hub_lib = row["id"], row["hub_pipeline_tag"], row["hub_library_name"]
        root = path / "repos" / repo_id
        acc.repos += 1
        try:
            repo = load_repo(RepoDir(repo_id, root, str(root)), Report())
        except CardError:
            (acc.task if hub_tag else acc.no_task).count(False, "card does not parse", repo_id)
            (acc.library if hub_lib else acc.no_library).count(False, "card does not parse", repo_id)
            continue
        got = infer(repo)
        want = hub_task(hub_tag)
        example = f"{repo_id} (sitegen {got.task.value or '-'}, Hub {hub_tag or '-'})"
        (acc.task if hub_tag else acc.no_task).count(got.task.value == want, task_cause(repo, got, want),
                                                     example)
        example = f"{repo_id} (sitegen {got.library.value or '-'}, Hub {hub_lib or '-'})"
        (acc.library if hub_lib else acc.no_library).count(got.library.value == hub_lib,
                                                           library_cause(got, hub_lib), example)
    return acc


def task_cause(repo: ModelRepo, got: Inference, want: str) -> str:
    """Name why sitegen's task differs from the Hub's."""
    if want and want not in TASKS:
        return "Hub tag is not a task today"
    if not got.task.value:
        if got.library.value != "transformers":
            return f"no task tag on a {got.library.value or 'library-less'} repo"
        arch = first_architecture(repo.config)
        if not arch:
            return "no pipeline_tag, no architecture and no task tag"
        raw = class_table()[0].get(arch)
        return f"architecture gives {raw} (not a Hub task)" if raw else "architecture not in table"
    how = _how(got.task.source)
    if not want:
        return f"Hub shows no task; sitegen took {how}"
    if how == "a tag":
        return "tag order"
    return f"{how} differs from the Hub"


def library_cause(got: Inference, want: str) -> str:
    """Name why sitegen's library differs from the Hub's."""
    how = _how(got.library.source)
    if not want:
        return f"Hub shows no library; sitegen took {how}"
    if not got.library.value or how == "config.json":
        return "library file signal missing"
    return f"{how} differs from the Hub"


def _how(source: str) -> str:
    """Which rule a Decision.source names, in a few words."""
    for needle, how in (("refines", "a tag refining the architecture"), ("ends in", "a class-name suffix"),
                        ("auto_map", "auto_map"), ("architectures[0]", "the architecture"),
                        ("from the card's", "the card's " + source.split("'s ", 1)[-1].split(" ")[0]),
                        ("from the tag", "a tag"), ("from the file", "a file signal"),
                        ("from config.json", "config.json")):
        if needle in source:
            return how
    return source


def report(acc: Accuracy) -> str:
    """Format rates and disagreements as text."""
    lines = [
        f"{acc.repos} repos",
        f"task:    {acc.task.agree}/{acc.task.total} = {acc.task.rate:.1%} agree (repos with a Hub task); "
        f"{acc.no_task.agree}/{acc.no_task.total} = {acc.no_task.rate:.1%} of repos without one",
        f"library: {acc.library.agree}/{acc.library.total} = {acc.library.rate:.1%} agree "
        f"(repos with a Hub library); {acc.library_all:.1%} including the "
        f"{acc.no_library.total} without one",
    ]
    for title, tallies in (("task", (acc.task, acc.no_task)), ("library", (acc.library, acc.no_library))):
        causes: dict[str, list[str]] = defaultdict(list)
        for tally in tallies:
            for cause, examples in tally.causes.items():
                causes[cause] += examples
        lines.append(f"\n{title} disagreements by cause:")
        for cause, examples in sorted(causes.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            lines.append(f"  {len(examples):4d}  {cause}")
            lines += [f"          {e}" for e in examples[:EXAMPLES]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT, help="the hub2022 folder")
    args = parser.parse_args(argv)
    if not (args.path / "truth.tsv").is_file():
        print(f"{args.path}: no truth.tsv", file=sys.stderr)
        return 2
    print(report(measure(args.path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
