"""HTTP pages benchmark: a signed-in page mix against the real app under gunicorn, beside a hello ceiling.

For each database (SQLite file, PostgreSQL in a fresh database) the app is started with
``gunicorn -c gunicorn.conf.py`` (gthread, 1 worker, GUNICORN_THREADS) on a free 127.0.0.1 port,
migrated and seeded with the demo network, and given a case with 50 replies (through the app's
services, in a setup child process with the same environment). The load comes from ``wrk`` in a
second process with a Lua script: one connection per wrk thread, so each request is timed and
counted per page. Measured per connection count (8, 32, 128 by default):

- the page mix (case list, case with 50 replies, profile, search, meetup list, round robin);
- each page alone at 32 connections (its throughput as a ratio of the hello ceiling);
- a minimal Flask "hello" app (bench/hello.py) under the same gunicorn settings: the ceiling.

``--soak-minutes M`` then drives the mix at 32 connections for M minutes against the first
database and samples the server's RSS every 10 s. Results: bench/results/http.json, charts
docs/http-throughput.png and docs/http-latency.png, and a markdown table on stdout.

    .venv/bin/python -m bench.http [--seconds 15] [--connections 8 32 128]
        [--databases sqlite postgres] [--soak-minutes 2]
"""

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
RESULTS = ROOT / "bench" / "results" / "http.json"
CHART_THROUGHPUT = ROOT / "docs" / "http-throughput.png"
CHART_LATENCY = ROOT / "docs" / "http-latency.png"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
USER_AGENT = "bench-http"  # the same at sign-in and under load: sessions are bound to it ("strong")
# The app runs with the production config (NETWORK_ENV=production), which sends plain-HTTP requests
# to HTTPS; as behind the TLS-terminating proxy, every request says it came in over HTTPS.
CLIENT_HEADERS = {"User-Agent": USER_AGENT, "X-Forwarded-Proto": "https"}
HOST = "127.0.0.1"
REPLIES = 50
WARMUP_SECONDS = 3
SOLO_CONNECTIONS = 32
READY_TIMEOUT = 60
WRK_GRACE = 30  # seconds past the run length before wrk is killed

PAGES = ("case list", "case (50 replies)", "profile", "search", "meetup list")

# One connection per wrk thread (-t N -c N): request() and response() alternate on each thread,
# so a monotonic clock read in both times every request and the page it was for is known.
LUA = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local paths = {PATHS}
local headers = {HEADERS}
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
  table.insert(threads, thread)
end

-- Flat tables only: wrk's thread:get() crashes on nested tables. lat<i> per page, codes["i:status"].
function init(args)
  idx = offset % #paths
  codes = {}
  for i = 1, #paths do _G["lat" .. i] = {} end
end

function request()
  idx = idx % #paths + 1
  current = idx
  started = now_us()
  return wrk.format("GET", paths[idx], headers)
end

function response(status, hdrs, body)
  local l = _G["lat" .. current]
  l[#l + 1] = math.floor(now_us() - started + 0.5)
  local key = current .. ":" .. status
  codes[key] = (codes[key] or 0) + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("SUMMARY %d %d %d %d %d %d %d\n", summary.duration, summary.requests,
    e.connect, e.read, e.write, e.status, e.timeout))
  for i = 1, #paths do
    local parts = {}
    local statuses = {}
    local prefix = i .. ":"
    for _, t in ipairs(threads) do
      local tl = t:get("lat" .. i)
      local tc = t:get("codes")
      if tl then
        for _, v in ipairs(tl) do parts[#parts + 1] = tostring(v) end
      end
      if tc then
        for k, v in pairs(tc) do
          if k:sub(1, #prefix) == prefix then
            local code = k:sub(#prefix + 1)
            statuses[code] = (statuses[code] or 0) + v
          end
        end
      end
    end
    local sl = {}
    for k, v in pairs(statuses) do sl[#sl + 1] = k .. ":" .. v end
    io.write("CODES " .. i .. " " .. table.concat(sl, ",") .. "\n")
    io.write("LAT " .. i .. " " .. table.concat(parts, ",") .. "\n")
  end
end
"""


# --- processes ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen | None, timeout: float = 15) -> None:
    """Terminate, then kill, one process we started (and wait for it)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def children(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found.extend(int(c) for c in text)
    return found


def rss_kib(pid: int) -> int:
    """RSS of a process and its children (gunicorn master + worker)."""
    total = 0
    for p in [pid, *children(pid)]:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def http_get(port: int, path: str, headers: dict | None = None, timeout: float = 10):
    import http.client

    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={**CLIENT_HEADERS, **(headers or {})})
        resp = conn.getresponse()
        return resp.status, resp.getheaders(), resp.read()
    finally:
        conn.close()


class Gunicorn:
    """gunicorn -c gunicorn.conf.py [app] on a free port; output to a log file."""

    def __init__(self, env: dict, log: Path, app: str | None = None, ready_path: str = "/healthz"):
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"{HOST}:{self.port}"}
        self.log_path = log
        self.app = app
        self.ready_path = ready_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        cmd = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
        if self.app:
            cmd.append(self.app)
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early; see {self.log_path}:\n{self.tail()}")
            with contextlib.suppress(OSError):
                if http_get(self.port, self.ready_path, timeout=2)[0] == 200:
                    return self
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"gunicorn not ready after {READY_TIMEOUT} s:\n{self.tail()}")

    def tail(self) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-20:])
        return ""

    def __exit__(self, *exc) -> None:
        stop(self.process, timeout=25)
        with contextlib.suppress(Exception):
            self.log.close()


