"""The places and people of the synthetic city: districts, wards, campaigns, the app's users, and households.

Households carry what a ward really collects: Vietnamese names with diacritics, CCCDs and phones in their real
formats (some missing, some old 9-digit CMNDs), uneven residence, and a few percent of near-duplicates of the kinds
``households.duplicates`` looks for, so duplicate detection has something to find at city scale.
"""

import datetime
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password

from households.models import Category, Household
from relief import demo
from relief.models import Campaign, District, Level, User, Ward
from relief.roles import group_for
from relief.text import clean_name, fold

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
CAMPAIGN_STARTS = datetime.date(2021, 8, 15)
# Wards draw up their lists in the two weeks before the first hand-outs (22/8/2021).
REGISTRATION_STARTS = datetime.datetime(2021, 8, 5, 7, 0, tzinfo=SAIGON)
REGISTRATION_SECONDS = 16 * 86_400
HOUSEHOLD_LIMIT = 2  # two rounds, so a million hand-outs fit the approved households
# Shares of a ward's households: (proposed, rejected); the rest are approved.
PROPOSED, REJECTED = 0.08, 0.04
# Shares of deliberate near-duplicates, each of one kind households.duplicates looks for.
SAME_ID_ELSEWHERE, SAME_PHONE, UNACCENTED_TWIN = 0.01, 0.01, 0.01
CATEGORY_WEIGHTS = {
    "ho-ngheo": 18, "ho-can-ngheo": 12, "hoan-canh-kho-khan": 25, "mat-viec-do-dich": 20, "nguoi-co-cong": 5,
    "gia-dinh-chinh-sach": 5, "nguoi-yeu-the": 8, "lao-dong-tu-do": 6,
}  # fmt: skip
HOUSEHOLD_COLUMNS = [
    "id", "ward_id", "head_name", "name_key", "national_id", "phone", "address", "address_key", "members",
    "residence", "status", "source", "notes", "created_by_id", "created_at", "updated_at",
]  # fmt: skip
USER_COLUMNS = [
    "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
    "is_active", "date_joined", "role", "district_id", "ward_id",
]  # fmt: skip

# Names and addresses repeat a lot across a million households; folding each distinct one once saves a minute.
_fold = lru_cache(maxsize=None)(fold)
_clean = lru_cache(maxsize=None)(clean_name)


class Weighted:
    """A weighted draw with its cumulative weights summed once, not on each of a million draws."""

    def __init__(self, weights):
        self.values = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def pick(self, rng):
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


RESIDENCES = Weighted({
    Household.Residence.PERMANENT: 62, Household.Residence.TEMPORARY: 20, Household.Residence.OTHER_PROVINCE: 15,
    Household.Residence.NONE: 3,
})  # fmt: skip
SOURCES = Weighted({Household.Source.WARD_SURVEY: 70, Household.Source.SELF_REPORT: 20, Household.Source.IMPORT: 10})


@dataclass
class Places:
    """The keys given to the city's districts, wards and campaigns, by district or ward code."""

    district_ids: dict = field(default_factory=dict)
    ward_ids: dict = field(default_factory=dict)
    campaign_ids: dict = field(default_factory=dict)


CAMPAIGN_COLUMNS = [
    "id", "code", "name", "district_id", "bag_value", "target_bags", "household_limit", "legal_basis", "starts_on",
    "ends_on", "is_open", "last_receipt_seq", "last_bag_number",
]  # fmt: skip


