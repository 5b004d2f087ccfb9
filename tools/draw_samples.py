"""Draw the sample blog's pictures: post covers and start/end positions of a few moves.

Simple flat illustrations (a figure made of rounded strokes on a two-tone background), drawn
here so the sample blog owns every picture it shows. Run `python tools/draw_samples.py` from the
project folder; it rewrites the files in content/media/.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw

MEDIA = Path(__file__).resolve().parent.parent / "content" / "media"
SKIN, LINE = (238, 196, 160), (40, 44, 60)

# A pose: joint positions on a 100 x 100 grid, y down. The floor is at y = 90.
STAND = {"head": (50, 14), "neck": (50, 24), "hip": (50, 52), "knee_a": (47, 70), "foot_a": (46, 90),
         "knee_b": (53, 70), "foot_b": (54, 90), "hand_a": (44, 52), "hand_b": (56, 52), "elbow_a": (45, 38),
         "elbow_b": (55, 38)}
SQUAT = {"head": (58, 34), "neck": (55, 43), "hip": (40, 66), "knee_a": (58, 70), "foot_a": (52, 90),
         "knee_b": (60, 71), "foot_b": (55, 90), "hand_a": (78, 50), "hand_b": (80, 52), "elbow_a": (67, 48),
         "elbow_b": (69, 50)}
LUNGE = {"head": (50, 24), "neck": (50, 33), "hip": (50, 60), "knee_a": (66, 70), "foot_a": (67, 90),
         "knee_b": (38, 84), "foot_b": (24, 90), "hand_a": (46, 60), "hand_b": (54, 60), "elbow_a": (46, 47),
         "elbow_b": (54, 47)}
BRIDGE_DOWN = {"head": (14, 84), "neck": (22, 84), "hip": (50, 84), "knee_a": (66, 66), "foot_a": (74, 88),
               "knee_b": (67, 67), "foot_b": (76, 88), "hand_a": (44, 88), "hand_b": (46, 88), "elbow_a": (34, 88),
               "elbow_b": (35, 88)}
BRIDGE_UP = {"head": (14, 84), "neck": (22, 82), "hip": (50, 64), "knee_a": (68, 60), "foot_a": (74, 88),
             "knee_b": (69, 61), "foot_b": (76, 88), "hand_a": (44, 88), "hand_b": (46, 88), "elbow_a": (34, 88),
             "elbow_b": (35, 88)}
PLANK = {"head": (80, 62), "neck": (72, 65), "hip": (44, 72), "knee_a": (30, 77), "foot_a": (14, 84),
         "knee_b": (31, 78), "foot_b": (15, 85), "hand_a": (72, 88), "hand_b": (74, 88), "elbow_a": (70, 88),
         "elbow_b": (72, 88)}
HINGE = {"head": (70, 42), "neck": (63, 44), "hip": (38, 50), "knee_a": (42, 70), "foot_a": (44, 90),
         "knee_b": (44, 70), "foot_b": (47, 90), "hand_a": (58, 72), "hand_b": (60, 72), "elbow_a": (61, 58),
         "elbow_b": (62, 58)}

PALETTES = {
    "dawn": ((255, 214, 170), (246, 140, 112), (74, 92, 140)),
    "lake": ((196, 226, 240), (96, 160, 200), (30, 70, 110)),
    "moss": ((214, 234, 200), (120, 170, 110), (40, 80, 60)),
    "dusk": ((230, 200, 240), (150, 110, 190), (50, 40, 90)),
    "sand": ((250, 236, 200), (222, 178, 110), (110, 80, 50)),
    "slate": ((220, 226, 232), (140, 156, 172), (50, 60, 76)),
}


def background(size: tuple[int, int], palette: tuple[tuple[int, int, int], ...]) -> Image.Image:
    """A vertical gradient sky over rolling hills."""
    width, height = size
    top, bottom, ground = palette
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    for layer, shade in enumerate((0.55, 0.8)):
        colour = tuple(round(c * shade + 255 * (1 - shade) * 0.3) for c in ground)
        base = height * (0.72 + 0.08 * layer)
        points = [(x, base - math.sin(x / width * math.pi * (2 + layer) + layer) * height * 0.06)
                  for x in range(0, width + 20, 20)]
        draw.polygon([(0, height), *points, (width, height)], fill=colour)
    return image


def figure(image: Image.Image, pose: dict[str, tuple[float, float]], box: tuple[int, int, int, int],
           colour: tuple[int, int, int]) -> None:
    """Draw `pose` into `box` (left, top, width, height) with rounded strokes."""
    left, top, width, height = box
    scale = min(width, height) / 100

    def at(name: str) -> tuple[float, float]:
        x, y = pose[name]
        return left + x * scale, top + y * scale

    draw = ImageDraw.Draw(image)
    thick = round(7 * scale)
    limbs = [("neck", "hip"), ("hip", "knee_a"), ("knee_a", "foot_a"), ("hip", "knee_b"), ("knee_b", "foot_b"),
             ("neck", "elbow_a"), ("elbow_a", "hand_a"), ("neck", "elbow_b"), ("elbow_b", "hand_b")]
    for start, end in limbs:
        draw.line([at(start), at(end)], fill=colour, width=thick)
        for point in (at(start), at(end)):
            draw.ellipse([point[0] - thick / 2, point[1] - thick / 2, point[0] + thick / 2, point[1] + thick / 2],
                         fill=colour)
    x, y = at("head")
    radius = 6.5 * scale
    draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=SKIN, outline=colour, width=round(2 * scale))


def cover(name: str, palette: str, poses: list[dict[str, tuple[float, float]]]) -> None:
    """A 2000 x 1250 JPEG cover with a row of figures."""
    image = background((2000, 1250), PALETTES[palette])
    ImageDraw.Draw(image).rectangle([0, 1088, 2000, 1250], fill=PALETTES[palette][0])  # a floor to stand on
    step = 1600 // len(poses)
    for index, pose in enumerate(poses):
        figure(image, pose, (200 + index * step + (step - 820) // 2, 350, 820, 820), LINE)
    image.save(MEDIA / name, "JPEG", quality=78, optimize=True, progressive=True)


def move(name: str, palette: str, pose: dict[str, tuple[float, float]]) -> None:
    """A 1600 x 1200 PNG of one position of a move, on a floor line."""
    image = Image.new("RGB", (1600, 1200), PALETTES[palette][0])
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 1085, 1600, 1200], fill=PALETTES[palette][1])
    figure(image, pose, (200, 0, 1200, 1200), PALETTES[palette][2])
    image.quantize(32).save(MEDIA / name, "PNG", optimize=True)


def main() -> int:
    """Draw every sample picture."""
    MEDIA.mkdir(parents=True, exist_ok=True)
    cover("cover-legs-and-back.jpg", "dawn", [SQUAT, HINGE, BRIDGE_UP])
    cover("cover-post-run.jpg", "lake", [LUNGE, STAND])
    cover("cover-single-leg.jpg", "moss", [LUNGE, HINGE])
    cover("cover-strength-for-runners.jpg", "dusk", [SQUAT, PLANK])
    cover("cover-gym-leg-day.jpg", "sand", [HINGE, SQUAT, STAND])
    for slug, palette, start, end in (("squat", "lake", STAND, SQUAT), ("bodyweight-squat", "moss", STAND, SQUAT),
                                      ("goblet-squat", "sand", STAND, SQUAT), ("lunge", "dusk", STAND, LUNGE),
                                      ("reverse-lunge", "dawn", STAND, LUNGE), ("glute-bridge", "moss", BRIDGE_DOWN, BRIDGE_UP),
                                      ("romanian-deadlift", "slate", STAND, HINGE), ("plank", "lake", PLANK, PLANK)):
        move(f"{slug}-start.png", palette, start)
        if end is not start:
            move(f"{slug}-end.png", palette, end)
    return 0


if __name__ == "__main__":
    sys.exit(main())