# --- set-up of one database --------------------------------------------------------------------


def setup_case() -> None:
    """Run in a child process with the benchmark's env: a case with 50 replies; ids as JSON."""
    from sqlalchemy import select

    from network import create_app
    from network.cases import replies, service
    from network.cases.models import REPLY_KINDS
    from network.db import db
    from network.demo import MEMBER_EMAIL
    from network.members.models import Member

    app = create_app()
    with app.app_context():
        leader = db.session.scalars(select(Member).where(Member.email == MEMBER_EMAIL)).one()
        others = db.session.scalars(select(Member).where(Member.id != leader.id).order_by(Member.id)).all()
        others = [m for m in others if m.email.endswith("demo.ledernetvaerket.dk")][:12]
        case = service.publish_case(
            leader,
            None,
            service.CaseFields(
                title="Benchmark: motivation på hovedforløbet",
                problem="Eleverne mister motivationen i andet år. " * 10,
                context="Vi har prøvet flere ting på holdet. " * 5,
                question="Hvad har I gjort for at fastholde motivationen?",
                al_stage="problem",
                visibility="named",
                tags=["motivation", "fastholdelse"],
            ),
        )
        for i in range(REPLIES):
            author = others[i % len(others)]
            body = f"Svar {i + 1}: hos os hjalp det at tale med eleverne om motivation og mål. " * 4
            replies.add_reply(author, case, kind=REPLY_KINDS[i % len(REPLY_KINDS)], body=body)
        db.session.commit()
        print(json.dumps({"case_id": case.id, "member_id": others[0].id}))


def sign_in(port: int) -> str:
    """The session cookie of the demo leader, signed in through the login form."""
    import http.client

    from network.demo import DEMO_PASSWORD, MEMBER_EMAIL

    status, headers, body = http_get(port, "/log-ind")
    cookie = _cookie(headers)
    field = re.search(rb'<input[^>]*name="csrf_token"[^>]*>', body)
    token = re.search(rb'value="([^"]+)"', field.group(0)).group(1).decode() if field else ""
    form = urllib.parse.urlencode({"email": MEMBER_EMAIL, "password": DEMO_PASSWORD, "csrf_token": token})
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(
            "POST",
            "/log-ind",
            body=form,
            headers={
                **CLIENT_HEADERS,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                # Over HTTPS, Flask-WTF also checks that the form came from this site.
                "Referer": f"https://{HOST}:{port}/log-ind",
            },
        )
        resp = conn.getresponse()
        resp.read()
        if resp.status != 302:
            raise RuntimeError(f"sign-in answered {resp.status}, not 302")
        cookie = _cookie(resp.getheaders()) or cookie
    finally:
        conn.close()
    status, _, _ = http_get(port, "/sager", {"Cookie": cookie})
    if status != 200:
        raise RuntimeError(f"/sager with the session cookie answered {status}")
    return cookie


