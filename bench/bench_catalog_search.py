"""Catalogue search latency on 5,000 published procedures (both engines).

    uv run python bench/bench_catalog_search.py                      # SQLite (temporary file)
    EGOV_DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench uv run python bench/bench_catalog_search.py

Builds a throw-away catalogue in a fresh database (SQLite under a temp dir, or the given
PostgreSQL database, which must exist and be empty), then times procedure_search()."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--procedures", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    os.environ.setdefault("EGOV_DATA_DIR", tempfile.mkdtemp(prefix="egov-bench-"))
    os.environ.setdefault("EGOV_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefgh")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from egov.catalog.models import Field, Procedure, ProcedureVersion, VersionStatus
    from egov.catalog.selectors import procedure_search
    from egov.catalog.text import fold

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    verbs = [
        "Cấp",
        "Đăng ký",
        "Cấp lại",
        "Điều chỉnh",
        "Gia hạn",
        "Thu hồi",
        "Xác nhận",
        "Chứng thực",
        "Thẩm định",
    ]
    objects = [
        "giấy phép xây dựng",
        "khai sinh",
        "kết hôn",
        "hộ kinh doanh",
        "giấy chứng nhận quyền sử dụng đất",
        "chứng chỉ hành nghề",
        "phiếu lý lịch tư pháp",
        "giấy phép lái xe",
        "bản sao",
        "an toàn thực phẩm",
        "doanh nghiệp tư nhân",
        "hợp đồng lao động",
        "giấy phép kinh doanh rượu",
        "nhà ở riêng lẻ",
    ]
    qualifiers = ["", " cho công dân", " có yếu tố nước ngoài", " cấp tỉnh", " cấp xã", " lưu động", " đợt 2"]
    fields = [
        Field.objects.get_or_create(code=f"F{i:02d}", defaults={"name": f"Lĩnh vực {i}"})[0]
        for i in range(40)
    ]
    if not Procedure.objects.filter(code__startswith="B.").exists():
        procs = Procedure.objects.bulk_create(Procedure(code=f"B.{i:06d}") for i in range(args.procedures))
        versions = []
        for p in procs:
            name = f"{rng.choice(verbs)} {rng.choice(objects)}{rng.choice(qualifiers)} {p.code[-3:]}"
            field = rng.choice(fields)
            versions.append(
                ProcedureVersion(
                    procedure=p,
                    number=1,
                    status=VersionStatus.PUBLISHED,
                    name=name,
                    name_folded=fold(name),
                    search_text=fold(f"{name} | {p.code} | {field.name}"),
                    field=field,
                    levels=[rng.choice(["province", "district", "commune"])],
                    online_level=rng.choice(["full", "partial", "none"]),
                )
            )
        ProcedureVersion.objects.bulk_create(versions, batch_size=1000)
    queries = [
        "dang ky khai sinh",
        "giay phep xay dung",
        "cap lai",
        "Đăng ký kết hôn",
        "ho kinh doanh",
        "an toan thuc pham",
        "B.0012",
        "chung thuc ban sao",
        "ly lich tu phap",
        "xyz khong co",
    ]
    timings = []
    for i in range(args.queries):
        q = queries[i % len(queries)]
        start = time.perf_counter()
        list(procedure_search(q=q)[:20])
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(
        f"catalogue search on {ProcedureVersion.objects.count():,} procedures ({connection.vendor}), first page of 20"
    )
    print(f"  {args.queries} queries: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {timings[-1]:.1f} ms")
    print(
        f"  reproduce: {'EGOV_DATABASE_URL=… ' if connection.vendor != 'sqlite' else ''}uv run python bench/bench_catalog_search.py --procedures {args.procedures} --queries {args.queries} --seed {args.seed}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
