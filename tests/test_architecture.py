"""The import contracts of docs/architecture.md hold (also run by `make lint`)."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold(tmp_path, monkeypatch):
    # Shared machinery imports no feature, features form no cycle but through services, layers hold.
    monkeypatch.chdir(ROOT)  # the worktree's network package, not an installed one
    config = str(ROOT / "pyproject.toml")
    assert lint_imports(config_filename=config, cache_dir=str(tmp_path), no_logo=True) == 0
