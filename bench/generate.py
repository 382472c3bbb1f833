"""Write a synthetic catalog of N model repos that look like real Hub repos.

usage: python bench/generate.py N OUT_DIR [--seed S]

Each repo is OUT_DIR/<org>/<name>/ with a README.md (front matter with license, language,
tags, datasets, pipeline_tag, library_name, sometimes base_model, a model-index and 2-3
widget examples with stored outputs of the task's shape, then a body of about 150 lines),
a config.json for transformers models, and small PNG images for the image tasks. The same
N and seed always give the same bytes.
"""
from __future__ import annotations

import argparse
import io
import json
import random
import re
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw

ORG_WORDS = ("acme nova lumen orbit tabula sonora quill cedar vertex delta kite atlas ember fjord "
             "harbor iris juniper krypton lattice meadow nimbus onyx prism quasar raven sierra "
             "tundra umbra vela willow").split()
ORG_KINDS = "ai labs nlp vision research ml data group".split()
LICENSES = ("apache-2.0 apache-2.0 mit mit cc-by-4.0 cc-by-sa-4.0 cc-by-nc-4.0 openrail "
            "bsd-3-clause gpl-3.0 llama3").split()
LANGUAGES = "en en en en fr de es it pt nl zh ja ar ru sv".split()
DATASETS = ("glue imdb squad conll2003 wikipedia bookcorpus cnn_dailymail xsum wmt16 opus100 "
            "ag_news emotion tweet_eval coco ade20k imagenet-1k food101 cifar10 "
            "mozilla-foundation/common_voice_11_0 librispeech_asr laion/laion2B-en "
            "sentence-transformers/all-nli multi_nli").split()
SUBJECTS = ("The city council|Our small team|The new library|A local bakery|The research group|"
            "Every volunteer|The museum|A delivery robot|The school orchestra|The football club|"
            "The harbour authority|A young engineer|The weather service|Our neighbour|"
            "The hospital board|A travelling circus").split("|")
VERBS = ("announced|opened|postponed|reviewed|celebrated|launched|rejected|improved|repaired|"
         "described|funded|cancelled|tested|painted|rebuilt|shared").split("|")
OBJECTS = ("a plan for cleaner rivers|the annual budget|a faster train line|the old lighthouse|"
           "a community garden|its first electric bus|the winter festival|a new reading room|"
           "the broken bridge|a free coding course|the harvest market|a solar farm|"
           "the night shuttle|a public swimming pool").split("|")
TAILS = ("on Tuesday.|after a long debate.|despite the rain.|in record time.|for the third year.|"
         "with help from students.|to everyone's surprise.|before the holidays.|"
         "at a small ceremony.|without much fuss.").split("|")
PEOPLE = ("Ada Lovelace|Grace Hopper|Alan Turing|Marie Curie|Katherine Johnson|Nikola Tesla|"
          "Hedy Lamarr|Srinivasa Ramanujan|Rosalind Franklin|Tim Berners-Lee").split("|")
PLACES = "London|Nairobi|Lisbon|Kyoto|Montreal|Oslo|Lima|Cairo|Melbourne|Hamburg".split("|")
COMPANIES = "Orchard Robotics|Nordic Rail|Blue Harbor Bank|Sunpeak Energy|Atlas Foods".split("|")
LABEL_SETS = (("POSITIVE", "NEGATIVE"), ("joy", "anger", "sadness", "fear", "surprise"),
              ("toxic", "not toxic"), ("sports", "business", "science", "world"),
              ("LABEL_0", "LABEL_1", "LABEL_2"))
TITLES = ("Short input", "Typical case", "Hard case", "From the test set", "Everyday example",
          "Edge case", "Long input", "Noisy input", "Domain example")
