"""The upload guard: a workbook that would make a reader allocate too much is refused before any reader opens it,
through the district's import pages and the admin's import alike, with nothing saved."""

import io
import zipfile
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse
from openpyxl import Workbook

from donations.models import Donor
from households.models import Household, PendingImport
from relief.upload_guard import UploadRefused, workbook_check
from tests.district.conftest import household_row, xlsx_bytes

SHEET = "xl/worksheets/sheet1.xml"
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def the_far_corner():
    """The crafted workbook: a single cell, XFD1048576, in a file of a few kilobytes."""
    workbook = Workbook()
    workbook.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_part(name, content, base=None):
    """A real household workbook with the part ``name`` replaced by (or added as) ``content``."""
    source = zipfile.ZipFile(io.BytesIO(base or xlsx_bytes([household_row(1)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.namelist():
            if member != name:
                target.writestr(member, source.read(member))
        target.writestr(name, content)
    return out.getvalue()


def sheet(rows_xml, dimension="A1:A1"):
    return f'<worksheet {MAIN}><dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'


def a_huge_dimension():
    return with_part(SHEET, sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>', "A1:XFD1048576"))


def a_shared_strings_bomb():
    """A string table announcing four billion strings: a reader reserves room for them before reading one."""
    return with_part("xl/sharedStrings.xml", f'<sst {MAIN} count="4000000000" uniqueCount="4000000000"></sst>')


def many_shared_strings(count):
    strings = "<si><t>a</t></si>" * count
    return with_part("xl/sharedStrings.xml", f'<sst {MAIN} count="{count}" uniqueCount="{count}">{strings}</sst>')


def deeply_nested_xml():
    return with_part(SHEET, f"<worksheet {MAIN}>" + "<a>" * 100_000 + "</a>" * 100_000 + "</worksheet>")


def a_zip_bomb_part():
    """A part of 210 MB of zeros, a couple of hundred kilobytes once compressed."""
    return with_part("xl/media/image1.bin", bytes(210 * 1024 * 1024))


def an_entity_declaration():
    doctype = '<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    return with_part(SHEET, doctype + sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'))


def far_cells_without_a_dimension():
    cells = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="900000"><c r="ZZ900000"/></row>'
    return with_part(SHEET, f"<worksheet {MAIN}><sheetData>{cells}</sheetData></worksheet>")


CRAFTED = {
    "the cell XFD1048576 alone": the_far_corner,
    "a huge dimension record": a_huge_dimension,
    "far cells and no dimension": far_cells_without_a_dimension,
    "a shared-strings bomb": a_shared_strings_bomb,
    "deeply nested XML": deeply_nested_xml,
    "a zip bomb part": a_zip_bomb_part,
    "an entity declaration": an_entity_declaration,
}
SAID = {
    "an entity declaration": "Không đọc được tệp Excel",
}


@pytest.fixture(scope="module")
def crafted():
    """Each crafted workbook built once for the module (the zip bomb takes a moment to compress)."""
    return {name: build() for name, build in CRAFTED.items()}


def test_the_crafted_workbook_is_a_few_kilobytes():
    assert len(the_far_corner()) < 10_000


@pytest.mark.parametrize("name", CRAFTED)
def test_the_guard_refuses_each_crafted_workbook_with_a_vietnamese_message(crafted, name):
    with pytest.raises(UploadRefused) as refused:
        workbook_check(io.BytesIO(crafted[name]))
    assert SAID.get(name, "Tệp Excel quá lớn") in refused.value.messages[0]


def test_a_real_household_list_passes_the_guard():
    rows = [household_row(n) for n in range(1, 2001)]
    assert workbook_check(io.BytesIO(xlsx_bytes(rows))) is None


def test_the_limits_are_settings(settings):
    workbook = many_shared_strings(50)
    assert workbook_check(io.BytesIO(workbook)) is None
    settings.ANSINH_UPLOAD_MAX_SHARED_STRINGS = 10
    with pytest.raises(UploadRefused, match="chuỗi chữ"):
        workbook_check(io.BytesIO(workbook))


def test_more_cells_than_the_limit_are_refused(settings):
    settings.ANSINH_UPLOAD_MAX_CELLS = 100
    with pytest.raises(UploadRefused, match="quá nhiều ô"):
        workbook_check(io.BytesIO(xlsx_bytes([household_row(n) for n in range(1, 20)])))


def test_a_damaged_archive_is_refused_as_unreadable():
    with pytest.raises(UploadRefused, match="Không đọc được tệp Excel"):
        workbook_check(io.BytesIO(b"PK\x03\x04 not really a zip"))


# --- through the district's import pages ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _private_upload_dir(settings, tmp_path):
    settings.ANSINH_IMPORT_DIR = str(tmp_path / "uploads")


def uploads_left(settings):
    directory = Path(settings.ANSINH_IMPORT_DIR)
    return sorted(directory.iterdir()) if directory.exists() else []


@pytest.mark.django_db
@pytest.mark.parametrize("name", CRAFTED)
@pytest.mark.parametrize("url", ["district:import_households", "district:import_donations"])
def test_district_staff_uploading_a_crafted_workbook_see_why_and_nothing_is_kept(
    staff_client, ward_a, campaign, crafted, settings, name, url
):
    data = {"file": io.BytesIO(crafted[name]), "campaign": campaign.pk}
    data["file"].name = "danh-sach.xlsx"
    response = staff_client.post(reverse(url), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert SAID.get(name, "Tệp Excel quá lớn") in errors[0]
    assert not Household.objects.exists() and not PendingImport.objects.exists()
    assert uploads_left(settings) == []


@pytest.mark.django_db
def test_a_household_list_the_guard_passed_is_not_checked_again_when_confirmed(
    staff_client, ward_a, monkeypatch, confirm
):
    checks = []
    monkeypatch.setattr("relief.spreadsheets.workbook_check", checks.append)
    upload = io.BytesIO(xlsx_bytes([household_row(1)]))
    upload.name = "ds.xlsx"
    response = staff_client.post(reverse("district:import_households"), {"file": upload})
    assert response.context["report"].ok and len(checks) == 1
    confirm(staff_client, response.context["token"])
    assert Household.objects.count() == 1 and len(checks) == 1


@pytest.mark.django_db
def test_a_donation_list_the_guard_passed_is_not_checked_again_when_confirmed(staff_client, campaign, monkeypatch):
    checks = []
    monkeypatch.setattr("relief.spreadsheets.workbook_check", checks.append)
    workbook = Workbook(write_only=True)
    sheet_ = workbook.create_sheet("Danh sách")
    sheet_.append(["Nhà hảo tâm", "Số tiền", "Ngày nhận"])
    sheet_.append(["Trần Thị Bình", 2_000_000, "20/08/2021"])
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    upload.name = "ung-ho.xlsx"
    url = reverse("district:import_donations")
    response = staff_client.post(url, {"file": upload, "campaign": campaign.pk})
    assert response.context["report"].ok and len(checks) == 1
    staff_client.post(reverse("district:import_donations_confirm"), {"token": response.context["token"]})
    assert campaign.donations.count() == 1 and len(checks) == 1


# --- through the admin's import ----------------------------------------------------------------------------------


def admin_import(client, model, content):
    """Post ``content`` as an .xlsx to the admin's import page of ``model``, as the import form expects it."""
    formats = [format_().get_title() for format_ in admin.site._registry[model].get_import_formats()]
    upload = io.BytesIO(content)
    upload.name = "danh-sach.xlsx"
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
    return client.post(url, {"resource": "0", "format": str(formats.index("xlsx")), "import_file": upload})


@pytest.mark.django_db
@pytest.mark.parametrize("name", CRAFTED)
def test_an_administrator_importing_a_crafted_workbook_of_households_sees_why_and_nothing_is_saved(
    admin_client_, ward_a, crafted, name
):
    response = admin_import(admin_client_, Household, crafted[name])
    assert response.status_code == 200
    assert SAID.get(name, "Tệp Excel quá lớn") in response.context["form"].errors["import_file"][0]
    assert not Household.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["the cell XFD1048576 alone", "a shared-strings bomb", "deeply nested XML"])
def test_district_staff_importing_a_crafted_workbook_of_donors_in_the_admin_see_why_and_nothing_is_saved(
    staff_client, crafted, name
):
    before = Donor.objects.count()
    response = admin_import(staff_client, Donor, crafted[name])
    assert response.status_code == 200
    assert SAID.get(name, "Tệp Excel quá lớn") in response.context["form"].errors["import_file"][0]
    assert Donor.objects.count() == before


@pytest.mark.django_db
def test_a_sound_workbook_still_reaches_the_admins_import_preview(staff_client):
    workbook = Workbook(write_only=True)
    sheet_ = workbook.create_sheet("Nhà hảo tâm")
    sheet_.append(["name", "kind", "phone"])
    sheet_.append(["Lê Văn Cường", "benefactor", "0912345678"])
    content = io.BytesIO()
    workbook.save(content)
    response = admin_import(staff_client, Donor, content.getvalue())
    assert response.status_code == 200
    assert "import_file" not in response.context["form"].errors
