"""The headers of a re-driven dead letter: the original message's own, and one of each
re-drive header however often the letter has been round (no broker needed)."""

from __future__ import annotations

from types import SimpleNamespace

from shared.infra.redrive import RedriveReport, redriven_headers

ORIGINAL = [("ce_id", b"1"), ("bum-epoch", b"e1")]


def letter(headers: list[tuple[str, bytes]], offset: int = 7) -> SimpleNamespace:
    return SimpleNamespace(headers=headers, partition=2, offset=offset)


def dlt_headers(group: bytes, attempts: bytes) -> list[tuple[str, bytes]]:
    return [
        ("bum-dlt-original-topic", b"t"),
        ("bum-dlt-original-partition", b"0"),
        ("bum-dlt-original-offset", b"3"),
        ("bum-dlt-consumer-group", group),
        ("bum-dlt-error", b"boom"),
        ("bum-dlt-attempts", attempts),
    ]


def test_first_redrive_names_the_group_and_one_attempt() -> None:
    headers = redriven_headers(letter([*ORIGINAL, *dlt_headers(b"g-a", b"1")]), "t.dlt")
    assert headers == [
        *ORIGINAL,
        ("bum-redriven-from", b"t.dlt:2:7"),
        ("bum-redrive-group", b"g-a"),
        ("bum-redrive-attempts", b"1"),
    ]


def test_a_letter_that_failed_again_carries_each_header_once() -> None:
    # What the consumer dead-letters when the re-driven copy fails again: the copy's
    # headers (with the first re-drive's) and its own bum-dlt-* headers.
    again = [
        *ORIGINAL,
        ("bum-redriven-from", b"t.dlt:2:7"),
        ("bum-redrive-group", b"g-a"),
        ("bum-redrive-attempts", b"1"),
        *dlt_headers(b"g-a", b"2"),
    ]
    headers = redriven_headers(letter(again, offset=9), "t.dlt")
    assert headers == [
        *ORIGINAL,
        ("bum-redriven-from", b"t.dlt:2:9"),
        ("bum-redrive-group", b"g-a"),
        ("bum-redrive-attempts", b"2"),
    ]


def test_a_letter_from_before_attempts_were_counted_is_its_first_attempt() -> None:
    old = [h for h in dlt_headers(b"g-b", b"") if h[0] != "bum-dlt-attempts"]
    headers = dict(redriven_headers(letter([*ORIGINAL, *old]), "t.dlt"))
    assert headers["bum-redrive-attempts"] == b"1" and headers["bum-redrive-group"] == b"g-b"


def test_the_summary_says_how_many_and_where_it_stopped() -> None:
    report = RedriveReport("t", sent=3, end_offsets={1: 4, 0: 2})
    assert report.summary() == (
        "re-drove 3 dead letters to t (skipped 0); stopped at end offsets 0:2, 1:4 of t.dlt"
    )
