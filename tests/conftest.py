"""Shared test settings: a fast, deterministic hypothesis profile."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "chainrule",
    max_examples=int(os.environ.get("CHAINRULE_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("chainrule")
