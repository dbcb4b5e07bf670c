"""Fuzz rolelint's parsers for a bounded time: broken YAML, JSON and HCL must never raise.

    .venv/bin/python tests/fuzz/fuzz_parsers.py --seconds 600            # atheris if installed
    .venv/bin/python tests/fuzz/fuzz_parsers.py --seconds 5 --mode random

Seeds are the committed fixtures and, when it is beside the checkout, the shared real-world
corpus.  Every input goes through ``parse_source`` (YAML and JSON) or the Terraform file parser,
then every rule, and must keep the promise of :mod:`tests.fuzz.mutations` (no exception; every
error names its file and a line inside it).

Two engines, one harness:

- ``atheris`` (coverage-guided, libFuzzer): ``pip install atheris``; not a project dependency,
  as it has no wheel for every platform rolelint supports (none for Linux on ARM).
- ``random``: plain Python, no dependency; stacks the structure-aware mutations of
  :mod:`tests.fuzz.mutations` on random seeds.  CI runs it for 5 s (tests/test_fuzz_harness.py).

Both engines go on after a failure: each distinct one (exception type and the line that raised
it) is minimized, written to ``--crashes`` as the input and a ``.txt`` with its traceback, and
counted; the exit status is 1 when any was found.  See docs/fuzzing.md.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import random
import re
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fuzz.mutations import Mutation, Seed

REPO = Path(__file__).resolve().parents[2]
# An input file name for each kind the atheris engine can produce (the first input byte picks
# it): the suffix decides which parser reads the text.
SUFFIXES = (".yaml", ".json", ".template", ".tf", ".tf.json", ".tfvars")
ATHERIS_INPUT_DIRECTORY = "fuzz-input"  # a folder that does not exist: file() finds nothing
INPUT_SECONDS = 10.0  # one input taking longer is a hang, reported like a crash
MINIMIZE_SECONDS = 30.0
MAX_INPUT = 64_000


class Hang(Exception):
    """One input took longer than ``INPUT_SECONDS``."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in the code under test when it runs past ``seconds`` (Unix)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def signature(error: BaseException, path: str) -> str:
    """What makes two failures the same bug: the exception type, the innermost line of
    rolelint (or of the checkout: the invariant check, for a broken promise) that raised it,
    and the kind of file (one crash in a rule may come from a YAML, a JSON and an HCL bug)."""
    from tests.fuzz.mutations import file_kind

    frames = traceback.extract_tb(error.__traceback__)
    ours = [
        frame
        for frame in frames
        if f"{os.sep}rolelint{os.sep}" in frame.filename
        or (frame.filename.startswith(str(REPO)) and "site-packages" not in frame.filename)
    ]
    chosen = ours or frames
    where = f"{Path(chosen[-1].filename).name}:{chosen[-1].lineno}" if chosen else "?"
    kind = type(error).__name__
    if isinstance(error, AssertionError):
        # "line 7 of 6": the same broken promise whatever the numbers
        kind += ": " + re.sub(r"\d+", "N", str(error).split(":")[0])
    return f"{kind} at {where} ({file_kind(path)})"


Target = Callable[[str, str], object]


