"""`make bench`: BUM's figures next to baselines measured in the same run (issue 8).

Run as `python -m bench` (full) or `python -m bench --smoke` (seconds, used by the tests).
"""
