"""The program's core: where bags come from, which ward holds them, and who received them.

A bag moves through exactly one state at a time (invariant 3, docs/ARCHITECTURE.md): at the district once funded,
allocated to one ward, handed out to one household, or void with a reason. The bag services in
``relief/services.py`` are the only code that moves a bag; the check and unique constraints here make the database
refuse anything else.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import Count, Q
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history import register as history_register
from simple_history.models import HistoricalRecords

from .history import copy_to_history
from .roles import group_for
from .tallies import TALLIES  # noqa: F401  (the counters are the app's models too)


class ScopedQuerySet(models.QuerySet):
    """A QuerySet that knows how its rows hang off a ward and a district, for ``visible_to``.

    ``ward_lookup`` names the row's ward (None: the rows are not a ward's, and an officer sees them only when
    ``officer_sees_district`` says they are the district's common ground, like its campaigns).
    """

    ward_lookup = "ward_id"
    district_lookup = "ward__district_id"
    officer_sees_district = False

    def visible_to(self, user):
        """The rows a user may see (invariant 5): an officer their unit's, the others their organizing units'."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.ward_id:
            if self.ward_lookup:
                return self.filter(**{self.ward_lookup: scope.ward_id})
            if not self.officer_sees_district:
                return self.none()
        if scope.district_ids:
            return self.filter(**{f"{self.district_lookup}__in": scope.district_ids})
        return self.none()


class DistrictQuerySet(ScopedQuerySet):
    """Everyone but an administrator sees only their own organizing unit; a leader also the units under it."""

    ward_lookup = None
    district_lookup = "pk"
    officer_sees_district = True


class Level(models.TextChoices):
    """The administrative levels a unit may have, labelled as a person reads them before the unit's name.

    Since 1 July 2025 a province or city stands over its wards, communes and special zones, and a ward or commune
    over its neighbourhoods; the 2021 programs were run by a district over its wards. Which level organizes a
    campaign and which level receives its bags is data (docs/ARCHITECTURE.md, "Levels").
    """

    CITY = "city", _("Thành phố")
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Quận")
    WARD = "ward", _("Phường")
    COMMUNE = "commune", _("Xã")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    KHU_PHO = "khu_pho", _("Khu phố")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
    THON = "thon", _("Thôn")
    AP = "ap", _("Ấp")


ORGANIZING_LEVELS = [Level.CITY, Level.PROVINCE, Level.DISTRICT, Level.WARD, Level.COMMUNE, Level.SPECIAL_ZONE]
# A ward, commune or special zone that runs its own campaign sits under its city or province, one level deep.
NESTED_LEVELS = [Level.WARD, Level.COMMUNE, Level.SPECIAL_ZONE]
NESTING_LEVELS = [Level.CITY, Level.PROVINCE]
RECEIVING_LEVELS = [
    Level.WARD,
    Level.COMMUNE,
    Level.SPECIAL_ZONE,
    Level.KHU_PHO,
    Level.TO_DAN_PHO,
    Level.THON,
    Level.AP,
]


class LevelledUnit(models.Model):
    """What an organizing and a receiving unit share: a code, a name, and the level the name is read with."""

    code = models.SlugField("mã", max_length=20, unique=True)
    name = models.CharField("tên", max_length=100)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def level_label(self):
        """The level as it is written before a name: "Phường", "Khu phố", "Thành phố" (in the reader's language)."""
        return str(self.get_level_display())

    @property
    def level_word(self):
        """The level inside a sentence: "chờ quận duyệt", "kho khu phố"."""
        return self.level_label.lower()

    @property
    def officer_title(self):
        """What a person who works for this unit is called: "Cán bộ phường", "Cán bộ khu phố"."""
        return capfirst(gettext("Cán bộ %(level)s") % {"level": self.level_word})


