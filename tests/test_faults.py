"""The deliberate faults of ``tests/faults.py`` stay applicable as the code moves.

Running the faults takes minutes (some build the book), so the suite checks only that each patch
still finds its text exactly once and that the test meant to catch it exists; ``tests/faults.py``
itself re-introduces them (see tests/README.md).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from faults import FAULTS, ROOT


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_each_fault_patches_one_place(name):
    fault = FAULTS[name]
    text = (ROOT / fault.file).read_text(encoding="utf-8")
    assert text.count(fault.old) == 1, f"{name}: update tests/faults.py ({fault.file} moved on)"
    assert fault.new != fault.old


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_each_fault_names_an_existing_test(name):
    for target in (t for t in FAULTS[name].tests if t.startswith("tests/")):
        path, _, test = target.partition("::")
        assert (ROOT / path).is_file(), target
        if test:
            tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
            names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
            assert test in names, target
