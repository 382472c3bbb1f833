"""The example inputs a snippet passes, per task: transformers pipeline calls and chat messages."""
from __future__ import annotations

from typing import Any

from ..hub.tasks import TASKS
from .facts import Facts, FileRef
from .quote import Where, py

# Tasks transformers has a pipeline for (the Hub's LIBRARY_TASK_MAPPING.transformers).
PIPELINE_TASKS = frozenset("""
audio-classification automatic-speech-recognition depth-estimation document-question-answering
feature-extraction fill-mask image-classification image-feature-extraction image-segmentation
image-text-to-text image-to-image image-to-text mask-generation object-detection question-answering
summarization table-question-answering text-classification text-generation text-to-audio
text-to-speech token-classification translation video-classification visual-question-answering
zero-shot-classification zero-shot-image-classification zero-shot-object-detection
""".split())
# How a pipeline is called, per task: (keyword or "" for the first positional argument, the
# example input it takes). Tasks not listed take their main input positionally.
PIPELINE_CALLS: dict[str, tuple[tuple[str, str], ...]] = {
    "question-answering": (("question", "text"), ("context", "context")),
    "zero-shot-classification": (("", "text"), ("candidate_labels", "candidate_labels")),
    "table-question-answering": (("table", "table"), ("query", "text")),
    "zero-shot-image-classification": (("", "src"), ("candidate_labels", "candidate_labels")),
    "zero-shot-object-detection": (("", "src"), ("candidate_labels", "candidate_labels")),
    "visual-question-answering": (("image", "src"), ("question", "text")),
    "document-question-answering": (("image", "src"), ("question", "text")),
}
# What a snippet passes when the example lacks an input (a placeholder, never a guess).
PLACEHOLDERS = {"text": "Hello!", "context": "Some text the answer is in.", "candidate_labels": ["a", "b"],
                "table": {"column": ["value"]}, "image": "path/to/image.jpg", "audio": "path/to/audio.wav",
                "video": "path/to/video.mp4", "": "path/to/input"}


def value(facts: Facts, name: str, where: Where) -> Any:
    """An example input with files of the repo made URLs (or local paths), else a placeholder."""
    found = facts.input(name)
    if found is None and name == "text":
        found = facts.input("prompt")
    if found is None:
        task = TASKS.get(facts.task)
        return PLACEHOLDERS.get(name) or PLACEHOLDERS[task.media if task else ""]
    return files(found, facts.id, where)


def files(found: Any, repo_id: str, where: Where) -> Any:
    if isinstance(found, FileRef):
        return where.file_url(repo_id, found.path)
    if isinstance(found, list):
        return [files(v, repo_id, where) for v in found]
    if isinstance(found, dict):
        return {k: files(v, repo_id, where) for k, v in found.items()}
    return found


def main_input(facts: Facts) -> str:
    """The input a task takes first: its media, else its text."""
    task = TASKS.get(facts.task)
    return "src" if task and task.media and "src" in task.inputs + task.optional else "text"


def messages(facts: Facts, where: Where) -> list[str]:
    """`messages = [...]`, one message a line, from the example's messages or its text (and image)."""
    found = facts.input("messages")
    if found is None:
        text = value(facts, "text", where)
        src = facts.input("src")
        content: Any = text if src is None else [{"type": "image", "url": files(src, facts.id, where)},
                                                 {"type": "text", "text": text}]
        found = [{"role": "user", "content": content}]
    found = files(found, facts.id, where)
    return ["messages = ["] + [f"    {py(m)}," for m in found] + ["]"]


def pipeline_call(facts: Facts, where: Where) -> list[str]:
    """The lines that call `pipe` on the example."""
    if facts.chat:
        return messages(facts, where) + ["pipe(text=messages)" if facts.task == "image-text-to-text" else "pipe(messages)"]
    spec = PIPELINE_CALLS.get(facts.task, (("", main_input(facts)),))
    args = [f"{key + '=' if key else ''}{py(value(facts, name, where))}" for key, name in spec]
    return [f"pipe({', '.join(args)})"]
