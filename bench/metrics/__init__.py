"""One metrics library for every competition: `get_metric(name)` returns a `Metric`.

Each metric is a function `(y_true, y_pred, **params) -> float` plus its direction. Agent mistakes in
the predictions raise `bench.errors.InvalidSubmissionError`; answers for which a metric is undefined
raise `bench.errors.MetricError`. MLE-bench's grader names are accepted as aliases.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from bench.metrics import classification as _c
from bench.metrics import detection as _d
from bench.metrics import regression as _r
from bench.metrics import segmentation as _s
from bench.metrics import text as _t
from bench.metrics.segmentation import rle_decode, rle_encode

__all__ = ["Metric", "get_metric", "list_metrics", "rle_decode", "rle_encode", "UnknownMetric"]


@dataclass(frozen=True)
class Metric:
    """A named metric; `defaults` are parameters applied unless the caller overrides them."""

    name: str
    fn: Callable[..., float]
    lower_is_better: bool
    description: str
    defaults: Mapping[str, Any] = field(default_factory=dict)

    def __call__(self, y_true: Any, y_pred: Any, **params: Any) -> float:
        return float(self.fn(y_true, y_pred, **{**self.defaults, **params}))


class UnknownMetric(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def _m(name: str, fn: Callable[..., float], lower: bool, description: str, **defaults: Any) -> Metric:
    return Metric(name, fn, lower, description, dict(defaults))


_METRICS: tuple[Metric, ...] = (
    _m("accuracy", _c.accuracy, False, "fraction of exact label matches"),
    _m("top1_error", _c.top1_error, True, "1 - accuracy of the first predicted label"),
    _m("roc_auc", _c.roc_auc, False, "ROC AUC (binary; mean column-wise for several columns)"),
    _m("roc_auc_flat", _c.roc_auc_flat, False, "ROC AUC over all cells flattened"),
    _m("weighted_roc_auc", _c.weighted_roc_auc, False, "ALASKA2 TPR-band weighted AUC"),
    _m("log_loss", _c.log_loss, True, "binary log loss, clipped at 1e-15"),
    _m("multiclass_log_loss", _c.multiclass_log_loss, True, "Kaggle multi-class log loss"),
    _m("weighted_multilabel_log_loss", _c.weighted_multilabel_log_loss, True,
       "per-column sample-weighted binary log loss, mean over columns"),
    _m("quadratic_weighted_kappa", _c.quadratic_weighted_kappa, False, "Cohen's kappa, quadratic weights"),
    _m("f1_macro", _c.f1, False, "macro-averaged F1 over labels", average="macro"),
    _m("f1_micro", _c.f1, False, "micro-averaged F1 over labels", average="micro"),
    _m("multilabel_micro_f1", _c.multilabel_micro_f1, False, "micro F1 over space-separated label sets"),
    _m("fbeta", _c.fbeta, False, "F-beta of binary predictions", beta=1.0),
    _m("matthews_corrcoef", _c.matthews_corrcoef, False, "Matthews correlation coefficient"),
    _m("probabilistic_f1", _c.probabilistic_f1, False, "probabilistic F-beta (pF1)", beta=1.0),
    _m("kl_divergence", _c.kl_divergence, True, "Kaggle KL divergence, mean over rows"),
    _m("jigsaw_bias_auc", _c.jigsaw_bias_auc, False, "Jigsaw unintended-bias AUC blend"),
    _m("rmse", _r.rmse, True, "root mean squared error"),
    _m("mae", _r.mae, True, "mean absolute error"),
    _m("rmsle", _r.rmsle, True, "root mean squared log error"),
    _m("mean_columnwise_rmsle", _r.mean_columnwise_rmsle, True, "mean over columns of RMSLE"),
    _m("mcrmse", _r.mcrmse, True, "mean column-wise RMSE"),
    _m("log_mae_grouped", _r.log_mae_grouped, True, "mean over groups of log(MAE)"),
    _m("pearson", _r.pearson, False, "Pearson correlation"),
    _m("spearman_columnwise", _r.spearman_columnwise, False, "mean column-wise Spearman rho"),
    _m("laplace_log_likelihood", _r.laplace_log_likelihood, False, "OSIC modified Laplace log-likelihood"),
    _m("mean_angular_error", _r.mean_angular_error, True, "mean angle between directions (radians)"),
    _m("haversine_percentile", _r.haversine_percentile, True, "mean of p50/p95 haversine error per group"),
    _m("levenshtein_mean", _t.levenshtein_mean, True, "mean character edit distance"),
    _m("levenshtein_token_ratio", _t.levenshtein_token_ratio, True, "token edit distance / true tokens"),
    _m("word_jaccard", _t.word_jaccard, False, "mean word-level Jaccard"),
    _m("map_at_k", _t.map_at_k, False, "mean average precision at k", k=10),
    _m("kendall_tau_inversions", _t.kendall_tau_inversions, False, "Kendall tau by inversion count"),
    _m("lwlrap", _t.lwlrap, False, "label-weighted label-ranking average precision"),
    _m("qa_micro_f1", _t.qa_micro_f1, False, "micro F1 of QA answers, blank = no answer"),
    _m("dice_global", _s.dice_global, False, "Dice over all pixels of all images (RLE)"),
    _m("dice_mean", _s.dice_mean, False, "mean per-image Dice, both empty = 1 (RLE)"),
    _m("fbeta_rle_mean", _s.fbeta_rle_mean, False, "mean per-image pixel F-beta (RLE)", beta=0.5),
    _m("iou_precision_mean", _s.iou_precision_mean, False, "mean precision over IoU thresholds (RLE)"),
    _m("dice_hausdorff", _s.dice_hausdorff, False, "0.4 Dice + 0.6 (1 - normalised Hausdorff)"),
    _m("box_map", _d.box_map, False, "mAP of boxes at an IoU threshold", iou_threshold=0.5),
    _m("point_in_box_f1", _d.point_in_box_f1, False, "F1 of centre points inside labelled boxes"),
    _m("map_3d", _d.map_3d, False, "3-D box mAP over IoU 0.5:0.95"),
)

# MLE-bench's `grader.name` values (and common spellings) -> our name and fixed parameters.
_ALIASES: dict[str, tuple[str, dict[str, Any]]] = {
    "auc-roc": ("roc_auc", {}), "auroc-multi-label": ("roc_auc", {}),
    "mean-column-wise-roc-auc": ("roc_auc", {}), "weighted-auroc": ("weighted_roc_auc", {}),
    "log-loss": ("log_loss", {}), "multi-class-log-loss": ("multiclass_log_loss", {}),
    "root-mean-squared-error": ("rmse", {}), "root_mean_squared_error": ("rmse", {}),
    "mean-absolute-error": ("mae", {}), "mean-column-wise-rmsle": ("mean_columnwise_rmsle", {}),
    "quadratic-weighted-kappa": ("quadratic_weighted_kappa", {}), "macro-f1-score": ("f1_macro", {}),
    "micro-f1-score": ("f1_micro", {}), "matthews-correlation-coefficient": ("matthews_corrcoef", {}),
    "pearson-correlation-coefficient": ("pearson", {}), "column-wise-spearman": ("spearman_columnwise", {}),
    "kendall-tau": ("kendall_tau_inversions", {}), "levenshtein-distance": ("levenshtein_mean", {}),
    "jaccard-similarity": ("word_jaccard", {}), "word-level-jaccard-score": ("word_jaccard", {}),
    "map@12": ("map_at_k", {"k": 12}), "map-at-5": ("map_at_k", {"k": 5}), "map@5": ("map_at_k", {"k": 5}),
    "label-ranking-average-precision": ("lwlrap", {}), "global-dice": ("dice_global", {}),
    "dice-coefficient": ("dice_mean", {}), "kl-divergence": ("kl_divergence", {}),
    "mean-angular-error": ("mean_angular_error", {}), "top-1-classification-error": ("top1_error", {}),
    "probabilistic-f1-score": ("probabilistic_f1", {}), "f0.5-score": ("fbeta_rle_mean", {"beta": 0.5}),
    "modified-laplace-log-likelihood": ("laplace_log_likelihood", {}),
    "weighted-multi-label-log-loss": ("weighted_multilabel_log_loss", {}),
    "average-haversine-distance": ("haversine_percentile", {}),
    "log-mean-absolute-error": ("log_mae_grouped", {}),
    "multi-class-classification-accuracy": ("accuracy", {}),
    "mean-precision-intersection-over-union-at-different-thresholds": ("iou_precision_mean", {}),
    "map-at-iou>0.4": ("box_map", {"iou_threshold": 0.4}),
}


def _canonical(name: str) -> str:
    """Spelling-insensitive key: 'Multi-Class Log Loss' == 'multi_class_log_loss' == 'multiclasslogloss'."""
    return re.sub(r"[^a-z0-9@.>]", "", name.lower())


def list_metrics() -> list[Metric]:
    return list(_METRICS)


def get_metric(name: str) -> Metric:
    """Metric by our name or an MLE-bench grader name (case-insensitive); unknown -> UnknownMetric
    naming close matches."""
    by_name = {m.name: m for m in _METRICS}
    key = name.strip()
    if key in by_name:
        return by_name[key]
    canonical = {_canonical(n): m for n, m in by_name.items()}
    if _canonical(key) in canonical:
        return canonical[_canonical(key)]
    alias = {_canonical(a): v for a, v in _ALIASES.items()}.get(_canonical(key))
    if alias is not None:
        base = by_name[alias[0]]
        return Metric(key, base.fn, base.lower_is_better, base.description, {**base.defaults, **alias[1]})
    close = difflib.get_close_matches(key, [*by_name, *_ALIASES], n=3)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise UnknownMetric(f"unknown metric {name!r}.{hint} Known: {', '.join(sorted(by_name))}")
