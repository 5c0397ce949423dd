"""The admin's imports and exports stay in the importer's scope, and no exported cell runs as a formula.

A district's staff once previewed and overwrote another district's donor by typing its id into a CSV row, and the
donors they imported belonged to no district; the admin's CSV kept cells starting with + - @ as they were.
"""

import csv
import io

import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.mixins import BaseExportMixin, BaseImportMixin

from donations.models import Donor
from households.models import Household
from households.resources import HouseholdResource
from relief.admin import ScopedResourceMixin
from relief.models import Ward
from relief.resources import ScopedResource
from relief.spreadsheets import safe_text
from tests.conftest import client_for, make_household, make_user

pytestmark = pytest.mark.django_db

DONOR_HEADER = "id,Loại,Tên,Đơn vị,Số điện thoại,Địa chỉ,Ẩn danh"
IMPORT_URL = reverse("admin:donations_donor_import")
CONFIRM_URL = reverse("admin:donations_donor_process_import")


def choice(form, field, title):
    return next(value for value, label in form.fields[field].choices if label == title)


def import_csv(client, url, text):
    """Upload ``text`` as a CSV to the admin's import: the preview response."""
    form = client.get(url).context["form"]
    upload = SimpleUploadedFile("danh-sach.csv", text.encode(), content_type="text/csv")
    return client.post(url, {"import_file": upload, "format": choice(form, "format", "csv"), "resource": "0"})


def confirm(client, preview, url=CONFIRM_URL):
    initial = preview.context["confirm_form"].initial
    return client.post(url, {key: str(value) for key, value in initial.items()})


def export_csv(client, url):
    form = client.get(url).context["form"]
    fields = {name: "on" for name, field in form.fields.items() if field.widget.input_type == "checkbox"}
    response = client.post(url, {**fields, "format": choice(form, "format", "csv"), "resource": "0"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def foreign_donor(other_district):
    return Donor.objects.create(name="Ông Quận Khác", phone="0911000111", kind="benefactor", district=other_district)


def test_every_admin_import_and_export_goes_through_a_scoped_resource():
    with_files = [m for m in admin.site._registry.values() if isinstance(m, BaseImportMixin | BaseExportMixin)]
    assert with_files
    for model_admin in with_files:
        assert isinstance(model_admin, ScopedResourceMixin), type(model_admin).__name__
        assert all(issubclass(resource, ScopedResource) for resource in model_admin.get_resource_classes(None))
        if isinstance(model_admin, BaseExportMixin):
            assert all(issubclass(r, ScopedResource) for r in model_admin.get_export_resource_classes(None))


def test_staff_importing_the_id_of_another_districts_donor_see_an_error_and_none_of_its_values(
    staff_client, foreign_donor
):
    row = f"{foreign_donor.pk},benefactor,Tên Mới,,0900000000,,0"
    preview = import_csv(staff_client, IMPORT_URL, f"{DONOR_HEADER}\n{row}\n")
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "không phải một bản ghi trong phạm vi của bạn" in page
    assert "Ông Quận Khác" not in page and "0911000111" not in page
    assert preview.context.get("confirm_form") is None
    foreign_donor.refresh_from_db()
    assert (foreign_donor.name, foreign_donor.phone) == ("Ông Quận Khác", "0911000111")


def test_staff_update_their_own_districts_donor_by_id(staff_client, donor):
    preview = import_csv(staff_client, IMPORT_URL, f"{DONOR_HEADER}\n{donor.pk},benefactor,Tên Đúng,,0900000000,,0\n")
    assert confirm(staff_client, preview).status_code == 302
    donor.refresh_from_db()
    assert (donor.name, donor.phone) == ("Tên Đúng", "0900000000")


def test_donors_imported_by_staff_belong_to_the_staffs_district(staff_client, staff, foreign_donor):
    preview = import_csv(staff_client, IMPORT_URL, f"{DONOR_HEADER}\n,benefactor,Bà Mới,,0900000001,,0\n")
    assert confirm(staff_client, preview).status_code == 302
    created = Donor.objects.get(name="Bà Mới")
    assert (created.district, created.created_by) == (staff.district, staff)
    other_staff = make_user("canbo_btl", staff.Role.DISTRICT_STAFF, district=foreign_donor.district)
    page = client_for(other_staff).get(reverse("admin:donations_donor_changelist")).content.decode()
    assert "Bà Mới" not in page and "Ông Quận Khác" in page


def test_an_administrator_importing_a_household_into_a_ward_keeps_the_ward(admin_client_, ward_a):
    header = "Mã phường,Họ và tên chủ hộ,CCCD,Số điện thoại,Địa chỉ,Số nhân khẩu,Cư trú,Diện,Trạng thái"
    url = reverse("admin:households_household_import")
    preview = import_csv(
        admin_client_, url, f"{header}\n{ward_a.code},Lê Thị Mới,,,3 Hùng Vương,2,permanent,,proposed\n"
    )
    assert confirm(admin_client_, preview, reverse("admin:households_household_process_import")).status_code == 302
    assert Household.objects.get(head_name="Lê Thị Mới").ward == ward_a


def test_a_link_to_a_ward_outside_the_importers_scope_is_an_error_row(staff, other_district):
    foreign_ward = Ward.objects.get(district=other_district)
    header = ["Mã phường", "Họ và tên chủ hộ", "Địa chỉ", "Số nhân khẩu", "Cư trú", "Trạng thái"]
    dataset = tablib.Dataset(
        [foreign_ward.code, "Lê Văn Xa", "1 Hùng Vương", 1, "permanent", "proposed"], headers=header
    )
    result = HouseholdResource(user=staff).import_data(dataset, dry_run=True)
    assert result.has_validation_errors()
    assert "không thuộc phạm vi của bạn" in str(result.invalid_rows[0].error_dict)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+84912345678", "'+84912345678"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        (-5, -5),
        (42, 42),
        (None, None),
    ],
)
def test_safe_text_marks_formula_text_and_keeps_numbers(value, written):
    assert safe_text(value) == written


def test_the_admins_donor_csv_writes_formula_text_with_an_apostrophe(staff_client, donor):
    donor.name, donor.organisation, donor.address = "=HYPERLINK(1)", "+1 Công ty", "@SUM(1)"
    donor.save()
    Donor.objects.create(name="-Bà Trừ", kind=Donor.Kind.BENEFACTOR, district=donor.district)
    content = export_csv(staff_client, reverse("admin:donations_donor_export"))
    for text in ("'=HYPERLINK(1)", "'+1 Công ty", "'@SUM(1)", "'-Bà Trừ"):
        assert text in content
    assert "Ông Quận Khác" not in content


def test_the_admins_household_export_writes_formula_text_with_an_apostrophe(admin_client_, ward_a):
    make_household(ward_a, "+Trần Văn Cộng", address="-12 Hùng Vương", notes="x")
    content = export_csv(admin_client_, reverse("admin:households_household_export"))
    assert "'+Trần Văn Cộng" in content and "'-12 Hùng Vương" in content


def test_the_admins_donation_export_keeps_amounts_as_numbers(staff_client, funded_campaign):
    content = export_csv(staff_client, reverse("admin:donations_donation_export"))
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[1][rows[0].index("Số tiền (đồng)")] == str(10 * funded_campaign.bag_value)