TOPICS = "economy politics science sports travel health music cooking technology".split()
IMAGE_LABELS = "tabby cat|golden retriever|sports car|pizza|mountain bike|lighthouse|teapot|sunflower".split("|")
MASK_SENTENCES = (("Paris is the [MASK] of France.", ("capital", "heart", "centre")),
                  ("She poured hot coffee into a [MASK].", ("mug", "cup", "glass")),
                  ("Water boils at one hundred degrees [MASK].", ("celsius", "centigrade", "exactly")),
                  ("The [MASK] barked at the postman.", ("dog", "puppy", "neighbour")),
                  ("I left my keys on the kitchen [MASK].", ("table", "counter", "floor")))
TRANSLATIONS = (("Good morning! Where is the train station?", "Bonjour ! Où est la gare ?"),
                ("We would like a table for four, please.", "Nous voudrions une table pour quatre, s'il vous plaît."),
                ("Restart the application after the update.", "Redémarrez l'application après la mise à jour."),
                ("The experiment was repeated three times.", "L'expérience a été répétée trois fois."),
                ("My sister lives near the sea.", "Ma sœur habite près de la mer."))
AUDIO = ("https://cdn-media.huggingface.co/speech_samples/sample1.flac",
         "https://cdn-media.huggingface.co/speech_samples/sample2.flac")
IMAGES = ("cat", "street", "beach", "fruit", "kitchen", "mountain")
METRICS = {"text-classification": ("accuracy", "f1"), "token-classification": ("f1", "precision"),
           "fill-mask": ("perplexity",), "question-answering": ("exact_match", "f1"),
           "summarization": ("rouge1", "rougeL"), "translation": ("bleu", "chrf"),
           "text-generation": ("perplexity", "accuracy"), "image-classification": ("accuracy",),
           "object-detection": ("map",), "automatic-speech-recognition": ("wer", "cer"),
           "feature-extraction": ("cosine_pearson",), "sentence-similarity": ("cosine_spearman",),
           "zero-shot-classification": ("accuracy",), "text-to-image": ("fid", "clip_score"),
           "image-segmentation": ("mean_iou",)}


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"


def scores(rng: random.Random, labels: list[str] | tuple[str, ...]) -> list[dict]:
    """Labels with scores that sum to about 1, best first."""
    raw = [rng.random() ** 3 for _ in labels]
    total = sum(raw)
    pairs = sorted(zip(labels, raw), key=lambda p: -p[1])
    return [{"label": label, "score": round(r / total, 4)} for label, r in pairs]


# One function per task: the widget examples (inputs and stored output) of one model.

def ex_text_classification(rng: random.Random) -> list[dict]:
    labels = rng.choice(LABEL_SETS)
    return [{"text": sentence(rng), "output": scores(rng, labels)} for _ in range(rng.randint(2, 3))]


def ex_token_classification(rng: random.Random) -> list[dict]:
    examples = []
    for _ in range(rng.randint(2, 3)):
        person, org, place = rng.choice(PEOPLE), rng.choice(COMPANIES), rng.choice(PLACES)
        text = f"{person} met the board of {org} in {place} last spring."
        output = [{"entity_group": kind, "score": round(rng.uniform(0.9, 0.999), 3), "word": word,
                   "start": text.index(word), "end": text.index(word) + len(word)}
                  for kind, word in (("PER", person), ("ORG", org), ("LOC", place))]
        examples.append({"text": text, "output": output})
    return examples


def ex_fill_mask(rng: random.Random) -> list[dict]:
    examples = []
    for text, words in rng.sample(MASK_SENTENCES, rng.randint(2, 3)):
        output = [dict(s, sequence=text.replace("[MASK]", s["label"]).lower()) for s in scores(rng, words)]
        examples.append({"text": text, "output": output})
    return examples


