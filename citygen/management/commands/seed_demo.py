"""Load the story of the seed articles (District 5's 16,000-bag program of August 2021, and Bắc Từ Liêm) and a
present-day example in the two-tier shape: a ward under its city running its own campaign over its khu phố.

The present-day names are generic ("Phường Mẫu", "Khu phố 1" … "Khu phố 6"): which old wards merged into which new
ones is not for a demo to invent.

Safe to run twice: what exists is kept, and only the demo logins are refreshed. Demo logins (with a known
password) are made only in demo mode (DEMO_MODE=1 or --demo-logins), never on a production database by accident:
with DEBUG off they need DEMO_ALLOW_PRODUCTION=1 too, and even then the superuser gets a random password, printed
once, never the published one.
"""

import datetime
import random
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from donations.models import Donation, Donor
from donations.services import donation_record
from households.hand_outs import distribution_record
from households.models import Category, Household
from households.reports import report_missed
from relief import demo
from relief.models import Campaign, District, Level, User, Ward
from relief.services import allocation_create, ward_request_create, ward_request_decide
from relief.templatetags.relief_format import format_count, format_vnd

DEMO_PASSWORD = "ansinh-demo-2021"
DEMO_LOGINS = [
    "quantri", "canbo.q5", "phuong1.q5", "phuong2.q5", "lanhdao.q5", "canbo.btl", "dongngac.btl",
    "lanhdao.tphcm", "canbo.phuongmau", "lanhdao.phuongmau", "khupho1.phuongmau", "khupho2.phuongmau",
]  # fmt: skip
KHU_PHO = 6
# Phường Mẫu's own people gave 1,000,000 ₫ each; a business and a benefactor gave more, a shop gave bags in kind.
WARD_GIFTS = [
    ("Công ty TNHH Thương mại Minh Phát", Donor.Kind.BUSINESS, 20_000_000, False),
    ("Nhà hảo tâm giấu tên", Donor.Kind.BENEFACTOR, 5_000_000, True),
]
SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
BTL_WARDS = [
    "Cổ Nhuế 1", "Cổ Nhuế 2", "Đông Ngạc", "Đức Thắng", "Liên Mạc", "Minh Khai", "Phú Diễn", "Phúc Diễn",
    "Tây Tựu", "Thượng Cát", "Thụy Phương", "Xuân Đỉnh", "Xuân Tảo",
]  # fmt: skip
# The Civil Judgment Enforcement office's staff gave 49,000,000 ₫ between them; these are their gifts.
STAFF_GIFTS = [5_000_000, 3_000_000, 3_000_000, 2_000_000] + [2_000_000] * 9 + [1_000_000] * 16 + [500_000] * 4
BENEFACTOR_GIFTS = [
    ("Công ty TNHH Thực phẩm Phú Thịnh", Donor.Kind.BUSINESS, 20_000_000, False),
    ("Bà Lâm Ngọc Hoa", Donor.Kind.BENEFACTOR, 10_000_000, False),
    ("Ông Quách Minh Tài", Donor.Kind.BENEFACTOR, 10_000_000, False),
    ("Nhà hảo tâm giấu tên", Donor.Kind.BENEFACTOR, 6_000_000, True),
    ("Chùa Phước Hải", Donor.Kind.ORGANISATION, 5_000_000, False),
]
AGENCIES = ["Tòa án nhân dân Quận 5", "Viện kiểm sát nhân dân Quận 5", "Chi cục Thi hành án dân sự Quận 5"]
THADS = "Chi cục Thi hành án dân sự Quận 5"
CATEGORY_WEIGHTS = [
    ("ho-ngheo", 18), ("ho-can-ngheo", 12), ("hoan-canh-kho-khan", 25), ("mat-viec-do-dich", 20),
    ("nguoi-co-cong", 5), ("gia-dinh-chinh-sach", 5), ("nguoi-yeu-the", 8), ("lao-dong-tu-do", 6),
    ("lang-thang-co-nho", 1),
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: chương trình 16.000 túi an sinh của Quận 5 (8/2021), Bắc Từ Liêm, "
        "và một phường ngày nay tự tổ chức chương trình cho các khu phố."
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo-logins", action="store_true", help="Tạo tài khoản mẫu dù DEMO_MODE tắt.")
        parser.add_argument("--households-per-ward", type=int, default=30)

    def handle(self, *args, demo_logins=False, households_per_ward=30, **options):
        if demo_logins and not settings.DEMO_ALLOWED:
            raise CommandError("Không tạo tài khoản mẫu khi DEBUG tắt, trừ khi đặt DEMO_ALLOW_PRODUCTION=1.")
        self.rng = random.Random(2021)
        self.seeded_usernames = []
        with transaction.atomic():
            q5, q5_wards = self.district("q5", "Quận 5", [(f"q5-p{n:02d}", f"Phường {n}") for n in range(1, 15)])
            btl, btl_wards = self.district(
                "btl", "Bắc Từ Liêm", [(f"btl-{n:02d}", name) for n, name in enumerate(BTL_WARDS, start=1)]
            )
            staff_q5 = self.user("canbo.q5", User.Role.DISTRICT_STAFF, district=q5, first_name="Cán bộ Quận 5")
            staff_btl = self.user("canbo.btl", User.Role.DISTRICT_STAFF, district=btl, first_name="Cán bộ Bắc Từ Liêm")
            officers = {
                ward.pk: self.user(
                    f"phuong{ward.code[-2:].lstrip('0')}.q5",
                    User.Role.WARD_OFFICER,
                    ward=ward,
                    first_name=self.officer_name(ward),
                )
                for ward in q5_wards
            }
            self.user("lanhdao.q5", User.Role.LEADER, district=q5, first_name="Lãnh đạo Quận 5")
            self.user("quantri", User.Role.ADMIN, is_superuser=True, first_name="Quản trị")
            btl_officer = self.user(
                "dongngac.btl", User.Role.WARD_OFFICER, ward=btl_wards[2], first_name=self.officer_name(btl_wards[2])
            )
            q5_campaign, created_q5 = self.q5_campaign(q5)
            btl_campaign, created_btl = self.btl_campaign(btl)
            if created_q5:
                self.q5_story(q5_campaign, q5_wards, staff_q5, officers, households_per_ward)
            if created_btl:
                self.btl_story(btl_campaign, btl_wards, staff_btl, btl_officer, households_per_ward // 2)
            ward_campaign = self.present_day(households_per_ward // 2)
        logins = demo_logins or settings.DEMO_MODE
        self.print_summary([q5_campaign, btl_campaign, ward_campaign], logins)

    # Places and people -------------------------------------------------------------------------------------------

    def district(self, code, name, wards, level=Level.DISTRICT, parent=None, ward_level=Level.WARD):
        """An organizing unit and its receiving units: by default the 2021 shape, a district over its wards."""
        district, _ = District.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
        made = [
            Ward.objects.get_or_create(code=c, defaults={"district": district, "name": n, "level": ward_level})[0]
            for c, n in wards
        ]
        return district, made

    def officer_name(self, ward):
        """A person's name for a ward's officer, the same on every run and apart from the households' draw."""
        return demo.person_name(random.Random(ward.code))[0]

    def user(self, username, role, **fields):
        self.seeded_usernames.append(username)
        user, created = User.objects.get_or_create(username=username, defaults={"role": role, **fields})
        if created:
            user.set_unusable_password()  # a usable password is given only in demo mode, below
            user.save()
        return user

    def q5_campaign(self, district):
        return Campaign.objects.get_or_create(
            code="Q5-2021",
            defaults={
                "name": "Túi an sinh xã hội Quận 5",
                "district": district,
                "bag_value": 1_000_000,
                "target_bags": 16_000,
                "household_limit": 1,
                "legal_basis": "Kết luận số 492-KL/QU ngày 17/8/2021 của Ban Thường vụ Quận ủy Quận 5, "
                "thực hiện Nghị quyết số 86/NQ-CP ngày 06/8/2021 của Chính phủ",
                "starts_on": datetime.date(2021, 8, 17),
            },
        )

    def btl_campaign(self, district):
        return Campaign.objects.get_or_create(
            code="BTL-2021",
            defaults={
                "name": "Hỗ trợ người dân gặp khó khăn do Covid-19, quận Bắc Từ Liêm",
                "district": district,
                "bag_value": 1_000_000,
                "target_bags": 3_000,
                "household_limit": 1,
                "legal_basis": "Không để người dân nào trên địa bàn quận gặp khó khăn do dịch Covid-19 "
                "mà không được hỗ trợ",
                "starts_on": datetime.date(2021, 8, 1),
            },
        )

    # District 5 ----------------------------------------------------------------------------------------------------

    def q5_story(self, campaign, wards, staff, officers, per_ward):
        rng = self.rng
        for n, amount in enumerate(STAFF_GIFTS, start=1):
            name, _ = demo.person_name(rng)
            donor = Donor.objects.create(
                kind=Donor.Kind.STAFF, name=name, organisation=THADS, district=campaign.district, created_by=staff
            )
            self.give(campaign, donor, staff, amount, datetime.date(2021, 8, 18 + n % 3))
        for name, kind, amount, anonymous in BENEFACTOR_GIFTS:
            donor = Donor.objects.create(
                kind=kind, name=name, anonymous=anonymous, district=campaign.district, created_by=staff
            )
            self.give(campaign, donor, staff, amount, datetime.date(2021, 8, 20))
        for agency in AGENCIES:
            donor = Donor.objects.create(
                kind=Donor.Kind.ORGANISATION,
                name=f"Lãnh đạo {agency}",
                organisation=agency,
                district=campaign.district,
                created_by=staff,
            )
            self.give(campaign, donor, staff, 100_000_000, datetime.date(2021, 8, 21))
        for ward in wards:
            allocation_create(campaign=campaign, ward=ward, quantity=25, created_by=staff, note="Đợt 1, 21/8/2021")
        households = self.households(wards, per_ward, demo.HCMC_STREETS, migrants=0.08, created_by=staff)
        for ward in wards:
            in_ward = [h for h in households if h.ward_id == ward.pk and h.status == Household.Status.APPROVED]
            served = in_ward[: 18 + self.rng.randint(0, 6)]
            for minute, household in enumerate(served):
                distribution_record(
                    household=household,
                    campaign=campaign,
                    recorded_by=officers[ward.pk],
                    handed_out_at=datetime.datetime(2021, 8, 22, 7, 30, tzinfo=SAIGON)
                    + datetime.timedelta(minutes=7 * minute),
                )
        asking = wards[6]
        ward_request_create(
            campaign=campaign,
            ward=asking,
            quantity=15,
            reason="Phường còn 15 hộ lao động mất việc đã được duyệt nhưng chưa có túi.",
            created_by=officers[asking.pk],
        )
        decided = ward_request_create(
            campaign=campaign,
            ward=wards[9],
            quantity=10,
            reason="Bổ sung cho các hộ tạm trú mới rà soát.",
            created_by=officers[wards[9].pk],
        )
        ward_request_decide(ward_request=decided, decided_by=staff, approved_quantity=6, note="Duyệt trước 6 túi.")

    # Bắc Từ Liêm ----------------------------------------------------------------------------------------------------

    def btl_story(self, campaign, wards, staff, officer, per_ward):
        business = Donor.objects.create(
            kind=Donor.Kind.BUSINESS,
            name="Công ty CP Lương thực Thăng Long",
            district=campaign.district,
            created_by=staff,
        )
        front = Donor.objects.create(
            kind=Donor.Kind.ORGANISATION,
            name="Ủy ban MTTQ quận Bắc Từ Liêm",
            district=campaign.district,
            created_by=staff,
        )
        donation_record(
            campaign=campaign,
            donor=business,
            recorded_by=staff,
            received_on=datetime.date(2021, 8, 5),
            method=Donation.Method.IN_KIND,
            bags_in_kind=120,
        )
        self.give(campaign, front, staff, 80_000_000, datetime.date(2021, 8, 6), method=Donation.Method.TRANSFER)
        for ward in wards:
            allocation_create(campaign=campaign, ward=ward, quantity=12, created_by=staff)
        households = self.households(wards, per_ward, demo.HANOI_STREETS, migrants=0.45, created_by=staff)
        served = [h for h in households if h.ward_id == officer.ward_id and h.status == Household.Status.APPROVED]
        for minute, household in enumerate(served[:8]):
            distribution_record(
                household=household,
                campaign=campaign,
                recorded_by=officer,
                handed_out_at=datetime.datetime(2021, 8, 10, 8, 0, tzinfo=SAIGON)
                + datetime.timedelta(minutes=9 * minute),
            )
        # "Không để ai bị bỏ lại": two people the lists missed, reported from the public page.
        if campaign.is_open:
            report_missed(
                campaign=campaign,
                ward=officer.ward,
                name="Nguyễn Văn Lực",
                staying_at="Nhà trọ ngõ 12, Đông Ngạc",
                category=Category.objects.filter(code="lao-dong-tu-do").first(),
                situation="Phụ hồ, mất việc từ tháng 7",
            )
            report_missed(campaign=campaign, name="Bà Hoàng Thị Mận", staying_at="Chân cầu Thăng Long, không rõ phường")

    # Today: a ward under its city, over its khu phố ------------------------------------------------------------------

    def present_day(self, per_khu_pho):
        """Thành phố Hồ Chí Minh over Phường Mẫu, which runs its own campaign over Khu phố 1 … 6; its staff, an
        officer per khu phố, the ward's leader and a city leader who sees the ward's campaign rolled up."""
        city, _ = self.district("tphcm", "Thành phố Hồ Chí Minh", [], level=Level.CITY)
        ward_unit, khu_pho = self.district(
            "tphcm-phuong-mau",
            "Phường Mẫu",
            [(f"pm-kp{n}", f"Khu phố {n}") for n in range(1, KHU_PHO + 1)],
            level=Level.WARD,
            parent=city,
            ward_level=Level.KHU_PHO,
        )
        staff = self.user(
            "canbo.phuongmau", User.Role.DISTRICT_STAFF, district=ward_unit, first_name="Cán bộ Phường Mẫu"
        )
        officers = {
            ward.pk: self.user(
                f"khupho{n}.phuongmau", User.Role.WARD_OFFICER, ward=ward, first_name=self.officer_name(ward)
            )
            for n, ward in enumerate(khu_pho, start=1)
        }
        self.user("lanhdao.phuongmau", User.Role.LEADER, district=ward_unit, first_name="Lãnh đạo Phường Mẫu")
        self.user("lanhdao.tphcm", User.Role.LEADER, district=city, first_name="Lãnh đạo Thành phố")
        campaign, created = Campaign.objects.get_or_create(
            code="PM-2025",
            defaults={
                "name": "Túi an sinh xã hội Phường Mẫu",
                "district": ward_unit,
                "bag_value": 1_000_000,
                "target_bags": 150,
                "household_limit": 1,
                "starts_on": datetime.date(2025, 9, 1),
            },
        )
        if created:
            self.ward_story(campaign, khu_pho, staff, officers, per_khu_pho)
        return campaign

    def ward_story(self, campaign, khu_pho, staff, officers, per_khu_pho):
        for n in range(12):
            name, _ = demo.person_name(self.rng)
            donor = Donor.objects.create(
                kind=Donor.Kind.STAFF, name=name, organisation="UBND Phường Mẫu", district=campaign.district,
                created_by=staff,
            )  # fmt: skip
            self.give(campaign, donor, staff, 1_000_000, datetime.date(2025, 9, 2 + n % 3))
        for name, kind, amount, anonymous in WARD_GIFTS:
            donor = Donor.objects.create(
                kind=kind, name=name, anonymous=anonymous, district=campaign.district, created_by=staff
            )
            self.give(campaign, donor, staff, amount, datetime.date(2025, 9, 4))
        shop = Donor.objects.create(
            kind=Donor.Kind.BUSINESS, name="Cửa hàng tạp hóa Hòa Bình", district=campaign.district, created_by=staff
        )
        donation_record(
            campaign=campaign,
            donor=shop,
            recorded_by=staff,
            received_on=datetime.date(2025, 9, 5),
            method=Donation.Method.IN_KIND,
            bags_in_kind=20,
        )
        for ward in khu_pho:
            allocation_create(campaign=campaign, ward=ward, quantity=8, created_by=staff, note="Đợt 1, 6/9/2025")
        households = self.households(
            khu_pho, per_khu_pho, demo.HCMC_STREETS, migrants=0.1, created_by=staff, province="079"
        )
        for ward in khu_pho:
            approved = [h for h in households if h.ward_id == ward.pk and h.status == Household.Status.APPROVED]
            for minute, household in enumerate(approved[: 3 + self.rng.randint(0, 4)]):
                distribution_record(
                    household=household,
                    campaign=campaign,
                    recorded_by=officers[ward.pk],
                    handed_out_at=datetime.datetime(2025, 9, 7, 8, 0, tzinfo=SAIGON)
                    + datetime.timedelta(minutes=6 * minute),
                )

    # Shared ----------------------------------------------------------------------------------------------------------

    def give(self, campaign, donor, staff, amount, received_on, method=Donation.Method.CASH):
        donation_record(
            campaign=campaign, donor=donor, recorded_by=staff, received_on=received_on, method=method, amount=amount
        )

    def households(self, wards, per_ward, streets, migrants, created_by, province=None):
        """Households for each ward: most approved, some still proposed, a few rejected; migrant free labourers
        (from another province, temporary residence) in the share ``migrants``. ``province`` is the CCCD code of
        the local people (Hà Nội's unless said, or Hồ Chí Minh City's for Quận 5)."""
        rng = self.rng
        categories = {c.code: c for c in Category.objects.all()}
        codes, weights = zip(*CATEGORY_WEIGHTS, strict=True)
        made, picks = [], []
        for ward in wards:
            for _ in range(per_ward):
                name, female = demo.person_name(rng)
                migrant = rng.random() < migrants
                homeless = not migrant and rng.random() < 0.02
                local = province or ("079" if ward.district.code == "q5" else "001")
                province = rng.choice(demo.HOME_PROVINCES) if migrant else local
                roll = rng.random()
                household = Household(
                    ward=ward,
                    head_name=name,
                    national_id="" if homeless else demo.national_id(rng, province, female),
                    phone="" if homeless or rng.random() < 0.1 else demo.mobile(rng),
                    address="Không có nơi ở ổn định" if homeless else demo.street_address(rng, streets),
                    members=1 if homeless else rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6]),
                    residence=Household.Residence.NONE
                    if homeless
                    else (
                        Household.Residence.OTHER_PROVINCE if migrant else rng.choice(["permanent"] * 4 + ["temporary"])
                    ),
                    status="approved" if roll < 0.85 else ("proposed" if roll < 0.96 else "rejected"),
                    source=Household.Source.POLICE_LIST if migrant else Household.Source.WARD_SURVEY,
                    created_by=created_by,
                )
                household.normalize()
                made.append(household)
                chosen = {rng.choices(codes, weights=weights)[0] for _ in range(rng.choice([1, 1, 2]))}
                if migrant:
                    chosen = {"lao-dong-tu-do", "mat-viec-do-dich"}
                if homeless:
                    chosen = {"lang-thang-co-nho"}
                picks.append(chosen)
        made = bulk_create_with_history(made, Household, default_user=created_by)
        through = Household.categories.through
        through.objects.bulk_create(
            [
                through(household_id=h.pk, category_id=categories[code].pk)
                for h, chosen in zip(made, picks, strict=True)
                for code in chosen
            ]
        )
        return made

    def print_summary(self, campaigns, logins):
        out = self.stdout
        for campaign in campaigns:
            net = Donation.objects.filter(campaign=campaign).net_cash()
            out.write(
                f"{campaign.name}: {format_vnd(net)}; {format_count(campaign.bags.count())} túi; "
                f"{format_count(campaign.distributions.active().count())} lượt trao"
            )
        if not logins:
            out.write("Tài khoản mẫu chỉ có trong chế độ demo (DEMO_MODE=1 hoặc --demo-logins).")
            return
        out.write("")
        out.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for user in User.objects.filter(username__in=self.seeded_usernames):
            user.set_password(self.demo_password(user))
            user.save(update_fields=["password"])
        for username in DEMO_LOGINS:
            user = User.objects.select_related("ward", "district").get(username=username)
            where = f"{user.ward}, {user.district}" if user.ward else user.district or "toàn bộ dữ liệu"
            out.write(f"  {user.username:<18} {user.role_title:<20} {where}")
        out.write("  (và phuong3.q5 … phuong14.q5 cho các phường còn lại của Quận 5,")
        out.write(f"   khupho3.phuongmau … khupho{KHU_PHO}.phuongmau cho các khu phố còn lại của Phường Mẫu)")

    def demo_password(self, user):
        """The published password, except for a superuser outside development: a superuser with a password that
        anyone can read in the README owns the whole database, so it gets a random one, shown here only."""
        if settings.DEBUG or not user.is_superuser:
            return DEMO_PASSWORD
        password = secrets.token_urlsafe(16)
        self.stdout.write(f"  Mật khẩu riêng của {user.username} (chỉ hiện một lần): {password}")
        return password
