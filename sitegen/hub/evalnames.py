"""Readable names of evaluation tasks and metrics, and which metric heads a result."""
from __future__ import annotations

import re

from .tasks import TASKS

# Whole metric ids with a name of their own (the Hub's `evaluate` metrics and MTEB's scores).
METRICS = {
    "acc": "Accuracy", "acc_norm": "Accuracy (normalised)", "exact_match": "Exact match", "em": "Exact match",
    "ap": "Average precision", "v_measure": "V-measure", "main_score": "Main score",
    "matthews_correlation": "Matthews correlation", "mcc": "Matthews correlation",
    "rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeL": "ROUGE-L", "rougeLsum": "ROUGE-Lsum",
    "sacrebleu": "SacreBLEU", "chrf": "chrF", "chrf++": "chrF++", "bertscore": "BERTScore",
    "mean_iou": "Mean IoU", "pass@1": "pass@1", "pass@10": "pass@10", "is": "Inception score",
    "roc_auc": "ROC AUC", "pr_auc": "PR AUC", "top1": "Top-1 accuracy", "top5": "Top-5 accuracy",
}
# Words inside ids, as written in a name ("" drops the word); the first of a name is capitalised
# unless written as an abbreviation.
WORDS = {
    "cos_sim": "cosine", "cosine": "cosine", "euclidean": "Euclidean", "manhattan": "Manhattan",
    "dot": "dot-product", "ap": "AP", "f1": "F1", "map": "MAP", "mrr": "MRR", "ndcg": "nDCG",
    "auc": "AUC", "bleu": "BLEU", "ter": "TER", "meteor": "METEOR", "wer": "WER", "cer": "CER",
    "mae": "MAE", "mse": "MSE", "rmse": "RMSE", "iou": "IoU", "miou": "mIoU", "fid": "FID",
    "psnr": "PSNR", "ssim": "SSIM", "lpips": "LPIPS", "clip": "CLIP", "spearman": "Spearman",
    "pearson": "Pearson", "spearmanr": "Spearman", "pearsonr": "Pearson", "kendall": "Kendall",
    "rouge": "ROUGE", "pmrr": "p-MRR", "norm": "normalised", "exact": "exact",
}
# Task types of model-index results that are not pipeline tags (MTEB's among them).
TASK_TYPES = {
    "STS": "Semantic textual similarity", "BitextMining": "Bitext mining",
    "PairClassification": "Pair classification", "MultilabelClassification": "Multilabel classification",
    "InstructionRetrieval": "Instruction retrieval",
}
# The metric that heads a result of each task type when it names no `main_score` (MTEB's choice).
HEADLINE = {
    "Retrieval": ("ndcg_at_10",), "Reranking": ("map", "mrr"), "Clustering": ("v_measure",),
    "Classification": ("accuracy",), "MultilabelClassification": ("accuracy",),
    "STS": ("cos_sim_spearman", "cosine_spearman"), "Summarization": ("cos_sim_spearman", "cosine_spearman"),
    "PairClassification": ("cos_sim_ap", "cosine_ap", "max_ap"), "BitextMining": ("f1",),
    "InstructionRetrieval": ("p-MRR",),
}
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def task_name(task_id: str) -> str:
    """A task type as a reader would name it: a pipeline tag's name, or its words."""
    if task_id in TASKS:
        return TASKS[task_id].name
    if task_id in TASK_TYPES:
        return TASK_TYPES[task_id]
    words = _CAMEL.sub(" ", task_id.replace("_", " ").replace("-", " ")).split()
    if not words:
        return task_id
    return " ".join([words[0][:1].upper() + words[0][1:]] + [w if w.isupper() else w.lower() for w in words[1:]])


def metric_name(metric_id: str) -> str:
    """A metric id made readable: `ndcg_at_10` is nDCG@10, `cos_sim_spearman` Cosine Spearman."""
    if metric_id in METRICS:
        return METRICS[metric_id]
    tokens = [t for t in re.split(r"[_\s]+", metric_id) if t]
    words: list[str] = []
    i = 0
    while i < len(tokens):
        pair = "_".join(tokens[i:i + 2]).lower()
        if pair in WORDS and i + 1 < len(tokens):
            words.append(WORDS[pair])
            i += 2
            continue
        token = tokens[i]
        if token.lower() == "at" and words and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            words[-1] += "@" + tokens[i + 1]
            i += 2
            continue
        words.append(WORDS.get(token.lower(), token))
        i += 1
    if not words:
        return metric_id
    first = words[0]
    words[0] = first[:1].upper() + first[1:] if first.islower() else first
    return " ".join(words)


def headline(task_id: str, metric_ids: list[str]) -> int:
    """The index of the metric that heads a result: its `main_score`, else the task type's
    usual metric, else the first."""
    for wanted in ("main_score",) + HEADLINE.get(task_id, ()):
        if wanted in metric_ids:
            return metric_ids.index(wanted)
    return 0
