"""Pictures of a WordPress export: found in the uploads copy, named safely, never from outside it."""

from __future__ import annotations

from pathlib import Path

from fitfocus.importers.wordpress_media import Uploads


def test_a_size_variant_is_its_original_and_names_are_made_safe(tmp_path: Path) -> None:
    (tmp_path / "2021" / "02").mkdir(parents=True)
    (tmp_path / "2021" / "02" / "Hip Thrust.jpg").write_bytes(b"original")
    (tmp_path / "2021" / "02" / "band-150x150.png").write_bytes(b"only the variant")
    uploads = Uploads(tmp_path)
    assert uploads.picture("https://old.example/wp-content/uploads/2021/02/Hip%20Thrust-300x200.jpg") == \
        "media/2021/02/Hip-Thrust.jpg"
    assert uploads.picture("https://old.example/wp-content/uploads/2021/02/band-150x150.png") == \
        "media/2021/02/band-150x150.png"
    assert uploads.copies == {"media/2021/02/Hip-Thrust.jpg": tmp_path / "2021" / "02" / "Hip Thrust.jpg",
                              "media/2021/02/band-150x150.png": tmp_path / "2021" / "02" / "band-150x150.png"}


def test_pictures_not_in_the_uploads_stay_on_the_web_or_are_dropped(tmp_path: Path) -> None:
    uploads = Uploads(tmp_path)
    assert uploads.picture("https://old.example/wp-content/uploads/2021/02/gone.jpg") == \
        "https://old.example/wp-content/uploads/2021/02/gone.jpg"
    assert uploads.picture("file:///etc/passwd") is None
    assert uploads.picture("/wp-content/uploads/%2e%2e/%2e%2e/etc/passwd") is None
    assert uploads.copies == {}
