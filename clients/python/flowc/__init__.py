"""flowc from Python: the task runtime run inside containers and a client for notebooks (docs/targets.md)."""