class District(LevelledUnit):
    """An organizing unit: it runs campaigns over its receiving units (``Ward``), whatever its level.

    The class keeps the name of the 2021 programs, a district over its wards; today it is as often a city over its
    wards or a ward over its khu phố. ``parent`` places a ward that runs its own campaign under its city, so that
    the city's leaders see it (``scope_of``).
    """

    level = models.CharField(
        "cấp",
        max_length=20,
        choices=[(level.value, level.label) for level in ORGANIZING_LEVELS],
        default=Level.DISTRICT,
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="thuộc đơn vị",
        help_text="Phường, xã tự tổ chức chương trình thì thuộc thành phố, tỉnh của mình.",
    )

    objects = DistrictQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị tổ chức"
        verbose_name_plural = "đơn vị tổ chức"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=ORGANIZING_LEVELS), name="district_level_organizes"),
            # One level of nesting: only a ward, commune or special zone sits under another unit (its city or
            # province); clean() checks that the unit above is a city or province.
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(level__in=NESTED_LEVELS), name="district_only_wards_nest"
            ),
        ]

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        if self.level not in NESTED_LEVELS:
            raise ValidationError({"parent": "Chỉ phường, xã, đặc khu tự tổ chức chương trình mới thuộc đơn vị khác."})
        if self.parent.level not in NESTING_LEVELS or self.parent.parent_id is not None:
            raise ValidationError({"parent": "Đơn vị cấp trên phải là thành phố hoặc tỉnh."})

    @cached_property
    def units_label(self):
        """How its receiving units are called, from their levels: "Phường", "Khu phố", "Thôn / Ấp" (one query)."""
        levels = set(self.wards.order_by().values_list("level", flat=True).distinct())
        labels = [str(level.label) for level in RECEIVING_LEVELS if level in levels]
        return " / ".join(labels) or "Đơn vị nhận"


class WardQuerySet(ScopedQuerySet):
    ward_lookup = "pk"
    district_lookup = "district_id"


class Ward(LevelledUnit):
    """A receiving unit: it is allocated bags and hands them out to its households, whatever its level."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="wards", verbose_name="đơn vị tổ chức"
    )
    code = models.SlugField("mã", max_length=30, unique=True)
    level = models.CharField(
        "cấp", max_length=20, choices=[(level.value, level.label) for level in RECEIVING_LEVELS], default=Level.WARD
    )

    objects = WardQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị nhận"
        verbose_name_plural = "đơn vị nhận"
        ordering = ["district__name", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=RECEIVING_LEVELS), name="ward_level_receives"),
        ]


class User(AbstractUser):
    """A person who logs in; the role decides what they may do and the ward or district scopes what they see."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Quản trị"
        # The roles by what they do; ``role_title`` names a person's by their unit's level ("Cán bộ khu phố").
        DISTRICT_STAFF = "district_staff", "Cán bộ đơn vị tổ chức"
        WARD_OFFICER = "ward_officer", "Cán bộ đơn vị nhận"
        LEADER = "leader", "Lãnh đạo"

    role = models.CharField("vai trò", max_length=20, choices=Role, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name="đơn vị tổ chức"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="officers", verbose_name="đơn vị nhận"
    )
    session_generation = models.PositiveIntegerField(
        "thế hệ phiên đăng nhập",
        default=0,
        db_default=0,
        editable=False,
        help_text="Tăng lên khi đăng xuất khỏi mọi thiết bị.",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            # An officer works for exactly one ward; nobody else is tied to a ward.
            models.CheckConstraint(
                condition=(Q(role="ward_officer") & Q(ward__isnull=False))
                | (~Q(role="ward_officer") & Q(ward__isnull=True)),
                name="user_ward_only_and_always_for_officers",
            ),
        ]

    @property
    def is_admin(self):
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_district_staff(self):
        return self.role == self.Role.DISTRICT_STAFF or self.is_admin

    @property
    def is_ward_officer(self):
        return self.role == self.Role.WARD_OFFICER

    @property
    def is_leader(self):
        return self.role == self.Role.LEADER

    @property
    def role_title(self):
        """The role as the person's unit calls it: "Cán bộ phường" in Quận 5, "Cán bộ khu phố" under Phường Mẫu."""
        if self.is_ward_officer:
            return self.ward.officer_title
        if self.role == self.Role.DISTRICT_STAFF and self.district_id:
            return self.district.officer_title
        if self.is_leader and self.district_id:
            return capfirst(gettext("Lãnh đạo %(level)s") % {"level": self.district.level_word})
        return self.get_role_display()

    @property
    def must_use_two_factor(self):
        """Administrators and district staff see money and every ward's households: a password alone must not
        open that. Ward officers and leaders may turn two-factor sign-in on for themselves."""
        return self.is_district_staff

    def _get_session_auth_hash(self, secret=None):
        """The hash every session stores and Django compares on each request; the generation is part of it.

        Raising ``session_generation`` (``sessions_end_elsewhere``) makes the hash of every existing session stale,
        so a lost phone or a shared computer is logged out without changing the password.
        """
        key_salt = "relief.models.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def save(self, *args, **kwargs):
        if self.ward_id:
            self.district_id = Ward.objects.values_list("district_id", flat=True).get(pk=self.ward_id)
        if self.role:
            self.is_staff = True  # every role works in the admin too, within its permissions and scope
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "role" in update_fields:
            group = group_for(self.role)
            self.groups.set([group] if group else [])