def run_one(target: Target, path: str, text: str) -> BaseException | None:
    """The failure ``target`` gives reading ``text`` as ``path``, or None."""
    try:
        with time_limit(INPUT_SECONDS):
            target(path, text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # any exception is what we are looking for
        return error
    return None


def minimize(
    target: Target, path: str, text: str, wanted: str, seconds: float = MINIMIZE_SECONDS
) -> str:
    """A smaller text that fails the same way: lines, then ever smaller runs of characters,
    removed while the signature stays (delta debugging, bounded in time)."""
    deadline = time.monotonic() + seconds

    def still_fails(candidate: str) -> bool:
        error = run_one(target, path, candidate)
        return error is not None and signature(error, path) == wanted

    for unit_lines in (True, False):
        parts = text.splitlines(keepends=True) if unit_lines else list(text)
        chunk = max(1, len(parts) // 2)
        while chunk >= 1 and time.monotonic() < deadline:
            start, removed = 0, False
            while start < len(parts) and time.monotonic() < deadline:
                candidate = parts[:start] + parts[start + chunk :]
                if still_fails("".join(candidate)):
                    parts, removed = candidate, True
                else:
                    start += chunk
            if not removed:
                chunk //= 2
        text = "".join(parts)
    return text


@dataclass
class Crashes:
    """Distinct failures ``target`` gave so far, each written to ``folder`` once."""

    folder: Path
    target: Target
    found: dict[str, Path] = field(default_factory=dict)

    def record(self, path: str, text: str, error: BaseException, how: str) -> bool:
        """Minimize and save a failure not seen before; True when it is new."""
        key = signature(error, path)
        if key in self.found:
            return False
        small = minimize(self.target, path, text, key)
        again = run_one(self.target, path, small) or error
        digest = hashlib.sha1(key.encode()).hexdigest()[:12]
        self.folder.mkdir(parents=True, exist_ok=True)
        stored = self.folder / f"crash-{digest}{suffix_of(path)}"
        stored.write_text(small, encoding="utf-8")
        trace = "".join(traceback.format_exception(type(again), again, again.__traceback__))
        stored.with_name(stored.name + ".txt").write_text(
            f"{key}\nas file: {path}\nfound by: {how}\n"
            f"minimized input ({len(small)} of {len(text)} characters): {small!r}\n\n{trace}",
            encoding="utf-8",
        )
        self.found[key] = stored
        print(f"CRASH {key}\n  input {small[:200]!r}\n  saved {stored}", flush=True)
        return True


# --- random mode ----------------------------------------------------------------------------------


def random_mutation(rng: random.Random, text: str) -> Mutation:
    from tests.fuzz.mutations import OPERATIONS, TOKENS, Mutation

    token = rng.choice(TOKENS) if rng.random() < 0.9 else chr(rng.randrange(1, 0x3000))
    # Small cuts mostly, now and then a big one (a whole block gone).
    size = rng.choice((1, 1, 2, 3, rng.randrange(1, 200)))
    return Mutation(rng.choice(OPERATIONS), rng.randrange(len(text) + 1), size, token)


def renamed(rng: random.Random, seed: Seed) -> str:
    """Mostly the seed's own name; sometimes another suffix, so YAML is read as JSON or as a
    ``.template`` and JSON as YAML (Terraform stays Terraform: its files are read by folder)."""
    if rng.random() < 0.9 or seed.kind == "terraform":
        return seed.path
    stem = seed.path.rsplit(".", 1)[0]
    return stem + rng.choice((".yaml", ".json", ".template"))


def fuzz_random(
    seeds: tuple[Seed, ...], seconds: float, rng: random.Random, crashes: Crashes
) -> int:
    """Mutate random seeds until the time is up; the number of inputs tried."""
    deadline = time.monotonic() + seconds
    tried = 0
    while time.monotonic() < deadline:
        from tests.fuzz.mutations import mutate

        seed = rng.choice(seeds)
        text, applied = seed.text, []
        for _ in range(rng.choice((1, 1, 1, 2, 3, 5))):
            mutation = random_mutation(rng, text)
            text = mutate(text, mutation)
            applied.append(mutation)
        path = renamed(rng, seed)
        error = run_one(crashes.target, path, text)
        tried += 1
        if error is not None:
            how = f"random mode, seed file {seed.path}, mutations {applied}"
            crashes.record(path, text, error, how)
    return tried


# --- atheris mode ---------------------------------------------------------------------------------


def suffix_of(path: str) -> str:
    """The suffix of ``SUFFIXES`` that ``path`` ends with (the longest), else ``.yaml``."""
    lowered = path.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix):
            return suffix
    return ".yaml"


def encode(suffix: str, text: str) -> bytes:
    """An atheris input: one byte naming the suffix, then the text."""
    return bytes([SUFFIXES.index(suffix)]) + text.encode("utf-8")


def decode(data: bytes) -> tuple[str, str]:
    """The file name and text an atheris input stands for."""
    if not data:
        return os.path.join(ATHERIS_INPUT_DIRECTORY, "input.yaml"), ""
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    return (
        os.path.join(ATHERIS_INPUT_DIRECTORY, "input" + suffix),
        data[1:].decode("utf-8", errors="replace"),
    )


def fuzz_atheris(with_corpus: bool, seconds: float, work: Path, folder: Path) -> None:
    """Run libFuzzer through atheris until the time is up; never returns."""
    # No type information is published; without atheris installed, this is never reached.
    import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]

    # Coverage comes from instrumented bytecode: rolelint and the parsing libraries must be
    # imported inside this block, before anything else imports them.
    with atheris.instrument_imports(include=["rolelint", "lark", "hcl2", "yaml"]):
        import rolelint.parsers.hcl_adapter  # noqa: F401
        from tests.fuzz.mutations import mutate, parse_and_check, seeds

    crashes = Crashes(folder, parse_and_check)
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.folder.mkdir(parents=True, exist_ok=True)  # libFuzzer's own artifacts go there too
    for seed in seeds(corpus=with_corpus):
        data = encode(suffix_of(seed.path), seed.text)
        name = hashlib.sha1(data).hexdigest()
        if not (corpus / name).exists():
            (corpus / name).write_bytes(data)
    started = time.monotonic()
    count = [0]

    def one_input(data: bytes) -> None:
        if time.monotonic() - started > seconds:
            os._exit(summary(count[0], crashes, seconds))  # libFuzzer never returns to Python
        count[0] += 1
        path, text = decode(data)
        error = run_one(crashes.target, path, text)
        if error is not None:
            crashes.record(path, text, error, "atheris")

    def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
        """Half libFuzzer's byte mutations, half the structure-aware ones (they know where a
        line, a quote or a heredoc is, which bit flips rarely reach)."""
        rng = random.Random(seed)
        if rng.random() < 0.5 or not data:
            mutated: bytes = atheris.Mutate(data, max_size)
            return mutated
        text = decode(data)[1]
        text = mutate(text, random_mutation(rng, text))
        return (data[:1] + text.encode("utf-8"))[:max_size]

    arguments = [
        sys.argv[0],
        str(corpus),
        f"-max_len={MAX_INPUT}",
        f"-timeout={int(INPUT_SECONDS) + 20}",
        f"-max_total_time={int(seconds) + 120}",  # a backstop: one_input stops the run
        f"-artifact_prefix={crashes.folder}{os.sep}",
        "-print_final_stats=1",
    ]
    atheris.Setup(arguments, one_input, custom_mutator=custom_mutator)
    atheris.Fuzz()


