"""Mutation testing of the safety-critical modules (docs/adr/0011-own-mutation-tester.md).

A mutant is one small change to one module's syntax tree: a comparison's boundary or
sense flipped, ``and``/``or`` swapped or one operand dropped, a ``not`` dropped, a boolean
negated, a whole number changed by one, a keyword argument dropped from a call (or a
positional one from ``filter``/``exclude``), an element dropped from a tuple, list, set or
dict literal, ``+``/``-`` or ``|``/``&`` swapped, an ``if`` guard made never true.

Each worker is one pytest session (tools/mutation/config.toml names the tests that guard
each module) that stays up for all its mutants: the mutant is swapped into the live
module - a function's code object, or a module-level name wherever it was imported - the
module's tests run until the first failure, and the module is restored. A failing test, or
a test that runs past its time budget (an endless loop), kills the mutant; a mutant under
which every test passes survives, unless tools/mutation/equivalents.toml accepts it as
equivalent, with the reason.

    python tools/mutation/mutate.py [--module PATH ...] [--changed-since REF] [--jobs N]
"""

from __future__ import annotations

import argparse
import ast
import copy
import inspect
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, FunctionType, ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CONFIG = HERE / "config.toml"
EQUIVALENTS = HERE / "equivalents.toml"

# ----------------------------------------------------------------------------- mutants

COMPARE_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
BINOP_SWAP: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
}
FILTER_CALLS = {"filter", "exclude"}
NO_MUTATE = "pragma: no mutate"

Variant = tuple[str, int]  # (operator, position)


@dataclass(frozen=True)
class Site:
    node: ast.AST
    parent: ast.AST
    scope: str  # qualified name of the enclosing def/class, "" at module level
    top: int  # index of the module-level statement that holds the node


@dataclass(frozen=True)
class Mutant:
    path: str
    index: int  # 1-based, in this module's order
    line: int
    scope: str
    operator: str
    original: str
    mutated: str
    top: int
    site: int
    variant: Variant

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.path, self.scope or "<module>", self.original, self.mutated)

    def describe(self) -> str:
        where = f"{Path(self.path).name}:{self.line} {self.scope or '<module>'}"
        if not self.mutated:
            return f"{where}  {self.operator}: `{self.original}`"
        return f"{where}  {self.operator}: `{self.original}` -> `{self.mutated}`"


def _is_type_checking(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    )


def _is_docstring(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def sites(tree: ast.Module, source_lines: list[str]) -> list[Site]:
    """Every node that may be mutated, in a fixed order (the same for a copy of the tree)."""
    found: list[Site] = []

    def skipped(node: ast.AST) -> bool:
        if isinstance(node, ast.Import | ast.ImportFrom) or _is_type_checking(node):
            return True
        if _is_docstring(node) or _type_alias(node):
            return True
        line = getattr(node, "lineno", None)
        return line is not None and NO_MUTATE in source_lines[line - 1]

    def visit(node: ast.AST, parent: ast.AST, scope: str, top: int) -> None:
        if skipped(node):
            return
        found.append(Site(node, parent, scope, top))
        inner = scope
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            inner = f"{scope}.{node.name}" if scope else node.name
        for name, value in ast.iter_fields(node):
            if name in {"annotation", "returns", "decorator_list", "type_comment"}:
                continue
            children = value if isinstance(value, list) else [value]
            for child in children:
                if isinstance(child, ast.AST):
                    visit(child, node, inner, top)

    for top, statement in enumerate(tree.body):
        visit(statement, tree, "", top)
    return found


def variants(node: ast.AST) -> list[Variant]:
    out: list[Variant] = []
    if isinstance(node, ast.Compare):
        out += [("compare", i) for i, op in enumerate(node.ops) if type(op) in COMPARE_SWAP]
    elif isinstance(node, ast.BoolOp):
        out.append(("and/or", 0))
        out += [("drop operand", i) for i in range(len(node.values))]
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append(("drop not", 0))
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        out.append(("negate", 0))
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        out += [("number", 1), ("number", -1)]
    elif isinstance(node, ast.Call):
        out += [("drop keyword", i) for i, kw in enumerate(node.keywords) if kw.arg]
        name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        if name in FILTER_CALLS:
            out += [("drop filter", i) for i in range(len(node.args))]
    elif isinstance(node, ast.Tuple | ast.List | ast.Set) and isinstance(
        getattr(node, "ctx", ast.Load()), ast.Load
    ):
        out += [("drop element", i) for i in range(len(node.elts))]
    elif isinstance(node, ast.Dict):
        out += [("drop entry", i) for i, key in enumerate(node.keys) if key is not None]
    elif isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in BINOP_SWAP:
        out.append(("operator", 0))
    elif isinstance(node, ast.If):
        out.append(("drop guard", 0))
    return out


def _replace(parent: ast.AST, old: ast.AST, new: ast.AST) -> None:
    ast.copy_location(new, old)
    for name, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, name, new)
            return
        if isinstance(value, list):
            for i, item in enumerate(value):
                if item is old:
                    value[i] = new
                    return
    raise LookupError("node not found in its parent")


