"""structlog JSON logs, one object per line, on stdout."""

from __future__ import annotations

import logging
import sys

import structlog

from shared.infra.tracing import add_trace_ids


def configure_logging(service: str, level: str = "info") -> None:
    numeric = getattr(logging, level.upper(), logging.INFO)
    logging.basicConfig(format="%(message)s", stream=sys.stdout, level=numeric)
    # kafka-python is chatty at INFO about every reconnect; its warnings are enough.
    logging.getLogger("kafka").setLevel(logging.WARNING)

    def add_service(
        _: object, __: str, event: structlog.typing.EventDict
    ) -> structlog.typing.EventDict:
        # Bound here, not in contextvars: relay and consumer threads start with no context.
        event.setdefault("service", service)
        return event

    structlog.configure(
        processors=[
            add_service,
            structlog.contextvars.merge_contextvars,
            # trace_id and span_id of the current span, while tracing is on (tracing.py).
            add_trace_ids,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stdout),
        cache_logger_on_first_use=True,
    )
