"""The picture step (fitfocus/build/images.py) on pictures generated here: variant widths, EXIF
orientation, metadata stripped, formats, the cache, and unreadable files as located problems."""

from __future__ import annotations

import io
import os
import uuid
from pathlib import Path

from PIL import Image, PngImagePlugin

from conftest import file_system

from fitfocus.build import images
from fitfocus.build.images import Pictures, make_pictures
from fitfocus.build.spread import is_spread
from fitfocus.content.model import Body, Content, Image as Placed, Location, Post
from fitfocus.problems import Problem

WIDTHS = (480, 960, 1440)


def _make(root: Path, content: Content, widths: tuple[int, ...], workers: int = 1) -> tuple[Pictures, dict[str, Path]]:
    """Run the picture step with a cache folder in `root`, keeping what it made: its result and files."""
    made = make_pictures(root, content, widths, root / "cache", root / f"scratch-{uuid.uuid4().hex}", workers)
    return made, (made.keep() if not made.problems else {})


def _content(*names: str, posts: tuple[Post, ...] = ()) -> Content:
    return Content(exercises=(), posts=posts, pages=(), media=frozenset(f"media/{name}" for name in names))


def _save(root: Path, name: str, image: Image.Image, **options: object) -> Path:
    path = root / "content" / "media" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **options)
    return path


def _camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x0110] = "Model 7"  # Model
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS
    return exif


def _sizes(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def test_widths_are_never_wider_than_the_source(tmp_path: Path) -> None:
    _save(tmp_path, "small.jpg", Image.new("RGB", (700, 350), (90, 120, 200)), format="JPEG")
    made, files = _make(tmp_path, _content("small.jpg"), WIDTHS)
    picture = made.pictures["media/small.jpg"]
    assert (picture.width, picture.height, picture.widths) == (700, 350, (480, 700))
    assert sorted(files) == ["media/small.480w.jpg", "media/small.480w.webp", "media/small.700w.jpg",
                                  "media/small.700w.webp", "media/small.jpg"]
    assert _sizes(files["media/small.480w.webp"]) == (480, 240)
    assert _sizes(files["media/small.700w.jpg"]) == (700, 350)


def test_each_variant_is_encoded_once_and_each_width_resized_once(tmp_path: Path, monkeypatch) -> None:
    saved: list[str] = []
    resized: list[tuple[int, int]] = []
    real_save, real_resize = images._save, Image.Image.resize
    monkeypatch.setattr(images, "_save", lambda image, path, extension: (saved.append(path.name),
                                                                        real_save(image, path, extension)))
    monkeypatch.setattr(Image.Image, "resize", lambda self, size, *args, **kwargs: (
        resized.append(size), real_resize(self, size, *args, **kwargs))[1])
    _save(tmp_path, "small.jpg", Image.new("RGB", (700, 350), (90, 120, 200)), format="JPEG")
    _save(tmp_path, "wide.png", Image.new("RGB", (2000, 1000), (10, 200, 30)), format="PNG")
    made, files = _make(tmp_path, _content("small.jpg", "wide.png"), WIDTHS)  # in this process: workers=1
    # The small picture's full size is its 700 px JPEG: one file under two names, saved once.
    assert sorted(saved) == sorted(["480.webp", "480.jpg", "700.webp", "700.jpg",
                                    "480.webp", "480.png", "960.webp", "960.png", "1440.webp", "1440.png", "full.png"])
    assert sorted(resized) == [(480, 240), (480, 240), (960, 480), (1440, 720)]
    assert files["media/small.jpg"].read_bytes() == files["media/small.700w.jpg"].read_bytes()
    assert files["media/small.jpg"].stat().st_ino == files["media/small.700w.jpg"].stat().st_ino
    assert _sizes(files["media/wide.png"]) == (2000, 1000)


def test_a_picture_wider_than_every_width_gets_exactly_the_widths(tmp_path: Path) -> None:
    _save(tmp_path, "wide.png", Image.new("RGB", (2000, 1000), (10, 200, 30)), format="PNG")
    made, files = _make(tmp_path, _content("wide.png"), WIDTHS)
    assert made.pictures["media/wide.png"].widths == WIDTHS
    assert made.pictures["media/wide.png"].formats == ("webp", "png")
    with Image.open(files["media/wide.1440w.png"]) as image:
        assert (image.format, image.size) == ("PNG", (1440, 720))
    with Image.open(files["media/wide.960w.webp"]) as image:
        assert (image.format, image.size) == ("WEBP", (960, 480))


def test_a_webp_source_is_published_in_webp_only(tmp_path: Path) -> None:
    _save(tmp_path, "move.webp", Image.new("RGB", (600, 400), (1, 2, 3)), format="WEBP")
    made, files = _make(tmp_path, _content("move.webp"), WIDTHS)
    assert sorted(files) == ["media/move.480w.webp", "media/move.600w.webp", "media/move.webp"]


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    # Stored landscape, 800 x 600, with "rotate 90° clockwise to view": a portrait photo.
    stored = Image.new("RGB", (800, 600), (255, 255, 255))
    stored.paste((255, 0, 0), (0, 0, 100, 100))  # the top left corner as stored
    _save(tmp_path, "portrait.jpg", stored, format="JPEG", exif=_camera_exif(orientation=6))
    made, files = _make(tmp_path, _content("portrait.jpg"), WIDTHS)
    picture = made.pictures["media/portrait.jpg"]
    assert (picture.width, picture.height) == (600, 800)
    for name in files:
        with Image.open(files[name]) as image:
            assert image.height > image.width, name
            assert image.getexif().get(0x0112) is None, name
    with Image.open(files["media/portrait.jpg"]) as image:
        red, green, _ = image.convert("RGB").getpixel((image.width - 20, 20))  # now the top right corner
        assert red > 200 and green < 60


def test_no_camera_gps_or_profile_data_in_any_output(tmp_path: Path) -> None:
    photo = Image.new("RGB", (1000, 700), (30, 60, 90))
    icc = b"\x00" * 128  # an embedded colour profile's bytes as Pillow keeps them
    _save(tmp_path, "photo.jpg", photo, format="JPEG", exif=_camera_exif(), icc_profile=icc,
          comment=b"shot at home")
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "my street address")
    text.add_text("XML:com.adobe.xmp", "<x:xmpmeta>GPS</x:xmpmeta>")
    _save(tmp_path, "drawing.png", Image.new("RGBA", (900, 600), (0, 0, 0, 0)), format="PNG", pnginfo=text,
          exif=_camera_exif())
    made, files = _make(tmp_path, _content("photo.jpg", "drawing.png"), WIDTHS)
    assert len(files) == (3 * 2 + 1) + (2 * 2 + 1)  # widths × formats, and the full size, of each
    for name, path in files.items():
        with Image.open(path) as image:
            assert dict(image.getexif()) == {}, name
            assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "Comment", "comment"} & image.info.keys(), name
        data = path.read_bytes()
        assert b"Camera Maker" not in data and b"my street address" not in data and b"shot at home" not in data, name