def ex_question_answering(rng: random.Random) -> list[dict]:
    examples = []
    for _ in range(rng.randint(2, 3)):
        person, place, year = rng.choice(PEOPLE), rng.choice(PLACES), str(rng.randint(1850, 2020))
        context = (f"The {rng.choice(OBJECTS).split()[-1]} project was started in {year} by {person}. "
                   f"Its workshop in {place} still welcomes visitors. {sentence(rng)}")
        question, answer = rng.choice((("When was the project started?", year),
                                       ("Who started the project?", person),
                                       ("Where is the workshop?", place)))
        start = context.index(answer)
        examples.append({"text": question, "context": context, "output": {
            "answer": answer, "score": round(rng.uniform(0.5, 0.99), 3), "start": start, "end": start + len(answer)}})
    return examples


def ex_summarization(rng: random.Random) -> list[dict]:
    return [{"text": " ".join(sentence(rng) for _ in range(6)), "output": {"text": sentence(rng)}}
            for _ in range(rng.randint(2, 3))]


def ex_translation(rng: random.Random) -> list[dict]:
    return [{"text": en, "output": {"text": fr}} for en, fr in rng.sample(TRANSLATIONS, rng.randint(2, 3))]


def ex_text_generation(rng: random.Random) -> list[dict]:
    if rng.random() < 0.3:  # a chat model: the card also gets the `conversational` tag
        return [{"messages": [{"role": "user", "content": f"Tell me about {rng.choice(OBJECTS)}."}],
                 "output": {"text": f"{sentence(rng)} {sentence(rng)}"}} for _ in range(rng.randint(2, 3))]
    return [{"text": sentence(rng)[:-1] + ", and", "output": {"text": " " + sentence(rng)},
             "parameters": {"max_new_tokens": 40, "temperature": 0.7}} for _ in range(rng.randint(2, 3))]


def ex_image_classification(rng: random.Random) -> list[dict]:
    return [{"src": f"images/{name}.png", "output": scores(rng, rng.sample(IMAGE_LABELS, 3))}
            for name in rng.sample(IMAGES, rng.randint(2, 3))]


def ex_object_detection(rng: random.Random) -> list[dict]:
    examples = []
    for name in rng.sample(IMAGES, rng.randint(2, 3)):
        output = []
        for label in rng.sample(("person", "car", "dog", "bicycle", "bench"), 3):
            x, y = rng.randint(0, 40), rng.randint(0, 40)
            output.append({"label": label, "score": round(rng.uniform(0.7, 0.99), 3),
                           "box": {"xmin": x, "ymin": y, "xmax": x + rng.randint(8, 23), "ymax": y + rng.randint(8, 23)}})
        examples.append({"src": f"images/{name}.png", "output": output})
    return examples


def ex_speech_recognition(rng: random.Random) -> list[dict]:
    return [{"src": src, "output": {"text": sentence(rng)}} for src in AUDIO[:rng.randint(1, 2)]] + \
        [{"src": AUDIO[0], "example_title": "Long form", "output": {"text": sentence(rng), "chunks": [
            {"text": sentence(rng), "timestamp": [0.0, 2.5]}, {"text": sentence(rng), "timestamp": [2.5, 5.1]}]}}]


def ex_feature_extraction(rng: random.Random) -> list[dict]:
    return [{"text": sentence(rng), "output": [round(rng.uniform(-0.4, 0.4), 4) for _ in range(32)]}
            for _ in range(rng.randint(2, 3))]


def ex_sentence_similarity(rng: random.Random) -> list[dict]:
    examples = []
    for _ in range(rng.randint(2, 3)):
        sentences = [sentence(rng) for _ in range(rng.randint(3, 4))]
        examples.append({"source_sentence": sentence(rng), "sentences": sentences,
                         "output": [round(rng.random(), 3) for _ in sentences]})
    return examples


def ex_zero_shot(rng: random.Random) -> list[dict]:
    examples = []
    for _ in range(rng.randint(2, 3)):
        labels = rng.sample(TOPICS, 4)
        examples.append({"text": sentence(rng), "candidate_labels": ", ".join(labels),
                         "multi_class": rng.random() < 0.3, "output": scores(rng, labels)})
    return examples


