"""flowc from Python: the task runtime run inside containers and a client for notebooks (docs/targets.md).

    from flowc import Flow, namespace
    run = Flow("MyFlow", datastore="s3://bucket/prefix").latest_successful_run
    run.data.out
"""
from .client import *  # noqa: F401,F403 (the client's API is the package's)
from .client import __all__  # noqa: F401
