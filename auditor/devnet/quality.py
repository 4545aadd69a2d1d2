"""How good a clustering is against a known partition: pairwise precision and recall, and B-cubed.

Pairwise counts address pairs put in one entity (precision: of those, truly one owner; recall: of the truly
co-owned pairs, found); big entities dominate it quadratically, so B-cubed (per-address averages) is given too.
Used on the devnet, whose planted owners are known; no real chain has such a truth.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    addresses: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    precision: float
    recall: float
    bcubed_precision: float
    bcubed_recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _pairs(sizes: Counter[str] | Counter[tuple[str, str]]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def score(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """Scores over the addresses `truth` names (address -> owner); an address `predicted` lacks is alone."""
    found = {a: predicted.get(a, f"alone:{a}") for a in truth}
    both = Counter((found[a], truth[a]) for a in truth)
    by_found, by_truth = Counter(found.values()), Counter(truth.values())
    correct, true_pairs, predicted_pairs = _pairs(both), _pairs(by_truth), _pairs(by_found)
    n = len(truth) or 1
    return Scores(
        addresses=len(truth), true_pairs=true_pairs, predicted_pairs=predicted_pairs, correct_pairs=correct,
        precision=correct / predicted_pairs if predicted_pairs else 1.0,
        recall=correct / true_pairs if true_pairs else 1.0,
        bcubed_precision=sum(both[(found[a], truth[a])] / by_found[found[a]] for a in truth) / n,
        bcubed_recall=sum(both[(found[a], truth[a])] / by_truth[truth[a]] for a in truth) / n,
    )


@dataclass(frozen=True)
class LinkableScores:
    """Precision against full ownership (merging two owners is always wrong), recall against the linkable
    partition (an owner split into the groups its planted links connect: no method can join wallets that share
    no link), and recall against full ownership for information."""

    ownership: Scores
    linkable: Scores

    @property
    def precision(self) -> float:
        return self.ownership.precision

    @property
    def recall(self) -> float:
        return self.linkable.recall

    @property
    def bcubed_precision(self) -> float:
        return self.ownership.bcubed_precision

    @property
    def bcubed_recall(self) -> float:
        return self.linkable.bcubed_recall


def score_linkable(predicted: Mapping[str, str], owners: Mapping[str, str],
                   linkable: Mapping[str, str]) -> LinkableScores:
    """Scores over the addresses `owners` names; `linkable` must name the same addresses and refine owners."""
    if linkable.keys() != owners.keys():
        raise ValueError("the linkable partition and the owners name different addresses")
    return LinkableScores(score(predicted, owners), score(predicted, linkable))