def _type_alias(node: ast.AST) -> bool:
    """``Count = int | str``: a union of types, not a computation."""
    if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.BinOp)):
        return False
    return all(
        isinstance(n, ast.Name | ast.Attribute | ast.BinOp | ast.Load | ast.BitOr)
        or (isinstance(n, ast.Constant) and n.value is None)
        for n in ast.walk(node.value)
    )


def apply_variant(site: Site, variant: Variant) -> tuple[str, str]:
    """Change the tree in place; return the source before and after, for the report (a
    dropped piece is shown alone, with nothing after it)."""
    node, parent, (operator, i) = site.node, site.parent, variant
    if isinstance(node, ast.If):
        before = f"if {ast.unparse(node.test)}:"
        node.test = ast.copy_location(ast.Constant(False), node.test)
        return before, "if False:"
    if operator == "drop keyword":
        assert isinstance(node, ast.Call)
        return ast.unparse(node.keywords.pop(i)), ""
    if operator == "drop filter":
        assert isinstance(node, ast.Call)
        return f"{ast.unparse(node.func)}({ast.unparse(node.args.pop(i))})", ""
    if operator == "drop entry":
        assert isinstance(node, ast.Dict)
        key, value = node.keys.pop(i), node.values.pop(i)
        return f"{ast.unparse(key) if key else '**'}: {ast.unparse(value)}", ""
    if operator == "drop element":
        assert isinstance(node, ast.Tuple | ast.List | ast.Set)
        dropped = node.elts.pop(i)
        if isinstance(node, ast.Set) and not node.elts:
            _replace(parent, node, ast.Call(ast.Name("set", ast.Load()), [], []))
        return ast.unparse(dropped), ""
    # a changed constant is shown with the expression around it
    shown: ast.AST = (
        parent
        if operator in {"number", "negate"}
        and isinstance(parent, ast.expr | ast.keyword | ast.AugAssign)
        else node
    )
    before = ast.unparse(shown)
    if operator == "compare":
        assert isinstance(node, ast.Compare)
        node.ops[i] = COMPARE_SWAP[type(node.ops[i])]()
    elif operator == "and/or":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif operator == "drop operand":
        assert isinstance(node, ast.BoolOp)
        del node.values[i]
        if len(node.values) == 1:
            shown = node.values[0]
            _replace(parent, node, shown)
    elif operator == "drop not":
        assert isinstance(node, ast.UnaryOp)
        shown = node.operand
        _replace(parent, node, shown)
    elif operator == "negate":
        assert isinstance(node, ast.Constant)
        node.value = not node.value
    elif operator == "number":
        assert isinstance(node, ast.Constant) and isinstance(node.value, int)
        node.value = node.value + i
    elif operator == "operator":
        assert isinstance(node, ast.BinOp | ast.AugAssign)
        node.op = BINOP_SWAP[type(node.op)]()
    else:
        raise ValueError(operator)
    return before, ast.unparse(shown)


def parse(path: str) -> tuple[ast.Module, list[str]]:
    source = (ROOT / path).read_text(encoding="utf-8")
    return ast.parse(source, filename=path), source.splitlines()


def mutants_of(path: str) -> list[Mutant]:
    tree, lines = parse(path)
    found: list[Mutant] = []
    for s, site in enumerate(sites(tree, lines)):
        for variant in variants(site.node):
            copy_tree = copy.deepcopy(tree)
            copied = sites(copy_tree, lines)[s]
            before, after = apply_variant(copied, variant)
            if before == after:
                continue
            found.append(
                Mutant(
                    path=path,
                    index=len(found) + 1,
                    line=getattr(site.node, "lineno", 0),
                    scope=site.scope,
                    operator=variant[0],
                    original=before,
                    mutated=after,
                    top=site.top,
                    site=s,
                    variant=variant,
                )
            )
    return found


