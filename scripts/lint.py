#!/usr/bin/env python3
"""The tree's lint: clang-format 14 and clang-tidy 19 (Debian 12's packages), configs at the root.

    scripts/lint.py                 check both; exit 1 with every finding when the tree is not clean
    scripts/lint.py --format        only clang-format (seconds)
    scripts/lint.py --tidy          only clang-tidy (needs a configured build: its compile_commands.json)
    scripts/lint.py --fix           rewrite the files clang-format would change (nothing else)

clang-tidy parses every translation unit the way the compiler does, which costs about half the CPU
of the build itself (clang-tidy 19; 14 cost twice that, as it ran every check over the system
headers too: http_server.cpp 20.6 s against 36.5 s of CPU, with the same parse of 13 s). So a unit found clean is remembered in a cache keyed by everything its
result depends on: the clang-tidy version, .clang-tidy, the unit's compile flags and its
preprocessed text (every header it includes, as included; layout aside). A rerun checks only the units whose
inputs changed; the cache lives outside the tree (RIFA_LINT_CACHE, else ~/.cache/rifa1122) so a
fresh clone on the same machine reuses it. Findings are never cached.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("api", "bench", "host", "plugins", "sdk", "tests")
EXTENSIONS = (".c", ".cc", ".cpp", ".h", ".hpp")
# Files clang-format leaves as they are, and why.
FROZEN = {
    "sdk/include/rifa/sdk/abi.h": "its bytes are the plugin ABI: sdk/abi.lock pins its hash, and a reformat "
                                  "would need an ABI version bump for nothing",
}


# The versions the configs are written for: a check's findings change between clang-tidy releases.
TOOLS = {"clang-format": "14", "clang-tidy": "19"}


def tool(name: str) -> str:
    version = TOOLS[name]
    for candidate in (f"{name}-{version}", name):
        path = shutil.which(candidate)
        if path and f"version {version}." in subprocess.run([path, "--version"], capture_output=True,
                                                           text=True).stdout:
            return path
    sys.exit(f"lint: {name} {version} is not installed (Debian 12 package '{name}-{version}'; "
             f"scripts/setup.sh --tests installs it)")


def source_files() -> list[Path]:
    """The C and C++ files of the tree: git's list when this is a checkout, else a walk of SOURCE_DIRS."""
    if (ROOT / ".git").exists():
        out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--", *SOURCE_DIRS],
                             check=True, capture_output=True).stdout.decode()
        files = [ROOT / f for f in out.split("\0") if f]
    else:
        files = [p for d in SOURCE_DIRS for p in (ROOT / d).rglob("*")]
    return sorted(p for p in files if p.suffix in EXTENSIONS and p.is_file())


# Folders clang-format leaves as they are: templates whose @PLACEHOLDERS@ are not C++ until
# rifa-plugin-new substitutes them (a layout pass turns "namespace @NAME@ {" into "@NAME @{").
TEMPLATES = ("sdk/scaffold/",)


def formatted_files() -> list[Path]:
    return [p for p in source_files()
            if str(p.relative_to(ROOT)) not in FROZEN and not str(p.relative_to(ROOT)).startswith(TEMPLATES)]


def check_format(fix: bool, only: list[str]) -> int:
    clang_format = tool("clang-format")
    files = [Path(f).resolve() for f in only] if only else formatted_files()
    if fix:
        subprocess.run([clang_format, "-i", *map(str, files)], check=True)
        print(f"lint: clang-format rewrote what needed it among {len(files)} files")
        return 0
    unformatted = []
    for path in files:
        original = path.read_bytes()
        formatted = subprocess.run([clang_format, f"--assume-filename={path}"], input=original,
                                   check=True, capture_output=True).stdout
        if formatted != original:
            unformatted.append(path)
    for path in unformatted:
        diff = subprocess.run([clang_format, "--dry-run", f"--assume-filename={path}"], input=path.read_text(),
                              capture_output=True, text=True).stderr
        first = "\n".join(diff.splitlines()[:6])
        print(f"{shown(path)}: not formatted as .clang-format says\n{first}\n")
    if unformatted:
        print(f"lint: {len(unformatted)} of {len(files)} files are not formatted; "
              "`python3 scripts/lint.py --fix` formats them")
        return 1
    print(f"lint: clang-format: {len(files)} files formatted")
    return 0


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def compile_args(entry: dict) -> list[str]:
    args = entry.get("arguments") or shlex.split(entry["command"])
    # A compiler launcher (ccache) is not part of the compilation.
    while args and Path(args[0]).name in ("ccache", "sccache"):
        args = args[1:]
    return args


def preprocess_args(args: list[str], source: str) -> list[str]:
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD") or a == source:
            continue
        out.append(a)
    # -P: no line markers, so the text (and the key) does not depend on where the checkout is.
    return out + ["-E", "-P", source]


def cache_key(entry: dict, salt: bytes) -> str | None:
    args = compile_args(entry)
    run = subprocess.run(preprocess_args(args, entry["file"]), cwd=entry["directory"], capture_output=True)
    if run.returncode != 0:
        return None  # cannot preprocess: never cached, clang-tidy reports why
    # The flags, with the checkout's location taken out (as -P took it out of the text).
    # The optimisation level counts as one value: it changes code generation, not what clang-tidy
    # reads (-O1 and -O3 define the same macros), and tests/ is built at -O1 while the product is at
    # -O3. (One value rather than none keeps the keys of units checked before tests/ moved to -O1.)
    flags = [
        "-O3" if re.fullmatch(r"-O[1-3]", a) else a.replace(str(ROOT), "<root>")
        for a in preprocess_args(args[1:], entry["file"])
    ]
    h = hashlib.sha256(salt)
    h.update("\0".join(flags).encode())
    # Runs of whitespace count as one space, so a unit that was only laid out again (clang-format
    # --fix, a merge of formatted code) keeps its clean result. Sound with the format check: the
    # one layout-sensitive check (readability-misleading-indentation) cannot fire on formatted code.
    h.update(re.sub(rb"\s+", b" ", run.stdout))
    return h.hexdigest()