def summary(tried: int, crashes: Crashes, seconds: float) -> int:
    """Print what the run did; the exit status: 1 when anything failed."""
    print(f"{tried} inputs in {seconds:g} s, {len(crashes.found)} distinct failure(s)", flush=True)
    for key, stored in crashes.found.items():
        print(f"  {key}: {stored}", flush=True)
    return 1 if crashes.found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to fuzz")
    parser.add_argument("--mode", choices=("auto", "atheris", "random"), default="auto")
    parser.add_argument("--seed", type=int, default=None, help="random mode: repeatable run")
    parser.add_argument("--no-corpus", action="store_true", help="seed from the fixtures only")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "rolelint-fuzz",
        help="atheris' growing corpus (kept between runs) and, by default, the crashes",
    )
    parser.add_argument("--crashes", type=Path, default=None, help="where failures are saved")
    args = parser.parse_args(argv)
    mode = args.mode
    if mode == "auto":
        mode = "atheris" if importlib.util.find_spec("atheris") else "random"
    folder = args.crashes or args.workdir / "crashes"
    if mode == "atheris":
        print(f"atheris mode, {args.seconds:g} s", flush=True)
        fuzz_atheris(not args.no_corpus, args.seconds, args.workdir, folder)
        return 0  # not reached: the run ends in one_input
    from tests.fuzz.mutations import parse_and_check, seeds

    crashes = Crashes(folder, parse_and_check)
    chosen = seeds(corpus=not args.no_corpus)
    rng = random.Random(args.seed)
    print(f"random mode, {len(chosen)} seed files, {args.seconds:g} s", flush=True)
    tried = fuzz_random(chosen, args.seconds, rng, crashes)
    return summary(tried, crashes, args.seconds)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))  # tests.fuzz.mutations, when run as a script
    raise SystemExit(main())