def mutated_tree(mutant: Mutant) -> ast.Module:
    tree, lines = parse(mutant.path)
    apply_variant(sites(tree, lines)[mutant.site], mutant.variant)
    return ast.fix_missing_locations(tree)


# ----------------------------------------------------------------------------- patching


def module_name(path: str) -> str:
    return ".".join(Path(path).with_suffix("").parts[1:])


def _function(obj: Any) -> FunctionType | None:
    if isinstance(obj, property):
        obj = obj.fget
    elif isinstance(obj, staticmethod | classmethod):
        obj = obj.__func__
    obj = inspect.unwrap(obj) if callable(obj) else obj
    return obj if isinstance(obj, FunctionType) else None


def _setter(namespace: dict[str, Any], name: str, value: Any) -> Callable[[], None]:
    return lambda: namespace.__setitem__(name, value)


@dataclass
class Patch:
    """One mutant swapped into the running process, and how to undo it."""

    module: ModuleType
    undo: list[Callable[[], None]] = field(default_factory=list)

    def apply(self, mutant: Mutant) -> None:
        tree = mutated_tree(mutant)
        future = [
            s for s in tree.body if isinstance(s, ast.ImportFrom) and s.module == "__future__"
        ]
        statement = tree.body[mutant.top]
        code = compile(
            ast.Module(body=[*future, statement], type_ignores=[]),
            self.module.__file__ or mutant.path,
            "exec",
            dont_inherit=True,
        )
        live = self.module.__dict__
        namespace = dict(live)
        exec(code, namespace)  # noqa: S102 - the project's own module, mutated
        parts = mutant.scope.split(".") if mutant.scope else []
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            self._swap(_function(live[statement.name]), _function(namespace[statement.name]))
        elif isinstance(statement, ast.ClassDef) and len(parts) > 1:
            method = parts[1]
            self._swap(
                _function(live[parts[0]].__dict__[method]),
                _function(namespace[parts[0]].__dict__[method]),
            )
        else:
            for name, value in namespace.items():
                if name in live and live[name] is not value:
                    self._rebind(name, live[name], value)
        self._clear_caches()

    def restore(self) -> None:
        while self.undo:
            self.undo.pop()()
        self._clear_caches()

    def _swap(self, live: FunctionType | None, new: FunctionType | None) -> None:
        assert live is not None and new is not None, "mutated function not found"
        saved = (live.__code__, live.__defaults__, live.__kwdefaults__)

        def undo() -> None:
            live.__code__, live.__defaults__, live.__kwdefaults__ = saved

        self.undo.append(undo)
        live.__code__, live.__defaults__, live.__kwdefaults__ = (
            new.__code__,
            new.__defaults__,
            new.__kwdefaults__,
        )

    def _rebind(self, name: str, old: Any, new: Any) -> None:
        """The module's name, and the same object wherever ``from ... import`` copied it."""
        for module in list(sys.modules.values()):
            namespace = getattr(module, "__dict__", None)
            if isinstance(namespace, dict) and namespace.get(name) is old:
                namespace[name] = new
                self.undo.append(_setter(namespace, name, old))

    def _clear_caches(self) -> None:  # lru_cache would answer from before the swap
        for value in list(self.module.__dict__.values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


# ----------------------------------------------------------------------------- worker


class MutantTimeout(Exception):
    """A test ran past its budget under a mutant: an endless loop, so the mutant is killed."""


class Worker:
    """A pytest plugin: instead of the normal run, the baseline and then every mutant."""

    def __init__(self, plan: dict[str, Any], out: Path) -> None:
        self.plan = plan
        self.out = out.open("a", encoding="utf-8", buffering=1)
        self.budget: float | None = None

    def emit(self, **record: Any) -> None:
        self.out.write(json.dumps(record) + "\n")

    def _alarm(self, signum: int, frame: FrameType | None) -> None:
        raise MutantTimeout("past the time budget")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: Any) -> Iterator[None]:
        if self.budget is not None:  # and again each second, should the code catch it
            signal.setitimer(signal.ITIMER_REAL, self.budget, 1.0)
        try:
            return (yield)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _run(self, session: Any, items: list[Any], budgets: dict[str, float]) -> tuple[str, str]:
        """Run until the first failure (or, with ``all_tests``, every test):
        ("killed" | "timeout" | "survived", the failing test ids)."""
        from _pytest.runner import runtestprotocol

        outcome, failing = "survived", []
        for i, item in enumerate(items):
            nextitem = items[i + 1] if i + 1 < len(items) else session
            self.budget = budgets.get(item.nodeid)
            reports = runtestprotocol(item, log=False, nextitem=nextitem)
            failed = [r for r in reports if r.failed]
            if failed:
                if any("MutantTimeout" in str(r.longrepr) for r in failed):
                    outcome = "timeout"
                elif outcome == "survived":
                    outcome = "killed"
                failing.append(item.nodeid)
                if not self.plan.get("all_tests"):
                    break
        session._setupstate.teardown_exact(session)
        self.budget = None
        return outcome, " ".join(failing)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: Any) -> bool:
        import importlib

        signal.signal(signal.SIGALRM, self._alarm)
        if session.testsfailed:
            self.emit(error=f"{session.testsfailed} errors while collecting the tests")
            return True
        by_module: dict[str, list[Any]] = {}
        for path, tests in self.plan["tests"].items():
            chosen = [i for i in session.items if _selected(i.nodeid, tests)]
            # a transactional test commits and empties the database, and switches the access
            # log's triggers off at teardown (conftest): not repeatable within one session
            skipped = [i.nodeid for i in chosen if _transactional(i)]
            if skipped:
                self.emit(note=f"{path}: not run against mutants (transactional): {skipped}")
            by_module[path] = [i for i in chosen if not _transactional(i)]
            if not by_module[path]:
                self.emit(error=f"no tests collected for {path}")
                return True
        # the baseline: every test passes unmutated; its time sets each test's budget
        budgets: dict[str, float] = {}
        for path, items in by_module.items():
            for item in items:
                started = time.perf_counter()
                outcome, by = self._run(session, [item], {})
                took = time.perf_counter() - started
                if outcome != "survived":
                    self.emit(error=f"the baseline fails: {by} ({path})")
                    return True
                budgets[item.nodeid] = (
                    self.plan["timeout_base"] + self.plan["timeout_factor"] * took
                )
        self.emit(baseline=len(budgets))
        patches: dict[str, Patch] = {}
        for path, index in self.plan["mutants"]:
            mutant = _mutants(path)[index - 1]
            if path not in patches:
                patches[path] = Patch(importlib.import_module(module_name(path)))
            patch = patches[path]
            self.emit(start=[path, index])
            started = time.perf_counter()
            try:
                patch.apply(mutant)
            except Exception as error:  # not a program (a type alias made `int & str`)
                patch.restore()
                self.emit(mutant=[path, index], outcome="invalid", by=repr(error), s=0)
                continue
            try:
                items = by_module[path]
                outcome, by = self._run(session, items, budgets)
            finally:
                patch.restore()
            if by:  # the test that killed this one goes first for the next mutant
                killer = next(i for i in items if i.nodeid == by.split()[0])
                items.remove(killer)
                items.insert(0, killer)
            took = round(time.perf_counter() - started, 2)
            self.emit(mutant=[path, index], outcome=outcome, by=by, s=took)
        self.emit(done=True)
        return True


