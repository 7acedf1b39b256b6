"""Sparse scoring over weighted feature bags.

The corpus is tiny (tens of FAQ entries, a few dozen sections), where Okapi BM25's IDF can go to zero
or below (rank-bm25 issues #29/#39/#43). Both scorers here use the non-negative IDF
``log(1 + (N - n + 0.5) / (n + 0.5))``, and a term never seen in the corpus gets the largest IDF, so
out-of-domain words in a question lower its score rather than being ignored.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence


def idf_table(docs: Sequence[Counter[str]]) -> tuple[dict[str, float], float]:
    """IDF per term over ``docs`` and the IDF of an unseen term."""
    n_docs = len(docs)
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    table = {t: math.log(1 + (n_docs - n + 0.5) / (n + 0.5)) for t, n in df.items()}
    return table, math.log(1 + (n_docs + 0.5) / 0.5)


class CosineIndex:
    """TF-IDF cosine of a query against many short texts (phrasings), via an inverted index.

    Cosine is bounded in [0, 1], which is what makes it usable as a calibrated confidence. Each text belongs to a
    group (the FAQ entry of a phrasing); what the ranking needs is the best cosine per group.
    """

    def __init__(self, docs: Sequence[Counter[str]], groups: Sequence[int], idf: dict[str, float],
                 unseen_idf: float) -> None:
        self._idf = idf
        self._unseen = unseen_idf
        self._groups = list(groups)
        self._n_groups = max(self._groups, default=-1) + 1
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, doc in enumerate(docs):
            vec = {t: w * idf[t] for t, w in doc.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            for t, v in vec.items():
                postings[t].append((i, v / norm))
        # Parallel tuples, summed into a flat list: twice as fast as a dict of pairs on the answer path.
        self._postings = {t: (tuple(i for i, _ in p), tuple(v for _, v in p)) for t, p in postings.items()}

    def best_by_group(self, query: Counter[str]) -> list[float]:
        """For every group, the highest cosine between ``query`` and one of its texts (0.0 when none shares a term)."""
        best = [0.0] * self._n_groups
        qvec = {t: w * self._idf.get(t, self._unseen) for t, w in query.items()}
        qnorm = math.sqrt(sum(v * v for v in qvec.values()))
        if qnorm == 0:
            return best
        sums = [0.0] * len(self._groups)
        touched: set[int] = set()
        for t, qv in qvec.items():
            posting = self._postings.get(t)
            if posting is None:
                continue
            ids, values = posting
            touched.update(ids)
            for i, dv in zip(ids, values, strict=True):
                sums[i] += qv * dv
        groups = self._groups
        for i in touched:
            score = sums[i] / qnorm
            if score > best[groups[i]]:
                best[groups[i]] = score
        return best


class BM25Index:
    """BM25 normalised to [0, 1) by the query's best achievable score.

    The normaliser is Σ idf·qw·(k1+1) over the query terms, i.e. the score of a document that contained
    every query term infinitely often; unseen terms count in it, so a half-understood query scores low.
    """

    def __init__(self, docs: Sequence[Counter[str]], k1: float = 1.2, b: float = 0.5) -> None:
        self._idf, self._unseen = idf_table(docs)
        self._k1 = k1
        lengths = [sum(doc.values()) for doc in docs]
        avgdl = (sum(lengths) / len(lengths)) if lengths else 1.0
        self._n_docs = len(docs)
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, doc in enumerate(docs):
            denom_base = k1 * (1 - b + b * lengths[i] / avgdl)
            for t, tf in doc.items():
                postings[t].append((i, tf * (k1 + 1) / (tf + denom_base)))
        # Parallel tuples summed into a flat list, as in CosineIndex: the answer path's inner loop.
        self._postings = {t: (tuple(i for i, _ in p), tuple(s for _, s in p)) for t, p in postings.items()}

    def scores(self, query: Counter[str]) -> dict[int, float]:
        """Each document that shares a term with ``query`` and its normalised score."""
        best = 0.0
        out = [0.0] * self._n_docs
        touched: set[int] = set()
        for t, qw in query.items():
            idf = self._idf.get(t, self._unseen)
            best += idf * qw * (self._k1 + 1)
            posting = self._postings.get(t)
            if posting is None:
                continue
            ids, saturations = posting
            touched.update(ids)
            weight = idf * qw
            for i, sat in zip(ids, saturations, strict=True):
                out[i] += weight * sat
        if best == 0:
            return {}
        return {i: out[i] / best for i in touched}
