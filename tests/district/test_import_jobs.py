"""A confirmed household import runs as a job: its page, its outcome, its faults, and the database queue's worker."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from households import imports, jobs
from households.jobs import import_job_run, import_job_start
from households.models import Household, ImportJob, PendingImport
from tests.conftest import client_for, make_household
from tests.district.conftest import csv_bytes, household_row, upload

pytestmark = pytest.mark.django_db

UPLOAD = reverse("district:import_households")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def previewed(client, rows=2):
    """Upload a good list of ``rows`` households in Phường 1 and return the preview's token."""
    content = csv_bytes([household_row(n) for n in range(1, rows + 1)])
    return client.post(UPLOAD, {"file": upload("ds.csv", content)}).context["token"]


def job_of(user, status=ImportJob.Status.DONE, **fields):
    return ImportJob.objects.create(started_by=user, district=user.district, suffix=".csv", status=status, **fields)


def page_url(job):
    return reverse("district:import_job", args=[job.pk])


def again_url(job):
    return reverse("district:import_job_again", args=[job.pk])


# --- who sees a job's page ---------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in(client, staff):
    response = client.get(page_url(job_of(staff)))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_staff_of_the_district_see_their_jobs_outcome(staff, staff_client):
    job = job_of(staff, imported=2, message="Đã nhập 2 hộ (trạng thái “Đề xuất”, chờ quận duyệt).")
    page = staff_client.get(page_url(job)).content.decode()
    assert "Đã nhập 2 hộ" in page and ">Xong<" in page


def test_staff_of_another_district_get_not_found(staff, other_staff):
    job = job_of(staff)
    assert client_for(other_staff).get(page_url(job)).status_code == 404
    assert client_for(other_staff).post(again_url(job)).status_code == 404


def test_officer_of_ward_a_is_refused(staff, officer_a_client):
    assert officer_a_client.get(page_url(job_of(staff))).status_code == 403


def test_officer_of_ward_b_is_refused(staff, officer_b):
    assert client_for(officer_b).get(page_url(job_of(staff))).status_code == 403


def test_leader_is_refused(staff, leader_client):
    assert leader_client.get(page_url(job_of(staff))).status_code == 403


def test_administrator_sees_any_districts_job(staff, admin_client_):
    assert admin_client_.get(page_url(job_of(staff))).status_code == 200


def test_running_again_is_a_post_only(staff, staff_client):
    assert staff_client.get(again_url(job_of(staff))).status_code == 405
    assert staff_client.post(page_url(job_of(staff))).status_code == 405


# --- the page while a job waits ----------------------------------------------------------------------------------


