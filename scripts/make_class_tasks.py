"""Generate ``sitegen/data/class_tasks.json``: transformers model class -> Hub pipeline tag.

The Hub does not pattern-match class names: it reads ``pipeline_tags.json`` from the dataset
huggingface/transformers-metadata, written by transformers' ``utils/update_metadata.py``. That
script walks ``PIPELINE_TAGS_AND_AUTO_MODELS`` in order, gives every class of each auto mapping
(PyTorch, ``TF_`` and ``FLAX_`` variants) that row's tag, lets later rows overwrite earlier ones,
and never deletes a key that an older release put there (spec/hub-widgets.md section 1.2). This
script does the same from the wheels, without importing transformers:

    pip download --no-deps transformers==4.17.0 -d /tmp/tf417
    pip download --no-deps transformers==5.24.0 -d /tmp/tf
    python scripts/make_class_tasks.py /tmp/tf417/transformers-4.17.0-py3-none-any.whl \
        /tmp/tf/transformers-5.24.0-py3-none-any.whl

Wheels are given oldest first; each newer one overwrites the classes it also has, so class names
that only an old release knew (cards of early 2022 use them) keep the tag they had then. Each
``models/auto/modeling{,_tf,_flax}_auto.py`` is read with ``ast``: an ``OrderedDict([(type,
class), ...])`` literal per mapping, where the class may be a tuple of names. A mapping that
splices in another one whole (``*list(OTHER.items())``, as 5.x's multimodal-LM mapping does with
the image-text-to-text one) contributes only its own entries, so those classes keep the more
specific tag (the spec's count: image-text-to-text 87, any-to-any 1).

Tags are kept raw, including ``text2text-generation`` and the ones that are not Hub pipeline tags
(``pretraining``, ``next-sentence-prediction``, ``audio-xvector``, ...): sitegen.hub.infer decides
what they mean. ``auto_classes`` maps the auto class of each row (the keys of ``auto_map`` in
config.json) to the tag of its first row: ``AutoModel`` is feature-extraction (its second row,
image-feature-extraction, is a vision-only subset).
"""
from __future__ import annotations

import argparse
import ast
import json
import sys
import zipfile
from pathlib import Path

# transformers utils/update_metadata.py, newest order (spec section 1.2). Rows whose mapping a
# release lacks are skipped, as update_metadata's hasattr() check skips them. The image-to-text
# row is the one of the older stored version (Vision2Seq mapping, absent from 5.x).
ROWS = [
    ("pretraining", "MODEL_FOR_PRETRAINING_MAPPING_NAMES", "AutoModelForPreTraining"),
    ("feature-extraction", "MODEL_MAPPING_NAMES", "AutoModel"),
    ("image-feature-extraction", "MODEL_FOR_IMAGE_MAPPING_NAMES", "AutoModel"),
    ("audio-classification", "MODEL_FOR_AUDIO_CLASSIFICATION_MAPPING_NAMES", "AutoModelForAudioClassification"),
    ("text-generation", "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES", "AutoModelForCausalLM"),
    ("automatic-speech-recognition", "MODEL_FOR_CTC_MAPPING_NAMES", "AutoModelForCTC"),
    ("image-classification", "MODEL_FOR_IMAGE_CLASSIFICATION_MAPPING_NAMES", "AutoModelForImageClassification"),
    ("image-segmentation", "MODEL_FOR_IMAGE_SEGMENTATION_MAPPING_NAMES", "AutoModelForImageSegmentation"),
    ("image-text-to-text", "MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES", "AutoModelForImageTextToText"),
    ("any-to-any", "MODEL_FOR_MULTIMODAL_LM_MAPPING_NAMES", "AutoModelForMultimodalLM"),
    ("image-to-image", "MODEL_FOR_IMAGE_TO_IMAGE_MAPPING_NAMES", "AutoModelForImageToImage"),
    ("fill-mask", "MODEL_FOR_MASKED_LM_MAPPING_NAMES", "AutoModelForMaskedLM"),
    ("object-detection", "MODEL_FOR_OBJECT_DETECTION_MAPPING_NAMES", "AutoModelForObjectDetection"),
    ("zero-shot-object-detection", "MODEL_FOR_ZERO_SHOT_OBJECT_DETECTION_MAPPING_NAMES",
     "AutoModelForZeroShotObjectDetection"),
    ("question-answering", "MODEL_FOR_QUESTION_ANSWERING_MAPPING_NAMES", "AutoModelForQuestionAnswering"),
    ("text2text-generation", "MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES", "AutoModelForSeq2SeqLM"),
    ("text-classification", "MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES",
     "AutoModelForSequenceClassification"),
    ("automatic-speech-recognition", "MODEL_FOR_SPEECH_SEQ_2_SEQ_MAPPING_NAMES", "AutoModelForSpeechSeq2Seq"),
    ("table-question-answering", "MODEL_FOR_TABLE_QUESTION_ANSWERING_MAPPING_NAMES",
     "AutoModelForTableQuestionAnswering"),
    ("token-classification", "MODEL_FOR_TOKEN_CLASSIFICATION_MAPPING_NAMES", "AutoModelForTokenClassification"),
    ("multiple-choice", "MODEL_FOR_MULTIPLE_CHOICE_MAPPING_NAMES", "AutoModelForMultipleChoice"),
    ("next-sentence-prediction", "MODEL_FOR_NEXT_SENTENCE_PREDICTION_MAPPING_NAMES",
     "AutoModelForNextSentencePrediction"),
    ("audio-frame-classification", "MODEL_FOR_AUDIO_FRAME_CLASSIFICATION_MAPPING_NAMES",
     "AutoModelForAudioFrameClassification"),
    ("audio-xvector", "MODEL_FOR_AUDIO_XVECTOR_MAPPING_NAMES", "AutoModelForAudioXVector"),
    ("document-question-answering", "MODEL_FOR_DOCUMENT_QUESTION_ANSWERING_MAPPING_NAMES",
     "AutoModelForDocumentQuestionAnswering"),
    ("visual-question-answering", "MODEL_FOR_VISUAL_QUESTION_ANSWERING_MAPPING_NAMES",
     "AutoModelForVisualQuestionAnswering"),
    ("image-to-text", "MODEL_FOR_VISION_2_SEQ_MAPPING_NAMES", "AutoModelForVision2Seq"),
    ("zero-shot-image-classification", "MODEL_FOR_ZERO_SHOT_IMAGE_CLASSIFICATION_MAPPING_NAMES",
     "AutoModelForZeroShotImageClassification"),
    ("depth-estimation", "MODEL_FOR_DEPTH_ESTIMATION_MAPPING_NAMES", "AutoModelForDepthEstimation"),
    ("video-classification", "MODEL_FOR_VIDEO_CLASSIFICATION_MAPPING_NAMES", "AutoModelForVideoClassification"),
    ("mask-generation", "MODEL_FOR_MASK_GENERATION_MAPPING_NAMES", "AutoModelForMaskGeneration"),
    ("text-to-audio", "MODEL_FOR_TEXT_TO_SPECTROGRAM_MAPPING_NAMES", "AutoModelForTextToSpectrogram"),
    ("text-to-audio", "MODEL_FOR_TEXT_TO_WAVEFORM_MAPPING_NAMES", "AutoModelForTextToWaveform"),
    ("keypoint-matching", "MODEL_FOR_KEYPOINT_MATCHING_MAPPING_NAMES", "AutoModelForKeypointMatching"),
]