def test_a_second_build_encodes_nothing_and_a_changed_picture_only_itself(tmp_path: Path) -> None:
    for index in range(3):
        _save(tmp_path, f"p{index}.jpg", Image.new("RGB", (640, 480), (index * 40, 0, 0)), format="JPEG")
    content = _content("p0.jpg", "p1.jpg", "p2.jpg")
    first, first_files = _make(tmp_path, content, WIDTHS, workers=2)
    second, second_files = _make(tmp_path, content, WIDTHS, workers=2)
    assert (first.encoded, second.encoded) == (3, 0)
    assert second_files == first_files and second.pictures == first.pictures
    changed = _save(tmp_path, "p1.jpg", Image.new("RGB", (500, 480), (0, 0, 250)), format="JPEG")
    os.utime(changed, ns=(1, 1))  # a new time, whatever the clock's resolution
    third, third_files = _make(tmp_path, content, WIDTHS, workers=2)
    assert third.encoded == 1
    assert third.pictures["media/p1.jpg"].widths == (480, 500)
    assert third_files["media/p0.480w.jpg"] == first_files["media/p0.480w.jpg"]


def test_the_scratch_folder_is_made_only_when_a_picture_is_encoded(tmp_path: Path) -> None:
    _save(tmp_path, "p0.jpg", Image.new("RGB", (640, 480), (90, 0, 0)), format="JPEG")
    (tmp_path / "content/media/dot.svg").write_text('<svg width="4" height="4"></svg>', encoding="utf-8")
    svg_only = make_pictures(tmp_path, _content("dot.svg"), WIDTHS, tmp_path / "cache", tmp_path / "scratch-0")
    assert svg_only.pictures["media/dot.svg"].width == 4 and not (tmp_path / "scratch-0").exists()
    first = make_pictures(tmp_path, _content("p0.jpg"), WIDTHS, tmp_path / "cache", tmp_path / "scratch-1")
    assert first.encoded == 1 and (tmp_path / "scratch-1").is_dir()
    assert (tmp_path / "scratch-1").stat().st_mode & 0o077 == 0  # the build's own
    if file_system(tmp_path) in ("ext2", "ext3", "ext4"):
        assert is_spread(tmp_path / "scratch-1") is True  # a folder for each picture: spread
    first.keep()
    second = make_pictures(tmp_path, _content("p0.jpg"), WIDTHS, tmp_path / "cache", tmp_path / "scratch-2")
    assert second.encoded == 0 and not (tmp_path / "scratch-2").exists()


