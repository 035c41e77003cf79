"""Import jobs never stay stuck (issue 6 §1): a task that raises, a worker that died, a job that
runs too long, a save that lost a race; the worker that sweeps them at start-up and periodically;
files kept IMPORT_RETENTION_DAYS days, then purged; truthful labels of every state.

Tasks run in-process in tests (ImmediateBackend), so a job is checked or saved by the time the
upload or the save redirects; the worker's own tests switch to the database backend."""

import datetime
import io
import os
import re
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import document_tasks, tasks
from core.choices import AuditAction
from core.models import AuditEntry, ImportJob
from registry.importers import PersonImporter
from registry.models import Person

CORPUS = Path(__file__).parent / "import_corpus"
GOOD = (CORPUS / "future_birth.csv").read_bytes().replace(b"01.01.2999", b"01.01.1979")  # two good rows
BAD = (CORPUS / "future_birth.csv").read_bytes()  # row 3: a birth date in the future
AGAIN = "Загрузить заново"


def _upload(client, world, content=GOOD, name="people.csv", kind="persons"):
    client.force_login(world.curator_a)
    response = client.post(
        reverse("import_start"),
        {"kind": kind, "organization": world.school_a.pk, "file": SimpleUploadedFile(name, content, "text/csv")},
    )
    assert response.status_code == 302
    return ImportJob.objects.latest("pk")


def _job(world, status, *, content=GOOD, **fields):
    job = ImportJob(user=world.curator_a, kind="persons", organization=world.school_a, original_name="people.csv")
    job.file.save("people.csv", ContentFile(content), save=False)
    job.status = status
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    return job


def _page(client, job):
    return client.get(reverse("import_job", args=[job.pk])).content.decode()


def _ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


# A task that raises -----------------------------------------------------------------------


def test_it_ends_a_check_whose_task_raised_in_error_with_the_reason_and_a_way_back(client, world, monkeypatch):
    def broken(self, rows, plan, progress):
        raise RuntimeError("the importer broke")

    monkeypatch.setattr(PersonImporter, "check", broken)
    job = _upload(client, world)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.failure == (
        "Проверка прервалась из-за внутренней ошибки портала. Ничего не сохранено. Загрузите файл заново; если "
        "ошибка повторится, сообщите администратору (время загрузки поможет найти подробности в журнале сервера)."
    )
    assert job.finished_at is not None
    page = _page(client, job)
    assert "Ошибка" in page
    assert job.failure in page
    again = f"{reverse('import_start')}?kind=persons&amp;organization={world.school_a.pk}"
    assert f'href="{again}"' in page
    assert AGAIN in page
    assert "hx-get" not in page  # nothing to wait for