_CACHE: dict[str, list[Mutant]] = {}


def _mutants(path: str) -> list[Mutant]:
    if path not in _CACHE:
        _CACHE[path] = mutants_of(path)
    return _CACHE[path]


def _transactional(item: Any) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & {"transactional_db", "live_server", "audit_triggers_off_at_teardown"})


def _selected(nodeid: str, tests: list[str]) -> bool:
    for test in tests:
        test = test.rstrip("/")
        if nodeid == test or nodeid.startswith((test + "::", test + "/", test + "[")):
            return True
    return False


def worker_main(plan_file: Path, out: Path) -> int:
    import pytest

    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    paths = sorted({t.split("::")[0] for tests in plan["tests"].values() for t in tests})
    args = [*paths, "-q", "-p", "no:cacheprovider", "-m", "not e2e", "--no-header"]
    os.chdir(ROOT)
    return int(pytest.main(args, plugins=[Worker(plan, out)]))


# ----------------------------------------------------------------------------- driver


@dataclass
class Result:
    mutant: Mutant
    outcome: str = "pending"  # killed | timeout | survived | equivalent | invalid
    by: str = ""
    reason: str = ""


def load_config() -> dict[str, Any]:
    with CONFIG.open("rb") as f:
        return tomllib.load(f)


def load_equivalents() -> dict[tuple[str, str, str, str], str]:
    with EQUIVALENTS.open("rb") as f:
        data = tomllib.load(f)
    return {
        (e["module"], e["scope"], e["original"], e["mutated"]): e["reason"]
        for e in data.get("equivalent", [])
    }


