"""What every app shares: role assignments and the audit journal."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.choices import MUNICIPAL_ROLES, AuditAction, Role
from core.reversing import reverse_pk
from core.scoping import ScopedQuerySet


class RoleAssignment(models.Model):
    """A role a user holds in one place (docs/product.md «Who uses it»).

    Coordinators and observers hold theirs over a municipality, curators and directors
    over an organization. One user may hold several assignments.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name="пользователь",
    )
    role = models.CharField("роль", max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="муниципалитет",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="организация",
    )

    class Meta:
        verbose_name = "роль пользователя"
        verbose_name_plural = "роли пользователей"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "municipality", "organization"], name="role_assignment_unique"
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) | Q(organization__isnull=True),
                name="role_assignment_one_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.place}"

    @property
    def place(self):
        return self.municipality or self.organization

    def clean(self) -> None:
        if self.role in MUNICIPAL_ROLES:
            if not self.municipality_id or self.organization_id:
                raise ValidationError(
                    {"municipality": "Координатор и наблюдатель назначаются на муниципалитет, без организации."}
                )
        elif not self.organization_id or self.municipality_id:
            raise ValidationError(
                {"organization": "Куратор и руководитель назначаются на организацию, без муниципалитета."}
            )


class Profile(models.Model):
    """What a role holder's documents need beyond Django's user: the patronymic and the position.

    Issue 10: every role holder has a full name (with patronymic) and a position, which documents
    use (seed 004: «Шестакову Т. В., методиста МОУ ДПО ЦРО»). Made when first needed
    (`core.profiles.profile_of`), so users made by the admin or a command need nothing more.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name="пользователь"
    )
    middle_name = models.CharField("отчество", max_length=150, blank=True)
    position = models.CharField(
        "должность", max_length=300, blank=True, help_text="Как в документах: «заместитель директора по УВР»."
    )

    class Meta:
        verbose_name = "профиль пользователя"
        verbose_name_plural = "профили пользователей"

    def __str__(self) -> str:
        return str(self.user)


def organization_model() -> type[models.Model]:
    """The organizations the portal's data belongs to and is scoped by (registry's Organization),
    found through the relation core's own records hold to it: core stands below the apps and
    imports none of them."""
    return RoleAssignment._meta.get_field("organization").related_model


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        """Entries about `obj` itself and about records that belong to it (e.g. a person's consents)."""
        content_type = ContentType.objects.get_for_model(obj)
        object_id = str(obj.pk)
        return self.filter(
            Q(content_type=content_type, object_id=object_id)
            | Q(parent_content_type=content_type, parent_object_id=object_id)
        ).select_related("actor", "content_type")


class AuditEntry(models.Model):
    """One line of the audit journal: who did what to which record, when, from what to what.

    docs/product.md «Personal data»: changes of personal records and pairs are audited, and
    exports and downloads of personal data are logged (152-ФЗ).
    """

    created_at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто",
    )
    action = models.CharField("действие", max_length=20, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="тип записи",
        db_index=False,  # covered by the (content_type, object_id) index
    )
    object_id = models.CharField("код записи", max_length=64, blank=True)
    object_repr = models.CharField("запись", max_length=300, blank=True)
    #: The record this one belongs to (the person of a consent), so its page shows it too.
    parent_content_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # covered by the (parent_content_type, parent_object_id) index
    )
    parent_object_id = models.CharField(max_length=64, blank=True)
    #: {field label: [before, after]} for changes; the fields' values for creation and deletion.
    changes = models.JSONField("изменения", default=dict, blank=True)
    #: Anything else worth keeping: for an export, the list, its filters and the row count.
    data = models.JSONField("подробности", default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "запись журнала"
        verbose_name_plural = "журнал изменений"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["parent_content_type", "parent_object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.get_action_display()} {self.object_repr}"


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user):
        """An import's preview names people and their errors: only its author (and staff) see it."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self if user.is_superuser else self.filter(user=user)


class ImportJob(models.Model):
    """One upload of a table and what became of it: checked (the preview), then saved or not.

    The file is kept so that the check and the save read the same bytes, and so that the
    error report can be made from it; the result stays on the page after a reload. After
    IMPORT_RETENTION_DAYS days the file is deleted (`manage.py purge_expired`) and the summary
    stays. A job always ends in a final state: the worker marks failed a job whose task raised,
    whose worker died (no sign of life), or that ran longer than IMPORT_JOB_TIMEOUT (core.tasks)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "В очереди"
        CHECKING = "checking", "Проверяется"
        CHECKED = "checked", "Проверен, можно сохранить"
        REJECTED = "rejected", "Найдены ошибки"
        SAVING = "saving", "Сохраняется"
        DONE = "done", "Загружен"
        FAILED = "failed", "Ошибка"

    RUNNING = (Status.QUEUED, Status.CHECKING, Status.SAVING)
    #: Bootstrap colours of the state's badge.
    BADGES = {
        Status.QUEUED: "secondary",
        Status.CHECKING: "info",
        Status.CHECKED: "primary",
        Status.REJECTED: "warning",
        Status.SAVING: "info",
        Status.DONE: "success",
        Status.FAILED: "danger",
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="кто")
    kind = models.CharField("что загружается", max_length=30)
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация",
    )
    file = models.FileField("файл", upload_to="imports/%Y/%m/", max_length=300, blank=True)
    original_name = models.CharField("имя файла", max_length=255)
    #: What the upload asked besides the organization, for kinds that take more (a roadmap: its
    #: municipality, title and period): given to the importer of the check and of the save.
    options = models.JSONField("параметры загрузки", default=dict, blank=True)
    status = models.CharField("состояние", max_length=20, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField("проверено строк", default=0)
    rows_expected = models.PositiveIntegerField("строк в файле", null=True, blank=True)
    result = models.JSONField("результат", default=dict, blank=True)
    #: Why the job ended in «Ошибка» (a task that raised, a worker that died, a timeout).
    failure = models.TextField("причина ошибки", blank=True)
    #: The django-tasks result that runs the job's check or save.
    task_id = models.CharField("задача", max_length=64, blank=True)
    created_at = models.DateTimeField("загружен", auto_now_add=True)
    started_at = models.DateTimeField("начало проверки или сохранения", null=True, blank=True)
    #: The worker's last sign of life while it runs the job.
    heartbeat_at = models.DateTimeField("обработчик отзывался", null=True, blank=True)
    finished_at = models.DateTimeField("закончен", null=True, blank=True)
    file_deleted_at = models.DateTimeField("файл удалён", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "загрузка файла"
        verbose_name_plural = "загрузки файлов"
        ordering = ["-created_at"]
        indexes = [
            # The worker's sweep looks for running jobs; the purge for old ones with a file.
            models.Index(fields=["status"], name="import_job_status"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def badge(self) -> str:
        return self.BADGES.get(self.status, "secondary")

    @property
    def percent(self) -> int:
        if not self.rows_expected:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_expected))

    @property
    def can_save(self) -> bool:
        result = self.result or {}
        return (
            self.status == self.Status.CHECKED
            and bool(self.file)
            and not result.get("file_error")
            and not result.get("error_count")
            and not result.get("missing")
            and not result.get("saved")
        )

    @property
    def can_recheck(self) -> bool:
        """May the options be given again and the file checked with them (core.views_import.ImportOptionsView)?"""
        result = self.result or {}
        return (
            self.status in (self.Status.CHECKED, self.Status.REJECTED)
            and self.file_kept
            and not result.get("file_error")
            and not result.get("saved")
        )

    @property
    def file_kept(self) -> bool:
        return bool(self.file) and self.file_deleted_at is None


class IssuedDocumentQuerySet(ScopedQuerySet):
    """`for_user`: a school's documents for its curator and director; a municipality's (its own and
    its schools') for the coordinator and the observer."""

    def issued(self):
        return self.filter(status__in=IssuedDocument.REGISTERED)


class IssuedDocument(models.Model):
    """A document in the register (реестр документов): an order the portal prepared and its issuer
    signed, kept as it was issued.

    Issue 10 §4: «Every issued document is kept: kind, number (numbered per organization and year
    by a configurable pattern such as «{n}-о»; editable; unique), date, who issued it, the PDF as
    issued (immutable afterwards), the objects it concerns (pairs, a roadmap, a campaign) … a
    cancelled document stays in the register marked cancelled.» Seed 002 item 8 and Положение §3.6
    are the reason there is one: the pairs are fixed by the school's order.

    A document is first a draft (проект: the curator chose what it concerns), then issued (the
    director gave it a number and a date: the PDF is rendered once and never again), and may be
    cancelled (отменён, with the reason), never deleted. The issuer is a school (`organization`)
    or, for the municipality's own orders, the education authority (`organization` empty). All
    rules are in `core.issuing`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Проект"
        ISSUED = "issued", "Издан"
        CANCELLED = "cancelled", "Отменён"

    class Job(models.TextChoices):
        """The worker's rendering of a large document (an order with hundreds of pairs)."""

        NONE = "", "—"
        QUEUED = "queued", "В очереди"
        RUNNING = "running", "Формируется"
        FAILED = "failed", "Ошибка"

    REGISTERED = (Status.ISSUED, Status.CANCELLED)
    BADGES = {Status.DRAFT: "secondary", Status.ISSUED: "success", Status.CANCELLED: "danger"}

    kind = models.CharField("вид документа", max_length=40)
    title = models.CharField("заголовок", max_length=500)
    municipality = models.ForeignKey(
        "registry.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name="муниципалитет"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация",
        help_text="Пусто — документ органа управления образованием.",
    )
    status = models.CharField("состояние", max_length=20, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField("номер", max_length=50, blank=True)
    #: The running number «{n}» of the pattern, when the number follows it: the next is suggested from it.
    sequence = models.PositiveIntegerField("порядковый номер в году", null=True, blank=True)
    date = models.DateField("дата", null=True, blank=True)
    year = models.PositiveSmallIntegerField("год", null=True, blank=True, editable=False)
    #: What the kind needs besides the objects it concerns (a period, a text), as it prepared them.
    params = models.JSONField("параметры", default=dict, blank=True)
    #: The PDF as issued: written once, by `core.issuing`, never replaced.
    file = models.FileField("PDF", upload_to="documents/%Y/", max_length=300, blank=True)
    sha256 = models.CharField("контрольная сумма", max_length=64, blank=True)
    pages = models.PositiveIntegerField("страниц", null=True, blank=True)
    size = models.PositiveIntegerField("размер, байт", null=True, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="подготовил",
    )
    prepared_at = models.DateTimeField("подготовлен", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="издал",
    )
    issued_at = models.DateTimeField("издан", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="отменил",
    )
    cancelled_at = models.DateTimeField("отменён", null=True, blank=True)
    cancel_reason = models.TextField("причина отмены", blank=True)
    job = models.CharField("формирование", max_length=20, choices=Job.choices, blank=True, default=Job.NONE)
    progress = models.PositiveSmallIntegerField("готово, %", default=0)
    job_failure = models.TextField("причина ошибки", blank=True)
    #: The worker's task and its signs of life, for the sweep (core.document_tasks.sweep_stuck_documents).
    job_task_id = models.CharField("задача", max_length=64, blank=True, editable=False)
    job_started_at = models.DateTimeField("формирование начато", null=True, blank=True, editable=False)
    job_heartbeat_at = models.DateTimeField("последний признак жизни", null=True, blank=True, editable=False)

    scope_municipality_path = "municipality"
    scope_organization_path = "organization"
    audit_exclude = (
        "prepared_at", "progress", "job", "job_failure", "job_task_id", "job_started_at", "job_heartbeat_at"
    )  # fmt: skip

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "документ"
        verbose_name_plural = "реестр документов"
        ordering = ["-date", "-sequence", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "number"],
                condition=Q(organization__isnull=False, status__in=("issued", "cancelled")),
                name="issued_document_number_unique",
                violation_error_message="Документ с таким номером в этом году у организации уже есть.",
            ),
            models.UniqueConstraint(
                fields=["municipality", "year", "number"],
                condition=Q(organization__isnull=True, status__in=("issued", "cancelled")),
                name="issued_document_municipal_number_unique",
                violation_error_message="Документ с таким номером в этом году у органа управления уже есть.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(date__isnull=False) & ~Q(number="")),
                name="issued_document_has_number_and_date",
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="issued_document_kind")]

    def __str__(self) -> str:
        if self.status == self.Status.DRAFT:
            return f"Проект: {self.title}"
        return f"{self.title} от {self.date:%d.%m.%Y} № {self.number}"

    def get_absolute_url(self) -> str:
        return reverse_pk("document_detail", self.pk)

    @property
    def issuer(self):
        """The body whose register holds the document: the school, or the municipality's authority."""
        return self.organization or self.municipality

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def badge(self) -> str:
        return self.BADGES.get(self.status, "secondary")


class DocumentSubject(models.Model):
    """An object a document concerns: a pair the order fixes, the roadmap it approves, the campaign
    it answers (issue 10 §4). Kept by reference and by name, so the register still says what the
    document was about when the object is gone."""

    document = models.ForeignKey(
        IssuedDocument, on_delete=models.CASCADE, related_name="subjects", verbose_name="документ"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField("что", max_length=300)

    class Meta:
        verbose_name = "предмет документа"
        verbose_name_plural = "предметы документа"
        ordering = ["pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="document_subject_object")]

    def __str__(self) -> str:
        return self.object_repr


class PrintJob(models.Model):
    """A document printed on demand that is too large to lay out in the request (issue 10 §4:
    «in the worker with a progress bar for large ones (… the region's report)»): a municipality's
    consolidated coverage report of hundreds of schools takes WeasyPrint half a minute.

    The request checks who asks and writes the document's HTML from the data as they are then; the
    worker lays it out (`core.document_tasks.print_document`) with a progress bar by pages; the
    person who asked downloads the PDF, and only they see the job. Not a register entry: the
    document is nobody's act. The download is journalled, as the request's download would be, and
    the file is deleted after PRINT_RETENTION_HOURS (`purge_expired`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "В очереди"
        RUNNING = "running", "Формируется"
        DONE = "done", "Готов"
        FAILED = "failed", "Ошибка"

    RUNNING = (Status.QUEUED, Status.RUNNING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="заказал"
    )
    kind = models.CharField("вид документа", max_length=40)
    title = models.CharField("заголовок", max_length=500)
    filename = models.CharField("имя файла", max_length=300)
    #: The document as the request wrote it; emptied once laid out.
    html = models.TextField("HTML", blank=True)
    #: How many pages the layout will take, about (the progress bar's scale); 0: unknown.
    expected_pages = models.PositiveIntegerField("ожидается страниц", default=0)
    rows = models.PositiveIntegerField("строк", default=0)
    #: What the journal's export line says of the download: the filters asked, whether it names people.
    filters = models.JSONField("отбор", default=dict, blank=True)
    personal = models.BooleanField("персональные данные", default=True)
    #: The page the person printed from, to go back to.
    back_url = models.CharField("откуда", max_length=1000, blank=True)
    status = models.CharField("состояние", max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("готово, %", default=0)
    failure = models.TextField("причина ошибки", blank=True)
    file = models.FileField("PDF", upload_to="prints/%Y/%m/", max_length=300, blank=True)
    pages = models.PositiveIntegerField("страниц", null=True, blank=True)
    size = models.PositiveIntegerField("размер, байт", null=True, blank=True)
    task_id = models.CharField("задача", max_length=64, blank=True)
    created_at = models.DateTimeField("заказан", auto_now_add=True)
    started_at = models.DateTimeField("начат", null=True, blank=True)
    heartbeat_at = models.DateTimeField("последний признак жизни", null=True, blank=True)
    finished_at = models.DateTimeField("закончен", null=True, blank=True)

    class Meta:
        verbose_name = "печать документа"
        verbose_name_plural = "печать документов"
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status"], name="print_job_status")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse_pk("print_job", self.pk)

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING
