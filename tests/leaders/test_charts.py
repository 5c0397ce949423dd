"""Chart drawings are kept by what they show: figures read less than STALE_SECONDS ago are not read again, each
chart says when its figures were read, and older figures are read again and drawn again only if they changed."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from leaders import charts
from leaders.dashboard import HandOutBars


@pytest.fixture
def drawings(monkeypatch):
    """Counts the real drawings made (pygal runs), starting from an empty cache."""
    cache.clear()
    made = []
    real = charts._draw

    def counted(build, label):
        made.append(label)
        return real(build, label)

    monkeypatch.setattr(charts, "_draw", counted)
    yield made
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The charts' clock, moved by hand."""
    now = [datetime.datetime(2021, 8, 22, 3, 0, tzinfo=datetime.UTC)]
    monkeypatch.setattr(charts.timezone, "now", lambda: now[0])
    return now


class Reads:
    """A figures function that counts how often the chart asks for its figures (each ask is queries on a page)."""

    def __init__(self, value):
        self.value, self.count = value, 0

    def __call__(self):
        self.count += 1
        return self.value


DAYS = HandOutBars("day", [(datetime.date(2021, 8, 20), 12), (datetime.date(2021, 8, 21), 30)])
ONE_MORE = HandOutBars("day", [(datetime.date(2021, 8, 20), 12), (datetime.date(2021, 8, 21), 31)])
SUBJECT = ("campaign", 1)


def test_a_chart_is_drawn_from_its_figures_and_says_when_they_were_read(drawings, clock):
    drawing = charts.drawings({"handouts": Reads(DAYS)}, subject=SUBJECT)["handouts"]

    assert "<svg" in drawing.svg and "30" in drawing.svg
    assert drawing.read_at == clock[0] and drawing.caption == "Số túi trao theo ngày"
    assert drawings == ["Biểu đồ số túi trao theo ngày"]


def test_figures_younger_than_the_bound_are_not_read_again_and_keep_their_time(drawings, clock):
    first = charts.drawings({"handouts": Reads(DAYS)}, subject=SUBJECT)["handouts"]
    clock[0] += datetime.timedelta(seconds=charts.STALE_SECONDS - 1)
    newer = Reads(ONE_MORE)

    second = charts.drawings({"handouts": newer}, subject=SUBJECT)["handouts"]

    assert newer.count == 0 and len(drawings) == 1
    assert second.svg == first.svg and second.read_at == first.read_at


def test_older_figures_are_read_again_and_drawn_again_when_they_changed(drawings, clock):
    charts.drawings({"handouts": Reads(DAYS)}, subject=SUBJECT)["handouts"]
    clock[0] += datetime.timedelta(seconds=charts.STALE_SECONDS)
    newer = Reads(ONE_MORE)

    after = charts.drawings({"handouts": newer}, subject=SUBJECT)["handouts"]

    assert newer.count == 1 and len(drawings) == 2
    assert "31" in after.svg and after.read_at == clock[0]


def test_older_figures_that_did_not_change_keep_the_drawing_with_the_new_time(drawings, clock):
    first = charts.drawings({"handouts": Reads(DAYS)}, subject=SUBJECT)["handouts"]
    clock[0] += datetime.timedelta(seconds=charts.STALE_SECONDS)

    again = charts.drawings({"handouts": Reads(DAYS)}, subject=SUBJECT)["handouts"]

    assert len(drawings) == 1 and again.svg == first.svg and again.read_at == clock[0]


def test_a_printed_report_always_reads_its_figures(drawings):
    charts.drawings({"handouts": Reads(DAYS)}, subject=SUBJECT)["handouts"]
    newer = Reads(ONE_MORE)

    after = charts.drawings({"handouts": newer}, subject=SUBJECT, max_age=0)["handouts"]

    assert newer.count == 1 and "31" in after.svg