def test_it_ends_a_save_whose_task_raised_in_error_and_saves_nothing(client, world, monkeypatch):
    job = _upload(client, world)
    assert job.status == ImportJob.Status.CHECKED
    original = PersonImporter.save

    def half_then_broken(self, plan):
        original(self, plan)
        assert Person.objects.count() == 2
        raise RuntimeError("after writing")

    monkeypatch.setattr(PersonImporter, "save", half_then_broken)
    client.post(reverse("import_save", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.failure.startswith("Сохранение прервалось из-за внутренней ошибки портала. Ничего не сохранено.")
    assert Person.objects.count() == 0
    assert AuditEntry.objects.filter(action=AuditAction.CREATE).count() == 0


def test_it_stops_a_check_that_runs_longer_than_the_limit(client, world, settings, monkeypatch):
    settings.IMPORT_JOB_TIMEOUT = 1

    def slow(self, rows, plan, progress):
        time.sleep(5)

    monkeypatch.setattr(PersonImporter, "check", slow)
    started = time.monotonic()
    job = _upload(client, world)
    assert time.monotonic() - started < 4
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.failure == (
        "Проверка шла дольше 1 секунды и остановлена. Ничего не сохранено. Разделите файл на части поменьше "
        "и загрузите их по очереди."
    )


# The sweep: jobs whose worker died or that run too long -------------------------------------


def test_it_fails_a_job_whose_worker_stopped_sending_signs_of_life(world):
    dead = _job(world, ImportJob.Status.CHECKING, started_at=_ago(minutes=10), heartbeat_at=_ago(minutes=5))
    alive = _job(world, ImportJob.Status.SAVING, started_at=_ago(minutes=10), heartbeat_at=_ago(seconds=5))
    resting = _job(world, ImportJob.Status.CHECKED, started_at=_ago(days=3), heartbeat_at=_ago(days=3))

    swept = tasks.sweep_stuck_jobs()

    assert [job.pk for job in swept] == [dead.pk]
    dead.refresh_from_db()
    assert dead.status == ImportJob.Status.FAILED
    assert dead.failure == (
        "Проверка прервалась: фоновый обработчик остановился (перезапуск сервера или нехватка памяти). "
        "Ничего не сохранено. Загрузите файл заново."
    )
    assert dead.finished_at is not None
    for job, status in ((alive, ImportJob.Status.SAVING), (resting, ImportJob.Status.CHECKED)):
        job.refresh_from_db()
        assert job.status == status


def test_it_fails_a_job_that_runs_longer_than_the_limit_even_with_signs_of_life(world, settings):
    settings.IMPORT_JOB_TIMEOUT = 600
    job = _job(world, ImportJob.Status.SAVING, started_at=_ago(minutes=15), heartbeat_at=_ago(seconds=1))

    assert tasks.sweep_stuck_jobs() == [job]

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.failure == (
        "Сохранение шло дольше 10 минут и остановлено. Ничего не сохранено. Разделите файл на части поменьше "
        "и загрузите их по очереди."
    )


def _task(status, *, worker_ids=(), enqueued=None):
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="core.tasks.run_import_job",
        backend_name="default",
        run_after=timezone.now(),
        worker_ids=list(worker_ids),
        started_at=timezone.now() if status == "RUNNING" else None,
    )


def test_it_fails_a_queued_job_whose_task_is_gone_or_ended_without_it(world):
    ready = _job(world, ImportJob.Status.QUEUED, task_id=str(_task("READY").id))
    failed = _job(world, ImportJob.Status.QUEUED, task_id=str(_task("FAILED").id))
    gone = _job(world, ImportJob.Status.QUEUED, task_id=str(uuid.uuid4()))
    ImportJob.objects.filter(pk=gone.pk).update(created_at=_ago(minutes=5))
    just_created = _job(world, ImportJob.Status.QUEUED)  # its task is being enqueued

    swept = {job.pk for job in tasks.sweep_stuck_jobs()}

    assert swept == {failed.pk, gone.pk}
    assert ImportJob.objects.get(pk=ready.pk).status == ImportJob.Status.QUEUED
    assert ImportJob.objects.get(pk=just_created.pk).status == ImportJob.Status.QUEUED
    assert ImportJob.objects.get(pk=gone.pk).failure == (
        "Проверка не началась: задача фоновой обработки потерялась. Ничего не сохранено. Загрузите файл заново."
    )


def test_it_fails_at_start_up_a_job_whose_worker_process_on_this_machine_is_gone(world):
    """A worker restarted at once (docker's restart policy) must not leave the job to the heartbeat's timeout."""
    host = tasks.worker_host()
    gone = _task("RUNNING", worker_ids=[f"{host}:999999999:abc"])
    elsewhere = _task("RUNNING", worker_ids=["another-host:1:abc"])
    job = _job(
        world, ImportJob.Status.CHECKING, task_id=str(gone.id), started_at=_ago(seconds=5), heartbeat_at=_ago(seconds=1)
    )
    other = _job(
        world,
        ImportJob.Status.CHECKING,
        task_id=str(elsewhere.id),
        started_at=_ago(seconds=5),
        heartbeat_at=_ago(seconds=1),
    )

    assert tasks.sweep_stuck_jobs(startup=True) == [job]

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    gone.refresh_from_db()
    assert gone.status == "FAILED"
    assert gone.exception_class_path == "core.tasks.WorkerLost"
    assert ImportJob.objects.get(pk=other.pk).status == ImportJob.Status.CHECKING


def test_it_rolls_back_a_save_that_was_swept_while_it_ran(client, world, monkeypatch):
    """The sweep (another process) ends the job while its save runs: the save's own transaction
    writes «Загружен» only on condition the job is still «Сохраняется», and rolls back otherwise."""
    job = _upload(client, world)
    original = PersonImporter.check

    def swept_meanwhile(self, rows, plan, progress):
        original(self, rows, plan, progress)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, failure="Сохранение прервалось.")

    monkeypatch.setattr(PersonImporter, "check", swept_meanwhile)
    client.post(reverse("import_save", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.failure) == (ImportJob.Status.FAILED, "Сохранение прервалось.")
    assert Person.objects.count() == 0
    assert AuditEntry.objects.filter(action=AuditAction.CREATE).count() == 0


# Races: two saves of one job, two jobs of one file, two import_data runs ---------------------


def test_it_starts_the_save_of_a_job_only_once(client, world, monkeypatch):
    from core import views_import

    job = _upload(client, world)
    enqueued = []

    class Recorder:
        def enqueue(self, **kwargs):
            enqueued.append(kwargs)

    monkeypatch.setattr(views_import, "run_import_job", Recorder())
    first = client.post(reverse("import_save", args=[job.pk]))
    second = client.post(reverse("import_save", args=[job.pk]), follow=True)
    assert first.status_code == 302
    assert "Этот файл уже сохраняется или сохранён." in second.content.decode()
    assert enqueued == [{"job_id": job.pk, "save": True}]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SAVING


def test_it_turns_a_save_that_lost_the_race_into_an_error_and_saves_nothing_of_it(client, world, monkeypatch):
    """The save checks the file again; another upload of the same people commits between that
    check and this save's writes (a unique rule of the database refuses the second)."""
    job = _upload(client, world)
    original = PersonImporter.check

    def another_writer_meanwhile(self, rows, plan, progress):
        original(self, rows, plan, progress)
        if plan.payload["creates"]:  # the save's check: the same people arrive from elsewhere
            Person.objects.bulk_create([Person(**_identity(p)) for p in plan.payload["creates"]])

    monkeypatch.setattr(PersonImporter, "check", another_writer_meanwhile)
    client.post(reverse("import_save", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REJECTED
    assert job.result["save_refused"] is True
    assert job.result["errors"] == [
        {
            "row": 0,
            "column": "",
            "message": "Пока файл проверялся, эти же записи добавил или изменил кто-то другой (возможно, этот же "
            "файл загружается ещё раз). Ничего не сохранено: загрузите файл заново — проверка покажет, что уже "
            "есть в реестре.",
        }
    ]
    assert Person.objects.count() == 2  # the other writer's
    assert AuditEntry.objects.filter(action=AuditAction.CREATE).count() == 0
    page = _page(client, job)
    assert "Не сохранено: Пока файл проверялся" in page
    assert AGAIN in page


def _identity(person):
    fields = ("organization", "last_name", "first_name", "middle_name", "birth_date", "category")
    return {name: getattr(person, name) for name in fields}


@pytest.mark.django_db(transaction=True)
def test_it_lets_one_of_two_simultaneous_import_data_runs_win_and_the_other_fail_in_russian(
    world, tmp_path, monkeypatch
):
    path = tmp_path / "people.csv"
    path.write_bytes(GOOD)
    barrier = threading.Barrier(2, timeout=30)
    original = PersonImporter.check

    def check_together(self, rows, plan, progress):
        original(self, rows, plan, progress)
        barrier.wait()  # both have checked the file against an empty registry before either saves

    monkeypatch.setattr(PersonImporter, "check", check_together)
    outcomes = {}

    def run(name):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(
                "import_data", "persons", str(path), "--organization", str(world.school_a.pk), stdout=out, stderr=err
            )
            outcomes[name] = ("saved", out.getvalue(), err.getvalue())
        except CommandError as error:
            outcomes[name] = (error.returncode, str(error), err.getvalue())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(str(outcome[0]) for outcome in outcomes.values()) == ["1", "saved"], outcomes
    loser = next(outcome for outcome in outcomes.values() if outcome[0] == 1)
    assert loser[1] == "Есть ошибки: ничего не сохранено."
    assert re.fullmatch(
        r"(Пока файл проверялся, эти же записи добавил или изменил кто-то другой .*"
        r"|База данных занята другой загрузкой, .*)\n",
        loser[2],
    ), loser[2]
    assert "Traceback" not in loser[2]
    assert Person.objects.count() == 2


# The worker -------------------------------------------------------------------------------


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# The worker closes stale connections between tasks, as between requests: outside a test's transaction.
@pytest.mark.django_db(transaction=True)
def test_it_runs_the_queue_with_the_portals_worker_after_sweeping_at_start_up(client, world, database_tasks):
    stuck = _job(world, ImportJob.Status.SAVING, started_at=_ago(hours=2), heartbeat_at=_ago(hours=2))
    job = _upload(client, world)
    assert job.status == ImportJob.Status.QUEUED
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"

    out = io.StringIO()
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert job.result["summary"]["new"] == 2
    stuck.refresh_from_db()
    assert stuck.status == ImportJob.Status.FAILED
    assert "Отмечено как прерванные: 1" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_it_keeps_db_worker_working(client, world, database_tasks):
    job = _upload(client, world)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED


def test_it_sweeps_every_minute_and_runs_the_daily_commands_every_day(monkeypatch, settings):
    from core.management.commands.worker import Housekeeping

    settings.DAILY_COMMANDS = ["purge_expired", "advance_pairs"]
    calls = []
    monkeypatch.setattr(tasks, "sweep_stuck_jobs", lambda **kwargs: calls.append(("sweep", kwargs)) or [])
    monkeypatch.setattr(
        document_tasks, "sweep_stuck_documents", lambda **kwargs: calls.append(("documents", kwargs)) or []
    )
    now = [1000.0]
    housekeeping = Housekeeping(
        clock=lambda: now[0], log=lambda message: None, run=lambda name: calls.append((name, {})) or ""
    )
    housekeeping.tick()  # start-up: both
    for seconds in (30, 30, 30, 86_400):
        now[0] += seconds
        housekeeping.tick()
    assert [name for name, _ in calls] == [
        "sweep",
        "documents",
        "purge_expired",
        "advance_pairs",
        "sweep",
        "documents",
        "sweep",
        "documents",
        "purge_expired",
        "advance_pairs",
    ]
    assert calls[0][1]["startup"] is True and calls[1][1]["startup"] is True
    assert calls[4][1]["startup"] is False and calls[5][1]["startup"] is False


# Retention --------------------------------------------------------------------------------


def test_it_deletes_files_older_than_the_retention_and_keeps_the_summary(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_RETENTION_DAYS = 30
    old = _upload(client, world, BAD, name="old.csv")
    recent = _upload(client, world, BAD, name="recent.csv")
    ImportJob.objects.filter(pk=old.pk).update(created_at=_ago(days=31))
    old_path = Path(old.file.path)
    orphan = Path(settings.MEDIA_ROOT) / "imports" / "2020" / "01" / "lost.csv"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")
    stale = time.time() - 40 * 86_400
    os.utime(orphan, (stale, stale))

    out = io.StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert old_path.exists() and orphan.exists()
    assert "Будет удалено" in out.getvalue()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the journal line is committed
        call_command("purge_expired", stdout=out)
    printed = out.getvalue()
    assert f"Удалён файл загрузки № {old.pk} «old.csv»" in printed
    assert "imports/2020/01/lost.csv" in printed
    assert not old_path.exists() and not orphan.exists()
    old.refresh_from_db()
    assert old.file_deleted_at is not None
    assert not old.file
    assert old.result["error_count"] == 1  # the summary stays
    recent.refresh_from_db()
    assert recent.file and Path(recent.file.path).exists()

    page = _page(client, old)
    assert "Файл удалён через 30 дней после загрузки" in page
    assert reverse("import_errors", args=[old.pk]) not in page
    assert client.get(reverse("import_errors", args=[old.pk])).status_code == 404


def test_it_never_purges_a_running_job(world, settings):
    job = _job(world, ImportJob.Status.CHECKING, started_at=_ago(seconds=1), heartbeat_at=_ago(seconds=1))
    ImportJob.objects.filter(pk=job.pk).update(created_at=_ago(days=400))
    tasks.purge_expired_imports()
    job.refresh_from_db()
    assert job.file and job.file_deleted_at is None


# The error report is journalled ------------------------------------------------------------


def test_it_journals_the_download_of_an_error_report(client, world):
    job = _upload(client, world, BAD)
    response = client.get(reverse("import_errors", args=[job.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOAD)
    assert entry.actor == world.curator_a
    assert entry.object_id == str(job.pk)
    assert entry.object_repr == "people.csv (Найдены ошибки)"
    assert entry.data == {"file": "people.csv", "report": "ошибки загрузки", "rows": 2, "errors": 1}


# Truthful labels ----------------------------------------------------------------------------


def test_it_lists_a_refused_import_as_having_errors_not_as_checked(client, world):
    _upload(client, world, BAD, name="bad.csv")
    _upload(client, world, (CORPUS / "lies.xlsx").read_bytes(), name="lies.xlsx")
    _upload(client, world, GOOD, name="good.csv")
    rows = re.findall(r"<tr>.*?</tr>", client.get(reverse("import_start")).content.decode(), re.S)
    states = {re.search(r">([^<]+\.(?:csv|xlsx))</a>", row).group(1): row for row in rows[1:]}
    assert "Найдены ошибки" in states["bad.csv"]
    assert "Найдены ошибки" in states["lies.xlsx"]
    assert "Проверен, можно сохранить" in states["good.csv"]
    assert "Проверен<" not in "".join(states.values())


def test_it_speaks_of_a_saved_job_in_the_past_tense(client, world):
    job = _upload(client, world)
    page = _page(client, job)
    assert ">обновится<" in page and ">добавится<" in page
    client.post(reverse("import_save", args=[job.pk]))
    page = _page(client, job)
    assert ">обновится<" not in page and ">добавится<" not in page
    assert ">обновлено<" in page and ">добавлено<" in page
    assert "Загружен" in page


def test_it_shows_progress_without_inline_styles(client, world):
    job = _job(world, ImportJob.Status.CHECKING, rows_done=1, rows_expected=2, started_at=timezone.now())
    client.force_login(world.curator_a)
    fragment = client.get(reverse("import_job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "style=" not in fragment
    assert '<progress class="w-100" value="50" max="100"' in fragment
    assert "Проверяется" in fragment


def test_it_keeps_a_file_name_with_control_characters_or_too_long_as_a_clean_one(client, world):
    job = _upload(client, world, name="люди\x07\x1b.csv")
    assert job.original_name == "люди.csv"
    # 300 Cyrillic letters: 600 bytes, more than a file system takes for a name (it was a 500).
    job = _upload(client, world, name="л" * 300 + ".csv")
    assert len(job.original_name) <= 255
    assert job.original_name.endswith(".csv")
    assert re.fullmatch(r"imports/\d{4}/\d{2}/[0-9a-f]{32}\.csv", job.file.name)
    assert ImportJob.objects.filter(status=ImportJob.Status.CHECKED).count() == 2


def test_it_says_a_checked_file_was_deleted_when_saving_it_after_the_retention(
    client, world, django_capture_on_commit_callbacks
):
    job = _upload(client, world)
    ImportJob.objects.filter(pk=job.pk).update(created_at=_ago(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.purge_expired_imports()
    response = client.post(reverse("import_save", args=[job.pk]), follow=True)
    assert "Файл этой загрузки уже удалён по сроку хранения: загрузите его заново." in response.content.decode()
    assert Person.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