def check_tidy_files(files: list[str]) -> int:
    """clang-tidy on files outside the build (the lint's selftest): C++20, no project flags, no cache."""
    clang_tidy = tool("clang-tidy")
    status = 0
    for file in files:
        run = subprocess.run([clang_tidy, "--quiet", file, "--", "-x", "c++", "-std=c++20"],
                             capture_output=True, text=True)
        found = [line for line in (run.stdout + run.stderr).splitlines() if "warning:" in line or "error:" in line]
        for line in found:
            print(line)
        if run.returncode != 0 or found:
            status = 1
    print(f"lint: clang-tidy: {len(files)} file(s), {'findings' if status else 'clean'}")
    return status


def check_tidy(build: Path, jobs: int, only: list[str] | None = None) -> int:
    """clang-tidy over the build's units (those of `only` when given), with the build's flags."""
    clang_tidy = tool("clang-tidy")
    database = build / "compile_commands.json"
    if not database.is_file():
        sys.exit(f"lint: {database} is missing: configure the build first (scripts/build.sh)")
    wanted = {Path(f).resolve() for f in only} if only else None
    entries = []
    for entry in json.loads(database.read_text()):
        path = Path(entry["file"]).resolve()
        if wanted is not None:
            if path in wanted:
                entries.append(entry)
        elif path.is_relative_to(ROOT) and not path.is_relative_to(build.resolve()) and \
                path.relative_to(ROOT).parts[0] in SOURCE_DIRS:
            entries.append(entry)
    cache = Path(os.environ.get("RIFA_LINT_CACHE") or
                 Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rifa1122" / "clang-tidy")
    cache.mkdir(parents=True, exist_ok=True)
    version = subprocess.run([clang_tidy, "--version"], capture_output=True, check=True).stdout
    salt = version + (ROOT / ".clang-tidy").read_bytes()

    def one(entry: dict) -> tuple[str, str, float]:
        start = time.monotonic()
        key = cache_key(entry, salt)
        if key and (cache / key).exists():
            return "cached", "", time.monotonic() - start
        run = subprocess.run([clang_tidy, "-p", str(build), "--quiet", "--extra-arg=-Wno-unknown-warning-option",
                              entry["file"]], capture_output=True, text=True)
        findings = "\n".join(line for line in (run.stdout + run.stderr).splitlines()
                             if line.strip() and not line.endswith("warnings generated.")
                             and not line.startswith("Suppressed "))
        if run.returncode == 0 and "warning:" not in findings and "error:" not in findings:
            if key:
                (cache / key).touch()
            return "clean", "", time.monotonic() - start
        return "findings", findings or f"clang-tidy exited {run.returncode}", time.monotonic() - start

    start = time.monotonic()
    counts = {"cached": 0, "clean": 0, "findings": 0}
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(one, entry): entry for entry in entries}
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            state, findings, _ = future.result()
            counts[state] += 1
            if state == "findings":
                failures.append(futures[future]["file"])
                print(f"--- {Path(futures[future]['file']).relative_to(ROOT)}\n{findings}\n", flush=True)
            if done % 25 == 0:
                print(f"lint: clang-tidy: {done}/{len(entries)} units, {time.monotonic() - start:.0f} s",
                      file=sys.stderr, flush=True)
    print(f"lint: clang-tidy: {len(entries)} units, {counts['cached']} unchanged since a clean run (cache "
          f"{cache}), {counts['clean']} checked clean, {counts['findings']} with findings; "
          f"{time.monotonic() - start:.0f} s with {jobs} job(s)")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", action="store_true", help="only clang-format")
    parser.add_argument("--tidy", action="store_true", help="only clang-tidy")
    parser.add_argument("--fix", action="store_true", help="let clang-format rewrite the files")
    parser.add_argument("--build", default=os.environ.get("RIFA_BUILD_DIR", str(ROOT / "build")))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("files", nargs="*", help="check these files instead of the tree")
    opts = parser.parse_args()
    if opts.fix:
        return check_format(True, opts.files)
    both = not opts.format and not opts.tidy
    status = 0
    if opts.format or both:
        status |= check_format(opts.fix, opts.files)
    if opts.tidy or both:
        if not opts.files:
            status |= check_tidy(Path(opts.build), opts.jobs)
        else:
            # Files the build compiles are checked with its flags (include paths, defines); others
            # (headers, the selftest's samples) as plain C++20.
            database = Path(opts.build) / "compile_commands.json"
            built = {str(Path(e["file"]).resolve()) for e in json.loads(database.read_text())} \
                if database.is_file() else set()
            in_build = [f for f in opts.files if str(Path(f).resolve()) in built]
            outside = [f for f in opts.files if str(Path(f).resolve()) not in built]
            if in_build:
                status |= check_tidy(Path(opts.build), opts.jobs, in_build)
            if outside:
                status |= check_tidy_files(outside)
    return status


if __name__ == "__main__":
    sys.exit(main())
