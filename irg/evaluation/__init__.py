"""Measuring runs: task suites, the resumable runner, scoring and paired statistics (summary), metrics, anytime
curves, summaries as HTML pages (summary_html), fitting the adaptive stop rule (stopping_fit), preference data,
phrasing sets.

Imports irg.engine only; never irg.views or irg.bench.
"""