def changed_modules(modules: dict[str, Any], ref: str) -> list[str]:
    diff = subprocess.run(  # noqa: S603 - fixed arguments
        ["git", "diff", "--name-only", ref, "--"],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    here = str(HERE.relative_to(ROOT))
    if any(name.startswith(here + "/") for name in diff):
        return list(modules)  # the tool or its configuration changed: everything
    chosen = []
    for path, conf in modules.items():
        guards = [t.split("::")[0].rstrip("/") for t in conf["tests"]]
        if any(name == path or any(name.startswith(g) for g in guards) for name in diff):
            chosen.append(path)
    return chosen


@dataclass
class Running:
    proc: subprocess.Popen[bytes]
    out: Path
    log: Path
    todo: list[tuple[str, int]]
    seen: int = 0
    last: float = field(default_factory=time.monotonic)
    current: tuple[str, int] | None = None


def run(
    modules: dict[str, Any],
    config: dict[str, Any],
    jobs: int,
    verbose: bool,
    only: set[int] | None = None,
    all_tests: bool = False,
) -> dict[str, list[Result]]:
    results: dict[str, list[Result]] = {p: [Result(m) for m in _mutants(p)] for p in modules}
    todo = [
        (p, r.mutant.index)
        for p in modules
        for r in results[p]
        if only is None or r.mutant.index in only
    ]
    # deal the mutants out like cards, so each worker gets a share of every module
    shares = [todo[j::jobs] for j in range(jobs) if todo[j::jobs]]
    tests = {p: modules[p]["tests"] for p in modules}
    work = Path(tempfile.mkdtemp(prefix="mutation-"))
    hang = float(config.get("hang_seconds", 300))

    def start(todo: list[tuple[str, int]], n: int) -> Running:
        plan = work / f"plan-{n}.json"
        wanted = {p for p, _ in todo}
        plan.write_text(
            json.dumps(
                {
                    "tests": {p: t for p, t in tests.items() if p in wanted},
                    "mutants": todo,
                    "timeout_base": float(config.get("timeout_base", 5)),
                    "timeout_factor": float(config.get("timeout_factor", 10)),
                    "all_tests": all_tests,
                }
            ),
            encoding="utf-8",
        )
        out, log = work / f"out-{n}.jsonl", work / f"log-{n}.txt"
        out.touch()
        with log.open("w") as log_file:
            proc = subprocess.Popen(  # noqa: S603 - this script, in worker mode
                [sys.executable, __file__, "--worker", str(plan), str(out)],
                cwd=ROOT,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        return Running(proc, out, log, list(todo))

    running = [start(share, n) for n, share in enumerate(shares)]
    spawned = len(running)
    failures: list[str] = []
    notes: set[str] = set()
    while running:
        time.sleep(0.5)
        for worker in list(running):
            lines = worker.out.read_text(encoding="utf-8").splitlines()
            for line in lines[worker.seen :]:
                record = json.loads(line)
                worker.last = time.monotonic()
                if "error" in record:
                    failures.append(f"{record['error']}\n{_tail(worker.log)}")
                elif "note" in record and record["note"] not in notes:
                    notes.add(record["note"])
                    print(record["note"], flush=True)
                elif "start" in record:
                    worker.current = (record["start"][0], record["start"][1])
                elif "mutant" in record:
                    path, index = record["mutant"]
                    result = results[path][index - 1]
                    result.outcome, result.by = record["outcome"], record["by"]
                    worker.todo.remove((path, index))
                    worker.current = None
                    if verbose:
                        print(f"  {result.outcome:9} {result.mutant.describe()}", flush=True)
                        for test in result.by.split() if all_tests else result.by.split()[:1]:
                            print(f"              fails: {test}", flush=True)
            worker.seen = len(lines)
            finished = worker.proc.poll() is not None
            hung = time.monotonic() - worker.last > hang
            if not (finished or hung):
                continue
            if hung:
                worker.proc.kill()
                worker.proc.wait()
            running.remove(worker)
            if worker.current is not None and worker.current in worker.todo:
                # the mutant it was on took the whole process down or hung it: killed
                path, index = worker.current
                results[path][index - 1].outcome = "timeout"
                results[path][index - 1].by = "the worker (hung or crashed)"
                worker.todo.remove(worker.current)
            if worker.todo and not failures:
                if not lines:
                    failures.append(f"a worker stopped before it started\n{_tail(worker.log)}")
                else:
                    running.append(start(worker.todo, spawned))
                    spawned += 1
        if failures:
            for worker in running:
                worker.proc.kill()
            raise SystemExit("\n".join(failures))
    shutil.rmtree(work, ignore_errors=True)
    if only is not None:
        results = {p: [r for r in rows if r.mutant.index in only] for p, rows in results.items()}
    return results


def _tail(log: Path, n: int = 30) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])


