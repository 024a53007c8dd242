"""Excel workbooks to download: one sheet per table, numbers as numbers, text neutralised as the
CSV downloads are (kirklees.csvfiles: a cell starting = + - @ tab or CR would run as a formula)."""
import io
import re

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from .csvfiles import spreadsheet_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet_title(title: str, used: set) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name.lower())
    return name


def _cell(value):
    if isinstance(value, bool) or value is None:
        return "" if value is None else ("Yes" if value else "No")
    if isinstance(value, int | float):
        return value
    # Always a string cell: openpyxl would make a formula of anything starting "=".
    return spreadsheet_text(value)


def xlsx_response(filename: str, sheets: list[tuple[str, list[str], list[list]]]) -> HttpResponse:
    """`sheets`: (title, header, rows) for each sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(_sheet_title(title, used))
        sheet.append([_cell(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":  # belt and braces: never a formula
                    cell.data_type = "s"
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