def _cookie(headers: list[tuple[str, str]]) -> str:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def create_pg_database() -> tuple[str, str]:
    import psycopg

    name = f"bench_http_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(database: str, folder: Path, base_env: dict) -> tuple[dict, dict, str | None]:
    """Env, ids and (for PostgreSQL) the database name to drop afterwards."""
    pg_name = None
    if database == "sqlite":
        url = f"sqlite:///{folder / 'app.db'}"
    else:
        pg_name, url = create_pg_database()
    env = {
        **base_env,
        "NETWORK_DATABASE_URL": url,
        "NETWORK_INSTANCE_PATH": str(folder / "instance"),
        "NETWORK_SEARCH_INDEX_DIR": str(folder / "index"),
    }
    try:
        for command in (["init-db"], ["seed-demo"]):
            subprocess.run(
                [str(BIN / "network"), *command],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                timeout=300,
            )
        out = subprocess.run(
            [PYTHON, "-m", "bench.http", "--setup-case"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        ).stdout
    except subprocess.CalledProcessError as error:
        if pg_name:
            drop_pg_database(pg_name)
        raise RuntimeError(f"set-up failed: {error.stderr[-2000:]}") from error
    except BaseException:
        if pg_name:
            drop_pg_database(pg_name)
        raise
    ids = json.loads(out.strip().splitlines()[-1])
    return env, ids, pg_name


# --- load --------------------------------------------------------------------------------------


def lua_script(folder: Path, paths: list[str], headers: dict) -> Path:
    def lua_str(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    text = LUA.replace("{PATHS}", "{" + ", ".join(lua_str(p) for p in paths) + "}")
    text = text.replace(
        "{HEADERS}", "{" + ", ".join(f"[{lua_str(k)}] = {lua_str(v)}" for k, v in headers.items()) + "}"
    )
    script = folder / f"mix-{uuid.uuid4().hex[:6]}.lua"
    script.write_text(text)
    return script


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def start_wrk(port: int, script: Path, connections: int, seconds: float) -> subprocess.Popen:
    cmd = [
        "wrk",
        f"-t{connections}",
        f"-c{connections}",
        f"-d{int(seconds)}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://{HOST}:{port}/",
    ]
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def finish_wrk(process: subprocess.Popen, seconds: float, names: list[str]) -> dict:
    try:
        out, err = process.communicate(timeout=seconds + WRK_GRACE)
    except subprocess.TimeoutExpired:
        stop(process)
        raise RuntimeError("wrk did not finish in time") from None
    finally:
        stop(process)
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}): {err[-1000:]}")
    return parse_wrk(out, names)


def run_wrk(port: int, script: Path, connections: int, seconds: float, names: list[str]) -> dict:
    return finish_wrk(start_wrk(port, script, connections, seconds), seconds, names)


def parse_wrk(out: str, names: list[str]) -> dict:
    duration_s, errors = 0.0, {}
    pages: dict[str, dict] = {}
    codes: dict[int, dict[str, int]] = {}
    for line in out.splitlines():
        if line.startswith("SUMMARY "):
            nums = [int(x) for x in line.split()[1:]]
            duration_s = nums[0] / 1e6
            errors = dict(zip(("connect", "read", "write", "status", "timeout"), nums[2:], strict=True))
        elif line.startswith("CODES "):
            _, i, rest = (line.split(" ", 2) + [""])[:3]
            codes[int(i)] = {k: int(v) for k, v in (p.split(":") for p in rest.split(",") if p)}
        elif line.startswith("LAT "):
            _, i, rest = (line.split(" ", 2) + [""])[:3]
            values = sorted(int(v) / 1000 for v in rest.split(",") if v)
            name = names[int(i) - 1]
            statuses = codes.get(int(i), {})
            pages[name] = {
                "requests": len(values),
                "rps": len(values) / duration_s if duration_s else 0.0,
                "p50_ms": percentile(values, 50),
                "p99_ms": percentile(values, 99),
                "non_2xx": sum(n for s, n in statuses.items() if not s.startswith("2")),
                "5xx": sum(n for s, n in statuses.items() if s.startswith("5")),
                "statuses": statuses,
                "_latencies": values,
            }
    every = sorted(v for p in pages.values() for v in p.pop("_latencies"))
    total = {
        "requests": len(every),
        "rps": len(every) / duration_s if duration_s else 0.0,
        "p50_ms": percentile(every, 50),
        "p99_ms": percentile(every, 99),
        "non_2xx": sum(p["non_2xx"] for p in pages.values()),
        "5xx": sum(p["5xx"] for p in pages.values()),
    }
    conn_errors = sum(errors.get(k, 0) for k in ("connect", "read", "write", "timeout"))
    return {
        "duration_s": duration_s,
        "pages": pages,
        "all": total,
        "wrk_errors": errors,
        "conn_errors": conn_errors,
    }


