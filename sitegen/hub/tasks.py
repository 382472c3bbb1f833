"""The task table: for each pipeline tag, what an example shows and what its output is."""
# One literal row per tag of spec/tasks.yaml (plus the retired tags), so adding a task is
# one row. `inputs` are the keys an example must carry, `optional` the ones it may carry;
# `output` is the output kind of outputs.py; `media` says what `src` holds. Every other fact
# that differs by task is a field here too; widget code never tests a tag by name.
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    tag: str
    name: str
    modality: str
    inputs: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    output: str = "json"
    media: str = ""  # "image", "audio" or "video" when `src` is an input
    hidden: bool = False  # hidden from the Hub's task filter
    output_media: str = ""  # what an output url holds; "" accepts any media kind
    one_of: tuple[str, ...] = ()  # an example needs at least one of these (when `inputs` is empty)
    replay: str = ""  # a repo file shown beside the examples (reinforcement learning's replay)
    text_label: str = "Text"  # the heading over the `text` input

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """A task of the table crosses to another process as its tag (every record a worker
        sends the parent then shares the table's one Task); any other task whole."""
        if TASKS.get(self.tag) == self:
            return _known, (self.tag,)
        return Task, tuple(getattr(self, f) for f in self.__dataclass_fields__)


def _known(tag: str) -> Task:
    return TASKS[tag]


def _t(tag: str, name: str, modality: str, inputs: str = "", output: str = "json",
       optional: str = "", media: str = "", hidden: bool = False, *, output_media: str = "",
       one_of: str = "", replay: str = "", text_label: str = "Text") -> Task:
    return Task(tag, name, modality, tuple(inputs.split()), tuple(optional.split()), output,
                media, hidden, output_media, tuple(one_of.split()), replay, text_label)


