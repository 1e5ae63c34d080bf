"""Which metric of this library grades each of MLE-bench's 82 competitions, with its parameters.

A reference for competition entries (`MetricSpec(name, params, lower_is_better)`); "grade_fn" marks
competitions whose grader must first reshape the frames (groups, masks, shapes, subgroup columns)
before calling the metric. Directions are the metric's; MLE-bench itself reads the direction from
the leaderboard's order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MetricUse:
    metric: str
    params: dict[str, Any] = field(default_factory=dict)
    needs_grade_fn: bool = False
    note: str = ""


def _u(metric: str, needs_grade_fn: bool = False, note: str = "", **params: Any) -> MetricUse:
    return MetricUse(metric, dict(params), needs_grade_fn, note)


_AUC, _ACC = _u("roc_auc"), _u("accuracy")
MLEBENCH_METRICS: dict[str, MetricUse] = {
    "3d-object-detection-for-autonomous-vehicles": _u("map_3d", True, "Lyft's per-sample mAP as MLE-bench runs it"),
    "AI4Code": _u("kendall_tau_inversions", True, "cell ids joined per notebook"),
    "aerial-cactus-identification": _AUC,
    "alaska2-image-steganalysis": _u("weighted_roc_auc"),
    "aptos2019-blindness-detection": _u("quadratic_weighted_kappa"),
    "billion-word-imputation": _u("levenshtein_mean"),
    "bms-molecular-translation": _u("levenshtein_mean"),
    "cassava-leaf-disease-classification": _ACC,
    "cdiscount-image-classification-challenge": _ACC,
    "chaii-hindi-and-tamil-question-answering": _u("word_jaccard"),
    "champs-scalar-coupling": _u("log_mae_grouped", True, "groups = coupling type"),
    "denoising-dirty-documents": _u("rmse"),
    "detecting-insults-in-social-commentary": _AUC,
    "dog-breed-identification": _u("multiclass_log_loss"),
    "dogs-vs-cats-redux-kernels-edition": _u("log_loss"),
    "facebook-recruiting-iii-keyword-extraction": _u("multilabel_micro_f1"),
    "freesound-audio-tagging-2019": _u("lwlrap"),
    "google-quest-challenge": _u("spearman_columnwise"),
    "google-research-identify-contrails-reduce-global-warming": _u("dice_global"),
    "h-and-m-personalized-fashion-recommendations": _u("map_at_k", k=12),
    "herbarium-2020-fgvc7": _u("f1_macro"),
    "herbarium-2021-fgvc8": _u("f1_macro"),
    "herbarium-2022-fgvc9": _u("f1_macro"),
    "histopathologic-cancer-detection": _AUC,
    "hms-harmful-brain-activity-classification": _u("kl_divergence", note="answer votes normalised per row"),
    "hotel-id-2021-fgvc8": _u("map_at_k", k=5),
    "hubmap-kidney-segmentation": _u("dice_mean"),
    "icecube-neutrinos-in-deep-ice": _u("mean_angular_error"),
    "imet-2020-fgvc7": _u("multilabel_micro_f1"),
    "inaturalist-2019-fgvc6": _u("top1_error"),
    "iwildcam-2019-fgvc6": _u("f1_macro"),
    "iwildcam-2020-fgvc7": _ACC,
    "jigsaw-toxic-comment-classification-challenge": _u("roc_auc", ignore_label=-1),
    "jigsaw-unintended-bias-in-toxicity-classification": _u("jigsaw_bias_auc", True, "subgroups from answers"),
    "kuzushiji-recognition": _u("point_in_box_f1"),
    "leaf-classification": _u("multiclass_log_loss"),
    "learning-agency-lab-automated-essay-scoring-2": _u("quadratic_weighted_kappa"),
    "lmsys-chatbot-arena": _u("multiclass_log_loss"),
    "mlsp-2013-birds": _u("roc_auc_flat"),
    "multi-modal-gesture-recognition": _u("levenshtein_token_ratio"),
    "new-york-city-taxi-fare-prediction": _u("rmse"),
    "nfl-player-contact-detection": _u("matthews_corrcoef"),
    "nomad2018-predict-transparent-conductors": _u("mean_columnwise_rmsle"),
    "osic-pulmonary-fibrosis-progression": _u("laplace_log_likelihood", True, "last 3 visits per patient"),
    "petfinder-pawpularity-score": _u("rmse"),
    "plant-pathology-2020-fgvc7": _AUC,
    "plant-pathology-2021-fgvc8": _u("multilabel_micro_f1"),
    "predict-volcanic-eruptions-ingv-oe": _u("mae", round_to_integer=True),
    "random-acts-of-pizza": _AUC,
    "ranzcr-clip-catheter-line-classification": _u("roc_auc", True, "mean over the 9 columns of classes.py only"),
    "rsna-2022-cervical-spine-fracture-detection": _u(
        "weighted_multilabel_log_loss", True, "columns patient_overall, C1..C7",
        positive_weights=[14, 2, 2, 2, 2, 2, 2, 2], negative_weights=[7, 1, 1, 1, 1, 1, 1, 1]),
    "rsna-breast-cancer-detection": _u("probabilistic_f1"),
    "rsna-miccai-brain-tumor-radiogenomic-classification": _AUC,
    "seti-breakthrough-listen": _AUC,
    "siim-covid19-detection": _u("box_map", iou_threshold=0.5),
    "siim-isic-melanoma-classification": _AUC,
    "smartphone-decimeter-2022": _u("haversine_percentile", True, "groups = phone/trip"),
    "spooky-author-identification": _u("multiclass_log_loss"),
    "stanford-covid-vaccine": _u("mcrmse", True, "scored positions only"),
    "statoil-iceberg-classifier-challenge": _u("log_loss"),
    "tabular-playground-series-dec-2021": _ACC,
    "tabular-playground-series-may-2022": _AUC,
    "tensorflow-speech-recognition-challenge": _ACC,
    "tensorflow2-question-answering": _u("qa_micro_f1", True, "long/short answers from the JSONL answers"),
    "text-normalization-challenge-english-language": _ACC,
    "text-normalization-challenge-russian-language": _ACC,
    "tgs-salt-identification-challenge": _u("iou_precision_mean", image_pixels=101 * 101),
    "the-icml-2013-whale-challenge-right-whale-redux": _AUC,
    "tweet-sentiment-extraction": _u("word_jaccard"),
    "us-patent-phrase-to-phrase-matching": _u("pearson"),
    "uw-madison-gi-tract-image-segmentation": _u("dice_hausdorff", True, "reasonable fidelity; volume shapes"),
    "ventilator-pressure-prediction": _u("mae", True, "sample_weight = (u_out == 0)"),
    "vesuvius-challenge-ink-detection": _u("fbeta_rle_mean", beta=0.5),
    "vinbigdata-chest-xray-abnormalities-detection": _u(
        "box_map", True, "VOC all-point AP, not pycocotools' 101-point", iou_threshold=0.4),
    "whale-categorization-playground": _u("map_at_k", k=5),
    "invasive-species-monitoring": _AUC,
    "ml2021spring-hw2": _ACC,
    "movie-review-sentiment-analysis-kernels-only": _ACC,
    "paddy-disease-classification": _ACC,
    "plant-seedlings-classification": _u("f1_micro"),
    "playground-series-s3e18": _AUC,
    "spaceship-titanic": _ACC,
}