class Scope:
    """What part of the map a user's role reaches; every ``visible_to`` QuerySet method reads it.

    ``district_id`` is the user's own organizing unit, where they act; ``district_ids`` the organizing units whose
    records they see: their own and, for a leader, the units under it (``District.parent``).
    """

    def __init__(self, *, everything=False, district_id=None, ward_id=None, district_ids=None):
        self.everything = everything
        self.district_id = district_id
        self.ward_id = ward_id
        if district_ids is None:
            district_ids = frozenset() if district_id is None else frozenset([district_id])
        self.district_ids = district_ids


def _units_led(user):
    """The leader's organizing unit and the units under it, read once per user object (one query per request)."""
    cached = getattr(user, "_units_led", None)
    if cached is None or cached[0] != user.district_id:
        units = District.objects.filter(Q(pk=user.district_id) | Q(parent_id=user.district_id))
        cached = (user.district_id, frozenset(units.values_list("pk", flat=True)))
        user._units_led = cached
    return cached[1]


def scope_of(user):
    """A leader's reach rolls up over the units under their own; staff and officers act only where they work."""
    if not user or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_ward_officer:
        return Scope(ward_id=user.ward_id, district_id=user.district_id)
    if user.is_admin or user.is_district_staff or user.is_leader:
        if user.district_id and not user.is_admin:
            if user.is_leader:
                return Scope(district_id=user.district_id, district_ids=_units_led(user))
            return Scope(district_id=user.district_id)
        return Scope(everything=True)
    return Scope()


class CampaignQuerySet(ScopedQuerySet):
    ward_lookup = None
    district_lookup = "district_id"
    officer_sees_district = True

    def open(self):
        return self.filter(is_open=True)


COUNTER_FIELDS = ("last_receipt_seq", "last_bag_number")