TASKS: dict[str, Task] = {t.tag: t for t in [
    # Multimodal
    _t("audio-text-to-text", "Audio-Text-to-Text", "multimodal", "src", "text", "text", "audio"),
    _t("image-text-to-text", "Image-Text-to-Text", "multimodal", "", "text", "text src messages", "image"),
    _t("image-text-to-image", "Image-Text-to-Image", "multimodal", "src", "media", "text prompt", "image", output_media="image"),
    _t("image-text-to-video", "Image-Text-to-Video", "multimodal", "src", "media", "text prompt", "image", output_media="video"),
    _t("visual-question-answering", "Visual Question Answering", "multimodal", "src text", "answer", media="image", text_label="Question"),
    _t("document-question-answering", "Document Question Answering", "multimodal", "src text", "answer", media="image", text_label="Question"),
    _t("video-text-to-text", "Video-Text-to-Text", "multimodal", "src", "text", "text", "video"),
    _t("visual-document-retrieval", "Visual Document Retrieval", "multimodal", "", "json", "text src", "image"),
    _t("any-to-any", "Any-to-Any", "multimodal", "", "text", "text src messages", "image"),
    # Computer vision
    _t("depth-estimation", "Depth Estimation", "cv", "src", "media", media="image", output_media="image"),
    _t("image-classification", "Image Classification", "cv", "src", "labels", media="image"),
    _t("object-detection", "Object Detection", "cv", "src", "boxes", media="image"),
    _t("image-segmentation", "Image Segmentation", "cv", "src", "masks", media="image"),
    _t("text-to-image", "Text-to-Image", "cv", "text", "media", output_media="image", text_label="Prompt"),
    _t("image-to-text", "Image-to-Text", "cv", "src", "text", "text", "image"),
    _t("image-to-image", "Image-to-Image", "cv", "src", "media", "prompt", "image", output_media="image"),
    _t("image-to-video", "Image-to-Video", "cv", "src", "media", "prompt", "image", output_media="video"),
    _t("unconditional-image-generation", "Unconditional Image Generation", "cv", "", "media", output_media="image"),
    _t("video-classification", "Video Classification", "cv", "src", "labels", media="video"),
    _t("text-to-video", "Text-to-Video", "cv", "text", "media", output_media="video", text_label="Prompt"),
    _t("zero-shot-image-classification", "Zero-Shot Image Classification", "cv", "src candidate_labels", "labels", "multi_class", "image"),
    _t("mask-generation", "Mask Generation", "cv", "src", "masks", media="image"),
    _t("zero-shot-object-detection", "Zero-Shot Object Detection", "cv", "src candidate_labels", "boxes", media="image"),
    _t("text-to-3d", "Text-to-3D", "cv", "text", "media"),
    _t("image-to-3d", "Image-to-3D", "cv", "src", "media", media="image"),
    _t("image-feature-extraction", "Image Feature Extraction", "cv", "src", "embedding", media="image"),
    _t("keypoint-detection", "Keypoint Detection", "cv", "src", "json", media="image"),
    _t("video-to-video", "Video-to-Video", "cv", "src", "media", "prompt", "video", output_media="video"),
    # Natural language processing
    _t("text-classification", "Text Classification", "nlp", "text", "labels"),
    _t("token-classification", "Token Classification", "nlp", "text", "entities"),
    _t("table-question-answering", "Table Question Answering", "nlp", "text table", "answer", text_label="Question"),
    _t("question-answering", "Question Answering", "nlp", "text context", "answer", text_label="Question"),
    _t("zero-shot-classification", "Zero-Shot Classification", "nlp", "text candidate_labels", "labels", "multi_class"),
    _t("translation", "Translation", "nlp", "text", "text", text_label="Source text"),
    _t("summarization", "Summarization", "nlp", "text", "text", text_label="Text to summarise"),
    _t("feature-extraction", "Feature Extraction", "nlp", "text", "embedding"),
    _t("text-generation", "Text Generation", "nlp", "text", "text", text_label="Prompt"),
    _t("fill-mask", "Fill-Mask", "nlp", "text", "labels", text_label="Text with a mask"),
    _t("sentence-similarity", "Sentence Similarity", "nlp", "source_sentence sentences", "scores"),
    _t("table-to-text", "Table to Text", "nlp", "table", "text", hidden=True),
    _t("multiple-choice", "Multiple Choice", "nlp", "", "json", "text", hidden=True),
    _t("text-ranking", "Text Ranking", "nlp", "", "json", "text source_sentence sentences"),
    _t("text-retrieval", "Text Retrieval", "nlp", "", "json", "text", hidden=True),
    # Audio
    _t("text-to-speech", "Text-to-Speech", "audio", "text", "media", output_media="audio", text_label="Text to speak"),
    _t("text-to-audio", "Text-to-Audio", "audio", "text", "media", output_media="audio", text_label="Description"),
    _t("automatic-speech-recognition", "Automatic Speech Recognition", "audio", "src", "text", media="audio"),
    _t("audio-to-audio", "Audio-to-Audio", "audio", "src", "media", media="audio", output_media="audio"),
    _t("audio-classification", "Audio Classification", "audio", "src", "labels", media="audio"),
    _t("voice-activity-detection", "Voice Activity Detection", "audio", "src", "json", media="audio"),
    # Tabular
    _t("tabular-classification", "Tabular Classification", "tabular", "structured_data", "predictions"),
    _t("tabular-regression", "Tabular Regression", "tabular", "structured_data", "predictions"),
    _t("tabular-to-text", "Tabular to Text", "tabular", "", "text", "structured_data", hidden=True),
    _t("time-series-forecasting", "Time Series Forecasting", "tabular", "", "json", "structured_data"),
    # Reinforcement learning
    _t("reinforcement-learning", "Reinforcement Learning", "rl", "", "media", "src", "video", output_media="video", replay="replay.mp4"),
    _t("robotics", "Robotics", "rl", "", "json", "src", "video"),
    # Other
    _t("graph-ml", "Graph Machine Learning", "other", "", "json", "text"),
    _t("other", "Other", "other", "", "json", "text src", hidden=True),
]}

# The chat widget: text-generation or image-text-to-text with the `conversational` tag.
CHAT = _t("conversational", "Chat", "nlp", "", "text", "messages text src", "image", one_of="messages text")

# Tags the Hub retired; cards still carry them. Old name -> today's tag (+ tag kept visible).
RETIRED = {"conversational": "text-generation", "text2text-generation": "text-generation"}

MODALITIES = {"multimodal": "Multimodal", "cv": "Computer Vision", "nlp": "Natural Language Processing",
              "audio": "Audio", "tabular": "Tabular", "rl": "Reinforcement Learning", "other": "Other"}

# The Hub's PIPELINE_DATA order: when several tags qualify, the earliest wins.
ORDER = {tag: i for i, tag in enumerate("""
    text-classification token-classification table-question-answering question-answering
    zero-shot-classification translation summarization feature-extraction text-generation
    fill-mask sentence-similarity text-to-speech text-to-audio automatic-speech-recognition
    audio-to-audio audio-classification audio-text-to-text voice-activity-detection
    depth-estimation image-classification object-detection image-segmentation text-to-image
    image-to-text image-to-image image-to-video unconditional-image-generation
    video-classification reinforcement-learning robotics tabular-classification
    tabular-regression tabular-to-text table-to-text multiple-choice text-ranking
    text-retrieval time-series-forecasting text-to-video image-text-to-text
    image-text-to-image image-text-to-video visual-question-answering
    document-question-answering zero-shot-image-classification graph-ml mask-generation
    zero-shot-object-detection text-to-3d image-to-3d image-feature-extraction
    video-text-to-text keypoint-detection visual-document-retrieval any-to-any
    video-to-video other
""".split())}
