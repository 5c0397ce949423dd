"""Households in need, registered and verified by their ward, approved before they can receive a bag."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from relief.models import Campaign, Distribution, HouseholdStatus, ScopedQuerySet, Ward, scope_of
from relief.rows import columns, models_from_row
from relief.selectors import ward_stock_query
from relief.text import clean_name, fold, normalize_national_id, normalize_phone


class Category(models.Model):
    """A beneficiary category named in the program's documents (người có công, hộ nghèo, …)."""

    code = models.SlugField("mã", max_length=30, unique=True)
    name = models.CharField("tên", max_length=100)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "diện hỗ trợ"
        verbose_name_plural = "diện hỗ trợ"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


# The program's beneficiary categories (docs/ARCHITECTURE.md), loaded by a data migration so every database has them.
CATEGORIES = [
    ("nguoi-co-cong", "Người có công"),
    ("gia-dinh-chinh-sach", "Gia đình chính sách"),
    ("ho-ngheo", "Hộ nghèo"),
    ("ho-can-ngheo", "Hộ cận nghèo"),
    ("nguoi-yeu-the", "Người yếu thế"),
    ("hoan-canh-kho-khan", "Hoàn cảnh khó khăn"),
    ("mat-viec-do-dich", "Mất việc do dịch"),
    ("lao-dong-tu-do", "Lao động tự do"),
    ("lang-thang-co-nho", "Lang thang cơ nhỡ"),
]


class HouseholdQuerySet(ScopedQuerySet):
    def approved(self):
        return self.filter(status=Household.Status.APPROVED)

    def with_served(self, campaign):
        """Annotate ``served``: whether the household holds a bag of ``campaign`` that was not cancelled."""
        return self.annotate(served=Exists(Distribution.objects.holding(campaign).filter(household=OuterRef("pk"))))

    def with_bags_received(self, campaign):
        """Annotate ``bags_received``: how many bags of ``campaign`` the household holds (hand-outs not cancelled),
        which the register's card compares with the campaign's per-household limit before it offers another."""
        held = Distribution.objects.holding(campaign).filter(household=OuterRef("pk"))
        counted = held.order_by().values("household").annotate(n=Count("pk")).values("n")
        return self.annotate(bags_received=Coalesce(Subquery(counted), 0))

    def lock_for_hand_out(self, pk, campaign, *, ward_id=None, request_key=None):
        """Household ``pk`` read afresh and locked, with what a hand-out to it in ``campaign`` (a pk) decides on:
        its ``ward``; the campaign as ``hand_out_campaign`` (None if there is no such campaign); ``held_slots``, the
        slots it holds in the campaign (hand-outs not cancelled); ``repeat``, the pk of the hand-out recorded with
        the one-time ``request_key`` (None if none); and ``stock``, the bags of the campaign in its ward's stock.
        None if there is no such household, or if ``ward_id`` is given and the household is not of that ward.

        Only the household's row is locked (``FOR UPDATE OF``): locking its ward or the campaign too would queue
        every hand-out of the district behind one another until each commits. One statement, written out because
        it reads three models and three answers in one go under a lock that names one table (SQLite, which has no
        row locks, serialises its writers instead). A statement that waited for the lock still reads what was
        committed when it began, so a hand-out committed meanwhile by the transaction that held the lock can be
        missing from ``held_slots`` and ``repeat``: the unique constraints of ``Distribution`` refuse what that
        would let through, and the hand-out service then reads again.
        """
        db = router.db_for_write(Household)  # a lock: the primary, never a replica
        connection = connections[db]
        quote = connection.ops.quote_name
        held = quote(Distribution._meta.db_table)
        stock_sql, stock_params = ward_stock_query(connection, campaign, ward_column="h.ward_id")
        key = Distribution._meta.get_field("request_key").get_db_prep_value(request_key, connection)
        selected = columns(Household, "h", quote) + columns(Ward, "w", quote) + columns(Campaign, "c", quote)
        lock = " FOR UPDATE OF h" if connection.features.has_select_for_update_of else ""
        where = f"h.id = %s{' AND h.ward_id = %s' if ward_id is not None else ''}"
        sql = (
            f"SELECT {', '.join(selected)}, d.slot, (SELECT id FROM {held} WHERE request_key = %s),"
            f" ({stock_sql})"
            f" FROM {quote(Household._meta.db_table)} h JOIN {quote(Ward._meta.db_table)} w ON w.id = h.ward_id"
            f" LEFT JOIN {quote(Campaign._meta.db_table)} c ON c.id = %s"
            f" LEFT JOIN {held} d ON d.household_id = h.id AND d.campaign_id = c.id AND d.cancelled_at IS NULL"
            f" WHERE {where}{lock}"
        )
        params = [key, *stock_params, campaign, pk] + ([ward_id] if ward_id is not None else [])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            return None
        household, household.ward, household.hand_out_campaign = models_from_row(db, rows[0], Household, Ward, Campaign)
        household.held_slots = {row[-3] for row in rows if row[-3] is not None}
        household.repeat, household.stock = rows[0][-2], int(rows[0][-1])
        return household

    def search(self, text):
        """Match a name or address typed with or without diacritics from the start of one of its words, or a CCCD
        or phone typed in part (its first digits).

        "nguyen van an" finds "Nguyễn Văn An" and "Lê Nguyễn Văn Anh", "an" finds "Trần Thị An" and
        "5 An Dương Vương", "guyen" finds nothing: people type a name from the start of a word, and a match at a word
        start is what an index can find in a million households (``WordStartMatch``).
        """
        text = (text or "").strip()
        folded = fold(text)
        if not folded:
            return self
        digits = "".join(ch for ch in text if ch.isdigit())
        condition = Q(WordStartMatch(folded))
        if digits and len(digits) >= 3 and len(digits) == len(text.replace(" ", "").replace("+", "")):
            if text.startswith("+84"):
                digits = "0" + digits[2:]
            condition |= Q(national_id__startswith=digits) | Q(phone__startswith=digits)
        return self.filter(condition)


