"""Model families the reference ladders draw on, by name, so a ladder reads as a table of settings.

`classifier("forest", max_depth=6)` and `regressor("ridge", alpha=10)` return fresh scikit-learn
estimators; families that need scaled inputs come wrapped with a `StandardScaler` unless
`scaled=False` (pixels, TF-IDF). Every random model is seeded (seed 0): a ladder varies model
families, features and budgets, not seeds.
"""

from __future__ import annotations

from typing import Any, Callable

SEED = 0


SCALED = ("logistic", "knn", "svc", "mlp", "linear", "ridge", "lasso", "huber", "svr")


def _scaled(model: Any) -> Any:
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), model)


def _classifiers() -> dict[str, Callable[..., Any]]:
    from sklearn import ensemble, linear_model, naive_bayes, neighbors, neural_network, svm, tree
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    return {
        "logistic": lambda C=1.0, **p: linear_model.LogisticRegression(C=C, max_iter=2000, **p),
        "tree": lambda **p: tree.DecisionTreeClassifier(random_state=SEED, **p),
        "forest": lambda n=200, **p: ensemble.RandomForestClassifier(n_estimators=n, random_state=SEED, n_jobs=1, **p),
        "extra-trees": lambda n=200, **p: ensemble.ExtraTreesClassifier(n_estimators=n, random_state=SEED, n_jobs=1,
                                                                         **p),
        "hist-gb": lambda lr=0.1, iters=100, **p: ensemble.HistGradientBoostingClassifier(
            learning_rate=lr, max_iter=iters, random_state=SEED, **p),
        "knn": lambda k=5, **p: neighbors.KNeighborsClassifier(n_neighbors=k, **p),
        "naive-bayes": lambda **p: naive_bayes.GaussianNB(**p),
        "lda": lambda **p: LinearDiscriminantAnalysis(**p),
        "svc": lambda C=1.0, **p: svm.SVC(C=C, random_state=SEED, **p),
        "mlp": lambda hidden=(64,), alpha=1e-4, iters=300, **p: neural_network.MLPClassifier(
            hidden_layer_sizes=hidden, alpha=alpha, max_iter=iters, random_state=SEED, **p),
    }


def _regressors() -> dict[str, Callable[..., Any]]:
    from sklearn import ensemble, linear_model, neighbors, neural_network, svm, tree

    return {
        "linear": lambda **p: linear_model.LinearRegression(**p),
        "ridge": lambda alpha=1.0, **p: linear_model.Ridge(alpha=alpha, **p),
        "lasso": lambda alpha=1.0, **p: linear_model.Lasso(alpha=alpha, max_iter=5000, **p),
        "huber": lambda **p: linear_model.HuberRegressor(max_iter=1000, **p),
        "tree": lambda **p: tree.DecisionTreeRegressor(random_state=SEED, **p),
        "forest": lambda n=200, **p: ensemble.RandomForestRegressor(n_estimators=n, random_state=SEED, n_jobs=1, **p),
        "extra-trees": lambda n=200, **p: ensemble.ExtraTreesRegressor(n_estimators=n, random_state=SEED, n_jobs=1,
                                                                        **p),
        "hist-gb": lambda lr=0.1, iters=100, **p: ensemble.HistGradientBoostingRegressor(
            learning_rate=lr, max_iter=iters, random_state=SEED, **p),
        "gb": lambda lr=0.1, n=100, **p: ensemble.GradientBoostingRegressor(
            learning_rate=lr, n_estimators=n, random_state=SEED, **p),
        "knn": lambda k=5, **p: neighbors.KNeighborsRegressor(n_neighbors=k, **p),
        "svr": lambda C=1.0, **p: svm.SVR(C=C, **p),
        "mlp": lambda hidden=(64,), alpha=1e-4, iters=500, **p: neural_network.MLPRegressor(
            hidden_layer_sizes=hidden, alpha=alpha, max_iter=iters, random_state=SEED, **p),
    }


def classifier(family: str, scaled: bool = True, **params: Any) -> Any:
    """A new classifier of the named family (see `_classifiers`) with these settings."""
    model = _classifiers()[family](**params)
    return _scaled(model) if scaled and family in SCALED else model


def regressor(family: str, scaled: bool = True, **params: Any) -> Any:
    """A new regressor of the named family (see `_regressors`) with these settings."""
    model = _regressors()[family](**params)
    return _scaled(model) if scaled and family in SCALED else model
