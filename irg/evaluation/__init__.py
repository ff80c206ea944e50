"""Measuring runs: task suites, the resumable runner, scoring and paired statistics (summary), metrics, anytime
curves, HTML reports, fitting the adaptive stop rule (stopping_fit), preference data, phrasing sets.

Imports irg.engine only; never irg.views or irg.bench.
"""