class WordStartMatch(Func):
    """Whether a household's folded name or address has ``folded`` at the start of one of its words.

    Everywhere but PostgreSQL this is ``' ' || name_key LIKE '% <folded>%'`` (the same for the address). PostgreSQL
    asks its ``search_words`` column, every word suffix of the name and the address (migration 0005), for the
    prefix ``'<folded>':*``, which means the same and which a GIN index answers.
    """

    output_field = BooleanField()

    def __init__(self, folded):
        super().__init__(F("name_key"), F("address_key"))
        self.folded = folded

    def as_sql(self, compiler, connection, **extra_context):
        (name, _), (address, _) = (compiler.compile(expression) for expression in self.source_expressions)
        pattern = "% " + connection.ops.prep_for_like_query(self.folded) + "%"
        sql = f"((' ' || {name}) LIKE %s ESCAPE '\\' OR (' ' || {address}) LIKE %s ESCAPE '\\')"
        return sql, (pattern, pattern)

    def as_postgresql(self, compiler, connection, **extra_context):
        table = compiler.quote_name_unless_alias(self.source_expressions[0].alias)
        prefix = "'" + self.folded.replace("\\", "\\\\").replace("'", "''") + "':*"
        return f"{table}.search_words @@ %s::tsquery", (prefix,)


# What a person sets on a household, in the order its pages list them (the admin's form, the history section);
# the search keys and timestamps follow from these.
PERSON_FIELDS = (
    "ward", "head_name", "national_id", "head_birth_date", "head_sex", "phone", "address", "members", "residence",
    "categories", "status", "source", "notes",
)  # fmt: skip