def ex_text_to_image(rng: random.Random) -> list[dict]:
    return [{"text": f"a {rng.choice(('calm', 'busy', 'snowy', 'sunny'))} {name} scene, flat illustration",
             "output": {"url": f"images/{name}.png"}} for name in rng.sample(IMAGES, rng.randint(2, 3))]


def ex_image_segmentation(rng: random.Random) -> list[dict]:
    return [{"src": f"images/{name}.png", "output": [
        {"label": label, "score": round(rng.uniform(0.8, 0.99), 3), "mask": f"masks/{name}-{label}.png"}
        for label in ("sky", "ground")]} for name in rng.sample(IMAGES, rng.randint(2, 3))]


# pipeline tag: (weight, example maker, libraries, transformers (architecture, model_type) choices)
TASKS = {
    "text-generation": (18, ex_text_generation, ("transformers",), (("LlamaForCausalLM", "llama"), ("GPT2LMHeadModel", "gpt2"), ("MistralForCausalLM", "mistral"))),
    "text-classification": (14, ex_text_classification, ("transformers",), (("BertForSequenceClassification", "bert"), ("RobertaForSequenceClassification", "roberta"))),
    "token-classification": (7, ex_token_classification, ("transformers",), (("BertForTokenClassification", "bert"), ("XLMRobertaForTokenClassification", "xlm-roberta"))),
    "fill-mask": (5, ex_fill_mask, ("transformers",), (("BertForMaskedLM", "bert"), ("DistilBertForMaskedLM", "distilbert"))),
    "question-answering": (6, ex_question_answering, ("transformers",), (("BertForQuestionAnswering", "bert"), ("DistilBertForQuestionAnswering", "distilbert"))),
    "summarization": (4, ex_summarization, ("transformers",), (("BartForConditionalGeneration", "bart"), ("T5ForConditionalGeneration", "t5"))),
    "translation": (5, ex_translation, ("transformers",), (("MarianMTModel", "marian"),)),
    "feature-extraction": (4, ex_feature_extraction, ("transformers", "sentence-transformers"), (("BertModel", "bert"),)),
    "sentence-similarity": (6, ex_sentence_similarity, ("sentence-transformers",), (("MPNetModel", "mpnet"),)),
    "zero-shot-classification": (3, ex_zero_shot, ("transformers",), (("DebertaV2ForSequenceClassification", "deberta-v2"),)),
    "image-classification": (7, ex_image_classification, ("transformers", "timm"), (("ViTForImageClassification", "vit"),)),
    "object-detection": (3, ex_object_detection, ("transformers",), (("DetrForObjectDetection", "detr"),)),
    "image-segmentation": (3, ex_image_segmentation, ("transformers",), (("SegformerForSemanticSegmentation", "segformer"),)),
    "text-to-image": (6, ex_text_to_image, ("diffusers",), ()),
    "automatic-speech-recognition": (6, ex_speech_recognition, ("transformers",), (("WhisperForConditionalGeneration", "whisper"), ("Wav2Vec2ForCTC", "wav2vec2"))),
}
TASK_TAGS, TASK_WEIGHTS = list(TASKS), [row[0] for row in TASKS.values()]


def draw_images() -> tuple[dict[str, bytes], dict[str, bytes]]:
    """A few distinct 64x64 pictures and their two masks (sky: top part, ground: the rest)."""
    images, masks = {}, {}
    for i, name in enumerate(IMAGES):
        im = Image.new("RGB", (64, 64), (40 * i % 256, 120, 200 - 25 * i))
        draw = ImageDraw.Draw(im)
        draw.rectangle((0, 24 + 3 * i, 63, 63), fill=(60, 140 - 10 * i, 60 + 20 * i))
        draw.ellipse((8 + 5 * i, 8, 28 + 5 * i, 28), fill=(240, 200 - 20 * i, 40))
        images[name] = _png(im)
        sky = Image.new("L", (64, 64), 0)
        ImageDraw.Draw(sky).rectangle((0, 0, 63, 23 + 3 * i), fill=255)
        masks[f"{name}-sky"] = _png(sky)
        masks[f"{name}-ground"] = _png(Image.eval(sky, lambda v: 255 - v))
    return images, masks