class Campaign(models.Model):
    """One "Túi an sinh xã hội" program of a district: a bag value, a target and a per-household limit."""

    code = models.SlugField(
        "mã", max_length=20, unique=True, help_text="Tiền tố của số biên nhận và mã túi, ví dụ Q5-2021."
    )
    name = models.CharField("tên chương trình", max_length=200)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="campaigns", verbose_name="đơn vị tổ chức"
    )
    bag_value = models.PositiveBigIntegerField("giá trị một túi (đồng)", default=1_000_000)
    target_bags = models.PositiveIntegerField("chỉ tiêu (túi)", default=0)
    household_limit = models.PositiveSmallIntegerField("số túi tối đa mỗi hộ", default=1)
    report_days = models.PositiveSmallIntegerField(
        "hạn xử lý báo bị bỏ sót (ngày)",
        default=3,
        db_default=3,
        help_text="Quá hạn này, báo cáo chưa xử lý được nêu cho đơn vị tổ chức.",
    )
    legal_basis = models.CharField("căn cứ", max_length=300, blank=True)
    starts_on = models.DateField("ngày bắt đầu", null=True, blank=True)
    ends_on = models.DateField("ngày kết thúc", null=True, blank=True)
    is_open = models.BooleanField("đang mở", default=True)
    last_receipt_seq = models.PositiveIntegerField("số biên nhận cuối", default=0, editable=False)
    last_bag_number = models.PositiveIntegerField("số túi cuối", default=0, editable=False)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "chương trình"
        verbose_name_plural = "chương trình"
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(bag_value__gt=0), name="campaign_bag_value_positive"),
            models.CheckConstraint(condition=Q(household_limit__gte=1), name="campaign_household_limit_at_least_one"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Saving a campaign never writes its counters back.

        The receipt and bag counters move only by the services' own ``UPDATE`` under the campaign's lock; a campaign
        loaded before a donation and saved after it (the admin's change form, a script) would otherwise put them back,
        and the next donation would take a receipt number already issued.
        """
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in COUNTER_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def target_amount(self):
        return self.target_bags * self.bag_value

    def cash_bags_for(self, net_cash):
        """The cash bags ``net_cash`` đồng pay for: every whole bag value, but never more than the target.

        Money beyond the target stays recorded and is shown as surplus; a campaign without a target (0) turns all
        its money into bags. The funding, the reversal's plan and ``check_ledger`` all count with this one rule.
        """
        bags = max(net_cash, 0) // self.bag_value
        return min(bags, self.target_bags) if self.target_bags else bags

    def bag_serial(self, number):
        return f"{self.code}-T{number:06d}"

    def typed_serial(self, text):
        """The serial of the bag a person typed: its serial, or only the number printed big on it ("125" is this
        campaign's bag …-T000125)."""
        serial = (text or "").strip().upper()
        digits = serial.removeprefix("T")
        return self.bag_serial(int(digits)) if digits.isdigit() else serial

    def receipt_number(self, seq):
        return f"{self.code}-BN{seq:06d}"


class HouseholdStatus(models.TextChoices):
    """Where a household stands (``households.Household.status``): only an approved one receives bags. The core
    names the statuses because its counters (``relief.tallies.HouseholdTally``) and figures count by them."""

    PROPOSED = "proposed", "Đề xuất"
    APPROVED = "approved", "Đã duyệt"
    REJECTED = "rejected", "Không duyệt"


class BagQuerySet(ScopedQuerySet):
    # A bag at the district has no ward yet: district people find it through its campaign.
    district_lookup = "campaign__district_id"

    def counts_by_state(self):
        """How many bags are in each state, as a dict with every state present (zero where none)."""
        counts = dict.fromkeys(Bag.State.values, 0)
        counts.update(dict(self.values_list("state").annotate(n=Count("pk")).order_by()))
        return counts


class Bag(models.Model):
    """One social security bag. Cash bags exist because a campaign's money reached another bag value; in-kind bags
    because a donor gave them. ``BagFunding`` (donations app) traces every bag to what paid for it."""

    class State(models.TextChoices):
        AT_DISTRICT = "district", "Chưa phân bổ"
        ALLOCATED = "allocated", "Đã phân bổ"
        HANDED_OUT = "handed_out", "Đã trao"
        VOID = "void", "Hủy"

    class Source(models.TextChoices):
        CASH = "cash", "Mua bằng tiền ủng hộ"
        IN_KIND = "in_kind", "Hiện vật"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="bags", verbose_name="chương trình")
    number = models.PositiveIntegerField("số thứ tự")
    serial = models.CharField("mã túi", max_length=40, unique=True)
    source = models.CharField("nguồn", max_length=10, choices=Source, default=Source.CASH)
    state = models.CharField("trạng thái", max_length=12, choices=State, default=State.AT_DISTRICT)
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="bags", verbose_name="đơn vị nhận"
    )
    allocation = models.ForeignKey(
        "Allocation", on_delete=models.PROTECT, null=True, blank=True, related_name="bags", verbose_name="đợt phân bổ"
    )
    void_reason = models.CharField("lý do hủy", max_length=300, blank=True)
    # True when the bag was voided because the money that paid for it was reversed: it was never really funded.
    unfunded = models.BooleanField("không còn nguồn tiền", default=False)
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)

    objects = BagQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = "túi an sinh"
        verbose_name_plural = "túi an sinh"
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="bag_number_unique_in_campaign"),
            models.CheckConstraint(
                condition=(Q(state="district") & Q(ward__isnull=True))
                | (Q(state__in=["allocated", "handed_out"]) & Q(ward__isnull=False))
                | Q(state="void"),
                name="bag_ward_matches_state",
            ),
            models.CheckConstraint(condition=~Q(state="void") | ~Q(void_reason=""), name="bag_void_has_reason"),
            models.CheckConstraint(condition=~Q(unfunded=True) | Q(state="void"), name="bag_unfunded_is_void"),
        ]
        indexes = [
            models.Index(fields=["campaign", "state", "number"], name="bag_campaign_state"),
            models.Index(fields=["ward", "state", "number"], name="bag_ward_state"),
        ]

    def __str__(self):
        return self.serial


