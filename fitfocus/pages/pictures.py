"""Responsive pictures: which variants a raster picture gets, their file names, and the
`<picture>` element that offers them. Pure: the sizes come in as `Picture` records."""

from __future__ import annotations

from posixpath import splitext
from typing import Callable

from markupsafe import Markup, escape

from fitfocus.content.model import Image, Picture

RASTER_SUFFIXES = {".jpg": "jpg", ".jpeg": "jpg", ".png": "png", ".webp": "webp"}
Href = Callable[[str], str]  # a site path to a link (`Urls.href`)
MIME = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}


def is_raster(name: str) -> bool:
    """Whether the media file `name` is a picture published in responsive variants."""
    return splitext(name)[1].lower() in RASTER_SUFFIXES


def variant_widths(source_width: int, widths: tuple[int, ...]) -> tuple[int, ...]:
    """The widths to make of a picture `source_width` wide: the settings' widths it can fill,
    and its own width when it is narrower than the widest (a variant is never upscaled)."""
    chosen = {width for width in widths if width <= source_width}
    if source_width < max(widths):
        chosen.add(source_width)
    return tuple(sorted(chosen))


def variant_formats(name: str) -> tuple[str, ...]:
    """The formats a raster picture is published in: WebP, and its own when that is another."""
    own = RASTER_SUFFIXES[splitext(name)[1].lower()]
    return ("webp",) if own == "webp" else ("webp", own)


def variant_name(name: str, width: int, extension: str) -> str:
    """The site path of one variant: `media/squat.jpg` at 480 in WebP -> `media/squat.480w.webp`."""
    return f"{splitext(name)[0]}.{width}w.{extension}"


def variant_names(picture: Picture) -> list[str]:
    """Every file a raster picture's variants are published as."""
    return [variant_name(picture.name, width, extension)
            for extension in picture.formats for width in picture.widths]


def largest(picture: Picture) -> str:
    """The site path of the widest variant in the picture's own format (for feeds and previews)."""
    return variant_name(picture.name, picture.widths[-1], picture.formats[-1]) if picture.widths else picture.name


def picture_parts(picture: Picture, href: Href, sizes: str) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The attributes of a raster picture's `<source>` elements and of its `<img>` (alt and
    loading aside): a WebP `srcset`, then the source format's, with width and height."""
    def srcset(extension: str) -> str:
        return ", ".join(f"{href(variant_name(picture.name, w, extension))} {w}w" for w in picture.widths)

    sources = [{"type": MIME[extension], "srcset": srcset(extension), "sizes": sizes}
               for extension in picture.formats[:-1]]
    own = picture.formats[-1]
    image = {"src": href(variant_name(picture.name, _fallback_width(picture.widths), own)), "srcset": srcset(own),
             "sizes": sizes, "width": str(picture.width), "height": str(picture.height)}
    return sources, image


def picture_html(image: Image, picture: Picture | None, href: Href, sizes: str = "100vw",
                 eager: bool = False, css_class: str | None = None, alt: str | None = None) -> Markup:
    """The HTML of `image`: a `<picture>` with a WebP and a fallback `srcset` for a raster one,
    an `<img>` otherwise; `width` and `height` whenever they are known, so nothing shifts.
    `alt` replaces the image's alt text (`""` where a name beside the picture says it all)."""
    text = image.alt if alt is None else alt
    loading = ' loading="eager" fetchpriority="high"' if eager else ' loading="lazy"'
    extra = f' class="{escape(css_class)}"' if css_class else ""
    if picture is None or not picture.widths:
        src = image.src if picture is None else href(picture.name)
        size = f' width="{picture.width}" height="{picture.height}"' if picture and picture.width else ""
        return Markup(f'<img src="{escape(src)}" alt="{escape(text)}"{size}{extra}{loading} decoding="async">')
    sources, attributes = picture_parts(picture, href, sizes)
    tags = "".join("<source" + _attributes(source) + ">" for source in sources)
    return Markup(f'<picture>{tags}<img{_attributes(attributes)} alt="{escape(text)}"{extra}{loading} '
                  'decoding="async"></picture>')


def _attributes(values: dict[str, str]) -> str:
    return "".join(f' {name}="{escape(value)}"' for name, value in values.items())


def _fallback_width(widths: tuple[int, ...]) -> int:
    """The variant browsers without `srcset` get: the middle one, sharp enough and not huge."""
    return widths[len(widths) // 2]