# (module in the wheel, prefix of its mapping names), as update_metadata pairs them.
FRAMEWORKS = [
    ("transformers/models/auto/modeling_auto.py", ""),
    ("transformers/models/auto/modeling_tf_auto.py", "TF_"),
    ("transformers/models/auto/modeling_flax_auto.py", "FLAX_"),
]

OUT = Path(__file__).resolve().parents[1] / "sitegen" / "data" / "class_tasks.json"


def read_mappings(source: str) -> dict[str, list[str]]:
    """Return every top-level `*_MAPPING_NAMES = OrderedDict([...])` as name -> class names."""
    found: dict[str, list[str]] = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id.endswith("_NAMES")):
            continue
        value = node.value
        if not (isinstance(value, ast.Call) and value.args and isinstance(value.args[0], ast.List)):
            continue
        classes: list[str] = []
        for item in value.args[0].elts:
            if not isinstance(item, ast.Tuple) or len(item.elts) != 2:
                continue  # a spliced-in mapping keeps its classes under its own row
            names = item.elts[1]
            parts = names.elts if isinstance(names, (ast.Tuple, ast.List)) else [names]
            classes += [p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)]
        found[node.targets[0].id] = classes
    return found


def wheel_table(wheel: Path) -> dict[str, str]:
    """Apply ROWS to one wheel's auto mappings: class -> tag, later rows overwrite."""
    table: dict[str, str] = {}
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        modules = [(read_mappings(zf.read(path).decode("utf-8")), prefix)
                   for path, prefix in FRAMEWORKS if path in names]
    if not modules:
        sys.exit(f"{wheel}: no transformers/models/auto/modeling_auto.py inside")
    for tag, mapping, _auto in ROWS:
        for mappings, prefix in modules:
            for cls in mappings.get(prefix + mapping, []):
                table[cls] = tag
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("wheels", nargs="+", type=Path, help="transformers wheels, oldest first")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    classes: dict[str, str] = {}
    for wheel in args.wheels:
        table = wheel_table(wheel)
        print(f"{wheel.name}: {len(table)} classes")
        classes.update(table)
    auto_classes: dict[str, str] = {}
    for tag, _mapping, auto in ROWS:
        auto_classes.setdefault(auto, tag)
    data = {
        "source": "transformers " + ", ".join(w.name.split("-")[1] for w in args.wheels)
                  + " auto mappings, ordered as utils/update_metadata.py (scripts/make_class_tasks.py)",
        "auto_classes": auto_classes,
        "classes": classes,
    }
    args.output.write_text(json.dumps(data, indent=0, sort_keys=True, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    print(f"wrote {args.output}: {len(classes)} classes, {len(auto_classes)} auto classes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
