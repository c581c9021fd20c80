"""Unit tests are pure: keep Hypothesis' cache out of the working tree."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "bum-unit-tests-hypothesis")
