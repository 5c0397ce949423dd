"""Donors, the money and bags they give, and the trace from every bag back to what paid for it.

Money is never edited or deleted (invariant 1): a wrong donation is answered by a reversing donation that points at
it and gives a reason. ``Donation.save`` refuses updates, and on PostgreSQL and SQLite a trigger refuses them too.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from simple_history.models import HistoricalRecords

from relief.models import Bag, Campaign, ScopedQuerySet, scope_of


class DonorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Donors are the district's business: staff, leaders and administrators see them, officers do not."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.district_ids and not scope.ward_id:
            return self.filter(Q(district_id__in=scope.district_ids) | Q(district__isnull=True))
        return self.none()

    def with_totals(self):
        return self.annotate(total_given=Sum("donations__amount", default=0))


class Donor(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Cá nhân"
        STAFF = "staff", "Cán bộ, công chức"
        ORGANISATION = "organisation", "Cơ quan, tổ chức"
        BUSINESS = "business", "Doanh nghiệp"
        BENEFACTOR = "benefactor", "Mạnh thường quân"

    kind = models.CharField("loại", max_length=20, choices=Kind, default=Kind.INDIVIDUAL)
    name = models.CharField("tên", max_length=200)
    organisation = models.CharField("đơn vị", max_length=200, blank=True)
    phone = models.CharField("số điện thoại", max_length=10, blank=True)
    address = models.CharField("địa chỉ", max_length=250, blank=True)
    anonymous = models.BooleanField(
        "ẩn danh khi công khai", default=False, help_text="Trang công khai ghi “Nhà hảo tâm ẩn danh” thay cho tên."
    )
    district = models.ForeignKey(
        "relief.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donors",
        verbose_name="đơn vị tổ chức tiếp nhận",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)

    objects = DonorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "nhà hảo tâm"
        verbose_name_plural = "nhà hảo tâm"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="donor_has_a_name"),
            models.CheckConstraint(condition=Q(phone="") | Q(phone__regex=r"^0[0-9]{9}$"), name="donor_phone_digits"),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    @property
    def public_name(self):
        return "Nhà hảo tâm ẩn danh" if self.anonymous else str(self)


class DonationQuerySet(ScopedQuerySet):
    # Money is the district's business: officers see none of it.
    ward_lookup = None
    district_lookup = "campaign__district_id"

    def net_cash(self):
        """Money received, reversals subtracted, in đồng."""
        return self.aggregate(total=self._net_cash())["total"]

    @staticmethod
    def _net_cash():
        return Sum("amount", default=0)

    def net_cash_by_campaign(self):
        """``net_cash`` of each campaign among these donations, as {campaign id: đồng}, in one query."""
        return dict(self.order_by().values_list("campaign_id").annotate(total=self._net_cash()))

    def net_bags_in_kind(self):
        return self.aggregate(total=Sum("bags_in_kind", default=0))["total"]


class Donation(models.Model):
    """A gift of money or of bags, or the reversal of one. Saved once, never changed."""

    class Method(models.TextChoices):
        CASH = "cash", "Tiền mặt"
        TRANSFER = "transfer", "Chuyển khoản"
        IN_KIND = "in_kind", "Túi hiện vật"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="donations", verbose_name="chương trình"
    )
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="donations", verbose_name="nhà hảo tâm")
    method = models.CharField("hình thức", max_length=10, choices=Method, default=Method.CASH)
    amount = models.BigIntegerField("số tiền (đồng)", default=0)
    bags_in_kind = models.IntegerField("số túi hiện vật", default=0)
    received_on = models.DateField("ngày nhận")
    receipt_seq = models.PositiveIntegerField("số thứ tự biên nhận", editable=False)
    receipt_number = models.CharField("số biên nhận", max_length=40, unique=True, editable=False)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name="điều chỉnh cho khoản",
    )
    reason = models.CharField("lý do điều chỉnh", max_length=300, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người nhận"
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now_add=True)
    # The form's one-time key: a double click or a resubmitted form finds the donation it already recorded.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = DonationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "khoản ủng hộ"
        verbose_name_plural = "khoản ủng hộ"
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "receipt_seq"], name="donation_receipt_seq_unique"),
            models.CheckConstraint(
                condition=(
                    Q(reverses__isnull=True)
                    & (
                        (Q(method__in=["cash", "transfer"]) & Q(amount__gt=0) & Q(bags_in_kind=0))
                        | (Q(method="in_kind") & Q(amount=0) & Q(bags_in_kind__gt=0))
                    )
                )
                | (
                    Q(reverses__isnull=False)
                    & ~Q(reason="")
                    & (
                        (Q(method__in=["cash", "transfer"]) & Q(amount__lt=0) & Q(bags_in_kind=0))
                        | (Q(method="in_kind") & Q(amount=0) & Q(bags_in_kind__lt=0))
                    )
                ),
                name="donation_gives_money_or_bags_or_reverses_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "received_on"], name="donation_campaign_date")]

    def __str__(self):
        return self.receipt_number

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("Khoản ủng hộ đã ghi thì không sửa được; hãy lập bút toán điều chỉnh.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Khoản ủng hộ không bao giờ bị xóa; hãy lập bút toán điều chỉnh.")

    @property
    def is_reversal(self):
        return self.reverses_id is not None


class BagFunding(models.Model):
    """The part of one bag that one donation paid for (invariant 2).

    A cash bag's parts add up to the campaign's bag value; an in-kind bag has one part of 0 đồng naming the donation
    that gave it. A bag voided because its money was reversed loses its parts, so the money is free for another bag.
    """

    bag = models.ForeignKey(Bag, on_delete=models.PROTECT, related_name="fundings", verbose_name="túi")
    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, related_name="fundings", verbose_name="khoản ủng hộ"
    )
    amount = models.BigIntegerField("số tiền (đồng)")

    class Meta:
        verbose_name = "nguồn tiền của túi"
        verbose_name_plural = "nguồn tiền của túi"
        constraints = [
            models.UniqueConstraint(fields=["bag", "donation"], name="bag_funding_once_per_donation"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="bag_funding_not_negative"),
        ]

    def __str__(self):
        return f"{self.bag} ← {self.donation} ({self.amount})"
