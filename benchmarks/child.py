"""Run one measurement in a fresh Python process, so its peak memory is its own."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any


def run_in_child(module: str, function: str, *args: str) -> dict[str, Any]:
    """Call `module.function(*args)` in a child process; the function returns a JSON-able dict."""
    code = f"import json, sys; from {module} import {function}; print(json.dumps({function}(*sys.argv[1:])))"
    child = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(child.stdout.strip().splitlines()[-1])