class Allocation(models.Model):
    """The district sends a number of bags to a ward; the bags carry a link back to it."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="allocations", verbose_name="chương trình"
    )
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="allocations", verbose_name="đơn vị nhận")
    quantity = models.PositiveIntegerField("số túi")
    request = models.ForeignKey(
        "WardRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        verbose_name="theo đề nghị",
    )
    note = models.CharField("ghi chú", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người phân bổ"
    )
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)
    # The plan form's one-time key, one per ward of the plan: the same plan posted twice finds it already applied.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "đợt phân bổ"
        verbose_name_plural = "đợt phân bổ"
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="allocation_quantity_positive")]

    def __str__(self):
        return f"{self.quantity} túi → {self.ward}"


class WardRequest(models.Model):
    """A ward short of bags asks the district in writing (Bắc Từ Liêm's procedure); the district decides."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Đang chờ"
        APPROVED = "approved", "Đã duyệt"
        PARTLY_APPROVED = "partly", "Duyệt một phần"
        REFUSED = "refused", "Từ chối"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="ward_requests", verbose_name="chương trình"
    )
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="requests", verbose_name="đơn vị nhận")
    quantity = models.PositiveIntegerField("số túi đề nghị")
    reason = models.TextField("lý do")
    status = models.CharField("trạng thái", max_length=10, choices=Status, default=Status.WAITING)
    approved_quantity = models.PositiveIntegerField("số túi được duyệt", default=0)
    decision_note = models.CharField("ý kiến của quận", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người đề nghị"
    )
    created_at = models.DateTimeField("ngày đề nghị", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người quyết định",
    )
    decided_at = models.DateTimeField("ngày quyết định", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "đề nghị bổ sung túi"
        verbose_name_plural = "đề nghị bổ sung túi"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="ward_request_quantity_positive"),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_note=""), name="ward_request_refusal_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="waiting", decided_at__isnull=True)
                | (~Q(status="waiting") & Q(decided_at__isnull=False)),
                name="ward_request_decided_when_not_waiting",
            ),
            models.CheckConstraint(
                condition=Q(approved_quantity__lte=models.F("quantity")), name="ward_request_approves_at_most_asked"
            ),
        ]

    def __str__(self):
        return f"{self.ward}: {self.quantity} túi ({self.get_status_display()})"


class Recall(models.Model):
    """Bags taken back from a ward's stock, as one movement with its reason: to the district, or on to another ward
    of the district (a transfer, whose ``transfer`` is the allocation that took them there). The bags' history rows
    name who moved them."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="recalls", verbose_name="chương trình"
    )
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="recalls", verbose_name="thu hồi từ phường")
    quantity = models.PositiveIntegerField("số túi")
    reason = models.CharField("lý do", max_length=300)
    transfer = models.OneToOneField(
        Allocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_from",
        verbose_name="chuyển sang (đợt phân bổ)",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người thu hồi"
    )
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)
    # The form's one-time key: the same recall posted twice finds it already done.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "đợt thu hồi túi"
        verbose_name_plural = "đợt thu hồi túi"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="recall_quantity_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="recall_has_reason"),
        ]

    def __str__(self):
        where = self.transfer.ward if self.transfer_id else "kho đơn vị tổ chức"
        return f"{self.quantity} túi: {self.ward} → {where}"


class WriteOffQuerySet(ScopedQuerySet):
    ward_lookup = "bag__ward_id"
    district_lookup = "bag__campaign__district_id"


class WriteOff(models.Model):
    """A bag lost, damaged or spoiled in a ward's stock: the ward proposes writing it off, the district decides. An
    approved write-off voids the bag (``relief.services.bag_void``); it stays in the books as written off."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Đang chờ"
        APPROVED = "approved", "Đã duyệt"
        REFUSED = "refused", "Từ chối"

    bag = models.ForeignKey(Bag, on_delete=models.PROTECT, related_name="write_offs", verbose_name="túi")
    reason = models.CharField("lý do", max_length=300)
    status = models.CharField("trạng thái", max_length=10, choices=Status, default=Status.WAITING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người đề xuất"
    )
    proposed_at = models.DateTimeField("ngày đề xuất", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người quyết định",
    )
    decided_at = models.DateTimeField("ngày quyết định", null=True, blank=True)
    decision_note = models.CharField("ý kiến của quận", max_length=300, blank=True)

    objects = WriteOffQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "đề xuất hủy túi"
        verbose_name_plural = "đề xuất hủy túi"
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="write_off_has_reason"),
            models.UniqueConstraint(
                fields=["bag"], condition=Q(status="waiting"), name="write_off_one_waiting_per_bag"
            ),
            models.CheckConstraint(
                condition=Q(status="waiting", decided_at__isnull=True)
                | (~Q(status="waiting") & Q(decided_at__isnull=False)),
                name="write_off_decided_when_not_waiting",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_note=""), name="write_off_refusal_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.bag}: {self.reason}"


class DistributionQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)

    def holding(self, campaign):
        """The bags of ``campaign`` households hold: its hand-outs not cancelled. A household holding one is
        *served* by the campaign; every "served" figure and filter counts these."""
        return self.active().filter(campaign=campaign)

    def record(self, distribution, *, user):
        """Save the new ``distribution`` and write its history row as ``user``'s, as simple-history's signal would
        (``copy_to_history``: one ``INSERT … SELECT``, no history object built in Python)."""
        db = router.db_for_write(Distribution)
        distribution.skip_history_when_saving = True
        try:
            distribution.save(using=db)
        finally:
            del distribution.skip_history_when_saving
        copy_to_history(Distribution, distribution.pk, user=user, kind="+")


class Distribution(models.Model):
    """One bag handed to one household. A mistake is cancelled (with a reason), never deleted.

    ``slot`` numbers a household's bags in a campaign (1 … the campaign's limit): the partial unique constraint on
    (household, campaign, slot) is what stops two officers racing to give one household a second bag.
    """

    bag = models.ForeignKey(Bag, on_delete=models.PROTECT, related_name="distributions", verbose_name="túi")
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="distributions", verbose_name="hộ"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="distributions", verbose_name="chương trình"
    )
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="distributions", verbose_name="đơn vị nhận")
    slot = models.PositiveSmallIntegerField("lượt", default=1)
    handed_out_at = models.DateTimeField("thời điểm trao")
    received_by = models.CharField("người nhận thay", max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người ghi nhận"
    )
    # The form's one-time key: a double tap or a retried request finds the hand-out it already recorded.
    request_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    cancelled_at = models.DateTimeField("thời điểm hủy", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người hủy",
    )
    cancel_reason = models.CharField("lý do hủy", max_length=300, blank=True)

    objects = DistributionQuerySet.as_manager()
    history = HistoricalRecords()
    # The ward's stock of the campaign once this hand-out took its bag, as the hand-out read it; None on a hand-out
    # read back from the database.
    stock_after = None

    class Meta:
        verbose_name = "lượt trao túi"
        verbose_name_plural = "lượt trao túi"
        ordering = ["-handed_out_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bag"], condition=Q(cancelled_at__isnull=True), name="distribution_bag_handed_out_once"
            ),
            models.UniqueConstraint(
                fields=["household", "campaign", "slot"],
                condition=Q(cancelled_at__isnull=True),
                name="distribution_household_slot_once",
            ),
            models.CheckConstraint(condition=Q(slot__gte=1), name="distribution_slot_positive"),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True, cancelled_by__isnull=True, cancel_reason="")
                | (Q(cancelled_at__isnull=False, cancelled_by__isnull=False) & ~Q(cancel_reason="")),
                name="distribution_cancel_is_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["ward", "handed_out_at"], name="distribution_ward_time"),
            models.Index(fields=["campaign", "handed_out_at"], name="distribution_campaign_time"),
        ]

    def __str__(self):
        return f"{self.bag} → {self.household}"

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None


# Who enrolled a second factor, and which administrator removed it and when (``two_factor_reset``). The secret key
# and the counters each code moves stay out of the history: a history row must never let anyone make codes.
history_register(
    TOTPDevice,
    app="relief",
    table_name="relief_historicaltotpdevice",
    excluded_fields=[
        "key",
        "last_t",
        "drift",
        "throttling_failure_timestamp",
        "throttling_failure_count",
        "last_used_at",
    ],
)
history_register(
    StaticDevice,
    app="relief",
    table_name="relief_historicalstaticdevice",
    excluded_fields=["throttling_failure_timestamp", "throttling_failure_count", "last_used_at"],
)
