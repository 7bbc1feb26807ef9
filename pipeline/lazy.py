"""A module imported on first use: for modules whose import is costly (scikit-learn, scipy) and that only
some commands need."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule(ModuleType):
    def __init__(self, name: str):
        super().__init__(name)
        self._target = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._target), attr)


def lazy_module(name: str) -> ModuleType:
    return LazyModule(name)
