"""How a consolidated report's DOCX grows with its annex: size and rendering time of the DOCX (python-docx), and
the time LibreOffice takes to open it and lay it out as a PDF (what a clerk waits for when opening it), at
100 / 500 / 1,000 / 5,000 annex rows. The figures chose MAX_ANNEX_ROWS (qms_portal/printing/docx.py).

    python -m bench.docx_annex [--rows 100 500 1000 5000] [--output figures.json]

No database: the provincial annex template is rendered with synthetic rows shaped like reports.gathering's
(the same 14 columns, names and values of believable length), around a short body.
"""

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

KINDS = ["Sở, ban, ngành và tương đương", "UBND cấp xã", "Đơn vị sự nghiệp công lập", "Chi cục và tương đương"]
NAMES = ["Trường Trung học phổ thông Nguyễn Trãi", "Ủy ban nhân dân phường Long Xuyên", "Sở Tư pháp",
         "Chi cục Tiêu chuẩn Đo lường Chất lượng", "Trung tâm Phục vụ hành chính công tỉnh"]


def annex_rows(count: int) -> list[dict]:
    rows = []
    for number in range(1, count + 1):
        row = SimpleNamespace(number=number, name=f"{NAMES[number % len(NAMES)]} số {number}", procedures_covered=
                              number % 40, procedures_total=40, findings_open=number % 3, findings_overdue=number % 2,
                              corrective_status="Quá hạn" if number % 5 == 0 else "Đang khắc phục")
        rows.append({"row": row, "kind": KINDS[number % len(KINDS)], "obligation": "Bắt buộc", "edition": "2015",
                     "stage": "Duy trì, cải tiến", "announcement": f"{number}/QĐ-UBND, 16/02/2026",
                     "inspection": "Trực tiếp, 10/03/2026" if number % 3 == 0 else "Qua hồ sơ", "audit": "Có",
                     "review": "Có", "report": "Đúng hạn"})
    return rows


def convert(docx: Path, profile: Path, *, timeout: float) -> tuple[float, float, int | None]:
    """LibreOffice's wall time and CPU time (it is a child process) to open the DOCX and write its PDF; no page
    count when it did not finish within `timeout` seconds (it is then stopped, with the processes it started)."""
    from pypdf import PdfReader

    started, cpu = time.perf_counter(), _children_cpu()
    process = subprocess.Popen([shutil.which("soffice"), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                                "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        cpu_so_far = _process_group_cpu(process.pid)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return time.perf_counter() - started, cpu_so_far, None
    return time.perf_counter() - started, _children_cpu() - cpu, len(PdfReader(docx.with_suffix(".pdf")).pages)


def _process_group_cpu(group: int) -> float:
    """CPU seconds used so far by the processes of a group (soffice.bin is a grandchild: not counted until reaped)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return total


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(counts: list[int], *, timeout: float = 1800, out=print) -> list[dict]:
    from django.template.loader import render_to_string

    from qms_portal.printing import OfficialDocument
    from qms_portal.printing.docx import docx_render

    document = OfficialDocument(
        parent_body="UBND TỈNH AN GIANG", issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ", number="05/BC-SKHCN",
        place="An Giang", issued_on=date(2026, 12, 2), doc_type="Báo cáo",
        summary="Kết quả áp dụng Hệ thống quản lý chất lượng năm 2026", recipients=["UBND tỉnh", "Lưu: VT, SKHCN"],
        signing_capacity=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], signer_name="Nguyễn Văn A")
    body = "<h2>I. KẾT QUẢ</h2>" + "<p>Nội dung báo cáo của Sở Khoa học và Công nghệ.</p>" * 20
    results = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        profile = work / "profile"
        warm = work / "warm.docx"
        warm.write_bytes(docx_render(document=document, body_html=body))
        convert(warm, profile, timeout=timeout)  # the profile is created once, as on a clerk's machine
        for count in counts:
            annex = render_to_string("reports/pdf/provincial_annex.html", {
                "document": document, "issuer_title": "Sở Khoa học và Công nghệ", "rows": annex_rows(count)})
            started, cpu = time.perf_counter(), time.process_time()
            data = docx_render(document=document, body_html=body, appendices_html=annex, max_annex_rows=count)
            render, render_cpu = time.perf_counter() - started, time.process_time() - cpu
            path = work / f"annex-{count}.docx"
            path.write_bytes(data)
            lo_seconds, lo_cpu, pages = convert(path, profile, timeout=timeout)
            result = {"rows": count, "docx_kb": round(len(data) / 1024), "docx_seconds": round(render, 2),
                      "docx_cpu_seconds": round(render_cpu, 2), "libreoffice_seconds": round(lo_seconds, 1),
                      "libreoffice_cpu_seconds": round(lo_cpu, 1), "pdf_pages": pages}
            finished = f"{pages} pages" if pages else "NOT FINISHED, stopped"
            out(f"{count:>6} rows: DOCX {result['docx_kb']:>5} kB in {render:5.2f} s ({render_cpu:5.2f} s CPU); "
                f"LibreOffice to PDF {lo_seconds:6.1f} s ({lo_cpu:6.1f} s CPU), {finished}")
            results.append(result)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100, 500, 1000, 5000])
    parser.add_argument("--timeout", type=float, default=1800, help="seconds LibreOffice may take per document")
    parser.add_argument("--output")
    args = parser.parse_args(argv)
    if not shutil.which("soffice"):
        print("LibreOffice (soffice) is not installed", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms_portal.settings.local")
    import django

    django.setup()
    results = measure(args.rows, timeout=args.timeout)
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
