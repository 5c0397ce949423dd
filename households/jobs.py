"""Confirmed household imports as background jobs: started by the confirm page, run by the task backend.

The preview keeps the upload's bytes and its checked rows in a ``PendingImport``; the confirm page turns it into an
``ImportJob`` and enqueues ``household_import_task`` (defined here, beside the work it runs) once that row is
committed; the task runs ``household_import`` (one transaction, all rows or none) on a private copy of the file and
writes the outcome on the job. Whatever happens, the staff read a Vietnamese outcome on the job's page.
"""

import logging
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from relief.levels import words_for
from relief.spreadsheets import preview_path
from relief.submissions import submit_once

from .imports import ImportChanged, ImportRefused, household_import, household_rejected_write
from .models import ImportJob, PendingImport

logger = logging.getLogger(__name__)

FAULT = (
    "Có lỗi hệ thống khi nhập; chưa hộ nào được nhập. Hãy bấm “Nhập lại”; nếu vẫn lỗi, báo cho quản trị viên "
    "(việc nhập số %(pk)s)."
)

REFUSED = "Tệp còn lỗi, chưa nhập hộ nào. Hãy sửa các dòng dưới đây trong tệp rồi tải lên lại."


def _enqueue(job):
    result = household_import_task.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def _enqueue_on_commit(job):
    """Enqueue once the job's row is committed, so a worker on another host finds it (and a rollback sends none)."""
    transaction.on_commit(partial(_enqueue, job))


def pending_import_keep(*, user, token, path, source_name, rows):
    """Keep the previewed file at ``path`` and its checked rows in the database under ``token`` until confirmed."""
    PendingImport.objects.filter(created_at__lt=timezone.now() - PendingImport.KEEP).delete()
    path = Path(path)
    kept = preview_path(path)
    PendingImport.objects.create(
        token=token,
        uploaded_by=user,
        source_name=source_name[:200],
        suffix=path.suffix,
        upload=path.read_bytes(),
        preview=kept.read_text(encoding="utf-8") if kept.exists() else "",
        rows=rows,
    )


def pending_import_rejected(*, user, token, handle):
    """Write to ``handle`` the rows with errors of the user's pending upload ``token`` (``household_rejected_write``);
    the number of rows, or 0 when there is no such upload or no row with errors."""
    pending = PendingImport.objects.filter(token=token or "", uploaded_by=user).first()
    if pending is None or not pending.preview:
        return 0
    with tempfile.TemporaryDirectory(prefix="ansinh-rejected-") as directory:
        path = Path(directory) / f"upload{pending.suffix}"
        path.write_bytes(pending.upload)
        preview_path(path).write_text(pending.preview, encoding="utf-8")
        return household_rejected_write(path=path, handle=handle) or 0


def pending_import_reopen(*, user, token):
    """Take back the bytes of the user's pending upload ``token`` to check it again (its preview is no longer the
    one to confirm); None when there is no such upload."""
    pending = PendingImport.objects.filter(token=token or "", uploaded_by=user).first()
    if pending is None:
        return None
    pending.delete()
    return bytes(pending.upload)


def pending_import_forget(*, user, token):
    PendingImport.objects.filter(token=token, uploaded_by=user).delete()


@transaction.atomic
def import_job_start(*, user, token, good_only=False, same_id_too=False):
    """Turn the user's pending upload ``token`` into a job and enqueue it; None when it is gone or already started.

    ``good_only``: import the rows without errors, leave the others out; ``same_id_too``: import the rows whose
    CCCD repeats as households of their own (``household_import``).

    The token is the job's one-time key (``relief.submissions``): of two confirmations racing (a double click, two
    app servers), the second meets the first one's job in the unique column and starts none.
    """

    def start():
        pending = PendingImport.objects.filter(token=token, uploaded_by=user).first()
        if pending is None:
            return None
        job = ImportJob.objects.create(
            started_by=user,
            district_id=user.district_id,
            source_name=pending.source_name,
            rows=pending.rows,
            upload=pending.upload,
            suffix=pending.suffix,
            preview=pending.preview,
            good_only=good_only,
            same_id_too=same_id_too,
            submission_key=token,
        )
        pending.delete()
        _enqueue_on_commit(job)
        return job

    def same(earlier):
        return True  # whoever holds the job, this confirmation starts nothing: the answer is None either way

    job, started = submit_once(ImportJob, key=token, same=same, create=start)
    return job if started else None


@transaction.atomic
def import_job_again(*, job):
    """Queue a failed job again from its own file; False when it is not failed or holds no file any more."""
    queued = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.FAILED, upload__isnull=False).update(
        status=ImportJob.Status.PENDING, message="", problems={}, started_at=None, finished_at=None
    )
    if queued:
        _enqueue_on_commit(job)
    return bool(queued)


# How far a list's check (at its preview) or a running import is, for its page: the upload's request is still
# running, and the import's own transaction shows nothing through the database until it commits, so each tells the
# cache, which every app server shares where REDIS_URL is set. With each process's own memory (one gunicorn worker
# of several without Redis) a page may not hear it, and then says only that the list is being read or imported.
PROGRESS_KEY = "ansinh:import-job-progress:{pk}"
PREVIEW_PROGRESS_KEY = "ansinh:import-preview-progress:{user}:{key}"
PHASES = {
    "reading": "Đang đọc và kiểm tra tệp",
    "duplicates": "Đã đọc mọi dòng; đang đối chiếu với các hộ đã đăng ký",
    "checking": "Đang kiểm tra lại các dòng với danh sách hiện có",
    "writing": "Đang ghi",
    "committing": "Đã ghi mọi dòng; đang kiểm tra và lưu tất cả cùng lúc",
}


