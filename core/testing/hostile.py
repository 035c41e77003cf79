"""Hostile files for the import engine and the scan upload, built on demand.

The tests (tests/core/test_import_hostile.py) and the bench (bench/hostile_bench.py) build the
same files from here, so a regression shows in both. Huge files are never committed: they are
made when needed, and the biggest are written straight into a zip stream, so building a
workbook with a 400 MB cell never holds 400 MB in memory.

Every workbook here is written by hand (not through openpyxl) so that its XML is exactly what
the attack needs: a cell at XFD1048576 with nothing between it and the header, a declared
dimension that lies, cells without an `r` attribute, a zip entry whose declared size lies.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PERSON_HEADER = ("ФИО", "Дата рождения", "Категория")
PERSON_ROW = ("Соколова Мария Андреевна", "14.03.2011", "обучающийся")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
    '<sheet name="Люди" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)


def column_letters(number: int) -> str:
    """1 → A, 26 → Z, 27 → AA, 16384 → XFD."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _inline(ref: str | None, value: str) -> str:
    r = f' r="{ref}"' if ref else ""
    return f'<c{r} t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def _rows_xml(rows: Sequence[Sequence[str]], *, refs: bool = True) -> str:
    parts = []
    for number, values in enumerate(rows, start=1):
        cells = "".join(
            _inline(f"{column_letters(index)}{number}" if refs else None, value)
            for index, value in enumerate(values, start=1)
        )
        parts.append(f'<row r="{number}">{cells}</row>' if refs else f"<row>{cells}</row>")
    return "".join(parts)


def sheet_xml(body: str, *, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{dim}<sheetData>{body}</sheetData></worksheet>'
    )


def shared_strings_xml(strings: Iterable[str]) -> str:
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN_NS}">{items}</sst>'


