"""WordPress HTML as Markdown: paragraphs as `wpautop` makes them, shortcodes, links and pictures."""

from __future__ import annotations

from fitfocus.importers.wordpress_html import Attachment, autop, to_markdown, video_link


def web(url: str) -> str | None:
    return url if url.startswith("https://") else None


def test_blank_lines_are_paragraphs_and_single_line_ends_breaks() -> None:
    assert autop("One\ntwo\n\n<h2>Three</h2>\n\nfour") == "<p>One<br>\ntwo</p>\n\n<h2>Three</h2>\n\n<p>four</p>"


def test_preformatted_text_keeps_its_blank_lines() -> None:
    assert autop("<pre>a\n\nb</pre>\n\nc") == "<pre>a\n\nb</pre>\n\n<p>c</p>"


def test_a_caption_attribute_is_the_caption() -> None:
    converted = to_markdown('[caption caption="Hold for ten"]<img src="https://x.example/a.jpg">[/caption]', web, {})
    assert converted.markdown == "![Hold for ten](https://x.example/a.jpg)\n\n*Hold for ten*\n"


def test_bracketed_words_are_not_shortcodes_but_attributes_make_one() -> None:
    converted = to_markdown('He said [sic] twice. [audio mp3="https://x.example/a.mp3"]', web, {})
    assert converted.unknown == ("audio",)
    assert converted.markdown == 'He said [sic] twice. [audio mp3="https://x.example/a.mp3"]\n'


def test_only_video_addresses_become_video_links() -> None:
    assert video_link("https://youtu.be/abc") == "[Watch the video on YouTube](https://youtu.be/abc)"
    assert video_link("https://example.com/clip.webm") == "[Watch the video](https://example.com/clip.webm)"
    assert video_link("https://example.com/page") is None
    assert video_link("javascript:alert(1)//.mp4") is None


def test_a_bare_address_that_is_not_a_video_stays_text() -> None:
    assert to_markdown("See\n\nhttps://example.com/page\n\nthere", web, {}).markdown == \
        "See\n\nhttps://example.com/page\n\nthere\n"


def test_an_embedded_video_frame_becomes_its_link() -> None:
    converted = to_markdown('<iframe src="https://www.youtube.com/embed/xyz" onload="x()"></iframe>', web, {})
    assert converted.markdown == "[Watch the video on YouTube](https://www.youtube.com/embed/xyz)\n"


def test_a_gallery_shows_its_pictures_in_order() -> None:
    attachments = {"2": Attachment("https://x.example/b.jpg", "B"), "1": Attachment("https://x.example/a.jpg", "")}
    converted = to_markdown('[gallery ids="2, 1,7"]', web, attachments)
    assert converted.markdown == "![B](https://x.example/b.jpg)\n\n![a](https://x.example/a.jpg)\n"
    assert converted.missing == ("7",)
    assert converted.undescribed == ("https://x.example/a.jpg",)


def test_links_to_the_old_blog_are_relinked() -> None:
    converted = to_markdown('<a href="https://old.example/2019/01/01/x/">x</a>', web, {},
                            lambda url: "post:x" if "old.example" in url else None)
    assert converted.markdown == "[x](post:x)\n"
