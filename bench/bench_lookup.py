"""Public status look-up over HTTP at provincial scale, next to the server's and the driver's ceilings.

    uv run python bench/bench_lookup.py --dossiers 2000000            # SQLite in var/bench
    EGOV_DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench uv run python bench/bench_lookup.py --dossiers 2000000

Fills the database with `egov generate` (once; later runs reuse it), starts `egov serve`
(gunicorn, 2 workers) on loopback and drives it with wrk (Debian package `wrk`):

1. the ceiling: the same server answering a constant JSON (`/healthz`, no database);
2. the status look-up as JSON (`POST /api/v1/public/lookup`: rate-limit counters bumped in the
   cache, dossier found by code and look-up code, its public timeline) over a random sample of
   real codes — the figure the targets apply to;
3. the citizen's look-up page (`POST /cong-dan/tra-cuu/`, CSRF checked, the whole HTML page
   rendered), for comparison;
4. the raw database time of the same row through the driver (no Django).

Rate limits are raised for the run (`EGOV_RATE_LIMITS`); with Redis reachable on 127.0.0.1:6379
the counters live there (database 15), as in production with several web processes.
Every look-up must answer 200 (found): a wrong code or an error fails the benchmark."""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, bench_env, ensure_dossiers, serve, setup_django

# wrk posts one body per line of the file given after `--`, in turn, from a random start.
LOOKUP_SCRIPT = """
local bodies = {}
local n = 0
local i = 0
function init(args)
  for line in io.lines(args[1]) do
    n = n + 1
    bodies[n] = line
  end
  i = math.random(n)
end
function request()
  i = i % n + 1
  return wrk.format("POST", "PATH", HEADERS, bodies[i])
end
"""


