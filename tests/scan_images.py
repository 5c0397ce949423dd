"""Photos of QR codes made in the tests, as a phone would take them: segno draws the code, Pillow the photo."""

import io

import segno
from PIL import Image, ImageDraw, ImageFilter

PAPER, INK = 235, 25


def code_image(text, *, module=8, dark=INK, light=PAPER):
    """The QR code of ``text`` as a grey image, ``module`` pixels a module, with its quiet zone."""
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=module, border=4)
    buffer.seek(0)
    image = Image.open(buffer).convert("L")
    return image.point(lambda value: dark if value < 128 else light)


def photo(*codes, size=(1600, 1200), background=PAPER):
    """A photo of ``size`` with each ``(image, (x, y))`` pasted where it says; other images pasted to the right."""
    frame = Image.new("L", size, background)
    draw = ImageDraw.Draw(frame)
    draw.rectangle((20, 20, size[0] - 20, 60), fill=background - 60)  # something else in the picture
    for image, at in codes:
        frame.paste(image, at)
    return frame


def rotated(image, degrees, background=PAPER):
    return image.rotate(degrees, expand=True, fillcolor=background, resample=Image.Resampling.BICUBIC)


def skewed(image, shear=0.3, background=PAPER):
    """The code seen at an angle: a shear along x and a squeeze along y, as a card held tilted."""
    width, height = image.size
    out = (int(width * (1 + shear)), height)
    return image.transform(
        out, Image.Transform.AFFINE, (1, -shear, 0, 0, 1.15, -0.075 * height), fillcolor=background,
        resample=Image.Resampling.BICUBIC,
    )  # fmt: skip


def blurred(image, radius=2.0):
    return image.filter(ImageFilter.GaussianBlur(radius))


def encoded(image, kind="JPEG", **options):
    """The photo as the bytes a phone would send."""
    buffer = io.BytesIO()
    image.convert("RGB" if kind == "JPEG" else "L").save(
        buffer, kind, **({"quality": 85} | options if kind == "JPEG" else options)
    )
    return buffer.getvalue()


def cases(text, second_text):
    """Each kind of photo the server must read, as ``{name: image}``; "two codes" holds ``text`` and
    ``second_text``."""
    code = code_image(text)
    return {
        "straight": photo((code, (500, 300))),
        "rotated": photo((rotated(code, 33), (400, 200))),
        "upside down": photo((rotated(code, 180), (500, 300))),
        "skewed": photo((skewed(code), (400, 300))),
        "blurred": photo((blurred(code, 2.0), (500, 300))),
        "small in a large photo": photo((code_image(text, module=3), (2900, 1900)), size=(4000, 3000)),
        "low contrast": photo((code_image(text, dark=110, light=150), (500, 300)), background=150),
        "two codes": photo((code, (100, 300)), (code_image(second_text), (900, 300))),
    }
