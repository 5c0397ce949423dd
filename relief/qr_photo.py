"""QR codes read from a photo taken on a phone without a camera scanner of its own (``BarcodeDetector``).

A photo may show a bag's label or a person's CCCD, so it is personal data: it arrives in memory only
(``photos_in_memory``: no temporary file, whatever its size), is read by zxing-cpp, and is dropped with the request.
Nothing here logs what a code says. The upload is bounded before any pixel is decoded: its bytes while it arrives,
its format and its width times height from the header, as a workbook is checked before a reader opens it
(``relief/upload_guard.py``).
"""

import functools
import io
import warnings

import zxingcpp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from PIL import Image, UnidentifiedImageError

FORMATS = ("JPEG", "PNG", "WEBP")
# A JPEG is decoded at a power-of-two reduction of at least this long side first (``Image.draft``, nearly free):
# a code that fills a tenth of a phone's photo is still dozens of pixels a module there, and it takes a third of
# the time. Only when nothing is found there is the photo read at full size.
FIRST_PASS_SIDE = 1600

TOO_BIG = "Ảnh quá lớn (tối đa %(limit)s MB). Hãy chụp lại ở độ phân giải thấp hơn."
TOO_MANY_PIXELS = "Ảnh có quá nhiều điểm ảnh (tối đa %(limit)s triệu). Hãy chụp lại ở độ phân giải thấp hơn."
NOT_AN_IMAGE = "Tệp gửi lên không phải ảnh JPEG, PNG hoặc WebP đọc được. Hãy chụp lại."
NO_CODE = "Không tìm thấy mã QR trong ảnh. Hãy chụp lại gần hơn, đủ sáng, mã nằm trọn và rõ nét trong khung hình."
SEVERAL_CODES = "Ảnh có %(count)s mã QR khác nhau. Hãy chụp lại chỉ một mã."


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Keep every uploaded file in memory up to ``ANSINH_SCAN_MAX_PHOTO_BYTES``; past that, keep counting but drop
    the bytes, and hand the form a file marked ``too_big`` so it can say so. Never a temporary file."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer, self.size, self.too_big = io.BytesIO(), 0, False

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > settings.ANSINH_SCAN_MAX_PHOTO_BYTES:
            self.too_big = True
            self.buffer = io.BytesIO()
        else:
            self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        upload = InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
        upload.too_big = self.too_big
        return upload


def photos_in_memory(view):
    """Decorate a view that takes a photo: its uploads stay in memory (``BoundedMemoryUploadHandler``).

    The handlers must be set before anything reads the request's body, and the CSRF middleware reads it; so the
    view is exempted from the middleware and checked by ``csrf_protect`` once the handler is in place, as Django's
    documentation of upload handlers says.
    """
    protected = csrf_protect(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers = [BoundedMemoryUploadHandler(request)]
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def check_photo(upload):
    """Refuse (``ValidationError``) an upload too large in bytes; return it otherwise."""
    if getattr(upload, "too_big", False) or upload.size > settings.ANSINH_SCAN_MAX_PHOTO_BYTES:
        limit = settings.ANSINH_SCAN_MAX_PHOTO_BYTES // (1024 * 1024)
        raise ValidationError(TOO_BIG, code="photo_too_big", params={"limit": limit})
    return upload


def _open(upload):
    """The photo's image, its header read and checked; its pixels not decoded yet."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=FORMATS)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            ValueError, SyntaxError):  # fmt: skip
        raise ValidationError(NOT_AN_IMAGE, code="photo_unreadable") from None
    width, height = image.size
    if width * height > settings.ANSINH_SCAN_MAX_PHOTO_PIXELS:
        limit = settings.ANSINH_SCAN_MAX_PHOTO_PIXELS // 1_000_000
        raise ValidationError(TOO_MANY_PIXELS, code="photo_too_many_pixels", params={"limit": limit})
    return image


def _read(image):
    try:
        grey = image.convert("L")
    except (OSError, ValueError, SyntaxError):  # a truncated or damaged file fails only when its pixels are decoded
        raise ValidationError(NOT_AN_IMAGE, code="photo_unreadable") from None
    return zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode)


def read_codes(upload):
    """The raw bytes of every distinct QR code in a photo (an uploaded file), in the order found; ``[]`` when
    there is none. ``ValidationError`` when the upload is too large or not a readable image."""
    check_photo(upload)
    image = _open(upload)
    full_size = image.size
    if image.format == "JPEG" and max(full_size) > 2 * FIRST_PASS_SIDE:
        image.draft("L", (full_size[0] // 2, full_size[1] // 2))
        found = _read(image)
        if not found:
            found = _read(_open(upload))
    else:
        found = _read(image)
    codes = []
    for barcode in found:
        if barcode.bytes not in codes:
            codes.append(barcode.bytes)
    return codes


def read_one_code(upload):
    """The raw bytes of the one QR code in a photo; ``ValidationError`` in words when there is none or several."""
    codes = read_codes(upload)
    if not codes:
        raise ValidationError(NO_CODE, code="photo_no_code")
    if len(codes) > 1:
        raise ValidationError(SEVERAL_CODES, code="photo_several_codes", params={"count": len(codes)})
    return codes[0]