class Household(models.Model):
    class Residence(models.TextChoices):
        PERMANENT = "permanent", "Thường trú"
        TEMPORARY = "temporary", "Tạm trú"
        OTHER_PROVINCE = "other_province", "Ngoại tỉnh"
        NONE = "none", "Không nơi cư trú ổn định"

    class Sex(models.TextChoices):
        MALE = "male", "Nam"
        FEMALE = "female", "Nữ"

    Status = HouseholdStatus

    class Source(models.TextChoices):
        WARD_SURVEY = "ward_survey", "Phường rà soát"
        POLICE_LIST = "police_list", "Danh sách công an phường"
        SELF_REPORT = "self_report", "Tự đăng ký"
        IMPORT = "import", "Nhập từ tệp"

    # No index of its own: the two composite indexes below start with the ward and serve every lookup by ward.
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, related_name="households", verbose_name="đơn vị nhận", db_index=False
    )
    head_name = models.CharField("họ và tên chủ hộ", max_length=120)
    name_key = models.CharField(max_length=120, editable=False, db_index=True)
    national_id = models.CharField("số CCCD / CMND", max_length=12, blank=True)  # indexed in Meta.indexes
    # The head's date of birth and sex, as the CCCD states them: filled from its QR code or typed, never required.
    # Both nullable (None: not known) so that SQLite adds the columns in place: rebuilding the table would break
    # the counter triggers that name it (relief/0005).
    head_birth_date = models.DateField("ngày sinh chủ hộ", null=True, blank=True)
    head_sex = models.CharField("giới tính chủ hộ", max_length=6, choices=Sex, null=True, blank=True)
    phone = models.CharField("số điện thoại", max_length=10, blank=True)
    address = models.CharField("địa chỉ", max_length=250)
    address_key = models.CharField(max_length=250, editable=False)
    members = models.PositiveSmallIntegerField("số nhân khẩu", default=1)
    residence = models.CharField("cư trú", max_length=20, choices=Residence, default=Residence.PERMANENT)
    categories = models.ManyToManyField(Category, blank=True, related_name="households", verbose_name="diện")
    status = models.CharField("trạng thái", max_length=10, choices=Status, default=Status.PROPOSED)
    source = models.CharField("nguồn", max_length=20, choices=Source, default=Source.WARD_SURVEY)
    notes = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nhập",
    )
    created_at = models.DateTimeField("ngày nhập", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật", auto_now=True)

    objects = HouseholdQuerySet.as_manager()
    # The history is read by household, never searched by number: its copies of the two number indexes only cost
    # every import and registration four index writes.
    history = HistoricalRecords(
        excluded_fields=["name_key", "address_key", "updated_at"],
        m2m_fields=[categories],
        no_db_index=["national_id", "phone"],
    )

    class Meta:
        verbose_name = "hộ gia đình"
        verbose_name_plural = "hộ gia đình"
        ordering = ["ward", "name_key", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(members__gte=1), name="household_has_a_member"),
            models.CheckConstraint(
                condition=Q(national_id="") | Q(national_id__regex=r"^([0-9]{9}|[0-9]{12})$"),
                name="household_national_id_digits",
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^0[0-9]{9}$"), name="household_phone_digits"
            ),
            models.CheckConstraint(condition=~Q(head_name=""), name="household_has_a_name"),
        ]
        indexes = [
            models.Index(fields=["ward", "status"], name="household_ward_status"),
            # A ward's register in name order, and the district's list ward by ward (keyset pages walk it).
            models.Index(fields=["ward", "name_key", "id"], name="household_ward_name"),
            # One index per number, in the pattern operator class: it serves both the equality of the duplicate
            # checks and the prefix of the search ("0912…"). ``db_index`` made two on PostgreSQL, one per class.
            models.Index(fields=["national_id"], name="household_national_id", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["phone"], name="household_phone", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.head_name

    def save(self, *args, **kwargs):
        self.normalize()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key", "address_key", "head_name", "address"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        for field, normalize in (("national_id", normalize_national_id), ("phone", normalize_phone)):
            value = getattr(self, field)
            if value:
                try:
                    setattr(self, field, normalize(value))
                except ValidationError as error:
                    errors[field] = error.messages
        if errors:
            raise ValidationError(errors)

    def normalize(self):
        """Tidy the typed name and address and refresh their search keys; bulk imports call this too."""
        self.head_name = clean_name(self.head_name)
        self.address = clean_name(self.address)
        self.name_key = fold(self.head_name)
        self.address_key = fold(self.address)


class PersonalDataView(models.Model):
    """One deliberate look at a full national ID or phone number, of a household or of a report of a missed
    household (the person's or the reporter's): who saw whose, which, and when.

    Lists and exports show these numbers masked; the full number appears only on the household's or the report's own
    page after the "Hiện số đầy đủ" button, and every press is written here so a leak can be traced to a person.
    """

    class Field(models.TextChoices):
        NATIONAL_ID = "national_id", "Số CCCD / CMND"
        PHONE = "phone", "Số điện thoại"
        REPORTER_PHONE = "reporter_phone", "Số điện thoại người báo"

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="hộ"
    )
    report = models.ForeignKey(
        "MissedReport", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="báo bị bỏ sót"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người xem"
    )
    field = models.CharField("thông tin", max_length=20, choices=Field)
    viewed_at = models.DateTimeField("lúc", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "lượt xem số đầy đủ"
        verbose_name_plural = "nhật ký xem số đầy đủ"
        ordering = ["-viewed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False, report__isnull=True, field__in=["national_id", "phone"])
                | Q(household__isnull=True, report__isnull=False, field__in=["phone", "reporter_phone"]),
                name="personal_data_view_of_one_record",
            )
        ]

    def __str__(self):
        return f"{self.viewer} · {self.household or self.report} · {self.get_field_display()}"


class PendingImport(models.Model):
    """A household list checked at its preview and waiting for the staff's confirmation.

    Kept in the database, not on the disk of the app server that took the upload, so that any app server behind
    the load balancer can take the confirmation. Only its uploader's session knows the random token.
    """

    KEEP = timedelta(days=1)  # an upload nobody confirmed within a day is forgotten

    token = models.CharField(max_length=64, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source_name = models.CharField(max_length=200, blank=True)
    suffix = models.CharField(max_length=5)
    upload = models.BinaryField()
    preview = models.TextField(blank=True)
    rows = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tệp chờ xác nhận"
        verbose_name_plural = "tệp chờ xác nhận"

    def __str__(self):
        return self.source_name


class ImportJobQuerySet(ScopedQuerySet):
    ward_lookup = None  # a district's job: its staff see it
    district_lookup = "district_id"

    def visible_to(self, user):
        """A district's jobs to its staff; to an officer only the jobs of the lists they uploaded themselves."""
        if scope_of(user).ward_id:
            return self.filter(started_by=user)
        return super().visible_to(user)

    def for_page(self):
        """Without the file and its checked rows (megabytes, and the page polls every 2 seconds), but knowing
        whether the job still holds them."""
        holds_file = ExpressionWrapper(Q(upload__isnull=False), output_field=BooleanField())
        return self.defer("upload", "preview").annotate(holds_file=holds_file).select_related("started_by")


class ImportJob(models.Model):
    """A confirmed import running in the background, and its outcome, for the staff who wait on its page.

    The job carries the upload's bytes and its checked rows (the preview), so the worker that runs it needs no file
    of the app server that took the upload. The import itself stays one transaction: a job that fails or is killed
    leaves no household, and the job can run again from its own bytes.
    """

    class Kind(models.TextChoices):
        HOUSEHOLDS = "households", "Danh sách hộ"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Xong"
        FAILED = "failed", "Lỗi"

    # The worker holds its job's row locked for the whole import, one transaction (households/jobs.py): a job
    # "running" whose row nobody holds lost its worker (killed, its host gone) and, its transaction rolled back, left
    # nothing behind. The first seconds are the worker's, between marking the job running and taking the lock.
    # Where rows cannot be tested for a lock (SQLite), a job still "running" this long after it started is lost.
    STARTING = timedelta(seconds=10)
    LOST_AFTER = timedelta(minutes=15)

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người nhập"
    )
    district = models.ForeignKey(
        "relief.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="đơn vị tổ chức",
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.HOUSEHOLDS)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING)
    source_name = models.CharField("tên tệp", max_length=200, blank=True)
    upload = models.BinaryField("tệp", null=True, editable=False)  # emptied once nothing can run it again
    suffix = models.CharField(max_length=5)
    preview = models.TextField("dòng đã kiểm tra", blank=True, editable=False)
    rows = models.PositiveIntegerField("số dòng", null=True, blank=True)
    # The staff chose to import the rows without errors and take the others back to fix (``household_import``).
    good_only = models.BooleanField("chỉ nhập dòng hợp lệ", default=False)
    # The staff checked the rows whose CCCD repeats and chose to import each as a household of its own.
    same_id_too = models.BooleanField("nhập cả dòng trùng CCCD", default=False)
    imported = models.PositiveIntegerField("đã nhập", default=0)
    message = models.TextField("kết quả", blank=True)
    problems = models.JSONField("các dòng có vấn đề", default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # The upload's token, the confirmation's one-time key: a second confirmation finds the job already started.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField("lúc xác nhận", auto_now_add=True)
    started_at = models.DateTimeField("lúc bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("lúc xong", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "việc nhập danh sách"
        verbose_name_plural = "việc nhập danh sách"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "done", "failed"]), name="import_job_status_known"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.source_name} ({self.get_status_display()})"

    @property
    def is_waiting(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def can_run_again(self):
        """A failed job whose file is still held: a fault, a killed worker or a warning to read, not a bad row."""
        holds_file = self.holds_file if hasattr(self, "holds_file") else self.upload is not None
        return self.status == self.Status.FAILED and holds_file

    def give_up_if_lost(self):
        """Mark the job failed when its worker is gone (``STARTING``, ``LOST_AFTER``); its transaction left nothing
        to undo, and "Nhập lại" runs it again on any worker."""
        database = router.db_for_write(ImportJob)
        running = ImportJob.objects.filter(pk=self.pk, status=self.Status.RUNNING)
        with transaction.atomic(using=database):
            if connections[database].features.has_select_for_update_skip_locked:
                unheld = running.filter(started_at__lt=timezone.now() - self.STARTING).select_for_update(
                    skip_locked=True
                )
            else:
                unheld = running.filter(started_at__lt=timezone.now() - self.LOST_AFTER)
            if not unheld.values_list("pk", flat=True):
                return
            lost = running.update(
                status=self.Status.FAILED,
                finished_at=timezone.now(),
                message="Việc nhập bị dừng giữa chừng (máy chủ hoặc tiến trình nhập đã tắt); chưa hộ nào được nhập. "
                "Hãy bấm “Nhập lại”.",
            )
        if lost:
            self.refresh_from_db()


class MissedReportQuerySet(ScopedQuerySet):
    # A report whose ward is unknown is the district's to route: officers see only their own ward's.
    district_lookup = "campaign__district_id"

    def open(self):
        return self.filter(status=MissedReport.Status.OPEN)

    def overdue(self, now=None):
        return self.open().filter(deadline__lt=now or timezone.now())


class MissedReport(models.Model):
    """ "Báo bị bỏ sót": someone in need whom no list holds, reported by anyone from the public page (or by staff
    from a phone call or a letter), routed to a ward's queue and resolved there: registered as a household, linked
    to one already registered, or closed with a reason. The reporter follows it by its ``code``, which shows the
    status and nothing personal."""

    class Status(models.TextChoices):
        OPEN = "open", "Đang chờ xử lý"
        REGISTERED = "registered", "Đã lập hồ sơ hộ"
        LINKED = "linked", "Hộ đã có trong danh sách"
        CLOSED = "closed", "Đã đóng"

    class Channel(models.TextChoices):
        PUBLIC = "public", "Trang công khai"
        PHONE = "phone", "Điện thoại"
        LETTER = "letter", "Đơn thư"

    code = models.CharField("mã theo dõi", max_length=12, unique=True, editable=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="missed_reports", verbose_name="chương trình"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="missed_reports", verbose_name="phường"
    )
    name = models.CharField("người cần hỗ trợ", max_length=120)
    phone = models.CharField("số điện thoại", max_length=10, blank=True)
    staying_at = models.CharField("đang ở tại", max_length=250)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="diện"
    )
    situation = models.TextField("hoàn cảnh", max_length=1000, blank=True)
    reporter_name = models.CharField("người báo", max_length=120, blank=True)
    reporter_phone = models.CharField("số điện thoại người báo", max_length=10, blank=True)
    channel = models.CharField("kênh", max_length=10, choices=Channel, default=Channel.PUBLIC)
    # A one-way hash of the sender's address, for the per-address limit; the address itself is never stored.
    sender = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    status = models.CharField("trạng thái", max_length=12, choices=Status, default=Status.OPEN)
    household = models.ForeignKey(
        "Household", on_delete=models.PROTECT, null=True, blank=True, related_name="missed_reports", verbose_name="hộ"
    )
    close_reason = models.CharField("lý do đóng", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="người nhập",
    )  # fmt: skip
    created_at = models.DateTimeField("thời điểm báo", default=timezone.now, editable=False)
    deadline = models.DateTimeField("hạn xử lý")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="người xử lý",
    )  # fmt: skip
    resolved_at = models.DateTimeField("thời điểm xử lý", null=True, blank=True)

    objects = MissedReportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["sender"])

    class Meta:
        verbose_name = "báo bị bỏ sót"
        verbose_name_plural = "báo bị bỏ sót"
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="missed_report_has_a_name"),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^0[0-9]{9}$"), name="missed_report_phone_digits"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["registered", "linked"], household__isnull=False)
                | Q(status="closed", household__isnull=True) & ~Q(close_reason="")
                | Q(status="open", household__isnull=True),
                name="missed_report_resolution_is_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["ward", "status", "deadline"], name="missed_report_queue"),
            # The per-phone limit counts a day's reports naming a phone as the person's or the reporter's; read on
            # every public report, so a flood of them stays an index lookup.
            models.Index(fields=["phone", "created_at"], name="missed_report_phone_day"),
            models.Index(fields=["reporter_phone", "created_at"], name="missed_report_reporter_day"),
        ]

    def __str__(self):
        return f"{self.code}: {self.name}"

    @property
    def is_overdue(self):
        return self.status == self.Status.OPEN and self.deadline < timezone.now()