def _script(folder: Path, name: str, path: str, headers: dict[str, str]) -> Path:
    lua_headers = "{" + ", ".join(f'["{k}"] = "{v}"' for k, v in headers.items()) + "}"
    script = folder / f"{name}.lua"
    script.write_text(LOOKUP_SCRIPT.replace("PATH", path).replace("HEADERS", lua_headers))
    return script


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def _wrk(url: str, *, seconds: int, connections: int, threads: int, script: str = "", arg: str = "") -> dict:
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    if script:
        command += ["-s", script]
    command.append(url)
    if arg:
        command += ["--", arg]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 - wrk, our arguments
    out = done.stdout
    percentiles = {
        p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    failures = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": percentiles["50"],
        "p99": percentiles["99"],
        "failed": int(failures.group(1)) if failures else 0,
        "errors": errors.group(1) if errors else "",
        "raw": out,
    }


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--sample", type=int, default=5000, help="distinct dossiers looked up")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian package)")
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    extra = {"EGOV_RATE_LIMITS": "lookup=1000000000/1000000000/60"}
    if _redis_up():
        extra["EGOV_CACHE_URL"] = "redis://127.0.0.1:6379/15"
    env = bench_env(args.data_dir, **extra)
    setup_django(env)
    from django.db import connection

    from egov.dossiers.models import Dossier

    total = ensure_dossiers(args.dossiers, seed=args.seed, env=env)
    vendor = connection.vendor
    rng = random.Random(args.seed)
    top = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    wanted = rng.sample(range(1, top + 1), min(args.sample, top))
    sample = list(Dossier.objects.filter(pk__in=wanted).values_list("code", "lookup_secret"))
    connection.close()

    # The driver's own time for the same look-up: one indexed row by code, no Django.
    table = Dossier._meta.db_table
    sql = f"SELECT id, code, state, lookup_secret, applicant_phone, due_at FROM {table} WHERE code = {{}}"
    settings_db = connection.settings_dict
    if vendor == "postgresql":
        import psycopg

        raw = psycopg.connect(
            dbname=settings_db["NAME"], user=settings_db["USER"], host=settings_db["HOST"] or None,
            port=settings_db["PORT"] or None, password=settings_db["PASSWORD"] or None, autocommit=True,
        )  # fmt: skip
        query = sql.format("%s")
    else:
        raw = sqlite3.connect(settings_db["NAME"])  # type: ignore[assignment]
        query = sql.format("?")
    timings = []
    for code, _secret in sample * 2:
        t0 = time.perf_counter()
        raw.execute(query, (code,)).fetchall()  # type: ignore[arg-type]
        timings.append((time.perf_counter() - t0) * 1000)
    raw.close()
    timings = timings[len(sample) :]  # the second pass: warm cache, like the HTTP runs
    driver_mean = statistics.fmean(timings)
    driver_p99 = statistics.quantiles(timings, n=100)[98]

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server, base = serve(env, workers=args.workers)
        try:
            with urllib.request.urlopen(f"{base}/cong-dan/tra-cuu/") as response:  # noqa: S310 - loopback
                cookie = response.headers.get("Set-Cookie", "")
            token = re.search(r"csrftoken=([A-Za-z0-9]+)", cookie).group(1)  # type: ignore[union-attr]
            api_bodies = folder / "api.txt"
            api_bodies.write_text("".join(json.dumps({"code": c, "proof": p}) + "\n" for c, p in sample))
            form_bodies = folder / "form.txt"
            form_bodies.write_text(
                "".join(f"code={c}&proof={p}&csrfmiddlewaretoken={token}\n" for c, p in sample)
            )
            api_script = _script(folder, "api", "/api/v1/public/lookup", {"Content-Type": "application/json"})
            form_script = _script(
                folder, "form", "/cong-dan/tra-cuu/",
                {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={token}"},
            )  # fmt: skip
            # One look-up by hand each way: it must find the dossier (wrk only counts status codes).
            code, secret = sample[0]
            request = urllib.request.Request(  # noqa: S310 - loopback
                f"{base}/api/v1/public/lookup",
                data=json.dumps({"code": code, "proof": secret}).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request) as response:  # noqa: S310 - loopback
                if json.load(response)["code"] != code:
                    raise SystemExit("the JSON look-up answered another dossier")
            request = urllib.request.Request(  # noqa: S310 - loopback
                f"{base}/cong-dan/tra-cuu/",
                data=f"code={code}&proof={secret}&csrfmiddlewaretoken={token}".encode(),
                headers={"Cookie": f"csrftoken={token}"},
            )
            with urllib.request.urlopen(request) as response:  # noqa: S310 - loopback
                if code not in response.read().decode():
                    raise SystemExit("the look-up page does not show the dossier it was asked for")
            common = {"seconds": args.seconds, "connections": args.connections, "threads": args.threads}
            warm = {**common, "seconds": 3}
            _wrk(f"{base}/healthz", **warm)
            ceiling = _wrk(f"{base}/healthz", **common)
            _wrk(base, script=str(api_script), arg=str(api_bodies), **warm)
            lookup = _wrk(base, script=str(api_script), arg=str(api_bodies), **common)
            _wrk(base, script=str(form_script), arg=str(form_bodies), **warm)
            page = _wrk(base, script=str(form_script), arg=str(form_bodies), **common)
        finally:
            server.terminate()
            server.wait(timeout=30)
    for name, run in (("ceiling", ceiling), ("look-up", lookup), ("page", page)):
        if run["failed"] or run["errors"]:
            print(run["raw"])
            raise SystemExit(
                f"{name}: {run['failed']} failed responses, socket errors: {run['errors'] or 'none'}"
            )
    ratio = lookup["rps"] / ceiling["rps"]
    print(f"Public look-up on {total:,} dossiers ({vendor}), gunicorn {args.workers} workers, wrk "
          f"-t{args.threads} -c{args.connections} -d{args.seconds}s on loopback:")  # fmt: skip
    print(f"  ceiling, constant JSON (/healthz): {ceiling['rps']:,.0f} req/s, "
          f"p50 {ceiling['p50']:.1f} ms, p99 {ceiling['p99']:.1f} ms")  # fmt: skip
    print(f"  look-up, JSON (POST /api/v1/public/lookup): {lookup['rps']:,.0f} req/s, "
          f"p50 {lookup['p50']:.1f} ms, p99 {lookup['p99']:.1f} ms; {ratio:.0%} of the ceiling")  # fmt: skip
    print(f"  look-up page, HTML (POST /cong-dan/tra-cuu/): {page['rps']:,.0f} req/s, "
          f"p50 {page['p50']:.1f} ms, p99 {page['p99']:.1f} ms; {page['rps'] / ceiling['rps']:.0%} of the ceiling")  # fmt: skip
    print(f"  driver, same row by code ({len(sample):,} codes): mean {driver_mean:.3f} ms, p99 {driver_p99:.3f} ms "
          f"(≈{1000 / driver_mean:,.0f} look-ups/s on one connection)")  # fmt: skip
    targets = lookup["p99"] < 50 and ratio >= 0.6
    print(f"  targets (p99 < 50 ms, ≥ 60% of the ceiling): {'met' if targets else 'NOT met'}")
    print(
        "  reproduce: "
        + ("EGOV_DATABASE_URL=… " if vendor != "sqlite" else "")
        + f"uv run python bench/bench_lookup.py --dossiers {args.dossiers} --seed {args.seed} "
        f"--connections {args.connections} --seconds {args.seconds}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
