"""Document search latency on a populated index (both engines), next to a constant-JSON ceiling.

    uv run python bench/documents_search.py --documents 200000                 # SQLite (var/bench)
    EGOV_DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench_search uv run python bench/documents_search.py --documents 1000000

Populates once (later runs reuse the data): a provincial People's Committee with 40 agencies
below it, ``--documents`` documents issued by them over ten years (2017–2026) with synthetic
Vietnamese text (about 150 words each, Zipf-like), written with ``search_index_bulk``. It does
not need the full document generator (``egov generate --documents``). Then times, in process:

1. full-text search scoped to one agency and one year, first page of 20 with the capped count,
   as that agency's clerk (``search_documents``: the index query, the count, the permission
   check of the page);
2. the province-wide newest-first first page, as the provincial chairman (sees every agency),
   with no words and with a common word;
3. a number/notation look-up ("123/QĐ"), province-wide;
4. the same searches through the whole Django stack (``GET /api/v1/documents/search`` with the
   test client, signed in), next to the ceiling: ``GET /healthz`` (constant JSON, no database)
   through the same client."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Folded Vietnamese syllables, drawn Zipf-like for subjects and bodies.
_VOCABULARY = """
quyet dinh dat dai ke hoach bao cao cong van thong bao to trinh huong dan
trien khai thuc hien nam 2026 ve viec phe duyet du an dau tu xay dung
cong trinh giao thong nong thon moi chuong trinh muc tieu quoc gia giam ngheo ben
vung y te giao duc dao tao van hoa the thao du lich tai chinh ngan
sach thue phi le phi tai nguyen moi truong khoang san nuoc rung phong ho bien
dao thuy san nong nghiep lam nghiep cong thuong dien luc vien thong chuyen doi so
hanh chinh cai cach thu tuc mot cua lien thong tiep nhan ho so giai quyet
khieu nai to cao thanh tra kiem tra giam sat noi vu can bo cong chuc
vien chuc bien che tuyen dung khen thuong ky luat quoc phong an ninh trat tu
an toan xa hoi lao dong viec lam bao hiem nguoi co cong tre em phu
nu dan toc ton giao tu phap ho tich chung thuc quy hoach su dung dat
giao dat cho thue thu hoi boi thuong ho tro tai dinh cu cap giay chung
nhan quyen so huu nha o dang ky bien dong xu phat vi pham uy ban
nhan dan tinh huyen xa phuong so ban nganh don vi to chuc ca nhan doanh
nghiep hop tac xa ho gia dinh
"""
SYLLABLES = _VOCABULARY.split()
TYPES = ["CV", "QD", "TB", "KH", "BC", "TTr", "CT", "GM"]
ABBR = {"CV": "", "QD": "QD", "TB": "TB", "KH": "KH", "BC": "BC", "TTr": "TTr", "CT": "CT", "GM": "GM"}


def _setup() -> None:
    if not os.environ.get("EGOV_DATABASE_URL"):
        os.environ.setdefault("EGOV_DATA_DIR", str(ROOT / "var" / "bench-documents-search"))
        Path(os.environ["EGOV_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    else:
        os.environ.setdefault("EGOV_DATA_DIR", tempfile.mkdtemp(prefix="egov-bench-"))
    os.environ.setdefault("EGOV_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefgh")
    os.environ.setdefault("EGOV_HTTPS", "0")
    os.environ.setdefault("EGOV_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    import django

    django.setup()


def _world() -> dict[str, object]:
    """The committee, its 40 agencies, a clerk of the first agency and the chairman."""
    from egov.accounts import services as accounts
    from egov.accounts.models import Role, User
    from egov.orgs import services as orgs
    from egov.orgs.models import Unit, UnitKind, UnitLevel

    committee = Unit.objects.filter(name="UBND tỉnh (bench)").first()
    if committee is None:
        province = orgs.unit_create(
            name="Tỉnh (bench)", kind=UnitKind.PROVINCE, level=UnitLevel.PROVINCE, parent=None, by=None
        )
        committee = orgs.unit_create(
            name="UBND tỉnh (bench)",
            kind=UnitKind.PEOPLES_COMMITTEE,
            level=UnitLevel.PROVINCE,
            parent=province,
            by=None,
        )
        for i in range(40):
            orgs.unit_create(
                name=f"Sở {i:02d} (bench)",
                kind=UnitKind.DEPARTMENT,
                level=UnitLevel.PROVINCE,
                parent=committee,
                by=None,
            )
    agencies = list(Unit.objects.filter(parent=committee, kind=UnitKind.DEPARTMENT).order_by("pk"))
    people = {}
    for name, unit, role in (
        ("clerk.bench", agencies[0], Role.CLERK),
        ("chairman.bench", committee, Role.AGENCY_LEADER),
    ):
        user = User.objects.filter(username=name).first()
        if user is None:
            user = accounts.user_create(
                username=name,
                full_name=name,
                password="bench-Passw0rd!x",  # noqa: S106 - a throw-away bench user
                kind="staff",
                by=None,
            )
            accounts.role_grant(user=user, unit=unit, role=role, by=None)
        people[name] = user
    return {"committee": committee, "agencies": agencies, **people}


def _populate(n: int, seed: int, agencies: list[object]) -> None:
    import datetime as dt

    from django.db import connection

    from egov.documents.models import Document
    from egov.documents.search import SearchRow, search_index_bulk, words_of
    from egov.documents.search.rows import state_tag, unit_tags
    from egov.documents.search.text import notation_key

    have = Document.objects.count()
    if have >= n:
        return
    rng = random.Random(seed + have)
    weights = [1 / (i + 1) for i in range(len(SYLLABLES))]
    rng.shuffle(weights)
    start = dt.date(2017, 1, 1)
    started = time.perf_counter()
    batch = 20_000
    counters: dict[tuple[int, int], int] = {}
    for offset in range(have, n, batch):
        size = min(batch, n - offset)
        docs, meta = [], []
        for _i in range(size):
            agency = rng.choice(agencies)
            day = start + dt.timedelta(days=rng.randrange(3650))
            doc_type = rng.choice(TYPES)
            number = counters[(agency.pk, day.year)] = counters.get((agency.pk, day.year), 0) + 1
            notation = "-".join(x for x in (ABBR[doc_type], f"S{agency.pk}") if x)
            subject = " ".join(rng.choices(SYLLABLES, weights, k=rng.randint(6, 16)))
            docs.append(
                Document(
                    doc_type=doc_type,
                    number=f"{number:02d}",
                    notation=notation,
                    issued_on=day,
                    issuer_name=agency.name,
                    issuer_unit=agency,
                    subject=subject,
                    state="issued",
                )
            )
            meta.append((agency, " ".join(rng.choices(SYLLABLES, weights, k=150))))
        Document.objects.bulk_create(docs, batch_size=5000)

        def rows(docs: list[Document] = docs, meta: list[tuple[object, str]] = meta) -> Iterator[SearchRow]:
            for d, (agency, body) in zip(docs, meta, strict=True):
                tags = [*unit_tags("zw", agency.path), *unit_tags("zl", agency.path)]
                tags += [f"fy{d.issued_on.year}", f"ft{d.doc_type.lower()}", state_tag(d.state)]
                yield SearchRow(
                    document_id=d.pk,
                    dated=d.issued_on,
                    doc_type=d.doc_type,
                    state=d.state,
                    secret=False,
                    notation_key=notation_key(d.number, d.notation),
                    issuer_key=agency.name.lower(),
                    words=words_of([f"{d.number}/{d.notation}", d.subject, body], tags),
                )

        search_index_bulk(rows())
        done = offset + size
        rate = (done - have) / (time.perf_counter() - started)
        print(f"  {done:,} documents indexed ({rate:,.0f}/s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    fn()  # warm-up
    timings = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.99) - 1)], timings[-1]


def _cases(
    world: dict[str, object], rng: random.Random
) -> list[tuple[str, object, Callable[[], dict[str, object]]]]:
    words = [
        "quyet dinh",
        "dat dai",
        "ke hoach",
        "giao thong nong thon",
        "khieu nai to cao",
        "bao hiem",
        "chuyen doi so",
        "rung phong ho",
        "tai dinh cu",
        "thu tuc hanh chinh",
    ]
    clerk, chairman = world["clerk.bench"], world["chairman.bench"]
    return [
        (
            "agency + year, full text (clerk of one agency)",
            clerk,
            lambda: {"q": rng.choice(words), "year": rng.randint(2017, 2026)},
        ),
        ("province-wide, newest first, no words (chairman)", chairman, lambda: {}),
        (
            "province-wide, newest first, one common word (chairman)",
            chairman,
            lambda: {"q": rng.choice(words[:3])},
        ),
        ("province-wide, two rarer words (chairman)", chairman, lambda: {"q": rng.choice(words[3:])}),
        (
            "number/notation look-up, province-wide (chairman)",
            chairman,
            lambda: {"q": f"{rng.randint(1, 300)}/QĐ"},
        ),
    ]


def _client_for(user: object) -> object:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    _setup()
    from django.core.management import call_command
    from django.db import connection

    from egov.documents.models import SearchEntry
    from egov.documents.search import SearchQuery, search_documents

    call_command("migrate", verbosity=0)
    world = _world()
    _populate(args.documents, args.seed, world["agencies"])  # type: ignore[arg-type]
    rng = random.Random(args.seed)
    total = SearchEntry.objects.count()
    print(
        f"document search on {total:,} indexed documents ({connection.vendor}), first page of 20, {args.runs} runs each"
    )
    print("  in process (search_documents: index query + capped count + permission check of the page):")
    for label, user, params in _cases(world, rng):

        def run(user: object = user, params: Callable[[], dict[str, object]] = params) -> object:
            return search_documents(user=user, query=SearchQuery(**params()))  # type: ignore[arg-type]

        p50, p99, worst = _timed(run, args.runs)
        print(f"    {label}: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms")
    print("  whole Django stack (test client, signed in), GET /api/v1/documents/search:")
    for label, user, params in _cases(world, rng):

        def call(
            client: object = _client_for(user), params: Callable[[], dict[str, object]] = params
        ) -> None:
            response = client.get("/api/v1/documents/search", params())  # type: ignore[attr-defined]
            assert response.status_code == 200, response.content[:300]

        p50, p99, worst = _timed(call, args.runs)
        print(f"    {label}: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    client = _client_for(world["clerk.bench"])
    p50, p99, _ = _timed(lambda: client.get("/healthz"), args.runs)  # type: ignore[attr-defined]
    print(f"    ceiling, constant JSON (GET /healthz, same client): p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    url = "EGOV_DATABASE_URL=… " if connection.vendor != "sqlite" else ""
    print(
        f"  reproduce: {url}uv run python bench/documents_search.py --documents {args.documents} --runs {args.runs} --seed {args.seed}"
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
