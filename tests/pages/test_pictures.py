"""Which variants a picture gets and the `<picture>` that offers them (fitfocus/pages/pictures.py)."""

from __future__ import annotations

from fitfocus.content.model import Image, Location, Picture
from fitfocus.pages.pictures import picture_html, variant_formats, variant_name, variant_widths

AT = Location("content/posts/2026-01-05-legs.md", 3, 8)


def test_widths_stop_at_the_source_and_add_it_when_it_is_narrower_than_the_widest() -> None:
    assert variant_widths(2400, (480, 960, 1440)) == (480, 960, 1440)
    assert variant_widths(1440, (480, 960, 1440)) == (480, 960, 1440)
    assert variant_widths(1000, (480, 960, 1440)) == (480, 960, 1000)
    assert variant_widths(300, (480, 960, 1440)) == (300,)


def test_formats_are_webp_and_the_source_format() -> None:
    assert variant_formats("media/a.JPEG") == ("webp", "jpg")
    assert variant_formats("media/a.png") == ("webp", "png")
    assert variant_formats("media/a.webp") == ("webp",)
    assert variant_name("media/moves/squat.jpg", 480, "webp") == "media/moves/squat.480w.webp"


def test_a_raster_picture_has_sources_width_height_and_lazy_loading() -> None:
    picture = Picture("media/squat.jpg", 1000, 750, (480, 1000), ("webp", "jpg"))
    html = picture_html(Image("media/squat.jpg", "Bottom of a squat", AT), picture, lambda path: "/blog/" + path,
                        sizes="50vw")
    assert html == ('<picture><source type="image/webp" srcset="/blog/media/squat.480w.webp 480w, '
                    '/blog/media/squat.1000w.webp 1000w" sizes="50vw"><img src="/blog/media/squat.1000w.jpg" '
                    'srcset="/blog/media/squat.480w.jpg 480w, /blog/media/squat.1000w.jpg 1000w" sizes="50vw" '
                    'width="1000" height="750" alt="Bottom of a squat" loading="lazy" decoding="async"></picture>')


def test_the_first_cover_loads_eagerly_with_high_priority() -> None:
    picture = Picture("media/c.png", 600, 400, (480, 600), ("webp", "png"))
    html = picture_html(Image("media/c.png", "Cover", AT), picture, lambda path: "/" + path, eager=True, alt="")
    assert 'alt="" loading="eager" fetchpriority="high" decoding="async"' in html
    assert "lazy" not in html


def test_an_svg_is_an_img_with_its_stated_size_or_none() -> None:
    sized = picture_html(Image("media/t.svg", "Tempo", AT), Picture("media/t.svg", 320, 180), lambda p: "/" + p)
    assert sized == '<img src="/media/t.svg" alt="Tempo" width="320" height="180" loading="lazy" decoding="async">'
    free = picture_html(Image("media/t.svg", "Tempo", AT), Picture("media/t.svg", None, None), lambda p: "/" + p)
    assert free == '<img src="/media/t.svg" alt="Tempo" loading="lazy" decoding="async">'
