"""`import free-exercise-db`: every field and value mapped, nothing a person wrote touched, a second
run changes nothing, bad input a located error with nothing written. The fixture is our own
small file in the data set's format (tests/importers/fixtures/free-exercise-db/)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import REPO, run_cli, run_engine
from test_golden import read_tree

FIXTURE = REPO / "tests" / "importers" / "fixtures" / "free-exercise-db"


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A copy of the fixture with a picture for each image the records name."""
    target = tmp_path / "free-exercise-db"
    shutil.copytree(FIXTURE, target)
    for number in range(2):
        picture = target / "exercises" / "Barbell_Floor_Press" / f"{number}.jpg"
        picture.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (60 + number, 40), (number * 90, 80, 160)).save(picture, "JPEG")
    crunch = target / "exercises" / "3_4_Crunch_Hold" / "0.jpg"
    crunch.parent.mkdir(parents=True)
    Image.new("RGB", (50, 40), (200, 80, 60)).save(crunch, "JPEG")
    return target


def front_matter(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n")[1]


def test_every_field_is_mapped_onto_the_vocabularies(small_site: Path, dataset: Path) -> None:
    run = run_engine(small_site, "import", "free-exercise-db", str(dataset))
    assert run.code == 0, run.err
    text = (small_site / "exercises/barbell-floor-press.md").read_text(encoding="utf-8")
    text = re.sub(r"checksum: [0-9a-f]{64}", "checksum: …", text)
    assert text == (
        '---\nname: "Barbell Floor Press"\nlevel: intermediate\ncategory: powerlifting\nmuscles: [chest]\n'
        "secondary_muscles: [triceps, shoulders]\nequipment: [barbell]\n"
        'source: {dataset: free-exercise-db, id: "Barbell_Floor_Press", checksum: …}\n---\n'
        "1. Lie on the floor under a loaded bar with your knees bent.\n"
        "2. Lower the bar until your upper arms touch the floor. Press it back up over your chest.\n")
    mapped = {path.stem: front_matter(path) for path in (small_site / "exercises").glob("*.md")}
    expected = {  # slug: lines its front matter must hold
        "3-4-crunch-hold": ['name: "3/4 Crunch Hold (Coach\'s Version)"', "level: beginner", "muscles: [core]",
                            "equipment: []", "category: strength"],
        "standing-calf-stretch-wall": ["category: stretching", "equipment: []", "muscles: [calves]"],
        "ez-bar-power-clean": ["level: advanced", "equipment: [ez-bar]", "category: olympic-weightlifting",
                               "secondary_muscles: [quadriceps, glutes, traps, lower-back, forearms]"],
        "kettlebell-farmer-walk": ["equipment: [kettlebell]", "category: strongman",
                                   "secondary_muscles: [traps, middle-back]"],
        "band-lateral-walk": ["equipment: [resistance-band]", "muscles: [abductors]"],
        "medicine-ball-slam": ["equipment: [medicine-ball]", "category: plyometrics", "muscles: [lats]",
                               "secondary_muscles: [core, shoulders]"],
        "stability-ball-hamstring-curl": ["equipment: [stability-ball]", "muscles: [hamstrings]"],
        "foam-roller-adductor-release": ["equipment: [foam-roller]", "muscles: [adductors]"],
        "cable-face-pull": ["equipment: [cable]", "secondary_muscles: [traps, biceps]"],
        "machine-neck-flexion": ["equipment: [machine]", "muscles: [neck]"],
        "sled-push-sprint": ["equipment: [other]", "category: cardio", "muscles: [quadriceps]"],
        "dumbbell-skull-crusher": ["equipment: [dumbbell]", "muscles: [triceps]"],
        "biceps-chin-up": ["muscles: [biceps, lats]", "secondary_muscles: [forearms, middle-back]"],
    }
    for slug, lines in expected.items():
        for line in lines:
            assert line in mapped[slug].splitlines(), (slug, line)
    assert "mystery-abs-move" not in mapped and "squat-again" not in mapped
    assert (small_site / "exercises/kettlebell-farmer-walk.md").read_text().endswith("---\n")  # no instructions
    check = run_engine(small_site, "check")
    assert check.code == 0, check.err  # what the importer writes is valid input


def test_unmappable_and_clashing_records_are_reported_at_their_line_and_skipped(small_site: Path,
                                                                               dataset: Path) -> None:
    run = run_engine(small_site, "import", "free-exercise-db", str(dataset))
    source = dataset / "dist" / "exercises.json"
    lines = source.read_text().splitlines()
    mystery = next(n for n, line in enumerate(lines, 1) if '"Mystery_Abs_Move"' in line)
    squat = next(n for n, line in enumerate(lines, 1) if '"Squat_Again"' in line)
    err = run.err.splitlines()
    assert (f'{source}:{mystery}:11: warning: skipped record 14: `Mystery_Abs_Move`: cannot map primaryMuscles '
            '"abs" onto the site\'s vocabulary') in err
    assert (f"{source}:{squat}:11: warning: skipped `Squat_Again`: its slug or name `Squat` is taken by "
            "exercises/squat.md") in err
    assert f"{source}:" in run.err and "`Kettlebell_Farmer_Walk` has no instructions" in run.err
    assert f"    {mystery} | {lines[mystery - 1]}" in err  # the record's line is quoted, as in a build
    assert run.err.endswith("\n3 warnings.\n")
    assert run.out == ("imported 14 new exercises, 0 updated, 0 unchanged, 0 left as a person wrote them, "
                       "2 records skipped, 0 pictures copied\n")


def test_a_second_import_changes_nothing(small_site: Path, dataset: Path) -> None:
    assert run_engine(small_site, "import", "free-exercise-db", str(dataset)).code == 0
    files = {path: path.stat().st_mtime_ns for path in (small_site / "exercises").glob("*.md")}
    again = run_engine(small_site, "import", "free-exercise-db", str(dataset))
    assert again.code == 0
    assert "0 new exercises, 0 updated, 14 unchanged" in again.out
    assert {path: path.stat().st_mtime_ns for path in (small_site / "exercises").glob("*.md")} == files


def test_a_hand_edited_file_survives_a_re_import_and_is_reported(small_site: Path, dataset: Path) -> None:
    assert run_engine(small_site, "import", "free-exercise-db", str(dataset)).code == 0
    edited = small_site / "exercises/cable-face-pull.md"
    edited.write_text(edited.read_text().replace("elbows high.", "elbows high and squeeze."))
    before = edited.read_text()
    source = dataset / "dist/exercises.json"  # the data set changes too: its update reaches the untouched file
    source.write_text(source.read_text().replace("press them back up.", "press them back up slowly."))
    run = run_engine(small_site, "import", "free-exercise-db", str(dataset))
    assert edited.read_text() == before
    assert "exercises/cable-face-pull.md:1:1: warning: left as it is: edited since it was imported" in run.err
    assert "slowly." in (small_site / "exercises/dumbbell-skull-crusher.md").read_text()
    assert "1 updated" in run.out and "1 left as a person wrote them" in run.out


def test_a_file_a_person_wrote_is_never_replaced(small_site: Path, dataset: Path) -> None:
    own = small_site / "exercises/machine-neck-flexion.md"
    own.write_text("---\nname: Neck Flexion on the Machine\nmuscles: [neck]\n---\nMy own words.\n")
    run = run_engine(small_site, "import", "free-exercise-db", str(dataset))
    assert own.read_text() == "---\nname: Neck Flexion on the Machine\nmuscles: [neck]\n---\nMy own words.\n"
    assert "skipped `Machine_Neck_Flexion`: its slug or name `Machine Neck Flexion` is taken by " \
           "exercises/machine-neck-flexion.md" in run.err


def test_dry_run_writes_nothing(small_site: Path, dataset: Path) -> None:
    before = read_tree(small_site)
    run = run_engine(small_site, "import", "free-exercise-db", str(dataset), "--images", "--dry-run")
    assert run.code == 0
    assert read_tree(small_site) == before
    assert "would write exercises/barbell-floor-press.md (new)" in run.out.splitlines()
    assert run.out.endswith("would import 14 new exercises, 0 updated, 0 unchanged, 0 left as a person wrote them, "
                            "2 records skipped, 3 pictures copied\n")


def test_only_imports_a_part(small_site: Path, dataset: Path) -> None:
    run = run_engine(small_site, "import", "free-exercise-db", str(dataset), "--only", "muscle=hamstrings",
                     "--only", "level=intermediate")
    assert run.code == 0, run.err
    new = {path.stem for path in (small_site / "exercises").glob("*.md")} - {"plank", "sandbag-squat", "squat"}
    assert new == {"stability-ball-hamstring-curl"}


def test_images_are_copied_credited_and_warned_about(small_site: Path, dataset: Path) -> None:
    run = run_engine(small_site, "import", "free-exercise-db", str(dataset), "--images")
    assert run.code == 0, run.err
    media = small_site / "content/media/free-exercise-db"
    assert sorted(path.name for path in media.iterdir()) == [
        "3-4-crunch-hold-0.jpg", "barbell-floor-press-0.jpg", "barbell-floor-press-1.jpg"]
    matter = front_matter(small_site / "exercises/barbell-floor-press.md")
    credit = ('    credit: {author: "free-exercise-db contributors", license: "not stated by the dataset", '
              'source: "https://github.com/yuhonas/free-exercise-db"}\n')
    assert ("images:\n"
            "  - src: media/free-exercise-db/barbell-floor-press-0.jpg\n"
            '    alt: "Barbell Floor Press, the starting position"\n' + credit +
            "  - src: media/free-exercise-db/barbell-floor-press-1.jpg\n"
            '    alt: "Barbell Floor Press, the end position"\n' + credit) in matter
    assert "does not say under which licence its pictures may be used" in run.err
    assert run_engine(small_site, "check").code == 0


@pytest.mark.parametrize("damage, message", [
    (lambda path: path.write_text('[\n  {"id": "A", "name": "B",\n  "level": }\n]\n'),
     ":3:12: error: malformed JSON: Expecting value"),
    (lambda path: path.write_text('{"id": "A"}\n'), ":1:1: error: expected a list of exercise records"),
    (lambda path: path.unlink(), ":1:1: error: exercises.json not found"),
])
def test_bad_input_is_a_located_error_and_nothing_is_written(small_site: Path, dataset: Path, damage,
                                                            message: str) -> None:
    damage(dataset / "dist/exercises.json")
    before = read_tree(small_site)
    run = run_engine(small_site, "import", "free-exercise-db", str(dataset))
    assert run.code == 1
    assert message in run.err and "Traceback" not in run.err
    assert read_tree(small_site) == before


def test_an_unknown_only_key_is_an_error(small_site: Path, dataset: Path) -> None:
    run = run_engine(small_site, "import", "free-exercise-db", str(dataset), "--only", "colour=red")
    assert run.code == 1
    assert "--only:1:1: error: `colour=red` is not KEY=VALUE with a known key" in run.err


def test_the_real_command_imports(small_site: Path, dataset: Path) -> None:
    run = run_cli(small_site, "import", "free-exercise-db", str(dataset), "--only", "category=cardio")
    assert run.code == 0, run.err
    assert (small_site / "exercises/sled-push-sprint.md").is_file()