def test_other_widths_in_the_settings_encode_again(tmp_path: Path) -> None:
    _save(tmp_path, "p.jpg", Image.new("RGB", (640, 480)), format="JPEG")
    _make(tmp_path, _content("p.jpg"), WIDTHS)
    again, _ = _make(tmp_path, _content("p.jpg"), (320,))
    assert (again.encoded, again.pictures["media/p.jpg"].widths) == (1, (320,))


def test_another_encoding_encodes_again(tmp_path: Path, monkeypatch) -> None:
    _save(tmp_path, "p.jpg", Image.new("RGB", (640, 480), (90, 140, 30)), format="JPEG")
    first, first_files = _make(tmp_path, _content("p.jpg"), WIDTHS)
    webp = first_files["media/p.480w.webp"].read_bytes()
    monkeypatch.setitem(images._SAVE, "webp", {**images._SAVE["webp"], "method": 6})
    again, again_files = _make(tmp_path, _content("p.jpg"), WIDTHS)
    assert (first.encoded, again.encoded) == (1, 1)  # the variants kept in the cache are not the ones now made
    assert again_files["media/p.480w.webp"] != first_files["media/p.480w.webp"]
    assert webp == first_files["media/p.480w.webp"].read_bytes()  # the first ones are left as they were


def test_variants_no_picture_uses_are_removed_once_they_are_old(tmp_path: Path, monkeypatch) -> None:
    for name in ("kept.jpg", "replaced.jpg"):
        _save(tmp_path, name, Image.new("RGB", (640, 480), (len(name) * 20, 90, 30)), format="JPEG")
    content = _content("kept.jpg", "replaced.jpg")
    _, first = _make(tmp_path, content, WIDTHS)
    folder = lambda files, name: files[f"media/{name}"].parent  # noqa: E731 (the variants' folder)
    old_kept, old_replaced = folder(first, "kept.jpg"), folder(first, "replaced.jpg")
    hours_ago = images.time.time() - 2 * images.PRUNE_AGE
    for variants in (old_kept, old_replaced):
        os.utime(variants, (hours_ago, hours_ago))
    replaced = _save(tmp_path, "replaced.jpg", Image.new("RGB", (600, 400), (0, 0, 250)), format="JPEG")
    os.utime(replaced, ns=(1, 1))
    _, second = _make(tmp_path, content, WIDTHS)
    assert folder(second, "kept.jpg") == old_kept and old_kept.is_dir()  # old, but used: kept
    assert not old_replaced.exists()  # no picture uses it any more
    new_replaced = folder(second, "replaced.jpg")
    monkeypatch.setitem(images._SAVE, "webp", {**images._SAVE["webp"], "method": 6})
    _, third = _make(tmp_path, content, WIDTHS)
    assert new_replaced.is_dir()  # unused now, but made within the hour: a build beside this one may use it
    assert not old_kept.exists()  # unused now, and old
    assert sorted(path.name for path in (tmp_path / "cache").iterdir() if path.is_dir()) == sorted(
        [new_replaced.name, folder(third, "kept.jpg").name, folder(third, "replaced.jpg").name])


def test_a_corrupt_picture_is_a_problem_at_the_line_that_names_it(tmp_path: Path) -> None:
    path = tmp_path / "content" / "media" / "cover.jpg"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a picture")
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200)).save(buffer, "JPEG")
    (path.parent / "cut.jpg").write_bytes(buffer.getvalue()[:400])
    at = Location("content/posts/2026-01-05-legs.md", 4, 8, "image: media/cover.jpg")
    post = Post("legs", None, "Legs", None, None, (), False, False, None,  # type: ignore[arg-type]
                Body("", 6, (), (), ()), at, Placed("media/cover.jpg", "A rack", at))
    made, files = _make(tmp_path, _content("cover.jpg", "cut.jpg", posts=(post,)), WIDTHS)
    hint = "open the file in an image editor and save it again as JPEG, PNG or WebP"
    assert list(made.problems) == [
        Problem("content/posts/2026-01-05-legs.md", 4, 8,
                "picture `media/cover.jpg` cannot be read: it is not a JPEG, PNG or WebP file",
                hint, "image: media/cover.jpg"),
        Problem("content/media/cut.jpg", 1, 1, "picture `media/cut.jpg` is corrupt or cut short", hint),
    ]
    assert "media/cover.jpg" not in files and "media/cut.jpg" not in made.pictures


def test_an_svg_keeps_the_size_it_states(tmp_path: Path) -> None:
    media = tmp_path / "content" / "media"
    media.mkdir(parents=True)
    (media / "sized.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180px"></svg>')
    (media / "free.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"></svg>')
    made, files = _make(tmp_path, _content("sized.svg", "free.svg"), WIDTHS)
    assert (made.pictures["media/sized.svg"].width, made.pictures["media/sized.svg"].height) == (320, 180)
    assert made.pictures["media/free.svg"].width is None
    assert files == {} and made.encoded == 0
