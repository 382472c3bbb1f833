"""Parameter counts from safetensors headers and index files (load/weights.py, load/facts.py)."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import card, make_repo
from sitegen.load.discover import RepoDir
from sitegen.load.facts import ModelFacts
from sitegen.load.repo import load_repo
from sitegen.report import Report
from weightfiles import index, pointer, raw_header, safetensors, steps

LLAMA = {"model.embed.weight": ("BF16", [100, 16]), "model.layers.0.w": ("BF16", [16, 16]),
         "model.norm.weight": ("F32", [16])}  # 1,600 + 256 BF16, 16 F32


def facts(tmp_path: Path, files: dict[str, str | bytes], config: dict | None = None) -> tuple[ModelFacts, list[str]]:
    if config is not None:
        files = {**files, "config.json": json.dumps(config)}
    root = make_repo(tmp_path, "m", card("license: mit"), files)
    report = Report()
    repo = load_repo(RepoDir("m", root, "m"), report)
    assert repo.facts is not None
    return repo.facts, [d.format() for d in report.sorted()]


def test_one_file_counts_each_dtype_exactly(tmp_path: Path) -> None:
    f, messages = facts(tmp_path, {"model.safetensors": safetensors(LLAMA)})
    assert (f.params, f.dtypes) == (1872, (("BF16", 1856), ("F32", 16)))
    assert f.formats == ("Safetensors",) and f.weight_bytes == (tmp_path / "m/model.safetensors").stat().st_size
    assert messages == []


def test_scalars_and_block_scales_are_not_parameters(tmp_path: Path) -> None:
    f, _ = facts(tmp_path, {"model.safetensors": safetensors({"a": ("F32", [3, 5]), "step": ("I64", [])})})
    assert f.params == 15


def test_shards_with_an_index_are_summed(tmp_path: Path) -> None:
    one = safetensors({"a": ("F16", [1000, 10])})
    two = safetensors({"b": ("F16", [7, 3]), "c": ("F32", [5])})
    f, messages = facts(tmp_path, {
        "model-00001-of-00002.safetensors": one, "model-00002-of-00002.safetensors": two,
        "model.safetensors.index.json": index({"a": "model-00001-of-00002.safetensors",
                                               "b": "model-00002-of-00002.safetensors",
                                               "c": "model-00002-of-00002.safetensors"}, 20_062)})
    assert f.params == 10_026 and dict(f.dtypes) == {"F16": 10_021, "F32": 5}
    assert len(f.components) == 1 and f.components[0].files == 2 and messages == []


def test_shards_without_an_index_are_one_group(tmp_path: Path) -> None:
    f, _ = facts(tmp_path, {"model-00001-of-00002.safetensors": safetensors({"a": ("F32", [4])}),
                            "model-00002-of-00002.safetensors": safetensors({"b": ("F32", [6])})})
    assert f.params == 10 and not f.notes


def test_pointer_shards_use_the_index_total(tmp_path: Path) -> None:
    f, messages = facts(tmp_path, {
        "model-00001-of-00002.safetensors": pointer(5_000_000_000),
        "model-00002-of-00002.safetensors": pointer(2_000_000_000),
        "model.safetensors.index.json": index({"a": "model-00001-of-00002.safetensors",
                                               "b": "model-00002-of-00002.safetensors"}, 7_000_000_000,
                                              3_500_000_000)})
    assert f.params == 3_500_000_000 and f.components[0].source == "index"
    assert f.pointers == 2 and f.weight_bytes == 7_000_000_000  # the real sizes, not the pointers'
    assert messages == []


def test_pointer_without_an_index_is_unknown_but_sized(tmp_path: Path) -> None:
    f, messages = facts(tmp_path, {"model.safetensors": pointer(15_200_000_000)})
    assert f.params is None and f.weight_bytes == 15_200_000_000 and f.pointers == 1
    assert f.formats == ("Safetensors",) and messages == []


def test_diffusers_components_are_counted_each_and_summed(tmp_path: Path) -> None:
    f, _ = facts(tmp_path, {
        "model_index.json": '{"_class_name": "StableDiffusionPipeline", "unet": ["diffusers", "UNet2DConditionModel"]}',
        "unet/diffusion_pytorch_model.safetensors": safetensors({"conv": ("F32", [10, 10])}),
        "unet/diffusion_pytorch_model.fp16.safetensors": safetensors({"conv": ("F16", [10, 10])}),
        "text_encoder/model.safetensors": safetensors({"emb": ("F32", [30])}),
        "vae/diffusion_pytorch_model.safetensors": pointer(300_000_000)})
    assert {c.folder: c.params for c in f.components} == {"text_encoder": 30, "unet": 100, "vae": None}
    assert f.params == 130  # the fp16 copy is not added, the pointer is unknown: both said
    assert "in unet, diffusion_pytorch_model is counted; diffusion_pytorch_model.fp16 (other copies of the weights) not added" in f.notes
    assert any("vae" in n and "unknown" in n for n in f.notes)


def test_subfolders_beside_root_weights_and_checkpoints_are_not_added(tmp_path: Path) -> None:
    f, _ = facts(tmp_path, {"model.safetensors": safetensors({"a": ("F32", [8])}),
                            "onnx/model.safetensors": safetensors({"a": ("F32", [8])}),
                            "checkpoint-500/model.safetensors": safetensors({"a": ("F32", [8])})})
    assert f.params == 8


def test_gptq_packed_weights_are_counted_unpacked_and_flagged(tmp_path: Path) -> None:
    tensors = {"l.qweight": ("I32", [16, 64]), "l.qzeros": ("I32", [1, 8]), "l.scales": ("F16", [1, 64]),
               "l.g_idx": ("I32", [128]), "embed.weight": ("F16", [10, 64])}
    quant = {"quantization_config": {"quant_method": "gptq", "bits": 4}}
    f, _ = facts(tmp_path, {"model.safetensors": safetensors(tensors)}, quant)
    assert f.params == 16 * 64 * 8 + 640 and f.packed == "gptq"
    assert ("Quantization", "gptq, 4-bit") in f.config


def test_integer_weights_of_an_unknown_method_are_flagged(tmp_path: Path) -> None:
    quant = {"quantization_config": {"quant_method": "newquant"}}
    f, _ = facts(tmp_path, {"model.safetensors": safetensors({"w": ("U8", [4, 4])})}, quant)
    assert f.params == 16 and f.packed == "newquant"


def test_unquantised_integer_tensors_are_not_flagged(tmp_path: Path) -> None:
    f, _ = facts(tmp_path, {"model.safetensors": safetensors({"ids": ("I64", [1, 512])})})
    assert f.params == 512 and f.packed == ""


def test_bad_headers_warn_with_the_file_and_leave_the_count_unknown(tmp_path: Path) -> None:
    cases = {
        "short.safetensors": b"\x01\x02",
        "huge.safetensors": raw_header(b"{}", 1 << 63),
        "past.safetensors": raw_header(b'{"a": 1}', 1000),
        "nojson.safetensors": raw_header(b"{not json at all}"),
        "latin.safetensors": raw_header(b'{"\xff": 1}'),
        "list.safetensors": raw_header(b"[1, 2]"),
        "deep.safetensors": raw_header(b"[" * 100_000 + b"]" * 100_000),
    }
    for name, data in cases.items():
        sub = tmp_path / name
        f, messages = facts(sub, {"model.safetensors": data})
        assert f.params is None, name
        assert len(messages) == 1 and messages[0].startswith("m/model.safetensors: warning: "), (name, messages)
    assert "9,223,372,036,854,775,808 bytes" in facts(tmp_path / "again", {"model.safetensors": cases["huge.safetensors"]})[1][0]


def test_garbage_dtypes_and_shapes_are_left_out_and_named(tmp_path: Path) -> None:
    header = json.dumps({"ok": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
                         "a": {"dtype": "WAT", "shape": [2]}, "b": {"dtype": "F32", "shape": [-1, 5]},
                         "c": {"dtype": "F32", "shape": [1 << 40]}, "d": {"dtype": "F32", "shape": "big"},
                         "e": {"dtype": "F32", "shape": [True]}, "f": [1], "g": {"dtype": "F32", "shape": [1] * 9},
                         "__metadata__": {"format": "pt"}}).encode()
    f, messages = facts(tmp_path, {"model.safetensors": raw_header(header, tail=bytes(24))})
    assert f.params == 6
    assert messages == ["m/model.safetensors: warning: 7 tensors with a dtype or shape that makes no sense "
                        "(expected a safetensors dtype and a list of at most 8 dims of 0 to 2^32); not counted"]


def test_index_naming_files_outside_or_missing(tmp_path: Path) -> None:
    f, messages = facts(tmp_path, {"model.safetensors.index.json": index({"a": "../../etc/passwd"}, 10, 99),
                                   "model-00001-of-00001.safetensors": safetensors({"a": ("F32", [3])})})
    assert f.params == 3  # the index's map is refused: the shard is read on its own
    assert messages == ["m/model.safetensors.index.json: warning: expected a weight_map of at most 10,000 files "
                        "in its folder (no '..', '/' or '://'); ignored"]
    f, messages = facts(tmp_path / "2", {"model.safetensors.index.json": index({"a": "gone.safetensors"}, 10)})
    assert f.params is None and messages == ["m/gone.safetensors: warning: named by the index but not in the repo"]
    f, messages = facts(tmp_path / "3", {"model.safetensors.index.json": "{nope",
                                         "model.safetensors": safetensors({"a": ("F32", [3])})})
    assert f.params == 3 and messages == ["m/model.safetensors.index.json: warning: the index is not JSON; "
                                          "its shards are read without it"]


def test_index_total_caps_the_headers_count(tmp_path: Path) -> None:
    f, _ = facts(tmp_path, {"model.safetensors.index.json": index({"a": "model.safetensors"}, 12, 2),
                            "model.safetensors": safetensors({"a": ("F32", [3])})})
    assert f.params == 2


def test_a_large_header_is_read_in_work_linear_in_its_tensors(tmp_path: Path) -> None:
    def header(n: int) -> dict[str, tuple[str, list[int]]]:
        return {f"layer.{i}.weight": ("F16", [4, 4]) for i in range(n)}

    f, _ = facts(tmp_path / "big", {"model.safetensors": safetensors(header(100_000))})
    assert f.params == 1_600_000
    small, large = (steps(lambda n=n: facts(tmp_path / str(n), {"model.safetensors": safetensors(header(n))}))
                    for n in (2_000, 4_000))
    assert large < 2.2 * small  # twice the tensors, twice the work: never a pass over all per tensor


def test_formats_and_weight_size(tmp_path: Path) -> None:
    f, _ = facts(tmp_path, {"pytorch_model.bin": b"x" * 10, "model.onnx": b"y" * 5, "tf_model.h5": b"z",
                            "training_args.bin": b"q" * 100, "optimizer.pt": b"q" * 100, "flax_model.msgpack": b"f"})
    assert f.formats == ("PyTorch", "ONNX", "TensorFlow", "Flax") and f.weight_bytes == 17


def test_config_facts(tmp_path: Path) -> None:
    config = {"architectures": ["LlavaForConditionalGeneration"], "text_config": {
        "max_position_embeddings": 32768, "num_hidden_layers": 32, "hidden_size": 4096, "vocab_size": 32064},
        "quantization_config": {"load_in_4bit": True, "quant_method": "bitsandbytes"}}
    f, _ = facts(tmp_path, {}, config)
    assert f.config == (("Architecture", "LlavaForConditionalGeneration"), ("Context length", "32,768"),
                        ("Layers", "32"), ("Hidden size", "4,096"), ("Vocabulary", "32,064"),
                        ("Quantization", "bitsandbytes, 4-bit"))
    f, _ = facts(tmp_path / "bad", {}, {"architectures": [None], "vocab_size": True, "hidden_size": -3,
                                       "num_hidden_layers": "32", "quantization_config": "yes"})
    assert f.config == () and f.empty


def test_chat_templates_from_each_file(tmp_path: Path) -> None:
    named = {"chat_template": [{"name": "default", "template": "{{ a }}"}, {"name": "tool_use", "template": "{{ b }}"},
                               {"name": 3, "template": "{{ c }}"}]}
    f, _ = facts(tmp_path, {"tokenizer_config.json": json.dumps(named), "chat_template.jinja": "{{ a }}"})
    assert [(t.name, t.source, t.text) for t in f.templates] == [
        ("default", "tokenizer_config.json", "{{ a }}"), ("tool_use", "tokenizer_config.json", "{{ b }}")]
    f, _ = facts(tmp_path / "2", {"chat_template.jinja": "{% for m in messages %}{{ m }}{% endfor %}"})
    assert [t.source for t in f.templates] == ["chat_template.jinja"]


def test_a_repo_reads_a_bounded_number_of_tensors_and_header_bytes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sitegen.load import weights
    three = safetensors({"a": ("F32", [2]), "b": ("F32", [2]), "c": ("F32", [2])})
    files: dict[str, str | bytes] = {"model_index.json": '{"_class_name": "P"}', "a/model.safetensors": three,
                                     "b/model.safetensors": three}
    monkeypatch.setattr(weights, "MAX_TENSORS", 5)
    f, messages = facts(tmp_path, files)
    assert [c.params for c in f.components] == [6, None]
    assert messages == ["m/b/model.safetensors: warning: the repo's headers together list more than 5 tensors; "
                        "its parameters are not counted"]
    monkeypatch.setattr(weights, "MAX_TENSORS", 100)
    monkeypatch.setattr(weights, "MAX_READ", len(three))
    f, messages = facts(tmp_path / "2", files)
    assert [c.params for c in f.components] == [6, None] and "limit of" in messages[0]