def workbook(
    sheet: str,
    *,
    shared_strings: str | None = None,
    extra: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """An .xlsx from the XML of its first sheet (and of its shared strings)."""
    parts: dict[str, bytes] = {
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "_rels/.rels": ROOT_RELS.encode(),
        "xl/workbook.xml": WORKBOOK.encode(),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.encode(),
        "xl/worksheets/sheet1.xml": sheet.encode(),
        "xl/sharedStrings.xml": (shared_strings or shared_strings_xml([])).encode(),
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def people_xlsx(rows: Sequence[Sequence[str]] = (PERSON_ROW,), *, refs: bool = True, extra_cells: str = "") -> bytes:
    """A persons table: the header, `rows`, and `extra_cells` (raw <row> XML) after them."""
    return workbook(sheet_xml(_rows_xml([PERSON_HEADER, *rows], refs=refs) + extra_cells))


def far_cell_xlsx(ref: str, *, dimension: str | None = None, value: str = "x") -> bytes:
    """The 2 KB file of issue 6: a header, one data row and one cell far away (XFD1048576)."""
    row = int("".join(ch for ch in ref if ch.isdigit()))
    return workbook(
        sheet_xml(
            _rows_xml([PERSON_HEADER, PERSON_ROW]) + f'<row r="{row}">{_inline(ref, value)}</row>', dimension=dimension
        )
    )


def declared_dimension_xlsx(dimension: str) -> bytes:
    """A small table whose <dimension> declares a huge range (the cells themselves are few)."""
    return workbook(sheet_xml(_rows_xml([PERSON_HEADER, PERSON_ROW]), dimension=dimension))


def nul_cell_xlsx(escape_text: str = "_x0000_") -> bytes:
    """A name cell holding an escaped control character, as Excel writes one (`_x0000_` is NUL)."""
    sst = shared_strings_xml([*PERSON_HEADER, f"Соколова{escape_text} Мария", "14.03.2011", "обучающийся"])
    cells = "".join(
        f'<c r="{column_letters(i + 1)}{row}" t="s"><v>{index}</v></c>'
        for row, indexes in ((1, (0, 1, 2)), (2, (3, 4, 5)))
        for i, index in enumerate(indexes)
    )
    body = '<row r="1">' + cells[: len(cells) // 2] + '</row><row r="2">' + cells[len(cells) // 2 :] + "</row>"
    return workbook(sheet_xml(body), shared_strings=sst)


def _streamed(archive: zipfile.ZipFile, name: str, chunks: Iterable[bytes]) -> None:
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as target:
        for chunk in chunks:
            target.write(chunk)


def _repeat(block: bytes, total: int) -> Iterator[bytes]:
    left = total
    while left > 0:
        piece = block[: min(len(block), left)]
        yield piece
        left -= len(piece)


def long_cell_xlsx(chars: int, *, shared: bool = True) -> bytes:
    """A persons table whose first data cell holds `chars` characters (the 400 MB cell of issue 6),
    as a shared string (what Excel writes) or an inline string. Built streaming: the string is
    never in memory whole, and the file stays small (the text compresses ~1000:1)."""
    buffer = io.BytesIO()
    block = b"A" * (1 << 20)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ):
            archive.writestr(name, data)
        head = "".join(_inline(f"{column_letters(i + 1)}1", h) for i, h in enumerate(PERSON_HEADER))
        rest = "".join(_inline(f"{column_letters(i + 2)}2", v) for i, v in enumerate(PERSON_ROW[1:]))
        if shared:
            sheet = sheet_xml(f'<row r="1">{head}</row><row r="2"><c r="A2" t="s"><v>0</v></c>{rest}</row>')
            archive.writestr("xl/worksheets/sheet1.xml", sheet)
            start = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}"><si><t>'.encode()
            _streamed(archive, "xl/sharedStrings.xml", [start, *_repeat(block, chars), b"</t></si></sst>"])
        else:
            archive.writestr("xl/sharedStrings.xml", shared_strings_xml([]))
            before, after = sheet_xml(
                f'<row r="1">{head}</row><row r="2"><c r="A2" t="inlineStr"><is><t>\x00</t></is></c>{rest}</row>'
            ).split("\x00")
            _streamed(archive, "xl/worksheets/sheet1.xml", [before.encode(), *_repeat(block, chars), after.encode()])
    return buffer.getvalue()


def zip_bomb_xlsx(unpacked: int) -> bytes:
    """A well-formed workbook whose sheet unpacks to `unpacked` bytes (whitespace between two
    rows: valid XML, so only a size check stops it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/sharedStrings.xml", shared_strings_xml([])),
        ):
            archive.writestr(name, data)
        before, after = sheet_xml(_rows_xml([PERSON_HEADER]) + "\x00").split("\x00")
        _streamed(
            archive, "xl/worksheets/sheet1.xml", [before.encode(), *_repeat(b" " * (1 << 20), unpacked), after.encode()]
        )
    return buffer.getvalue()


def lying_size_xlsx(declared: int = 100) -> bytes:
    """A workbook whose sheet's zip entry declares `declared` bytes but unpacks to more."""
    good = people_xlsx()
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    data = bytearray(out.getvalue())
    # Patch the uncompressed size of the sheet in its local header and its central directory entry.
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            if bytes(data[start + name_offset : start + name_offset + length]) == name:
                struct.pack_into("<I", data, start + size_offset, declared)
            start += 4
    return bytes(data)


def many_members_xlsx(members: int) -> bytes:
    """A workbook padded with `members` empty zip entries."""
    return workbook(
        sheet_xml(_rows_xml([PERSON_HEADER, PERSON_ROW])),
        extra={f"xl/media/pad{n}.bin": b"" for n in range(members)},
        compression=zipfile.ZIP_STORED,
    )


# Images -----------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height pixels, with (almost) no pixel data: 69 bytes
    for 30000 × 30000, the «decompression bomb» of issue 6."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b""))
        + _png_chunk(b"IEND", b"")
    )


# A process of its own ----------------------------------------------------------------------


@dataclass
class Isolated:
    returncode: int
    stdout: str
    stderr: str
    outcome: object = None
    peak_mb: float | None = None  # the child's own VmHWM (not inherited from its parent)
    seconds: float | None = None


_CHILD = """
import json, os, resource, sys, time
limit = int(sys.argv[1])
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.path.insert(0, sys.argv[2])
import django
django.setup()
started = time.perf_counter()
outcome = None
exec(compile(sys.stdin.read(), "<isolated>", "exec"))
seconds = time.perf_counter() - started
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print("ISOLATED " + json.dumps({"outcome": outcome, "peak_kb": peak, "seconds": seconds}, default=str))
"""


def run_isolated(
    code: str, *, address_space: int = 0, settings_module: str | None = None, timeout: float = 300
) -> Isolated:
    """Run `code` in a new Python process with Django set up; it sets `outcome`. The child may be
    capped to `address_space` bytes, so that a regression that would allocate gigabytes fails
    there (MemoryError, or an abort from a Rust allocation) instead of taking the machine."""
    root = Path(__file__).resolve().parent.parent.parent
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = settings_module or os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test")
    process = subprocess.run(
        [sys.executable, "-c", _CHILD, str(address_space), str(root)],
        input=code,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    result = Isolated(process.returncode, process.stdout, process.stderr)
    for line in process.stdout.splitlines():
        if line.startswith("ISOLATED "):
            data = json.loads(line[len("ISOLATED ") :])
            result.outcome = data["outcome"]
            result.peak_mb = data["peak_kb"] / 1024
            result.seconds = data["seconds"]
    return result
