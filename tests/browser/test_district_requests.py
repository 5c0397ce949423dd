import pytest
from playwright.sync_api import expect

from relief.models import Bag, WardRequest
from relief.services import ward_request_create
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_approve_part_of_a_ward_request_from_the_list(
    page, live_server, staff, funded_campaign, ward_a, officer_a
):
    ward_request_create(
        campaign=funded_campaign, ward=ward_a, quantity=6, reason="Thêm 6 hộ mất việc do dịch", created_by=officer_a
    )
    login(page, live_server, staff.username, None)
    page.goto(f"{live_server.url}/quan/de-nghi/")
    page.get_by_role("link", name="Xét đề nghị").click()
    page.get_by_role("radio", name="Duyệt một phần").check()
    page.get_by_label("Số túi duyệt (nếu duyệt một phần)").fill("4")
    page.get_by_label("Ý kiến của đơn vị tổ chức (bắt buộc khi từ chối)").fill("Quận còn ít túi, đợt sau bổ sung")
    screenshot(page, "district-request-decide")
    page.get_by_role("button", name="Lưu quyết định").click()
    expect(page.get_by_role("status")).to_contain_text("Đã duyệt 4 túi cho Phường 1")
    assert WardRequest.objects.get().status == WardRequest.Status.PARTLY_APPROVED
    assert Bag.objects.filter(ward=ward_a, state=Bag.State.ALLOCATED).count() == 4
