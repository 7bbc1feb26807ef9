"""Survey-analysis pipeline that designs the content of a leadership programme.

Stages: ingest (survey + interviews, pseudonymised) -> needs -> themes -> rank -> plan -> reports.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pipeline")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
