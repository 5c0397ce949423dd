"""Background tasks of the households app, run by the task backend of settings.TASKS (immediate or a db_worker)."""

from django_tasks import task

from .jobs import import_job_run


@task()
def household_import_task(job_id):
    """Run the confirmed household import ``job_id``; the job row, not the task's result, is what staff read."""
    import_job_run(job_id=job_id)
