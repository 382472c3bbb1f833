"""What the build's parent keeps of each model: small records, nothing a build does not read."""
from __future__ import annotations

import pickle
from pathlib import Path

from sitegen.aggregate import Entry, EntryMeta
from sitegen.config import Config
from sitegen.hub.tasks import TASKS, Task
from sitegen.load.discover import RepoDir
from sitegen.load.repo import RepoFile
from sitegen.make import Job, make

from conftest import card, make_repo


def _entry(model_id: str, license_: str = "mit") -> Entry:
    meta = EntryMeta("".join(license_), ("en",), ("chat", "llama"), False)  # "".join: a string of its own
    return Entry(model_id, f"models/{model_id}/index.html", f"models/{model_id}", TASKS["text-generation"],
                 "transformers", meta, "A model.", "", "2024-05-01", 7, ("GGUF",), ("base/model",), "finetune",
                 ("some/data",))


def test_records_have_no_instance_dict() -> None:
    entry = _entry("org/a")
    for record in (entry, entry.meta, RepoFile("README.md", 10, 1)):
        assert not hasattr(record, "__dict__")


def test_an_entry_crosses_processes_unchanged_sharing_its_words() -> None:
    a, b = (pickle.loads(pickle.dumps(_entry(i))) for i in ("org/a", "org/b"))
    assert a == _entry("org/a") and repr(a) == repr(_entry("org/a"))  # the digest the lists use holds
    assert a.task is TASKS["text-generation"]
    assert a.meta.license is b.meta.license and a.meta.tags[1] is b.meta.tags[1] and a.updated is b.updated
    assert a.formats[0] is b.formats[0] and a.library is b.library


def test_a_task_outside_the_table_crosses_whole() -> None:
    mine = Task("text-generation", "My own", "nlp")  # the table's tag, other fields
    back = pickle.loads(pickle.dumps(mine))
    assert back == mine and back is not TASKS["text-generation"]


def test_a_build_outcome_carries_no_check_summary(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "src", "m", card("pipeline_tag: text-generation\nlicense: mit"))
    config = Config(source=tmp_path / "src", output=tmp_path / "out")
    stage = tmp_path / "stage"
    stage.mkdir()
    built = make(Job(config, str(stage), {}), RepoDir("m", root, "m"))
    checked = make(Job(config, "", {}), RepoDir("m", root, "m"))
    assert built.entry is not None and built.files  # built and written
    assert built.line == "" and built.facts is None  # what only `sitegen check` prints
    assert checked.line.startswith("m: text-generation") and checked.facts["id"] == "m"
