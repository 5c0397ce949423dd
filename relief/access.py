"""Who may open which pages: one decorator per audience, each sending a visitor to the login page first.

A logged-in person outside the audience gets a 403: the page exists and the role simply does not open it. Which
*records* a page then shows is the business of ``visible_to`` and the access helpers in each view module (a 404 for
a record outside the user's scope), never of these decorators.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def _role_required(allowed, refusal):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = _role_required(
    lambda user: user.is_district_staff, "Trang này dành cho cán bộ đơn vị tổ chức chương trình."
)
staff_required.__doc__ = "District staff and administrators: the district's money, stock, requests and lists."

officer_required = _role_required(
    lambda user: user.is_ward_officer, "Trang này dành cho cán bộ đơn vị nhận túi (phường, xã, khu phố…)."
)
officer_required.__doc__ = "Ward officers only: these pages act for one ward, and only an officer has one."

reader_required = _role_required(
    lambda user: user.is_leader or user.is_district_staff, "Trang này dành cho lãnh đạo và cán bộ đơn vị tổ chức."
)
reader_required.__doc__ = "Leaders, district staff and administrators: the figures and reports they read."
