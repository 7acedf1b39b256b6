"""Ranking on phrasings the index has never seen (run: ``python bench/ranker.py``).

Five folds over the FAQ: every fifth phrasing of every entry is held out, the index is rebuilt without it,
and the held-out phrasings are ranked by (a) the shipped blend (knowledge/base.py) and, when scikit-learn is
installed (it is not a dependency), (b) a linear SVM and (c) a logistic regression over character 1-3-grams
plus the analyzer's words, (d) the blend averaged with (c). Prints top-1 accuracy and, for each, the best
accuracy reachable with at most 2% confident-wrong answers, then the blend's threshold sweep.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FOLDS = 5


def _best_at(items: list[tuple[bool, float, float]], max_wrong: float = 0.02) -> tuple[float, float]:
    best = (0.0, 0.0)
    tops = sorted({t for _, t, _ in items})
    for threshold in tops[:: max(1, len(tops) // 200)]:
        for margin in (0.0, 0.02, 0.05, 0.1, 0.2):
            answered = [(ok, t - s >= margin) for ok, t, s in items if t >= threshold]
            right = sum(ok and m for ok, m in answered) / len(items)
            wrong = sum((not ok) and m for ok, m in answered) / len(items)
            if wrong <= max_wrong and right > best[0]:
                best = (right, wrong)
    return best


def main() -> None:
    from knowledge import KnowledgeBase
    from knowledge.policy import policy_for

    kb = KnowledgeBase.load(policy_for())
    analyzer = kb.analyzer
    rows = [(i % FOLDS, n, q) for n, t in enumerate(kb.topics) for i, q in enumerate(t.entry.questions)]
    results: dict[str, list[tuple[bool, float, float]]] = {"blend": []}
    try:
        from scipy.sparse import hstack
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC
    except ImportError:
        print("scikit-learn not installed: only the shipped blend is measured (pip install scikit-learn)")
        learned = False
    else:
        learned = True
        results |= {"linear SVM": [], "logistic regression": [], "blend + logistic": []}

    def record(name: str, gold: int, scores: list[float]) -> None:
        order = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)
        results[name].append((order[0] == gold, scores[order[0]], scores[order[1]]))

    for k in range(FOLDS):
        held = kb.without_phrasings(lambda i, k=k: i % FOLDS == k)
        test = [(n, q) for f, n, q in rows if f == k]
        blends = [held.scores(q) for _, q in test]
        for (n, _), scores in zip(test, blends, strict=True):
            record("blend", n, scores)
        if not learned:
            continue
        train = [(n, q) for f, n, q in rows if f != k]
        train += [(n, title) for n, t in enumerate(kb.topics) for title in (t.entry.title_zh, t.entry.title_en)]
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True,
                                preprocessor=analyzer.normalize)
        words = DictVectorizer()
        x_train = hstack([chars.fit_transform([q for _, q in train]),
                          words.fit_transform([dict(analyzer.features(q)) for _, q in train])]).tocsr()
        x_test = hstack([chars.transform([q for _, q in test]),
                         words.transform([dict(analyzer.features(q)) for _, q in test])]).tocsr()
        y = [n for n, _ in train]
        svm = LinearSVC(C=0.5).fit(x_train, y).decision_function(x_test)
        logistic = LogisticRegression(C=20, max_iter=2000).fit(x_train, y).predict_proba(x_test)
        for j, (n, _) in enumerate(test):
            record("linear SVM", n, list(svm[j]))
            record("logistic regression", n, list(logistic[j]))
            record("blend + logistic", n, [0.5 * b + 0.5 * p for b, p in zip(blends[j], logistic[j], strict=True)])

    print(f"{len(results['blend'])} held-out phrasings, {FOLDS} folds, {len(kb.topics)} topics")
    for name, items in results.items():
        top1 = sum(ok for ok, _, _ in items) / len(items)
        right, wrong = _best_at(items)
        print(f"{name:22s} top-1 {top1:.1%}   best with <=2% confident-wrong: {right:.1%} right ({wrong:.1%} wrong)")


if __name__ == "__main__":
    main()