# --- the benchmark -----------------------------------------------------------------------------


def bench_hello(folder: Path, base_env: dict, args: argparse.Namespace) -> dict:
    print("hello ceiling …", flush=True)
    results = {}
    with Gunicorn(base_env, folder / "hello.log", app="bench.hello:app", ready_path="/") as server:
        script = lua_script(folder, ["/"], CLIENT_HEADERS)
        run_wrk(server.port, script, 8, WARMUP_SECONDS, ["hello"])
        for c in args.connections:
            r = run_wrk(server.port, script, c, args.seconds, ["hello"])
            results[str(c)] = {**r["pages"]["hello"], "conn_errors": r["conn_errors"]}
            print(f"  hello c={c}: {results[str(c)]['rps']:.0f} req/s", flush=True)
    return results


def bench_database(database: str, folder: Path, base_env: dict, args: argparse.Namespace) -> dict:
    print(f"{database}: migrate, seed, case with {REPLIES} replies …", flush=True)
    started = time.monotonic()
    env, ids, pg_name = prepare(database, folder, base_env)
    try:
        print(f"  set-up took {time.monotonic() - started:.0f} s; ids {ids}", flush=True)
        with Gunicorn(env, folder / "app.log") as server:
            cookie = sign_in(server.port)
            paths = [
                "/sager",
                f"/sager/{ids['case_id']}",
                f"/medlemmer/{ids['member_id']}",
                "/soeg?q=motivation",
                "/netvaerksmoeder",
            ]
            headers = {**CLIENT_HEADERS, "Cookie": cookie}
            for path in paths:
                status, _, _ = http_get(server.port, path, headers, timeout=30)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status} before the run")
            mix = lua_script(folder, paths, headers)
            run_wrk(server.port, mix, 8, WARMUP_SECONDS, list(PAGES))
            result: dict = {"paths": dict(zip(PAGES, paths, strict=True)), "mix": {}, "alone": {}}
            for c in args.connections:
                r = run_wrk(server.port, mix, c, args.seconds, list(PAGES))
                result["mix"][str(c)] = r
                print(
                    f"  mix c={c}: {r['all']['rps']:.0f} req/s, p50 {r['all']['p50_ms']:.1f} ms, "
                    f"p99 {r['all']['p99_ms']:.1f} ms, non-2xx {r['all']['non_2xx']}, "
                    f"conn errors {r['conn_errors']}",
                    flush=True,
                )
            for name, path in zip(PAGES, paths, strict=True):
                script = lua_script(folder, [path], headers)
                r = run_wrk(server.port, script, args.solo_connections, args.seconds, [name])
                result["alone"][name] = {**r["pages"][name], "conn_errors": r["conn_errors"]}
                print(f"  {name} alone c={args.solo_connections}: {r['all']['rps']:.0f} req/s", flush=True)
            if args.soak_minutes and database == args.databases[0]:
                result["soak"] = soak(server, mix, args.soak_minutes)
        return result
    finally:
        if pg_name:
            drop_pg_database(pg_name)


