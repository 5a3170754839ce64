"""Large bundle images get smaller variants: which widths and formats, their names, made once
on disk and atomically, and offered in a <picture> without ever costing the page."""

import threading
from hashlib import blake2b

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from publishing import image_variants
from publishing.bundles import FileData
from publishing.image_variants import SIZES, ImageVariants, plan
from publishing.images import ImageFault, opened
from publishing.rendering import rendered_markdown
from tests.support.bundles import (
    SCRIPTED_SVG,
    animated_gif,
    broken_animation,
    image_bytes,
    png_bomb,
    turned_photo,
)

JPEG = image_bytes(2000, 1000, "JPEG")


@pytest.mark.parametrize(
    ("name", "data", "webp", "fallback"),
    [
        ("a.jpg", JPEG, (640, 1280, 1920), (640, 1280, 1920)),
        ("a.png", image_bytes(1000, 500), (640, 1000), (640,)),
        ("a.png", image_bytes(800, 400), (640, 800), (640,)),
        ("a.png", image_bytes(1920, 400), (640, 1280, 1920), (640, 1280)),
        ("a.webp", image_bytes(1500, 500, "WEBP"), (), (640, 1280)),
        ("a.gif", image_bytes(1400, 300, "GIF"), (640, 1280, 1400), (640, 1280)),
    ],
)
def test_variants_are_the_steps_narrower_than_the_image_in_webp_and_its_own_format(
    name, data, webp, fallback
):
    variants = plan(name, data)
    assert (variants.webp, variants.fallback) == (webp, fallback)
    assert (
        variants.digest == blake2b(image_variants.MAKING_VERSION + data, digest_size=10).hexdigest()
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("narrow.png", image_bytes(756, 900)),  # no wider than the text column
        ("moving.gif", animated_gif(1200, 300)),
        ("drawing.svg", SCRIPTED_SVG),
    ],
)
def test_narrow_images_animations_and_svg_get_no_variants(name, data):
    assert plan(name, data) is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n not really", "not an image Pillow can read"),
        (png_bomb(), "refused as a decompression bomb"),
        (JPEG, "holds a JPEG image, not the PNG its extension says"),
    ],
)
def test_a_bad_image_is_a_fault_not_a_plan(data, reason):
    with pytest.raises(ImageFault, match=reason):
        plan("bad.png", data)


def test_variant_urls_are_relative_to_the_page_and_quoted_for_a_srcset():
    variants = plan("shots/my photo,1.jpg", JPEG)
    digest = variants.digest
    assert variants.url(640, "webp") == f"_/shots/my%20photo%2C1-640-{digest}.webp"
    assert variants.srcset("jpg", "orig.jpg") == (
        f"_/shots/my%20photo%2C1-640-{digest}.jpg 640w, "
        f"_/shots/my%20photo%2C1-1280-{digest}.jpg 1280w, "
        f"_/shots/my%20photo%2C1-1920-{digest}.jpg 1920w, orig.jpg 2000w"
    )


def test_made_variants_have_their_width_the_ratio_and_their_format(tmp_path):
    store = ImageVariants(tmp_path)
    variants = plan("a.png", image_bytes(1000, 500))
    store.make(variants, image_bytes(1000, 500))
    found = {}
    for width, extension in variants.files():
        with Image.open(store.path(variants, width, extension)) as made:
            found[(width, extension)] = (made.format, made.size)
    assert found == {
        (640, "webp"): ("WEBP", (640, 320)),
        (1000, "webp"): ("WEBP", (1000, 500)),
        (640, "png"): ("PNG", (640, 320)),
    }


def test_variants_are_made_once_and_again_only_for_changed_bytes(tmp_path, monkeypatch):
    saved = []
    save = image_variants._save
    monkeypatch.setattr(image_variants, "_save", lambda *a: (saved.append(a[1].name), save(*a)))
    store = ImageVariants(tmp_path)
    first = plan("a.jpg", JPEG)
    store.make(first, JPEG)
    assert len(saved) == 6
    store.make(first, JPEG)
    assert ImageVariants(tmp_path).prepare({"a.jpg": FileData(len(JPEG), JPEG)}) == {"a.jpg": first}
    assert len(saved) == 6  # another worker, or a restart, finds them made
    changed = image_bytes(2000, 1000, "JPEG", colour="navy")
    store.make(plan("a.jpg", changed), changed)
    assert len(saved) == 12 and not set(saved[:6]) & set(saved[6:])