@dataclass(frozen=True)
class Progress:
    phase: str
    done: int
    total: int
    seconds_left: int | None = None

    @property
    def words(self):
        return PHASES[self.phase]

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0


def progress_reporter(key):
    """``progress(phase, done, total)`` that keeps how far the work is under the cache ``key`` for an hour, with
    the time left in a phase of known size. A cache that cannot be reached costs the page its bar, never the work."""
    started = {}

    def progress(phase, done, total):
        now = time.monotonic()
        started.setdefault(phase, now)
        elapsed = now - started[phase]
        left = round(elapsed * (total - done) / done) if 0 < done < total and elapsed else None
        try:
            cache.set(key, {"phase": phase, "done": done, "total": total, "seconds_left": left}, timeout=3600)
        except Exception:  # the cache's own errors differ by backend (Redis, memory)
            logger.warning("%s: the progress could not be written to the cache", key, exc_info=True)

    return progress


def progress_heard(key):
    """The ``Progress`` last kept under ``key``, or None (nothing heard, or the cache cannot be reached)."""
    try:
        heard = cache.get(key)
    except Exception:  # as above: the page then shows the work going on, without its bar
        logger.warning("%s: the progress could not be read from the cache", key, exc_info=True)
        return None
    return Progress(**heard) if heard else None


def preview_progress_key(user, key):
    """The cache key of the check of the list ``user`` is uploading under the form's random ``key``."""
    return PREVIEW_PROGRESS_KEY.format(user=user.pk, key=key)


def import_job_progress(job):
    """How far ``job`` is while it runs, as its worker last told the cache, or None (not running, not heard)."""
    if job.status != ImportJob.Status.RUNNING:
        return None
    return progress_heard(PROGRESS_KEY.format(pk=job.pk))


def _problems(report):
    return {
        "error_count": report.error_count,
        "warning_count": report.warning_count,
        # The name last: a job recorded before names were kept has rows of three.
        "errors": [[problem.row, problem.column, problem.message, problem.name] for problem in report.errors],
        "repeats": [[problem.row, problem.name, problem.message] for problem in report.repeats],
        "warnings": [[problem.row, problem.column, problem.message] for problem in report.warnings],
    }


def _finish(job_id, status, **fields):
    """Write the outcome whatever the job's status says now: the worker that ran the import knows best."""
    ImportJob.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **fields)


@task()
def household_import_task(job_id):
    """Run the confirmed household import ``job_id``; the job row, not the task's result, is what staff read."""
    import_job_run(job_id=job_id)


def import_job_run(*, job_id):
    """Run the pending job ``job_id`` once and record its outcome; a job already taken by a worker is left alone."""
    taken = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not taken:
        return
    job = ImportJob.objects.select_related("started_by").get(pk=job_id)
    with tempfile.TemporaryDirectory(prefix="ansinh-job-") as directory:
        path = Path(directory) / f"upload{job.suffix}"
        path.write_bytes(job.upload)
        if job.preview:
            preview_path(path).write_text(job.preview, encoding="utf-8")
        try:
            with transaction.atomic():
                # Held until the households and the outcome commit together: a page that finds the row unheld
                # knows the worker is gone (ImportJob.give_up_if_lost), and a job is done once or not at all.
                ImportJob.objects.select_for_update().filter(pk=job_id).values_list("pk").get()
                count = household_import(
                    path=path,
                    user=job.started_by,
                    source_name=job.source_name,
                    good_only=job.good_only,
                    same_id_too=job.same_id_too,
                    progress=progress_reporter(PROGRESS_KEY.format(pk=job_id)),
                )
                done = f"Đã nhập {count} hộ (trạng thái “Đề xuất”, chờ {words_for(job.started_by).org} duyệt)."
                if job.good_only and job.rows and job.rows > count:
                    done += (
                        f" {job.rows - count} dòng lỗi hoặc trùng CCCD không nhập: sửa trong tệp các dòng lỗi rồi tải "
                        "lên lại."
                    )
                _finish(job_id, ImportJob.Status.DONE, upload=None, preview="", imported=count, message=done)
        except ImportChanged as changed:
            # The preview now knows the new duplicates: running the job again is confirming them, seen.
            preview = preview_path(path).read_text(encoding="utf-8")
            _finish(
                job_id,
                ImportJob.Status.FAILED,
                message=str(changed),
                problems=_problems(changed.report),
                preview=preview,
            )
        except ImportRefused as refused:
            _finish(job_id, ImportJob.Status.FAILED, upload=None, message=REFUSED, problems=_problems(refused.report))
        except ValidationError as error:  # the file as a whole (SpreadsheetError) or a value the database refused
            _finish(job_id, ImportJob.Status.FAILED, upload=None, message=" ".join(error.messages))
        except Exception:
            logger.exception("Household import job %s failed", job_id)
            _finish(job_id, ImportJob.Status.FAILED, message=FAULT % {"pk": job_id})
            raise