def report(
    results: dict[str, list[Result]], threshold: float, elapsed: float, partial: bool = False
) -> tuple[str, list[str]]:
    equivalents = load_equivalents()
    used: set[tuple[str, str, str, str]] = set()
    lines, below = [], []
    for path, rows in results.items():
        for r in rows:
            reason = equivalents.get(r.mutant.key)
            if reason is not None:
                used.add(r.mutant.key)
                if r.outcome == "survived":
                    r.outcome, r.reason = "equivalent", reason
        killed = sum(r.outcome in {"killed", "timeout"} for r in rows)
        equivalent = sum(r.outcome == "equivalent" for r in rows)
        invalid = [r for r in rows if r.outcome == "invalid"]
        survived = [r for r in rows if r.outcome in {"survived", "pending"}]
        counted = killed + len(survived)
        score = 100.0 * killed / counted if counted else 100.0
        if score < threshold:
            below.append(path)
        lines.append(
            f"{path}: {score:.1f}%  ({len(rows)} mutants: {killed} killed, "
            f"{len(survived)} survived, {equivalent} equivalent, {len(invalid)} invalid)"
        )
        for r in survived:
            lines.append(f"    SURVIVED    {r.mutant.describe()}")
        for r in invalid:
            lines.append(f"    invalid     {r.mutant.describe()}  ({r.by})")
        for r in rows:
            if r.outcome == "equivalent":
                lines.append(f"    equivalent  {r.mutant.describe()}")
                lines.append(f"                ({r.reason})")
    stale = [key for key in equivalents if key[0] in results and key not in used and not partial]
    for key in stale:
        lines.append(f"stale entry in equivalents.toml (no such mutant): {key}")
    for rows in results.values():
        for r in rows:
            if r.outcome in {"killed", "timeout"} and r.mutant.key in equivalents:
                lines.append(f"equivalents.toml lists a mutant the tests kill: {r.mutant.key}")
    lines.append(f"mutation run took {elapsed:.0f} s; threshold {threshold:.0f}% per module")
    return "\n".join(lines), below


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", help="a module path from config.toml")
    parser.add_argument(
        "--changed-since", metavar="REF", help="only modules whose code or tests changed"
    )
    parser.add_argument("--jobs", type=int, help="workers in parallel (default: config)")
    parser.add_argument("--list", action="store_true", help="list the mutants; run nothing")
    parser.add_argument(
        "--only", metavar="N,N", help="only these mutants (numbers from --list; one --module)"
    )
    parser.add_argument(
        "--all-tests",
        action="store_true",
        help="run every test against each mutant and name each that fails (slower)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="each mutant as it ends")
    parser.add_argument("--worker", nargs=2, metavar=("PLAN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_main(Path(args.worker[0]), Path(args.worker[1]))

    config = load_config()
    modules: dict[str, Any] = config["modules"]
    if args.module:
        unknown = set(args.module) - set(modules)
        if unknown:
            parser.error(f"not in config.toml: {', '.join(sorted(unknown))}")
        modules = {p: modules[p] for p in args.module}
    if args.changed_since:
        modules = {p: modules[p] for p in changed_modules(modules, args.changed_since)}
        if not modules:
            print("No safety-critical module or its tests changed: nothing to mutate.")
            return 0
    if args.list:
        for path in modules:
            for m in _mutants(path):
                print(f"{m.index:4}  {m.describe()}")
        return 0
    only = None
    if args.only:
        if len(modules) != 1:
            parser.error("--only needs exactly one --module")
        only = {int(n) for n in args.only.split(",")}
    jobs = args.jobs or int(config.get("jobs", 2))
    for path in modules:
        print(f"{path}: {len(_mutants(path))} mutants, tests: {' '.join(modules[path]['tests'])}")
    started = time.monotonic()
    results = run(modules, config, jobs, args.verbose, only, args.all_tests)
    text, below = report(
        results, float(config["threshold"]), time.monotonic() - started, only is not None
    )
    print(text)
    if below:
        print(f"Mutation score below {config['threshold']}% in: {', '.join(below)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
