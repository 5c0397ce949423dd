"""Wards asking the district for more bags in writing (Bắc Từ Liêm's procedure), and what the district decided.

Some third-round allocations are the district's answer to such a request, in full or in part; a few requests
were refused with a reason, and a few still wait for a decision.
"""

import datetime

from relief.models import WardRequest

ANSWERED_SHARE = 0.5  # of third-round allocations
REFUSED_SHARE, WAITING_SHARE = 0.05, 0.05  # of wards
THIRD_ROUND = "Đợt 3"
REASONS = [
    "Phường còn nhiều hộ lao động mất việc đã được duyệt nhưng chưa có túi.",
    "Bổ sung cho các hộ tạm trú mới rà soát.",
    "Công an phường lập thêm danh sách lao động tự do ngoại tỉnh cần hỗ trợ.",
]
REFUSALS = ["Quận đã phân bổ hết túi của đợt này.", "Danh sách hộ chưa được phòng LĐTB&XH xác minh."]
REQUEST_COLUMNS = [
    "id", "campaign_id", "ward_id", "quantity", "reason", "status", "approved_quantity", "decision_note",
    "created_by_id", "created_at", "decided_by_id", "decided_at",
]  # fmt: skip


def ward_requests(rng, ids, allocations, *, campaign_id, staff_id, officers_by_ward_id):
    """The requests of one campaign's wards; links the allocations that answered them (``allocations`` rows are
    updated in place)."""
    rows = []
    for allocation in allocations:
        if allocation[5] == THIRD_ROUND and rng.random() < ANSWERED_SHARE:
            rows.append(_answered(rng, ids, allocation, campaign_id, staff_id, officers_by_ward_id[allocation[2]]))
            allocation[4] = rows[-1][0]
            allocation[5] = "Theo đề nghị của phường"
    last = max(allocation[7] for allocation in allocations)
    for ward_id, officer_id in officers_by_ward_id.items():
        roll = rng.random()
        if roll < REFUSED_SHARE + WAITING_SHARE:
            asked_at = last + datetime.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 8))
            rows.append(_unanswered(rng, ids, ward_id, officer_id, asked_at, campaign_id, staff_id,
                                    refused=roll < REFUSED_SHARE))  # fmt: skip
    return rows


def _answered(rng, ids, allocation, campaign_id, staff_id, officer_id):
    granted = allocation[3]
    asked = granted if rng.random() < 0.7 else granted + rng.randint(1, max(1, granted // 2))
    status = WardRequest.Status.APPROVED if asked == granted else WardRequest.Status.PARTLY_APPROVED
    decided_at = allocation[7]
    asked_at = decided_at - datetime.timedelta(hours=rng.randint(4, 72))
    return (ids.take(WardRequest), campaign_id, allocation[2], asked, rng.choice(REASONS), status, granted, "",
            officer_id, asked_at, staff_id, decided_at)  # fmt: skip


def _unanswered(rng, ids, ward_id, officer_id, asked_at, campaign_id, staff_id, *, refused):
    quantity = rng.randint(2, 20) * 10
    if refused:
        return (ids.take(WardRequest), campaign_id, ward_id, quantity, rng.choice(REASONS),
                WardRequest.Status.REFUSED, 0, rng.choice(REFUSALS), officer_id, asked_at, staff_id,
                asked_at + datetime.timedelta(days=1))  # fmt: skip
    return (ids.take(WardRequest), campaign_id, ward_id, quantity, rng.choice(REASONS), WardRequest.Status.WAITING,
            0, "", officer_id, asked_at, None, None)  # fmt: skip
