"""Selector models and features compared by 5-fold cross-validation over dev.jsonl's training
queries (the shipped selector's 491), and on its 54 validation queries. Reads the cache that
features_cache.py writes. Metric: micro set F1 and exact-set share at the threshold tuned on
the training folds, on oracle-5 and on retrieved (top-10 + 4 BM25) candidate lists."""

import pickle
import sys
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, ".")
from toolrag.retriever.selector import tune_threshold

data = pickle.loads(Path(".cache/selector-features.pkl").read_bytes())
EXTRA = ["part_rank", "wins", "param_hit", "req_param_hit", "desc_overlap"]


def x_of(entry, extra):
    base, more = entry[3], entry[4]
    cols = [base] + [more[:, [EXTRA.index(e)]] for e in extra]
    return np.hstack(cols)


def fit(items, extra, model):
    x = np.vstack([x_of(it["with_gold"], extra) for it in items])
    y = np.concatenate([np.asarray(it["with_gold"][1], int) for it in items])
    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1
    if model == "lr":
        m = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    else:
        m = HistGradientBoostingClassifier(
            max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=0
        ).fit((x - mean) / scale, y)
    prob = lambda e: m.predict_proba((x_of(e, extra) - mean) / scale)[:, 1]  # noqa: E731
    lists = [(prob(it["retrieved"]), it["retrieved"][1]) for it in items]
    t, _ = tune_threshold(lists, missing=sum(it["retrieved"][2] for it in items))
    return prob, t


def score(items, prob, t, kind):
    tp = fp = fn = exact = 0
    for it in items:
        _names, labels, missing, *_ = it[kind]
        p = prob(it[kind]) >= t
        y = np.asarray(labels)
        tp += int((p & y).sum())
        fp += int((p & ~y).sum())
        fn += int((~p & y).sum()) + missing
        exact += bool((p == y).all() and not missing)
    return 2 * tp / (2 * tp + fp + fn), exact / len(items)


def run(extra, model):
    train, val = data["train"], data["val"]
    rng = np.random.default_rng(0)
    folds = rng.permutation(len(train)) % 5
    res = {k: [] for k in ("oracle5", "retrieved")}
    for f in range(5):
        tr = [it for it, g in zip(train, folds, strict=False) if g != f]
        te = [it for it, g in zip(train, folds, strict=False) if g == f]
        prob, t = fit(tr, extra, model)
        for k in res:
            res[k].append(score(te, prob, t, k))
    prob, t = fit(train, extra, model)
    out = {k: tuple(np.mean(v, 0)) for k, v in res.items()}
    out |= {f"val_{k}": score(val, prob, t, k) for k in res}
    return out, t


configs = [([], "lr")] + [([e], "lr") for e in EXTRA] + [(EXTRA, "lr"), ([], "gb"), (EXTRA, "gb")]
for extra, model in configs:
    out, t = run(extra, model)
    print(
        f"{model} +{','.join(extra) or '-':40s} t={t:.2f} "
        + " ".join(f"{k}: F1 {v[0] * 100:.1f} exact {v[1] * 100:.1f}" for k, v in out.items())
    )
