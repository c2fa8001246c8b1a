"""Cron jobs run by the daemon. Modules: ``cron`` (expressions -> instants, Debian DST rules; the
one function both the loop and ``schedule next`` use), ``jobs`` (the validated job spec),
``engine`` (the sleep-until-due loop, missed-run policies, overlap, lease), ``triggers`` /
``subproc`` / ``scrape`` (what a firing runs), ``outputs`` (a scrape's rows to CSV / XLSX /
SQLite, and its change note), ``api`` (``schedule.*``), ``component`` (daemon
wiring), ``windows_task`` (Task Scheduler XML). Invariants: ``scheduler.design.md``."""
