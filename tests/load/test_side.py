"""Side files (load/side.py): read once in load, so resolve needs no file of the repo."""
from __future__ import annotations

from pathlib import Path

from conftest import card, make_repo
from sitegen.hub.evals import eval_rows
from sitegen.hub.infer import chat_template, infer
from sitegen.load.discover import RepoDir
from sitegen.load.repo import ModelRepo, load_repo
from sitegen.load.side import MAX_EVAL_FILE, MAX_SIDE_BYTES
from sitegen.report import Report
from sitegen.resolve import resolve_model


def load(tmp_path: Path, files: dict[str, str | bytes], meta: str = "license: mit") -> ModelRepo:
    root = make_repo(tmp_path, "m", card(meta), files)
    return load_repo(RepoDir("m", root, "m"), Report())


def forget_files(repo: ModelRepo) -> None:
    """Delete the repo's side files from disk: what uses the repo afterwards must not need them."""
    for f in repo.files:
        if f.path != "README.md":
            (repo.root / f.path).unlink()


def test_side_files_present_are_read_and_parsed(tmp_path: Path) -> None:
    repo = load(tmp_path, {"tokenizer_config.json": '{"mask_token": "<m>"}', "chat_template.jinja": "{{ x }}",
                           "adapter_config.json": '{"peft_type": "LORA"}', "weights.bin": "x"})
    assert repo.side == {"tokenizer_config.json": {"mask_token": "<m>"}, "chat_template.jinja": "{{ x }}",
                         "adapter_config.json": {"peft_type": "LORA"}}


def test_absent_side_files_are_left_out(tmp_path: Path) -> None:
    assert load(tmp_path, {"weights.bin": "x"}).side == {}


def test_a_side_file_too_large_or_a_symlink_is_left_out(tmp_path: Path) -> None:
    big = '{"chat_template": "x", "pad": "' + "a" * MAX_SIDE_BYTES + '"}'
    root = make_repo(tmp_path, "m", card("license: mit"), {"tokenizer_config.json": big, "real.json": "{}"})
    (root / "model_index.json").symlink_to("real.json")
    repo = load_repo(RepoDir("m", root, "m"), Report())
    assert "tokenizer_config.json" not in repo.side and "model_index.json" not in repo.side
    assert chat_template(repo) == ""


def test_malformed_side_json_is_kept_as_none_and_ignored(tmp_path: Path) -> None:
    report = Report()
    root = make_repo(tmp_path, "m", card("license: mit"), {"model_index.json": "{broken", "adapter_config.json": "[1]"})
    repo = load_repo(RepoDir("m", root, "m"), report)
    assert repo.side == {"model_index.json": None, "adapter_config.json": None}
    assert report.items == []  # side files only refine the page: never a diagnostic
    assert infer(repo).library.value == "peft"  # from the file alone, as the Hub does


def test_chat_template_is_found_without_reading_after_load(tmp_path: Path) -> None:
    repo = load(tmp_path, {"tokenizer_config.json": '{"chat_template": "  "}',
                           "chat_template.json": '{"chat_template": [{"name": "d", "template": "t"}]}'})
    forget_files(repo)
    assert chat_template(repo) == "chat_template.json"
    assert "conversational" in infer(repo).tags


def test_resolve_takes_the_mask_token_from_load(tmp_path: Path) -> None:
    repo = load(tmp_path, {"tokenizer_config.json": '{"mask_token": {"content": "<blank>"}}'},
                "pipeline_tag: fill-mask\nlanguage: en")
    forget_files(repo)
    page = resolve_model(repo, Report())
    assert page.widget is not None and page.widget.examples  # the Hub's default examples
    assert all("<blank>" in e.inputs[0].value for e in page.widget.examples)


def test_eval_files_are_read_with_their_lines(tmp_path: Path) -> None:
    repo = load(tmp_path, {".eval_results/a.yaml": "- dataset: {id: x/y}\n  value: 1\n- 3\n", "notes.yaml": "a: 1\n"})
    [found] = repo.evals
    assert (found.path, found.shown, found.problem) == (".eval_results/a.yaml", "m/.eval_results/a.yaml", None)
    assert found.value == [{"dataset": {"id": "x/y"}, "value": 1}, 3]
    assert found.lines["[0].value"] == 2 and found.lines["[1]"] == 3
    forget_files(repo)
    report = Report()
    assert [r.dataset for r in eval_rows(repo, report)] == ["x/y"]
    assert [d.format() for d in report.items] == [
        "m/.eval_results/a.yaml:3: warning: expected a list of {dataset, value} results"]


def test_broken_eval_files_are_located_errors_when_the_page_uses_them(tmp_path: Path) -> None:
    load_report = Report()
    root = make_repo(tmp_path, "m", card("license: mit"), {
        ".eval_results/bad.yaml": "- value: 1\n  dataset: [\n",
        ".eval_results/big.yml": "a: 1\n" + "#" * MAX_EVAL_FILE,
        ".eval_results/latin.yaml": b"value: \xe9\n"})
    repo = load_repo(RepoDir("m", root, "m"), load_report)
    assert load_report.items == []  # read in load, reported by the page that shows them
    report = Report()
    assert eval_rows(repo, report) == ()
    assert [d.format() for d in report.items] == [
        "m/.eval_results/bad.yaml:3: warning: invalid YAML: did not find expected node content",
        f"m/.eval_results/big.yml: error: file is {MAX_EVAL_FILE + 5:,} bytes, more than the "
        f"{MAX_EVAL_FILE:,} allowed",
        "m/.eval_results/latin.yaml:1: error: not valid UTF-8 (byte 0xe9), expected UTF-8 text"]
