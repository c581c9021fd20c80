"""Reading a service's `/metrics` in tests: the exposition text parsed into samples, and the
check that no label value looks like an id (a citizen's, a case's, a visit's)."""

from __future__ import annotations

import re

from prometheus_client.parser import text_string_to_metric_families

#: A UUID anywhere in a label value: the ids of citizens, cases, orders and visits.
UUID_LIKE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
#: A CPR number (ddmmyy-xxxx or ten digits).
CPR_LIKE = re.compile(r"\b\d{6}-?\d{4}\b")

Sample = tuple[str, dict[str, str], float]


def samples(text: str) -> list[Sample]:
    """Every sample of an exposition text: (name, labels, value)."""
    return [
        (s.name, dict(s.labels), s.value)
        for family in text_string_to_metric_families(text)
        for s in family.samples
    ]


def value(found: list[Sample], name: str, **labels: str) -> float:
    """The sum of the samples of `name` whose labels include `labels`."""
    return sum(
        v for n, ls, v in found if n == name and all(ls.get(k) == x for k, x in labels.items())
    )


def has(found: list[Sample], name: str) -> bool:
    return any(n == name for n, _ls, _v in found)


def ids_in_labels(found: list[Sample]) -> list[str]:
    """Label values that look like an id or a CPR number (must be none)."""
    values = {v for _n, ls, _v in found for v in ls.values()}
    return sorted(v for v in values if UUID_LIKE.search(v) or CPR_LIKE.search(v))