def soak(server: Gunicorn, script: Path, minutes: float) -> dict:
    seconds = max(10, int(minutes * 60))
    print(f"  soak: 32 connections for {seconds} s …", flush=True)
    samples = []
    process = start_wrk(server.port, script, 32, seconds)
    try:
        start = time.monotonic()
        samples.append((0.0, rss_kib(server.process.pid)))
        for _ in range(seconds // 10 + 2):
            time.sleep(10)
            if process.poll() is not None:
                break
            samples.append((round(time.monotonic() - start, 1), rss_kib(server.process.pid)))
        r = finish_wrk(process, seconds, list(PAGES))
    finally:
        stop(process)
    warm = min(60.0, seconds / 4)
    after = [kib for t, kib in samples if t >= warm] or [samples[-1][1]]
    out = {
        "seconds": seconds,
        "rss_samples": samples,
        "warmup_s": warm,
        "rss_after_warmup_kib": after[0],
        "rss_end_kib": samples[-1][1],
        "rss_max_kib": max(kib for _, kib in samples),
        "growth_after_warmup_kib": samples[-1][1] - after[0],
        "5xx": r["all"]["5xx"],
        "non_2xx": r["all"]["non_2xx"],
        "conn_errors": r["conn_errors"],
        "rps": r["all"]["rps"],
        "p99_ms": r["all"]["p99_ms"],
    }
    print(
        f"  soak: {out['rps']:.0f} req/s, RSS {out['rss_after_warmup_kib'] / 1024:.1f} → "
        f"{out['rss_end_kib'] / 1024:.1f} MiB, 5xx {out['5xx']}",
        flush=True,
    )
    return out


# --- report ------------------------------------------------------------------------------------


def markdown(results: dict) -> str:
    dbs = list(results["databases"])
    hello = results["hello"]
    lines = []
    head = "| connections | page |" + "".join(
        f" {d} req/s | {d} × hello | {d} p50 ms | {d} p99 ms |" for d in dbs
    )
    head += " errors |"
    lines += [head, "|" + "---:|---|" + "---:|" * (4 * len(dbs)) + "---:|"]
    for c in results["connections"]:
        h = hello[str(c)]
        lines.append(
            f"| {c} | hello (ceiling) |"
            + "".join(f" {h['rps']:.0f} | 1.00 | {h['p50_ms']:.1f} | {h['p99_ms']:.1f} |" for _ in dbs)
            + f" {h['non_2xx'] + h['conn_errors']} |"
        )
        for name in (*PAGES, "mix (all pages)"):
            cells, errors = "", 0
            for d in dbs:
                r = results["databases"][d]["mix"][str(c)]
                p = r["all"] if name.startswith("mix") else r["pages"][name]
                errors += p["non_2xx"] + (r["conn_errors"] if name.startswith("mix") else 0)
                ratio = p["rps"] / h["rps"] if h["rps"] else float("nan")
                cells += f" {p['rps']:.0f} | {ratio:.3f} | {p['p50_ms']:.1f} | {p['p99_ms']:.1f} |"
            lines.append(f"| {c} | {name} |{cells} {errors} |")
    lines.append("")
    sc = results["solo_connections"]
    h = hello[str(sc)]
    lines.append(f"Each page alone at {sc} connections (hello {h['rps']:.0f} req/s):")
    lines.append("")
    lines.append("| page |" + "".join(f" {d} req/s | {d} × hello | {d} p99 ms |" for d in dbs) + " errors |")
    lines.append("|---|" + "---:|" * (3 * len(dbs)) + "---:|")
    for name in PAGES:
        cells, errors = "", 0
        for d in dbs:
            p = results["databases"][d]["alone"][name]
            errors += p["non_2xx"] + p["conn_errors"]
            cells += f" {p['rps']:.0f} | {p['rps'] / h['rps']:.3f} | {p['p99_ms']:.1f} |"
        lines.append(f"| {name} |{cells} {errors} |")
    return "\n".join(lines)


def verdicts(results: dict) -> list[str]:
    out = []
    sc = str(results["solo_connections"])
    for d, r in results["databases"].items():
        ratio = r["alone"]["case (50 replies)"]["rps"] / results["hello"][sc]["rps"]
        out.append(
            f"{d}: case page alone = {ratio:.3f} × hello (target ≥ 0.25): "
            + ("met" if ratio >= 0.25 else "MISSED")
        )
        if "32" in r["mix"]:
            worst = max(p["p99_ms"] for p in r["mix"]["32"]["pages"].values())
            p99 = r["mix"]["32"]["all"]["p99_ms"]
            out.append(
                f"{d}: p99 at 32 connections (mix) = {p99:.1f} ms, worst page {worst:.1f} ms "
                f"(target ≤ 100 ms): {'met' if p99 <= 100 else 'MISSED'}"
            )
        if "soak" in r:
            s = r["soak"]
            out.append(
                f"{d}: soak {s['seconds']} s: 5xx {s['5xx']}, RSS growth after warm-up "
                f"{s['growth_after_warmup_kib'] / 1024:.1f} MiB"
            )
    return out


def charts(results: dict) -> str:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed: no charts"
    dbs = list(results["databases"])
    sc = str(results["solo_connections"])
    hello = results["hello"][sc]["rps"]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / len(dbs)
    for i, d in enumerate(dbs):
        ratios = [results["databases"][d]["alone"][p]["rps"] / hello for p in PAGES]
        ax.bar([x + i * width for x in range(len(PAGES))], ratios, width, label=d)
    ax.axhline(0.25, color="red", linestyle="--", linewidth=1, label="target for the case page (0.25)")
    ax.set_xticks([x + width * (len(dbs) - 1) / 2 for x in range(len(PAGES))], PAGES)
    ax.set_ylabel("throughput / hello ceiling")
    ax.set_title(f"Each page alone at {sc} connections (hello = {hello:.0f} req/s)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(CHART_THROUGHPUT, dpi=100)
    plt.close(fig)

    fig, axes = plt.subplots(1, len(dbs), figsize=(5 * len(dbs), 4.5), sharey=True, squeeze=False)
    conns = results["connections"]
    for ax, d in zip(axes[0], dbs, strict=True):
        for name in PAGES:
            ax.plot(
                conns,
                [results["databases"][d]["mix"][str(c)]["pages"][name]["p99_ms"] for c in conns],
                "o-",
                label=name,
            )
        ax.axhline(100, color="red", linestyle="--", linewidth=1, label="target p99 at 32 (100 ms)")
        ax.set_xscale("log", base=2)
        ax.set_xticks(conns, [str(c) for c in conns])
        ax.set_yscale("log")
        ax.set_xlabel("concurrent connections")
        ax.set_title(f"{d}: p99 latency in the page mix")
    axes[0][0].set_ylabel("p99 ms")
    axes[0][-1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(CHART_LATENCY, dpi=100)
    plt.close(fig)
    return f"charts: {CHART_THROUGHPUT.relative_to(ROOT)}, {CHART_LATENCY.relative_to(ROOT)}"


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15, help="length of each measured run")
    parser.add_argument("--connections", type=int, nargs="+", default=[8, 32, 128])
    parser.add_argument("--solo-connections", type=int, default=SOLO_CONNECTIONS)
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument("--soak-minutes", type=float, default=0)
    parser.add_argument("--setup-case", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup_case:
        setup_case()
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    args.seconds = max(1, int(args.seconds))
    if args.solo_connections not in args.connections:
        args.connections = sorted({*args.connections, args.solo_connections})

    started = time.monotonic()
    base_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NETWORK_", "GUNICORN_")) or k == "GUNICORN_THREADS"
    }
    base_env.update(
        {
            "NETWORK_ENV": "production",
            "NETWORK_SECRET_KEY": uuid.uuid4().hex * 2,
            "NETWORK_BASE_URL": "https://127.0.0.1",  # required in production; the bench mails nothing
            "NETWORK_LOGIN_RATE_LIMIT": "1000 per minute",
            "NETWORK_LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute",
            "PYTHONUNBUFFERED": "1",
        }
    )
    # Ctrl-C or SIGTERM: unwind through the finally blocks that stop what we started.
    signal.signal(signal.SIGTERM, _interrupt)
    results: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "gunicorn_threads": int(base_env.get("GUNICORN_THREADS", "64")),
        "seconds": args.seconds,
        "connections": args.connections,
        "solo_connections": args.solo_connections,
        "load_generator": "wrk (Debian), one connection per thread, Lua-timed per page",
        "databases": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        folder = Path(tmp)
        results["hello"] = bench_hello(folder, base_env, args)
        for database in args.databases:
            sub = folder / database
            sub.mkdir()
            results["databases"][database] = bench_database(database, sub, base_env, args)
    results["runtime_s"] = round(time.monotonic() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print()
    print(markdown(results))
    print()
    for line in verdicts(results):
        print("- " + line)
    print(charts(results))
    print(f"results: {RESULTS.relative_to(ROOT)}; runtime {results['runtime_s']:.0f} s")


if __name__ == "__main__":
    main()