def test_a_waiting_job_asks_for_its_fragment_every_two_seconds_without_inline_script(staff, staff_client):
    job = job_of(staff, status=ImportJob.Status.PENDING, rows=2)
    page = staff_client.get(page_url(job)).content.decode()
    assert f'hx-get="{page_url(job)}" hx-trigger="every 2s"' in page and ">Chờ<" in page
    assert "<script>" not in page
    fragment = staff_client.get(page_url(job), headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<section class="card" id="import-job"') and "<html" not in fragment


def test_a_finished_job_stops_refreshing(staff, staff_client):
    assert "hx-trigger" not in staff_client.get(page_url(job_of(staff))).content.decode()


def test_a_job_running_far_longer_than_any_import_is_shown_failed_and_can_run_again(staff, staff_client):
    started = timezone.now() - ImportJob.LOST_AFTER - timedelta(minutes=1)
    job = job_of(staff, status=ImportJob.Status.RUNNING, started_at=started, upload=b"x")
    page = staff_client.get(page_url(job)).content.decode()
    assert ">Lỗi<" in page and "dừng giữa chừng" in page and "Nhập lại" in page
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED


def test_a_job_running_for_a_few_seconds_is_left_running(staff, staff_client):
    job = job_of(staff, status=ImportJob.Status.RUNNING, started_at=timezone.now() - timedelta(seconds=2))
    assert ">Đang chạy<" in staff_client.get(page_url(job)).content.decode()


def test_without_row_locks_a_job_running_for_a_minute_is_left_running(staff, staff_client):
    if connection.features.has_select_for_update_skip_locked:
        pytest.skip("SQLite: PostgreSQL tells a held job from a lost one by its row lock (the tests below).")
    job = job_of(staff, status=ImportJob.Status.RUNNING, started_at=timezone.now() - timedelta(minutes=1))
    assert ">Đang chạy<" in staff_client.get(page_url(job)).content.decode()


@pytest.fixture
def running_job(staff):
    """A job marked running a minute ago and committed, as a worker leaves it (PostgreSQL: row locks)."""
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("Needs PostgreSQL, whose row locks tell a held job from a lost one.")
    return job_of(staff, status=ImportJob.Status.RUNNING, started_at=timezone.now() - timedelta(minutes=1), upload=b"x")


@pytest.mark.django_db(transaction=True)
def test_a_running_job_whose_worker_holds_its_row_is_left_running_however_long(staff, running_job):
    held, release = threading.Event(), threading.Event()

    def worker():
        with transaction.atomic():
            ImportJob.objects.select_for_update().filter(pk=running_job.pk).values_list("pk").get()
            held.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert held.wait(10)
        assert ">Đang chạy<" in client_for(staff).get(page_url(running_job)).content.decode()
    finally:
        release.set()
        thread.join()
    assert ImportJob.objects.get().status == ImportJob.Status.RUNNING


@pytest.mark.django_db(transaction=True)
def test_a_running_job_whose_row_nobody_holds_lost_its_worker_and_can_run_again_at_once(staff, running_job):
    page = client_for(staff).get(page_url(running_job)).content.decode()
    assert ">Lỗi<" in page and "dừng giữa chừng" in page and "Nhập lại" in page
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED


def test_a_finished_job_cannot_run_again(staff, staff_client):
    job = job_of(staff, imported=2)
    response = staff_client.post(again_url(job), follow=True)
    assert "không chạy lại được" in response.content.decode()
    assert ImportJob.objects.get().status == ImportJob.Status.DONE


# --- faults --------------------------------------------------------------------------------------------------------


def test_a_fault_in_the_middle_of_the_import_fails_the_job_leaves_nothing_and_it_runs_again(
    staff_client, confirm, ward_a, monkeypatch, django_capture_on_commit_callbacks, ledger_balances_afterwards
):
    real_insert = imports._insert

    def insert_then_fail(*args, **kwargs):
        real_insert(*args, **kwargs)  # the rows are written, then the process fails before the commit
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "_insert", insert_then_fail)
    job_url = confirm(staff_client, previewed(staff_client)).url
    page = staff_client.get(job_url).content.decode()
    assert ">Lỗi<" in page and "Có lỗi hệ thống khi nhập; chưa hộ nào được nhập" in page and "Nhập lại" in page
    assert not Household.objects.exists() and not Household.history.exists()

    monkeypatch.setattr(imports, "_insert", real_insert)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(again_url(ImportJob.objects.get()))
    assert "Đã nhập 2 hộ" in staff_client.get(job_url).content.decode()
    assert Household.objects.count() == 2


def test_a_task_delivered_twice_imports_once(staff_client, confirm, ward_a):
    confirm(staff_client, previewed(staff_client))
    import_job_run(job_id=ImportJob.objects.get().pk)
    assert Household.objects.count() == 2


def test_a_finished_job_keeps_no_copy_of_the_file(staff_client, confirm, ward_a):
    confirm(staff_client, previewed(staff_client))
    job = ImportJob.objects.get()
    assert (job.upload, job.preview) == (None, "")


# --- the database queue and its worker (production) ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_job_waits_for_a_worker_then_shows_its_outcome(staff, ward_a, settings):
    settings.TASKS = DATABASE_TASKS
    staff_client = client_for(staff)
    response = staff_client.post(reverse("district:import_households_confirm"), {"token": previewed(staff_client)})
    job = ImportJob.objects.get()
    assert response.url == page_url(job)
    page = staff_client.get(response.url).content.decode()
    assert ">Chờ<" in page and 'hx-trigger="every 2s"' in page
    assert not Household.objects.exists()

    call_command("db_worker", batch=True, startup_delay=False, interval=0, stdout=StringIO(), stderr=StringIO())

    page = staff_client.get(response.url).content.decode()
    assert "Đã nhập 2 hộ" in page and "hx-trigger" not in page
    assert Household.objects.filter(ward=ward_a, source=Household.Source.IMPORT).count() == 2
    job.refresh_from_db()
    assert job.task_id and job.started_at and job.finished_at


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_a_duplicate_registered_before_the_worker_runs_fails_the_job_and_leaves_nothing(
    staff, ward_a, settings, ledger_balances_afterwards
):
    settings.TASKS = DATABASE_TASKS
    staff_client = client_for(staff)
    response = staff_client.post(reverse("district:import_households_confirm"), {"token": previewed(staff_client)})
    make_household(ward_a, "Trần Thị Bích", national_id="079085000002")

    call_command("db_worker", batch=True, startup_delay=False, interval=0, stdout=StringIO(), stderr=StringIO())

    page = staff_client.get(response.url).content.decode()
    assert ">Lỗi<" in page and "Từ lúc xem trước, quận đã có thêm hộ trùng" in page
    assert "Đã có hộ Trần Thị Bích ở Phường 1 cùng CCCD •••••••••002." in page
    assert Household.objects.count() == 1


