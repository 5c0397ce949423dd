"""How big each part of the synthetic city is: districts, their wards, and each ward's households and hand-outs.

Two shapes: the 2021 city (districts over their wards, one campaign per district) and today's two-tier city (one
city over about 170 wards and communes, one campaign run by the city), with the same households, hand-outs and
donations at the same scale.

Sizes are decided here, once, from the scale and the seed, so every later phase works from the same numbers and a
count the command promises (households, hand-outs, bags, donations) is exact rather than approximately random.
"""

import random
from dataclasses import dataclass, field

from relief.models import Level

# The city at --scale 1.
FULL = {"districts": 20, "wards": 300, "households": 1_000_000, "hand_outs": 1_000_000, "donations": 100_000}
DISTRICTS, TWO_TIER = "2021", "two-tier"
SHAPES = [DISTRICTS, TWO_TIER]
# Today's shape at --scale 1: one city over this many wards and communes, a third of them communes.
TWO_TIER_UNITS = 170
TWO_TIER_CITY = "Thành phố Mẫu"
MIN_DISTRICTS = 2
MIN_WARDS_PER_DISTRICT = 3
# Each district funds two bags for every hand-out it makes: the rest wait in ward stock or at the district.
BAGS_PER_HAND_OUT = 2
MIN_DONATIONS_PER_DISTRICT = 10
DISTRICT_NAMES = [
    "Quận 1", "Quận 3", "Quận 4", "Quận 5", "Quận 6", "Quận 7", "Quận 8", "Quận 10", "Quận 11", "Quận 12",
    "Quận Bình Thạnh", "Quận Gò Vấp", "Quận Phú Nhuận", "Quận Tân Bình", "Quận Tân Phú", "Quận Bình Tân",
    "TP. Thủ Đức", "Huyện Bình Chánh", "Huyện Hóc Môn", "Huyện Nhà Bè",
]  # fmt: skip


@dataclass
class WardPlan:
    code: str
    name: str
    households: int
    hand_outs: int
    level: str = Level.WARD

    @property
    def number(self):
        return self.code.rsplit("-p", 1)[1]


@dataclass
class DistrictPlan:
    number: int
    name: str
    wards: list = field(default_factory=list)
    donations: int = 0
    level: str = Level.DISTRICT

    @property
    def code(self):
        return f"d{self.number:02d}"

    @property
    def campaign_code(self):
        return f"D{self.number:02d}-2021" if self.level == Level.DISTRICT else f"TP{self.number:02d}-2025"

    @property
    def hand_outs(self):
        return sum(ward.hand_outs for ward in self.wards)

    @property
    def bags(self):
        return BAGS_PER_HAND_OUT * self.hand_outs


def split(total, weights):
    """Share ``total`` out in proportion to ``weights`` as whole numbers that add up to exactly ``total``.

    Largest remainder: everyone gets the floor of their share, the biggest fractions get the units left over.
    """
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    parts = [int(share) for share in shares]
    by_fraction = sorted(range(len(weights)), key=lambda i: parts[i] - shares[i])
    for i in by_fraction[: total - sum(parts)]:
        parts[i] += 1
    return parts


def city_plan(scale, seed, shape=DISTRICTS):
    """The organizing units of a city at ``scale`` (1 is the full city), each with its receiving units sized
    unevenly: districts over wards (the 2021 shape), or one city over its wards and communes (``TWO_TIER``)."""
    rng = random.Random(f"{seed}-plan")
    if shape == TWO_TIER:
        n_districts = 1
        n_wards = max(MIN_WARDS_PER_DISTRICT, round(TWO_TIER_UNITS * scale))
        per_district = [n_wards]
    else:
        n_districts = max(MIN_DISTRICTS, round(FULL["districts"] * scale))
        n_wards = max(MIN_WARDS_PER_DISTRICT * n_districts, round(FULL["wards"] * scale))
        spare = n_wards - MIN_WARDS_PER_DISTRICT * n_districts
        per_district = [
            MIN_WARDS_PER_DISTRICT + extra
            for extra in split(spare, [rng.uniform(0.5, 1.5) for _ in range(n_districts)])
        ]
    # Wards differ a lot in how many households need help: a crowded inner ward may have five times a quiet one.
    ward_weights = [rng.uniform(0.3, 1.7) for _ in range(n_wards)]
    households = split(round(FULL["households"] * scale), ward_weights)
    hand_outs = split(round(FULL["hand_outs"] * scale), households)
    districts, start = [], 0
    for number, n in enumerate(per_district, start=1):
        if shape == TWO_TIER:
            district = DistrictPlan(number=number, name=TWO_TIER_CITY, level=Level.CITY)
        else:
            name = DISTRICT_NAMES[number - 1] if number <= len(DISTRICT_NAMES) else f"Quận {number}"
            district = DistrictPlan(number=number, name=name)
        for k in range(n):
            i = start + k
            name, level = _receiver(shape, k, n)
            district.wards.append(
                WardPlan(code=f"{district.code}-p{k + 1:02d}", name=name, households=households[i],
                         hand_outs=hand_outs[i], level=level)
            )  # fmt: skip
        districts.append(district)
        start += n
    donations = split(round(FULL["donations"] * scale), [district.bags for district in districts])
    for district, n in zip(districts, donations, strict=True):
        district.donations = max(MIN_DONATIONS_PER_DISTRICT, n)
    return districts


def _receiver(shape, k, n):
    """The name and level of the k-th of n receiving units: wards, and in today's shape communes for the last third
    (numbered on their own, "Xã 1" …; generic names, no real place)."""
    wards = n if shape == DISTRICTS else n - n // 3
    if k < wards:
        return f"Phường {k + 1}", Level.WARD
    return f"Xã {k - wards + 1}", Level.COMMUNE