def _png(im: Image.Image) -> bytes:
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


# Name parts by task, so a name reads like the model it is.
FAMILIES = {"text-generation": "llama mistral gpt2 qwen phi", "text-classification": "bert roberta distilbert",
            "token-classification": "bert xlmr deberta", "fill-mask": "bert distilbert camembert",
            "question-answering": "bert distilbert roberta", "summarization": "bart t5 pegasus",
            "translation": "marian opus nllb", "feature-extraction": "bert e5 bge", "sentence-similarity": "mpnet minilm bge",
            "zero-shot-classification": "deberta bart", "image-classification": "vit convnext resnet",
            "object-detection": "detr yolos", "image-segmentation": "segformer mask2former",
            "text-to-image": "sd sdxl flux", "automatic-speech-recognition": "whisper wav2vec2"}
SIZES = "tiny mini small base large xl".split()
PURPOSES = "sst2 news chat squad coco ner legal med code v2 instruct multilingual finance it".split()


def plan(n: int, seed: int) -> list[tuple[str, str]]:
    """n distinct (id, task): a few big orgs and many small ones, as on the Hub."""
    rng = random.Random(f"ids-{seed}")
    orgs = [f"{a}-{k}" for a in ORG_WORDS for k in ORG_KINDS]
    rng.shuffle(orgs)
    orgs = orgs[:max(3, min(len(orgs), n // 20))]
    models, seen = [], set()
    for i in range(n):
        big = rng.random() < 0.5
        org = orgs[min(int(rng.paretovariate(1.2)) - 1, len(orgs) - 1) if big else rng.randrange(len(orgs))]
        task = rng.choices(TASK_TAGS, TASK_WEIGHTS)[0]
        name = "-".join((rng.choice(SIZES), rng.choice(FAMILIES[task].split()), rng.choice(PURPOSES)))
        if f"{org}/{name}" in seen:
            name = f"{name}-{i}"
        seen.add(f"{org}/{name}")
        models.append((f"{org}/{name}", task))
    return models


def front_matter(rng: random.Random, repo_id: str, task: str, library: str, ids: list[str]) -> dict:
    name = repo_id.split("/")[1]
    languages = ["en", "fr"] if task == "translation" else sorted(set(rng.sample(LANGUAGES, rng.randint(1, 2))))
    tags = [library, "pytorch", rng.choice(("safetensors", "generated_from_trainer", "onnx")), name.split("-")[1]]
    examples = TASKS[task][1](rng)
    if "messages" in examples[0]:
        tags.append("conversational")
    meta: dict = {"license": rng.choice(LICENSES), "language": languages, "tags": tags,
                  "datasets": rng.sample(DATASETS, rng.randint(1, 3))}
    if rng.random() < 0.5:
        others = [i for i in ids[:50] if i != repo_id]
        meta["base_model"] = rng.choice(others) if others and rng.random() < 0.5 else "google-bert/bert-base-uncased"
    meta.update({"pipeline_tag": task, "library_name": library})
    for example in examples:
        example.setdefault("example_title", rng.choice(TITLES))
    meta["widget"] = [dict(sorted(e.items(), key=lambda kv: kv[0] != "example_title")) for e in examples]
    results = []
    for metric in rng.sample(METRICS[task], min(2, len(METRICS[task]))):
        dataset = rng.choice(meta["datasets"])
        results.append({"task": {"type": task, "name": task.replace("-", " ").title()},
                        "dataset": {"type": dataset, "name": dataset.split("/")[-1].upper(), "split": "test"},
                        "metrics": [{"type": metric, "value": round(rng.uniform(20, 95), 2), "name": metric.title()}]})
    meta["model-index"] = [{"name": name, "results": results}]
    return meta


def body(rng: random.Random, repo_id: str, task: str, library: str, image: str | None) -> str:
    """A card body of about 150 lines: headings, paragraphs, lists, a table, code, links."""
    name = repo_id.split("/")[1]
    title = name.replace("-", " ").title()

    def para(k: int = 4) -> str:
        return " ".join(sentence(rng) for _ in range(k))

    lines = [f"# {title}", "", f"{title} is a {task.replace('-', ' ')} model published by `{repo_id.split('/')[0]}`. {para(3)}", ""]
    if image:
        lines += [f"![Sample output of {title}](images/{image}.png)", ""]
    lines += ["## Model description", "", para(), "", para(), ""]
    lines += [f"- **Developed by:** {rng.choice(PEOPLE)} and the {rng.choice(COMPANIES)} team",
              f"- **Model type:** {task}", "- **License:** see the [license file](https://choosealicense.com/licenses/)",
              "- **Finetuned from:** [google-bert/bert-base-uncased](https://huggingface.co/google-bert/bert-base-uncased)", ""]
    lines += ["## Intended uses & limitations", "", para(3), ""]
    lines += [f"- {sentence(rng)}" for _ in range(6)] + [""]
    lines += ["## How to use", "", "Install the library first:", "", "```bash", f"pip install -U {library} torch",
              f"huggingface-cli download {repo_id} --local-dir ./{name}", "```", "", "Then run it:", "", "```python"]
    lines += [f"from {library.replace('-', '_')} import pipeline", "", f'pipe = pipeline("{task}", model="{repo_id}")']
    for i in range(8):
        lines += [f"result_{i} = pipe(\"{sentence(rng)}\", batch_size={rng.choice((1, 8, 32))})", f"print(result_{i})"]
    lines += ["```", "", "## Training data", "", para(5), "", f"See the [dataset card](https://huggingface.co/datasets/{rng.choice(DATASETS)}) for details.", ""]
    lines += ["## Training procedure", "", para(3), "", "### Training hyperparameters", ""]
    lines += [f"- learning_rate: {rng.choice(('1e-05', '2e-05', '3e-05', '5e-05'))}", f"- train_batch_size: {rng.choice((8, 16, 32, 64))}",
              f"- seed: {rng.randint(0, 100)}", "- optimizer: Adam with betas=(0.9,0.999) and epsilon=1e-08",
              "- lr_scheduler_type: linear", f"- num_epochs: {rng.randint(1, 10)}", ""]
    lines += ["### Training results", "", "| Epoch | Step | Training Loss | Validation Loss | Accuracy |", "|:-----:|-----:|--------------:|----------------:|---------:|"]
    loss = rng.uniform(0.8, 1.5)
    for epoch in range(1, 13):
        loss *= rng.uniform(0.8, 0.97)
        lines.append(f"| {epoch} | {epoch * 500} | {loss:.4f} | {loss * 1.1:.4f} | {1 - loss / 2:.4f} |")
    lines += ["", "## Evaluation", "", para(4), "", para(3), "", "## Bias, risks and limitations", "", para(5), ""]
    lines += [f"1. {sentence(rng)}" for _ in range(5)] + [""]
    lines += ["## Environmental impact", "", f"- **Hardware type:** {rng.choice(('A100', 'A10G', 'T4', 'V100'))}",
              f"- **Hours used:** {rng.randint(1, 300)}", f"- **Carbon emitted:** {rng.uniform(0.1, 40):.1f} kg CO2eq", ""]
    lines += ["## Citation", "", "```bibtex", f"@misc{{{name.replace('-', '_')}_{rng.randint(2019, 2025)},",
              f"  title  = {{{title}}},", f"  author = {{{rng.choice(PEOPLE)}}},", "  year   = {2024},",
              f"  url    = {{https://huggingface.co/{repo_id}}}", "}", "```", ""]
    lines += ["## Framework versions", "", f"- Transformers {rng.choice(('4.38.2', '4.40.0', '4.44.2'))}",
              "- PyTorch 2.3.0", "- Datasets 2.19.1", "- Tokenizers 0.19.1", ""]
    lines += ["## More information", ""] + [para(2) + "\n" for _ in range(6)]
    return "\n".join(lines)


PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()/_-]*(?<! )")
YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}


def to_yaml(value: dict) -> str:
    """Block-style YAML for the plain data of a card: yaml.dump reads the same, 3x slower."""
    return "\n".join(_yaml_lines(value, 0)) + "\n"


def _yaml_lines(value: dict | list, indent: int) -> list[str]:
    pad, lines = " " * indent, []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item and not _numbers(item):
                lines.append(f"{pad}{key}:")
                lines += _yaml_lines(item, indent + 2 if isinstance(item, dict) else indent)
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return lines
    for item in value:
        if isinstance(item, (dict, list)) and item and not _numbers(item):
            inner = _yaml_lines(item, indent + 2)
            lines += [f"{pad}- {inner[0][indent + 2:]}", *inner[1:]]
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return lines


def _numbers(value: object) -> bool:
    """A list of numbers, written inline as [a, b, c] the way vectors usually are."""
    return isinstance(value, list) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}"
    text = str(value)
    if PLAIN.fullmatch(text) and text.lower() not in YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def write_repo(out: Path, repo_id: str, task: str, rng: random.Random, ids: list[str],
               images: dict[str, bytes], masks: dict[str, bytes]) -> None:
    _, _, libraries, architectures = TASKS[task]
    library = rng.choice(libraries)
    meta = front_matter(rng, repo_id, task, library, ids)
    used = sorted({e["src"].split("/")[1][:-4] for e in meta["widget"] if e.get("src", "").startswith("images/")} |
                  {e["output"]["url"].split("/")[1][:-4] for e in meta["widget"] if task == "text-to-image"})
    folder = out / repo_id
    folder.mkdir(parents=True, exist_ok=True)
    front = to_yaml(meta)
    readme = f"---\n{front}---\n\n{body(rng, repo_id, task, library, used[0] if used else None)}"
    (folder / "README.md").write_text(readme, encoding="utf-8")
    if library in ("transformers", "sentence-transformers") and architectures:
        architecture, model_type = rng.choice(architectures)
        config = {"architectures": [architecture], "model_type": model_type, "hidden_size": rng.choice((256, 512, 768)),
                  "num_attention_heads": rng.choice((4, 8, 12)), "num_hidden_layers": rng.choice((4, 6, 12)),
                  "vocab_size": rng.choice((30522, 32000, 50265)), "torch_dtype": "float32"}
        (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    if used:
        (folder / "images").mkdir(exist_ok=True)
        for name in used:
            (folder / "images" / f"{name}.png").write_bytes(images[name])
    if task == "image-segmentation":
        (folder / "masks").mkdir(exist_ok=True)
        for name in used:
            for part in ("sky", "ground"):
                (folder / "masks" / f"{name}-{part}.png").write_bytes(masks[f"{name}-{part}"])


def generate(n: int, out: Path, seed: int = 0) -> None:
    """Write n model repos under out (which should be empty or absent)."""
    models = plan(n, seed)
    ids = [repo_id for repo_id, _ in models]
    images, masks = draw_images()
    for index, (repo_id, task) in enumerate(models):
        write_repo(out, repo_id, task, random.Random(f"{seed}-{index}"), ids, images, masks)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic catalog of N model repos.")
    parser.add_argument("n", type=int, metavar="N", help="how many models")
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="where to write them (org/name/)")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same catalog (default: 0)")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    start = time.perf_counter()
    generate(args.n, args.out, args.seed)
    print(f"{args.n} models in {args.out} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
