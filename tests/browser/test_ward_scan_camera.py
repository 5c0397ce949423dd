"""The camera path of the "Quét" buttons, where the phone reads the code itself (``BarcodeDetector``).

Debian's Chromium on Linux does not offer ``BarcodeDetector`` (``test_ward_scan.py`` checks that it falls back to
the photo path), so this test gives the page a stand-in detector: Chromium's fake camera
(``--use-fake-device-for-media-stream --use-file-for-fake-video-capture``) plays a video of a bag's label, and the
stand-in answers with the label's text only once a real frame of that video is on the page's ``<video>`` with the
code's black and white in it. What is tested is ours: static/js/scan.js opens the back camera, hands frames to the
detector, puts what it read into the form and sends it, and the server hands out that bag. The decoding itself is
the browser's and is not tested here.
"""

import pytest
from playwright.sync_api import expect

from households.models import CATEGORIES, Category
from relief.models import Bag, Distribution
from tests.browser.conftest import ARTIFACTS, CHROMIUM, PHONE, login, screenshot
from tests.scan_images import code_image, photo

pytestmark = pytest.mark.django_db(transaction=True)

# The stand-in: it reads the <video> element into a canvas and answers only when the frame holds dark and light
# pixels where the fake camera shows the code, as a detector that found nothing would answer [] before.
STAND_IN = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  constructor(options) { window.__detectorFormats = options.formats; }
  async detect(video) {
    if (!(video instanceof HTMLVideoElement) || video.readyState < 2 || !video.videoWidth) return [];
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    const context = canvas.getContext("2d");
    context.drawImage(video, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0, light = 0;
    for (let i = 0; i < pixels.length; i += 4) { if (pixels[i] < 60) dark++; else if (pixels[i] > 200) light++; }
    window.__framesSeen = (window.__framesSeen || 0) + 1;
    return dark > 1000 && light > 1000 ? [{ rawValue: window.__scanText, format: "qr_code" }] : [];
  }
};
"""


@pytest.fixture(autouse=True)
def _categories(transactional_db):
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def y4m_of(image, path, frames=10):
    """A short raw video (YUV 4:2:0) of a grey image, the format Chromium's fake camera plays."""
    width, height = image.size
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    frame = b"FRAME\n" + image.tobytes() + chroma + chroma
    path.write_bytes(header + frame * frames)
    return path


@pytest.fixture
def camera_page(browser, live_server, stocked, ward_a):
    """A phone-sized page whose camera films the label of ward A's third bag: a browser of its own, launched with
    the fake camera by the session's Playwright (a second Playwright cannot run beside it in one thread)."""
    ARTIFACTS.mkdir(exist_ok=True)
    third = Bag.objects.filter(ward=ward_a).order_by("number")[2]
    video = y4m_of(photo((code_image(third.serial, module=6), (200, 100)), size=(640, 480)), ARTIFACTS / "label.y4m")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"]  # fmt: skip
    camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    context = camera_browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.grant_permissions(["camera"], origin=live_server.url)
    context.set_default_timeout(15_000)
    context.add_init_script(STAND_IN)
    yield context.new_page(), third
    context.close()
    camera_browser.close()


def test_the_camera_reads_a_label_on_the_phone_and_hands_out_that_bag(camera_page, live_server, officer_a, household_a):
    page, third = camera_page
    login(page, live_server, officer_a.username, None)
    page.goto(f"{live_server.url}/phuong/phat-nhanh/")
    page.wait_for_load_state()
    page.evaluate("text => { window.__scanText = text; }", third.serial)
    page.get_by_label("Người tiếp theo: gõ tên, CCCD hoặc số điện thoại").fill("nguyen van an")
    card = page.locator(f"#hh-{household_a.pk}")
    card.get_by_role("button", name="Quét nhãn túi").click()  # no file chooser: the camera opens on the page
    expect(card).to_contain_text(f"Đã trao túi {third.serial}")
    screenshot(page, "ward-scan-camera-phone")
    assert page.evaluate("window.__framesSeen") >= 1
    assert page.evaluate("window.__detectorFormats") == ["qr_code"]
    expect(page.locator("dialog#scan-camera")).not_to_have_attribute("open", "")
    assert page.evaluate("document.querySelector('dialog#scan-camera video').srcObject") is None  # camera let go
    assert Distribution.objects.get().bag == third