def test_another_campaign_never_shows_this_campaigns_drawing(drawings):
    charts.drawings({"handouts": Reads(DAYS)}, subject=SUBJECT)["handouts"]
    other = charts.drawings({"handouts": Reads(ONE_MORE)}, subject=("campaign", 2))["handouts"]

    assert len(drawings) == 2 and "31" in other.svg


def test_two_charts_of_one_subject_are_not_mixed_up(drawings):
    days = Reads(HandOutBars("day", [(datetime.date(2021, 8, 20), 5)]))
    shown = charts.drawings({"money": Reads([("Cá nhân", 5_000_000, 0)]), "handouts": days}, subject=SUBJECT)

    assert len(drawings) == 2
    assert "tiền ủng hộ" in shown["money"].svg and "túi trao theo ngày" in shown["handouts"].svg
    again = charts.drawings({"handouts": Reads(DAYS), "money": Reads([])}, subject=SUBJECT)
    assert again["money"].svg == shown["money"].svg and again["handouts"].svg == shown["handouts"].svg


def test_a_pages_charts_take_one_round_trip_to_the_cache_and_one_back(drawings, monkeypatch):
    calls, inside = [], []  # the calls charts make, not those a backend makes of itself (locmem's get_many gets)

    def counted(name, real):
        def call(*args, **kwargs):
            if not inside:
                calls.append(name)
            inside.append(name)
            try:
                return real(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for method in ("get", "set", "get_many", "set_many"):
        monkeypatch.setattr(cache, method, counted(method, getattr(cache, method)))
    reads = {"money": Reads([("Cá nhân", 5_000_000, 0)]), "handouts": Reads(DAYS), "categories": Reads([])}

    charts.drawings(reads, subject=SUBJECT)
    charts.drawings(reads, subject=SUBJECT)

    assert calls == ["get_many", "set_many", "get_many"]  # the second page found all three young enough


def test_a_long_period_is_drawn_by_month_with_month_labels(drawings):
    months = HandOutBars("month", [(datetime.date(2021, 8, 1), 40), (datetime.date(2021, 9, 1), 0)])

    drawing = charts.drawings({"handouts": Reads(months)}, subject=SUBJECT)["handouts"]

    assert drawing.caption == "Số túi trao theo tháng" and "08/2021" in drawing.svg


def test_each_wards_coverage_label_starts_past_its_bar_instead_of_on_its_end():
    rows = [SimpleNamespace(ward=SimpleNamespace(name=f"Phường {n}"), figures=SimpleNamespace(coverage=c))
            for n, c in [(1, 100.0), (2, 40.0), (3, 5.0)]]  # fmt: skip
    drawing = charts.drawings({"coverage": Reads(rows)}, subject=SUBJECT)["coverage"].svg
    bar_ends = [
        float(x) + float(w) for x, w in re.findall(r'<rect x="([\d.]+)"[^>]*width="([\d.]+)"[^>]*reactive', drawing)
    ]
    labels = re.findall(r'<text text-anchor="(\w+)" x="([\d.]+)"[^>]*class="value">([^<]*)</text>', drawing)
    assert len(labels) == len(bar_ends) == 6  # three wards, drawn wide and narrow
    assert {anchor for anchor, _x, _text in labels} == {"start"}
    assert all(float(x) > end for (_anchor, x, _text), end in zip(labels, bar_ends, strict=True))


def test_a_cache_that_does_not_answer_draws_the_chart_from_fresh_figures(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "set_many", down)
    drawing = charts.drawings({"money": Reads([("Cá nhân", 5_000_000, 0)])}, subject=SUBJECT)["money"]
    assert "tiền ủng hộ" in drawing.svg


@pytest.mark.django_db
def test_the_leaders_dashboard_answers_while_the_cache_is_down(monkeypatch, leader_client, campaign):
    def down(*args, **kwargs):
        raise ConnectionError("Connection refused.")

    for method in ("get", "set", "get_many", "set_many"):
        monkeypatch.setattr(cache, method, down)
    response = leader_client.get("/lanh-dao/")
    assert response.status_code == 200
    assert "số liệu lúc" in response.text
