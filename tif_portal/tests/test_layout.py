"""The code layout holds: no import circles between files, and the plumbing imports no app.

``tif_portal`` is the plumbing the apps stand on (settings, outbox, storage, PDF
rendering, jobs, the test kit); the apps import it, never the other way round. Its
seed data and benchmarks drive the apps from outside and may import them.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "municipalities", "meetings", "decals", "followup", "knowledge", "api")
PACKAGES = ("tif_portal", *APPS)
# Parts of tif_portal that drive the apps rather than serve them.
DRIVERS = (
    "tif_portal.seed", "tif_portal.bench", "tif_portal.testing", "tif_portal.tests", "tif_portal.management",
    "tif_portal.urls",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _source_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules a file imports, wherever in the file (a lazy import is still a dependency)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in modules)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {_module_name(path): path for path in _source_files()}
    return {name: _imports(path, set(files)) - {name} for name, path in files.items()}


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for target in graph.get(node, ()):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return None


def test_no_file_imports_a_file_that_imports_it_back():
    graph = import_graph()
    cycles = {" → ".join(cycle) for name in graph if (cycle := _cycle_from(name, graph))}
    assert not cycles, "import circles:\n" + "\n".join(sorted(cycles))


def test_the_plumbing_imports_no_app():
    graph = import_graph()
    plumbing = [name for name in graph if name.split(".")[0] == "tif_portal" and not name.startswith(DRIVERS)]
    offending = {
        name: sorted(target for target in graph[name] if target.split(".")[0] in APPS)
        for name in plumbing
    }
    assert not {name: targets for name, targets in offending.items() if targets}


def _project_imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [alias.name for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def _defined_names(tree) -> set[str]:
    """What a module defines or imports at any depth: enough to tell a name that is not there."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def test_every_import_of_a_project_module_names_one_that_exists():
    # Lazy imports run only when their function does: a benchmark or a rare path would
    # otherwise find a moved module long after the move.
    trees = {_module_name(path): ast.parse(path.read_text(encoding="utf-8")) for path in _source_files()}
    defined = {name: _defined_names(tree) for name, tree in trees.items()}
    missing = set()
    for importer, tree in trees.items():
        for module, names in _project_imports(tree):
            if module.split(".")[0] not in PACKAGES:
                continue
            if module not in trees:
                missing.add(f"{importer}: {module}")
                continue
            missing.update(
                f"{importer}: {module}.{name}"
                for name in names
                if name not in defined[module] and f"{module}.{name}" not in trees
            )
    assert not missing, "imports of what is not there:\n" + "\n".join(sorted(missing))


def _builds_a_mail(node) -> bool:
    func = getattr(node, "func", None)
    return isinstance(node, ast.Call) and (
        (isinstance(func, ast.Attribute) and func.attr == "Mail") or (isinstance(func, ast.Name) and func.id == "Mail")
    )


def test_each_mail_is_built_by_the_constructor_beside_its_renderer():
    # A row written by hand elsewhere would drift from its renderer's key and params.
    outside = [
        _module_name(path)
        for path in _source_files()
        if path.name != "emails.py"
        and "tests" not in path.parts
        and path != ROOT / "tif_portal" / "outbox" / "backend.py"  # Django's own mails, any kind
        and any(_builds_a_mail(node) for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    ]
    assert not outside, f"outbox.Mail built outside an app's emails.py: {outside}"


def test_the_check_sees_imports_inside_functions(tmp_path):
    # The walk must not miss the lazy imports that hide circles.
    source = tmp_path / "lazy.py"
    source.write_text("def f():\n    from meetings.models import Meeting\n")
    assert _imports(source, {"meetings.models"}) == {"meetings.models"}
