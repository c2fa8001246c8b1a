"""Goal Mode. Modules: ``model`` (goal spec, criteria, the agent's proposal), ``evaluator`` (the
goal's own checks, separate from the agent), ``engine`` (rounds, decisions, no-progress, budgets,
pause/resume/cancel, restart), ``api`` (``goal.*``), ``component`` (daemon wiring)."""