def test_two_workers_making_the_same_image_make_each_file_once(tmp_path, monkeypatch):
    saved = []
    save = image_variants._save
    monkeypatch.setattr(image_variants, "_save", lambda *a: (saved.append(a[1].name), save(*a)))
    variants = plan("a.jpg", JPEG)
    workers = [
        threading.Thread(target=ImageVariants(tmp_path).make, args=(variants, JPEG))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(saved) == sorted(variants.file_name(w, e) for w, e in variants.files())


def test_images_still_being_made_at_the_deadline_are_offered_and_finished(tmp_path, monkeypatch):
    released = threading.Event()
    save = image_variants._save

    def slow_save(*args):
        assert released.wait(30), "the test never let the variants be written"
        save(*args)

    monkeypatch.setattr(image_variants, "_save", slow_save)
    store = ImageVariants(tmp_path)
    prepared = store.prepare({"a.jpg": FileData(len(JPEG), JPEG)}, seconds=0.05)
    variants = plan("a.jpg", JPEG)
    assert prepared == {"a.jpg": variants}  # offered before a single file is on disk
    assert not any(store.path(variants, w, e).exists() for w, e in variants.files())
    released.set()
    # A request for a variant now waits, under the image's lock, for the maker to finish it.
    store.make(variants, JPEG)
    assert all(store.path(variants, w, e).exists() for w, e in variants.files())


def test_a_variant_is_written_under_a_temporary_name_and_renamed_whole(tmp_path, monkeypatch):
    def fail_half_way(self, handle, **options):
        handle.write(b"RIFF half of a picture")
        raise OSError("No space left on device")

    monkeypatch.setattr(Image.Image, "save", fail_half_way)
    variants = plan("a.jpg", JPEG)
    with pytest.raises(OSError, match="No space left"):
        ImageVariants(tmp_path).make(variants, JPEG)
    assert [path.name for path in tmp_path.iterdir()] == [f".{variants.digest}.lock"]


def page(variants: dict, body: str = '![A wide view](a.jpg "The caption")\n') -> tuple:
    rendered = rendered_markdown(body, {"a.jpg": FileData(len(JPEG), JPEG)}, variants)
    return BeautifulSoup(rendered.html, "html.parser"), rendered.problems


def test_the_page_offers_webp_then_the_own_format_in_a_picture_inside_the_figure(tmp_path):
    variants = ImageVariants(tmp_path).prepare({"a.jpg": FileData(len(JPEG), JPEG)})
    html, problems = page(variants)
    picture = html.select_one("figure > picture")
    source, image = picture.select_one("source"), picture.select_one("img")
    assert source.attrs == {
        "type": "image/webp",
        "srcset": variants["a.jpg"].srcset("webp"),
        "sizes": SIZES,
    }
    assert image["srcset"] == variants["a.jpg"].srcset("jpg", "a.jpg")
    assert image["srcset"].endswith("a.jpg 2000w") and image["sizes"] == SIZES
    assert (image["src"], image["alt"], image["width"], image["height"]) == (
        "a.jpg",
        "A wide view",
        "2000",
        "1000",
    )
    assert image["decoding"] == "async" and "loading" not in image.attrs
    assert html.select_one("figure > figcaption").get_text() == "The caption"
    assert problems == ()


def test_variants_that_could_not_be_made_leave_the_plain_img_and_a_problem():
    html, problems = page({"a.jpg": "OSError: No space left on device"}, "Text ![A view](a.jpg)\n")
    assert html.select_one("picture") is None
    assert html.select_one("img").attrs == {
        "alt": "A view",
        "src": "a.jpg",
        "width": "2000",
        "height": "1000",
        "decoding": "async",
    }
    assert problems == (
        "image a.jpg: its smaller variants could not be made (OSError: No space left on device)",
    )


def test_preparing_names_what_failed_and_leaves_bad_images_to_the_render(tmp_path):
    unwritable = tmp_path / "gone"  # a folder swept away under the running site
    files = {
        "a.jpg": FileData(len(JPEG), JPEG),
        "bad.png": FileData(4, b"\x89PNG"),
        "small.png": FileData(9, image_bytes(10, 10)),
    }
    prepared = ImageVariants(unwritable).prepare(files)
    assert list(prepared) == ["a.jpg"]
    assert prepared["a.jpg"].startswith("FileNotFoundError")
    assert ImageVariants(None).prepare(files) == {}


def test_decoding_a_bomb_for_variants_is_refused(tmp_path, monkeypatch):
    variants = plan("a.jpg", JPEG)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ImageFault, match="decompression bomb"):
        ImageVariants(tmp_path).make(variants, JPEG)
    assert not [path for path in tmp_path.iterdir() if not path.name.endswith(".lock")]


