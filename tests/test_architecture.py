"""The picture of docs/architecture.md, checked on the code: which way imports go.

Every module of the apps is put in a layer; it may import its own layer and those below, never
one above. Imports under `if TYPE_CHECKING:` are left out (they name types, they run nothing).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "shops", "studio", "lifecycle", "training", "rewind", "lti", "editions")

# Bottom to top: the rows the engine locks and records (the sandbox and account, the timeline and
# its action vocabulary), the engine, each app's code (its own models included) in the order of
# the picture, then the pages.
ROWS = ("accounts.models", "accounts.types", "lifecycle.actions", "lifecycle.models")
ENGINE_PACKAGES = ("lifecycle.core", "config", "editions")  # editions: the rules' numbers
ENGINE_MODULES = (
    "lifecycle.transitions",  # the package itself: the declaration's shape and registry
    "lifecycle.transitions.base",
    "lifecycle.transitions.registry",
    "lifecycle.errors",
    "lifecycle.conf",
    "lifecycle.jobs",
    "lifecycle.datetimes",
    "lifecycle.wording",
    "lifecycle.money",
    "lifecycle.redaction",
    "lifecycle.logfilters",
    "lifecycle.counting",
)
# Entry points: what a request, a command, a job or the admin reaches first. They may import
# anything.
PAGES = (
    "views",
    "urls",
    "admin",
    "templatetags",
    "management",
    "tasks",
    "apps",
    "context_processors",
)
# The support desk's pages (in the admin); the pages' polling view.
PAGE_PACKAGES = ("lifecycle.support", "lifecycle.follow")


def _named(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def layer(module: str) -> tuple[int, str]:
    """(rank, name) of a module: a module may import only modules of a rank not above its own."""
    parts = module.split(".")
    if _named(module, PAGE_PACKAGES) or any(
        p in PAGES or p.endswith("_views") or p == "web" for p in parts[1:]
    ):
        return (100, "pages")
    if module in ROWS:
        return (0, "rows")
    if module in ENGINE_MODULES or _named(module, ENGINE_PACKAGES):
        return (10, "engine")
    return (20 + APPS.index(parts[0]), parts[0])


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), str(path))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for child in node.body for n in ast.walk(child))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            found.append((node.lineno, base))
            # `from pkg import module` imports the module
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _ours(name: str) -> bool:
    return name.split(".")[0] in (*APPS, "config")


def _known(name: str) -> str | None:
    """`name` if it is a module or package of ours, else its parent (a name imported from it)."""
    path = ROOT.joinpath(*name.split("."))
    if path.with_suffix(".py").exists() or (path / "__init__.py").exists():
        return name
    return None


def app_modules() -> list[Path]:
    return sorted(
        p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts
    )


def upward_imports(paths: list[Path]) -> list[str]:
    wrong = []
    for path in paths:
        module = _module_of(path)
        rank, name = layer(module)
        for line, imported in _imports(path):
            if not _ours(imported) or (imported := _known(imported) or "") == "":
                continue
            their_rank, their_name = layer(imported)
            if their_rank > rank:
                wrong.append(f"{module}:{line} ({name}) imports {imported} ({their_name})")
    return sorted(set(wrong))


def test_no_module_imports_a_layer_above_its_own():
    assert upward_imports(app_modules()) == []


def test_the_core_imports_no_model_of_shops_studio_or_training():
    engine = [p for p in app_modules() if layer(_module_of(p))[1] == "engine"]
    assert ROOT / "lifecycle/core/engine.py" in engine
    named = [
        f"{_module_of(path)}:{line} imports {imported}"
        for path in engine
        for line, imported in _imports(path)
        if imported.split(".")[0] in ("shops", "studio", "training")
    ]
    assert named == []


@pytest.mark.parametrize(
    ("module", "imported", "upward"),
    [
        ("lifecycle.core.engine", "shops.models", True),
        ("lifecycle.transitions.registry", "lifecycle.transitions.deletion", True),
        ("shops.services.orders", "lifecycle.services", True),
        ("accounts.transitions.account", "shops.transitions.link", True),
        ("studio.services", "shops.models", False),
        ("shops.views", "lifecycle.services", False),
        ("lifecycle.services.links", "lifecycle.core", False),
    ],
)
def test_the_layers_tell_up_from_down(module, imported, upward):
    assert (layer(imported)[0] > layer(module)[0]) is upward
