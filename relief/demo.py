"""Realistic Vietnamese people and places for the demo and for synthetic test cities.

Everything is drawn from a ``random.Random`` the caller seeds, so the same seed gives the same people.
"""

from itertools import accumulate

from relief.text import fold

FAMILY_NAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 4), ("Phan", 4), ("Vũ", 3),
    ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Trương", 1),
    ("Lâm", 1), ("Quách", 1), ("Hứa", 1), ("Mã", 1), ("Tăng", 1), ("Đinh", 1), ("Đoàn", 1),
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Hữu", "Minh", "Đức", "Quốc", "Thanh", "Công", "Xuân", "Tấn", "Hoàng"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thanh", "Kim", "Thu", "Minh", "Mỹ", "Bích", "Hồng", "Thúy"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Hải", "Hiếu", "Hùng", "Huy", "Khang", "Khoa", "Long", "Lộc",
    "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung",
    "Tuấn", "Việt", "Vinh",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên", "Linh", "Loan",
    "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Thu", "Trang", "Tuyết",
    "Vân", "Vy", "Yến",
]  # fmt: skip
MOBILE_PREFIXES = [
    "090", "091", "093", "094", "096", "097", "098", "086", "088", "089", "032", "033", "034", "035", "036",
    "037", "038", "039", "070", "076", "077", "078", "079", "081", "082", "083", "084", "085",
]  # fmt: skip
HCMC_STREETS = [
    "Trần Hưng Đạo", "Nguyễn Trãi", "An Dương Vương", "Châu Văn Liêm", "Hải Thượng Lãn Ông", "Trần Phú",
    "Hùng Vương", "Nguyễn Văn Cừ", "Lê Hồng Phong", "Trần Bình Trọng", "Nguyễn Tri Phương", "Ngô Quyền",
    "Lương Nhữ Học", "Phùng Hưng", "Triệu Quang Phục", "Nguyễn Duy Dương", "Trần Tuấn Khải", "Học Lạc",
]  # fmt: skip
HANOI_STREETS = [
    "Phạm Văn Đồng", "Hoàng Quốc Việt", "Tân Xuân", "Đông Ngạc", "Cổ Nhuế", "Phú Diễn", "Văn Tiến Dũng",
    "Đức Thắng", "Xuân Đỉnh", "Thụy Phương", "Liên Mạc", "Tây Tựu", "Kỳ Vũ", "Hoàng Tăng Bí",
]  # fmt: skip
# Provinces that free labourers in Hà Nội and Hồ Chí Minh City most often come from (CCCD province codes).
HOME_PROVINCES = ["038", "040", "036", "034", "037", "035", "030", "042", "052", "051", "087", "089", "094"]


_FAMILIES = [name for name, _ in FAMILY_NAMES]
_FAMILY_CUMULATIVE = list(accumulate(weight for _, weight in FAMILY_NAMES))


def weighted_family(rng):
    # Cumulative weights computed once: the same draw as ``weights=``, without redoing the sum a million times.
    return rng.choices(_FAMILIES, cum_weights=_FAMILY_CUMULATIVE)[0]


def person_name(rng):
    """A full name and whether it is a woman's: family name, middle name, given name."""
    female = rng.random() < 0.5
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{weighted_family(rng)} {middle} {given}", female


def national_id(rng, province="079", female=False, year=None):
    """A well-formed 12-digit CCCD: province, sex-and-century digit, two digits of the birth year, six more."""
    year = year or rng.randint(1945, 2003)
    century_digit = (0 if year < 2000 else 2) + (1 if female else 0)
    return f"{province}{century_digit}{year % 100:02d}{rng.randint(0, 999_999):06d}"


def mobile(rng):
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"


def street_address(rng, streets):
    number = rng.randint(1, 480)
    if rng.random() < 0.3:
        return f"{number}/{rng.randint(1, 40)} {rng.choice(streets)}"
    return f"{number} {rng.choice(streets)}"


# Old 9-digit identity cards (CMND) still in people's wallets in 2021; the first two digits name the issuing place.
CMND_PREFIXES = ["02", "02", "02", "01", "17", "18", "19", "21", "23", "28"]
BUSINESS_FORMS = ["Công ty TNHH", "Công ty TNHH", "Công ty CP", "Doanh nghiệp tư nhân"]
BUSINESS_TRADES = ["Thương mại", "Thực phẩm", "Xây dựng", "Dịch vụ", "Vận tải", "Dược phẩm", "Lương thực", "Điện máy"]
BUSINESS_NAMES = [
    "Phú Thịnh", "Minh Phát", "An Khang", "Thành Đạt", "Hưng Thịnh", "Tân Tiến", "Sài Gòn Xanh", "Việt Hưng",
    "Phúc Lộc", "Đại Nam", "Kim Long", "Hòa Bình", "Bến Thành", "Chợ Lớn", "Nam Việt", "Thiên Phước",
]  # fmt: skip
# Bodies that mobilise money for the program in a district, as the seed articles name them.
AGENCIES = [
    "Ủy ban MTTQ Việt Nam", "Chi cục Thi hành án dân sự", "Tòa án nhân dân", "Viện kiểm sát nhân dân",
    "Hội Chữ thập đỏ", "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên", "Phòng Lao động - Thương binh và Xã hội",
]  # fmt: skip


def old_national_id(rng):
    """A 9-digit CMND, the identity card older people registered before the 12-digit CCCD."""
    return rng.choice(CMND_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"


def business_name(rng):
    return f"{rng.choice(BUSINESS_FORMS)} {rng.choice(BUSINESS_TRADES)} {rng.choice(BUSINESS_NAMES)}"


def agency_name(rng, place):
    """An agency of ``place`` (a district's name) that collects gifts, such as "Hội Chữ thập đỏ Quận 5"."""
    return f"{rng.choice(AGENCIES)} {place}"


def typed_without_diacritics(text):
    """``text`` as someone types it on a keyboard without Vietnamese input: "Nguyễn Văn Đức" → "Nguyen Van Duc"."""
    return " ".join(word.capitalize() for word in fold(text).split(" ") if word)