class ColumnMapping(models.Model):
    """A column title a district's lists use, and the household field its staff chose for it (blank: leave the
    column out), chosen once on a preview and applied to every later list of the district, so the next list from
    the same ward maps itself. The title is kept as ``relief.tables.header_key`` compares it."""

    district = models.ForeignKey("relief.District", on_delete=models.CASCADE, related_name="+", verbose_name="quận")
    title_key = models.CharField("tên cột (không dấu)", max_length=200)
    field = models.CharField("nhập vào", max_length=20, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="người chọn"
    )
    updated_at = models.DateTimeField("lúc chọn", auto_now=True)

    class Meta:
        verbose_name = "cột đã chọn khi nhập"
        verbose_name_plural = "cột đã chọn khi nhập"
        constraints = [models.UniqueConstraint(fields=["district", "title_key"], name="column_mapping_once")]

    def __str__(self):
        return f"{self.title_key} → {self.field or 'bỏ qua'}"


class CategoryMapping(models.Model):
    """A category as a district's lists write it that no known wording matches, and the program's category its
    staff chose for it once on a preview (none: leave those words out), applied to every later list of the
    district. The words are kept as ``relief.text.fold`` compares them."""

    district = models.ForeignKey("relief.District", on_delete=models.CASCADE, related_name="+", verbose_name="quận")
    text_key = models.CharField("diện như tệp ghi (không dấu)", max_length=200)
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="đọc là diện"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="người chọn"
    )
    updated_at = models.DateTimeField("lúc chọn", auto_now=True)

    class Meta:
        verbose_name = "diện đã chọn khi nhập"
        verbose_name_plural = "diện đã chọn khi nhập"
        constraints = [models.UniqueConstraint(fields=["district", "text_key"], name="category_mapping_once")]

    def __str__(self):
        return f"{self.text_key} → {self.category or 'bỏ qua'}"
