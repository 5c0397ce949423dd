"""The leaders' dashboard as an Excel workbook: the same figures, one sheet per table.

Names typed by people (wards, categories, the campaign) are written as text, never as formulas: a ward called
"=HYPERLINK(…)" must not run anything when a leader opens the file (CSV/formula injection).
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from relief.spreadsheets import safe_text

BOLD = Font(bold=True)


def _put(sheet, row, column, value, *, bold=False, number_format=None):
    cell = sheet.cell(row=row, column=column)
    cell.value = safe_text(value)
    if bold:
        cell.font = BOLD
    if number_format:
        cell.number_format = number_format
    return cell


def _table(sheet, start_row, headings, rows, *, total=None, formats=None):
    """Write headings, rows and an optional bold totals row; return the next free row.

    ``formats`` maps a column number (from 1) to an Excel number format for its cells.
    """
    formats = formats or {}
    for column, heading in enumerate(headings, 1):
        _put(sheet, start_row, column, heading, bold=True)
    row_number = start_row
    for row_number, values in enumerate(rows, start_row + 1):
        for column, value in enumerate(values, 1):
            _put(sheet, row_number, column, value, number_format=formats.get(column))
    if total is not None:
        row_number += 1
        for column, value in enumerate(total, 1):
            _put(sheet, row_number, column, value, bold=True, number_format=formats.get(column))
    for column, heading in enumerate(headings, 1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, len(heading) + 4, 14)
    return row_number + 2


def _figures(figures):
    return [
        figures.households_approved,
        figures.households_served,
        figures.households_waiting,
        figures.allocated,
        figures.handed_out,
        figures.in_stock,
        figures.voided,
        round(figures.coverage / 100, 4),
        figures.pending_requests,
        figures.reports_open,
        figures.reports_overdue,
        figures.reports_resolved,
    ]


# "{Unit}" and "{unit}" stand for the campaign's receiving units by their level ("Phường", "Khu phố").
WARD_HEADINGS = [
    "{Unit}",
    "Hộ được duyệt",
    "Hộ đã nhận",
    "Hộ còn chờ",
    "Túi đã phân bổ",
    "Túi đã trao",
    "Túi còn tại {unit}",
    "Túi hủy (mất, hỏng)",
    "Tỷ lệ bao phủ",
    "Đề nghị chờ duyệt",
    "Báo bỏ sót chờ xử lý",
    "Báo bỏ sót quá hạn",
    "Báo bỏ sót đã xử lý",
]
MONEY = '#,##0 "₫"'
PERCENT = "0.0%"


def dashboard_workbook(board, filters, *, made_by, made_at):
    """The .xlsx bytes of ``board`` (a leaders.dashboard.Dashboard) under ``filters``."""
    campaign = board.campaign
    unit = campaign.district.units_label
    book = Workbook()
    summary = book.active
    summary.title = "Tổng hợp"
    period = "toàn chương trình"
    if filters.date_from or filters.date_to:
        start = filters.date_from.strftime("%d/%m/%Y") if filters.date_from else "…"
        end = filters.date_to.strftime("%d/%m/%Y") if filters.date_to else "…"
        period = f"{start} - {end}"
    rows = [
        ("Chương trình", campaign.name),
        (campaign.district.level_label, str(campaign.district)),
        ("Khoảng thời gian (trao túi theo ngày)", period),
        ("Lập lúc", made_at.strftime("%d/%m/%Y %H:%M")),
        ("Người lập", made_by.get_full_name() or made_by.username),
    ]
    money_rows = [
        ("Tiền đã nhận (đồng)", board.money["net_cash"]),
        ("Mục tiêu (đồng)", campaign.target_amount),
    ]
    count_rows = [
        ("Túi đã có nguồn", board.bags["funded"]),
        (f"Túi đã phân bổ cho {unit.lower()}", board.bags["in_wards"]),
        ("Túi đã trao", board.bags["handed_out"]),
        ("Chỉ tiêu (túi)", campaign.target_bags),
        ("Hộ được duyệt", board.totals.households_approved),
        ("Hộ đã nhận túi", board.totals.households_served),
        ("Hộ còn chờ", board.totals.households_waiting),
        (f"{unit} còn hộ chờ", len(board.wards_behind)),
    ]
    next_row = _table(summary, 1, ["Báo cáo", ""], rows)
    next_row = _table(summary, next_row, ["Tiền", ""], money_rows, formats={2: MONEY})
    _table(summary, next_row, ["Túi và hộ", ""], count_rows)
    summary.column_dimensions["A"].width = 38
    summary.column_dimensions["B"].width = 40

    wards = book.create_sheet(f"Theo {unit.lower()}")
    _table(
        wards,
        1,
        [heading.format(Unit=unit, unit=unit.lower()) for heading in WARD_HEADINGS],
        [[row.ward.name, *_figures(row.figures)] for row in board.rows],
        total=["Tổng cộng", *_figures(board.totals)],
        formats={9: PERCENT},
    )

    categories = book.create_sheet("Theo diện")
    breakdown_headings = ["Nhóm", "Hộ được duyệt", "Hộ đã nhận", "Hộ còn chờ", "Tỷ lệ bao phủ"]
    next_row = _table(
        categories,
        1,
        breakdown_headings,
        [[b.label, b.approved, b.served, b.waiting, round(b.coverage / 100, 4)] for b in board.by_category],
        formats={5: PERCENT},
    )
    _put(categories, next_row, 1, "Một hộ có thể thuộc nhiều diện.")
    residence = book.create_sheet("Theo cư trú")
    _table(
        residence,
        1,
        breakdown_headings,
        [[b.label, b.approved, b.served, b.waiting, round(b.coverage / 100, 4)] for b in board.by_residence],
        formats={5: PERCENT},
    )

    days = book.create_sheet("Trao theo ngày")
    _table(
        days,
        1,
        ["Ngày", "Túi đã trao"],
        [[day, n] for day, n in board.handouts_per_day],
        total=["Tổng cộng", board.handed_out_in_period],
        formats={1: "DD/MM/YYYY"},
    )

    money = book.create_sheet("Tiền theo nguồn")
    _table(
        money,
        1,
        ["Loại nhà hảo tâm", "Tiền (đồng)", "Túi hiện vật"],
        [list(kind) for kind in board.money_by_kind],
        total=["Tổng cộng", sum(k[1] for k in board.money_by_kind), sum(k[2] for k in board.money_by_kind)],
        formats={2: MONEY},
    )

    output = BytesIO()
    book.save(output)
    return output.getvalue()