def write_places(plan, ids, writer):
    """Districts, wards and one campaign per district; returns their ``Places``.

    The campaign's receipt and bag counters are written with their final values: the plan fixes how many
    donations and bags there will be, and the app's services continue numbering from them.
    """
    places, district_rows, ward_rows, campaign_rows = Places(), [], [], []
    for district in plan:
        district_id = places.district_ids[district.code] = ids.take(District)
        district_rows.append((district_id, district.code, district.name, district.level))
        for ward in district.wards:
            places.ward_ids[ward.code] = ids.take(Ward)
            ward_rows.append((places.ward_ids[ward.code], district_id, ward.code, ward.name, ward.level))
        places.campaign_ids[district.code] = ids.take(Campaign)
        campaign_rows.append(_campaign_row(district, district_id, places.campaign_ids[district.code]))
    writer.write(District, ["id", "code", "name", "level"], district_rows)
    writer.write(Ward, ["id", "district_id", "code", "name", "level"], ward_rows)
    writer.write(Campaign, CAMPAIGN_COLUMNS, campaign_rows)
    return places


def _campaign_row(district, district_id, campaign_id):
    target = -(-district.bags * 11 // 10 // 1000) * 1000  # a round target a tenth above what was raised
    return (
        campaign_id, district.campaign_code, f"Túi an sinh xã hội {district.name}", district_id, 1_000_000,
        target, HOUSEHOLD_LIMIT, "Nghị quyết số 86/NQ-CP ngày 06/8/2021 của Chính phủ", CAMPAIGN_STARTS, None,
        True, district.donations, district.bags,
    )  # fmt: skip


def logins(plan):
    """(username, role, first name, district, ward or None) of every login: per district its staff and leader,
    per ward its officer."""
    for district in plan:
        yield f"canbo.{district.code}", User.Role.DISTRICT_STAFF, f"Cán bộ {district.name}", district, None
        yield f"lanhdao.{district.code}", User.Role.LEADER, f"Lãnh đạo {district.name}", district, None
        for ward in district.wards:
            name = f"{ward.name}, {district.name}"
            prefix = "xa" if ward.level == Level.COMMUNE else "phuong"
            yield f"{prefix}{ward.number}.{district.code}", User.Role.WARD_OFFICER, name, district, ward


def usernames(plan):
    return [login[0] for login in logins(plan)]


def write_users(plan, ids, writer, places, password):
    """Every login of ``logins``; returns the ids of the staff by district code and of the officers by ward code.

    ``password`` is a hash every login shares (the demo password) or None for unusable passwords.
    """
    rows, staff, officers = [], {}, {}
    joined = datetime.datetime(2021, 8, 1, 8, 0, tzinfo=SAIGON)
    for username, role, first_name, district, ward in logins(plan):
        user_id = ids.take(User)
        ward_id = places.ward_ids[ward.code] if ward else None
        rows.append((user_id, password or make_password(None), None, False, username, first_name, "", "", True,
                     True, joined, role, places.district_ids[district.code], ward_id))  # fmt: skip
        if ward:
            officers[ward.code] = user_id
        elif role == User.Role.DISTRICT_STAFF:
            staff[district.code] = user_id
    writer.write(User, USER_COLUMNS, rows)
    groups = {role: group_for(role).pk for role in (User.Role.DISTRICT_STAFF, User.Role.LEADER, User.Role.WARD_OFFICER)}
    links = [(ids.take(User.groups.through), row[0], groups[row[11]]) for row in rows]
    writer.write(User.groups.through, ["id", "user_id", "group_id"], links)
    return staff, officers


class HouseholdMaker:
    """Makes one district's households ward by ward, remembering enough to plant near-duplicates."""

    def __init__(self, rng, ids):
        self.rng = rng
        self.ids = ids
        categories = dict(Category.objects.values_list("code", "pk"))
        self.categories = Weighted({categories[code]: weight for code, weight in CATEGORY_WEIGHTS.items()})
        self.migrant_categories = [categories["lao-dong-tu-do"], categories["mat-viec-do-dich"]]
        self.homeless_categories = [categories["lang-thang-co-nho"]]
        self.earlier_wards = []  # (name, CCCD) of the district's households in wards already made

    def ward(self, ward_id, size, officer_id):
        """Rows for one ward's households, their category links, and the ids of the approved ones."""
        rng = self.rng
        first = self.ids.take(Household, size)
        statuses = _statuses(rng, size)
        rows, links, approved, this_ward = [], [], [], []
        for k in range(size):
            household_id = first + k
            row, categories = self._household(household_id, ward_id, statuses[k], officer_id, this_ward)
            rows.append(row)
            links += [(household_id, category) for category in categories]
            if statuses[k] == Household.Status.APPROVED:
                approved.append(household_id)
            this_ward.append(row)
        self.earlier_wards += [(row[2], row[4]) for row in this_ward if len(row[4]) == 12]
        return rows, links, approved

    def _household(self, household_id, ward_id, status, officer_id, this_ward):
        rng = self.rng
        name, female = demo.person_name(rng)
        residence = RESIDENCES.pick(rng)
        national_id, phone, address = self._papers(residence, female), _phone(rng), self._address(residence)
        roll = rng.random()
        if roll < SAME_ID_ELSEWHERE and self.earlier_wards:
            name, national_id = rng.choice(self.earlier_wards)  # registered again after moving wards
        elif roll < SAME_ID_ELSEWHERE + SAME_PHONE and this_ward:
            phone = rng.choice(this_ward)[5] or phone  # a relative's phone, given for both households
        elif roll < SAME_ID_ELSEWHERE + SAME_PHONE + UNACCENTED_TWIN and this_ward:
            twin = rng.choice(this_ward)  # the same head typed again without diacritics, at the same address
            name, national_id, address = demo.typed_without_diacritics(twin[2]), "", twin[6]
        name, address = _clean(name), _clean(address)
        created = REGISTRATION_STARTS + datetime.timedelta(seconds=rng.randrange(REGISTRATION_SECONDS))
        row = (
            household_id, ward_id, name, _fold(name), national_id, phone, address, _fold(address),
            1 if residence == Household.Residence.NONE else rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6]), residence,
            status, _source(rng, residence), "", officer_id, created, created,
        )  # fmt: skip
        return row, self._categories(residence)

    def _papers(self, residence, female):
        rng = self.rng
        if residence == Household.Residence.NONE or rng.random() < 0.03:
            return ""  # wanderers, and people who lost their papers
        if rng.random() < 0.04:
            return demo.old_national_id(rng)
        if residence == Household.Residence.OTHER_PROVINCE:
            return demo.national_id(rng, rng.choice(demo.HOME_PROVINCES), female)
        return demo.national_id(rng, "079" if rng.random() < 0.8 else rng.choice(demo.HOME_PROVINCES), female)

    def _address(self, residence):
        if residence == Household.Residence.NONE:
            return "Không có nơi ở ổn định"
        return demo.street_address(self.rng, demo.HCMC_STREETS)

    def _categories(self, residence):
        if residence == Household.Residence.OTHER_PROVINCE:
            return self.migrant_categories
        if residence == Household.Residence.NONE:
            return self.homeless_categories
        return sorted({self.categories.pick(self.rng) for _ in range(self.rng.choice([1, 1, 2]))})


def _statuses(rng, size):
    """Exactly the planned shares of proposed and rejected households, in random order."""
    proposed, rejected = round(size * PROPOSED), round(size * REJECTED)
    statuses = (
        [Household.Status.PROPOSED] * proposed
        + [Household.Status.REJECTED] * rejected
        + [Household.Status.APPROVED] * (size - proposed - rejected)
    )
    rng.shuffle(statuses)
    return statuses


def _phone(rng):
    return "" if rng.random() < 0.1 else demo.mobile(rng)


def _source(rng, residence):
    if residence == Household.Residence.OTHER_PROVINCE:
        return Household.Source.POLICE_LIST  # ward police compile the lists of free labourers (Bắc Từ Liêm)
    return SOURCES.pick(rng)


def approved_count(size):
    """How many of a ward's ``size`` households are approved (the shares of ``_statuses``)."""
    return size - round(size * PROPOSED) - round(size * REJECTED)