def test_a_turned_photo_is_measured_and_resized_as_it_is_shown(tmp_path):
    data = turned_photo(2000, 1000)
    variants = plan("a.jpg", data)
    assert (variants.width, variants.height) == (1000, 2000)
    store = ImageVariants(tmp_path)
    store.make(variants, data)
    with Image.open(store.path(variants, 640, "jpg")) as made:
        assert made.size == (640, 1280)
        assert "exif" not in made.info or made.getexif().get(0x0112) in (None, 1)
        top, bottom = made.getpixel((320, 100)), made.getpixel((320, 1180))
    assert top[0] > 200 and bottom[0] < 60, (top, bottom)  # orange above, teal below


def test_an_animation_whose_later_frames_are_broken_is_a_fault_not_a_crash():
    with pytest.raises(ImageFault, match="a corrupt image"):
        plan("a.gif", broken_animation())


def test_images_past_the_resizing_limit_get_no_variants_and_a_warning(monkeypatch):
    monkeypatch.setattr(image_variants, "MAX_RESIZED_PIXELS", 1_000_000)
    monkeypatch.setattr("publishing.images.MAX_RESIZED_PIXELS", 1_000_000)
    assert plan("a.jpg", JPEG) is None  # 2000 by 1000
    rendered = rendered_markdown("![Wide](a.jpg)\n", {"a.jpg": FileData(len(JPEG), JPEG)})
    assert rendered.warnings == (
        "image a.jpg: 2000 by 1000 pixels, more than the 1 million smaller copies are made "
        "from; every screen downloads it whole: resize it",
    )


def test_a_large_jpeg_is_decoded_at_the_smallest_scale_that_holds_the_widest_variant(tmp_path):
    photo = image_bytes(4032, 3024, "JPEG")  # a phone's 12 megapixels
    variants = plan("a.jpg", photo)
    with opened(photo) as image:
        image_variants._draft(image, variants, 1920)
        image.load()
        assert image.size == (2016, 1512)  # a quarter of the pixels, still wider than 1920
    store = ImageVariants(tmp_path)
    store.make(variants, photo)
    for width, extension in variants.files():
        with Image.open(store.path(variants, width, extension)) as made:
            assert made.size == (width, round(3024 * width / 4032))


def test_a_turned_jpeg_is_never_decoded_smaller_than_its_widest_variant_needs():
    photo = turned_photo(4032, 3024)  # shown 3024 wide and 4032 high
    variants = plan("a.jpg", photo)
    with opened(photo) as image:
        image_variants._draft(image, variants, 1920)
        image.load()
        assert image.size == (4032, 3024)  # half would be 1512 high, under the 1920 needed


def test_without_a_folder_no_variant_is_ready(tmp_path):
    variants = plan("a.jpg", JPEG)
    assert ImageVariants(None).ready(variants) is False  # pages then offer the original
    store = ImageVariants(tmp_path)
    assert store.ready(variants) is False
    store.make(variants, JPEG)
    assert store.ready(variants) is True