def test_a_confirmation_that_still_sees_the_pending_upload_finds_the_job_started_and_starts_none(staff):
    def pending():
        return PendingImport.objects.create(
            token="tok", uploaded_by=staff, source_name="ds.csv", suffix=".csv", upload=b"", preview="", rows=1
        )

    pending()
    first = import_job_start(user=staff, token="tok")
    pending()  # as a racing second request read it before the first one deleted it
    assert import_job_start(user=staff, token="tok") is None
    assert list(ImportJob.objects.values_list("pk", "submission_key")) == [(first.pk, "tok")]


# --- how far a running job is ------------------------------------------------------------------------------------


def test_a_running_job_shows_how_far_its_worker_is_with_a_bar_and_the_time_left(staff, staff_client):
    job = job_of(staff, status=ImportJob.Status.RUNNING, started_at=timezone.now() - timedelta(seconds=2), rows=100_000)
    progress = jobs.progress_reporter(jobs.PROGRESS_KEY.format(pk=job.pk))
    progress("writing", 0, 100_000)
    progress("writing", 40_000, 100_000)
    page = staff_client.get(page_url(job), headers={"HX-Request": "true"}).content.decode()
    assert '<progress id="import-progress" max="100000" value="40000">40 %</progress>' in page
    assert "Đang ghi 40.000 / 100.000 dòng" in page and "Còn khoảng" in page
    progress("committing", 100_000, 100_000)
    page = staff_client.get(page_url(job), headers={"HX-Request": "true"}).content.decode()
    assert "đang kiểm tra và lưu tất cả cùng lúc" in page and 'value="100000"' in page and "Còn khoảng" not in page


def test_a_running_job_not_heard_from_says_it_runs_without_a_bar(staff, staff_client):
    job = job_of(staff, status=ImportJob.Status.RUNNING, started_at=timezone.now() - timedelta(seconds=2))
    page = staff_client.get(page_url(job)).content.decode()
    assert "Đang nhập, mọi dòng cùng một lần" in page and "<progress" not in page


def test_the_import_tells_its_progress_batch_by_batch(staff, staff_client, confirm, ward_a, monkeypatch):
    heard = []
    monkeypatch.setattr(imports, "INSERT_CHUNK", 2)
    monkeypatch.setattr(jobs, "progress_reporter", lambda key: lambda *step: heard.append(step))
    confirm(staff_client, previewed(staff_client, rows=5))
    assert Household.objects.count() == 5
    assert heard == [
        ("checking", 0, 0),
        ("writing", 0, 5),
        ("writing", 2, 5),
        ("writing", 4, 5),
        ("writing", 5, 5),
        ("committing", 5, 5),
    ]


def test_a_cache_that_cannot_be_reached_costs_the_bar_never_the_import(
    staff, staff_client, confirm, ward_a, monkeypatch, caplog
):
    def down(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(jobs.cache, "set", down)
    monkeypatch.setattr(jobs.cache, "get", down)
    confirm(staff_client, previewed(staff_client, rows=2))
    job = ImportJob.objects.get()
    assert (job.status, job.imported, Household.objects.count()) == ("done", 2, 2)
    running = job_of(staff, status=ImportJob.Status.RUNNING, started_at=timezone.now() - timedelta(seconds=2))
    assert "Đang nhập, mọi dòng cùng một lần" in staff_client.get(page_url(running)).content.decode()
    assert "the progress could not be written to the cache" in caplog.text
    assert "the progress could not be read from the cache" in caplog.text
