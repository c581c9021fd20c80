"""The day the tests that start the services as processes work on.

The services' application clock (`shared/infra/tid.py`) is set to `E2E_NU` when a stack
starts and runs on from there, so no plan, deadline or delivery depends on the day the suite
runs; `.ci/run` also runs the end-to-end tests under libfaketime on other dates to show it.
A Monday at 10:00 in a month without public holidays in its first four weeks: the first bath
visit (Mondays, formiddag) is due that day.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

E2E_NU = datetime(2027, 2, 1, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
TODAY = E2E_NU.date()
