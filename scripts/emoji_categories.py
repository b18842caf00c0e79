#!/usr/bin/env python3
r"""Sort the emoji of the npm package emoji-datasource-google into labelled train and test folders.

gan4j classifier train reads an image folder with one subfolder per class. The package's emoji.json gives every
emoji its Unicode category (Smileys & Emotion, People & Body, Animals & Nature, ...), so its 64x64 PNGs can train a
colour reference classifier for runs on the emoji (docs/EVALUATION.md, "A labelled emoji reference"):

    npm pack emoji-datasource-google@16.0.0
    tar -xzf emoji-datasource-google-16.0.0.tgz package/emoji.json package/img/google/64
    python3 scripts/emoji_categories.py package data/emoji64-categories
    ./gan4j classifier train --data data/emoji64-categories/train --test data/emoji64-categories/test \
        --size 64 --epochs 10 --name emoji64-v1 --out classifiers

Every fifth emoji (by the package's sort order) goes to test/, together with all its skin-tone variants, so that
no test image has a near copy among the training images. The 5 images of the category "Component" (skin-tone
swatches and hair parts) are left out: too few for a class. The split depends only on emoji.json, so the same
package version always gives the same folders. Images are copied (about 21 MB); nothing else is written.
"""
import json
import os
import shutil
import sys

SKIPPED = {"Component"}
TEST_EVERY = 5


def slug(category):
    """'Smileys & Emotion' -> 'smileys-emotion': folder names without spaces or shell characters."""
    words = "".join(c.lower() if c.isalnum() else " " for c in category).split()
    return "-".join(words)


def main(argv):
    if len(argv) == 2 and argv[1] in ("-h", "--help"):
        # the commands around the script, with the usage: the one usage line gave neither, and exit 2
        print(__doc__.strip())
        print("\nusage: emoji_categories.py PACKAGE_DIR OUT_DIR")
        return 0
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print("usage: emoji_categories.py PACKAGE_DIR OUT_DIR   (PACKAGE_DIR: the unpacked npm package, with "
              "emoji.json and img/google/64/)", file=sys.stderr)
        return 2
    package, out = argv[1], argv[2]
    index = os.path.join(package, "emoji.json")
    images = os.path.join(package, "img", "google", "64")
    if not os.path.isfile(index):
        print(f"emoji_categories.py: {index} not found: give the folder the npm package unpacks to (package/), "
              "with emoji.json in it", file=sys.stderr)
        return 1
    if not os.path.isdir(images):
        print(f"emoji_categories.py: {images} not found: unpack package/img/google/64 too", file=sys.stderr)
        return 1
    if os.path.exists(out) and not os.path.isdir(out):
        print(f"emoji_categories.py: {out} is a file, not a folder: give another OUT_DIR", file=sys.stderr)
        return 1
    if os.path.exists(out) and os.listdir(out):
        print(f"emoji_categories.py: {out} exists and is not empty: remove it or give another OUT_DIR",
              file=sys.stderr)
        return 1
    try:
        with open(index, encoding="utf-8") as f:
            emoji = json.load(f)
    except (OSError, ValueError) as e:
        print(f"emoji_categories.py: cannot read {index} ({e})", file=sys.stderr)
        return 1
    if not isinstance(emoji, list) or not all(
            isinstance(e, dict) and isinstance(e.get("category"), str) and isinstance(e.get("sort_order"), int)
            and isinstance(e.get("image"), str) for e in emoji):
        print(f"emoji_categories.py: {index} is not emoji-datasource's emoji.json (a list of emoji, each with image, "
              "category and sort_order)", file=sys.stderr)
        return 1
    emoji.sort(key=lambda e: e["sort_order"])
    created = not os.path.exists(out)
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        print(f"emoji_categories.py: cannot create {out} ({e.strerror}): give another OUT_DIR", file=sys.stderr)
        return 1
    try:
        counts, missing = copy_images(emoji, images, out)
    except OSError as e:
        print(f"emoji_categories.py: cannot write into {out} ({e.strerror}: {e.filename}); remove what was copied "
              "there before trying again", file=sys.stderr)
        return 1
    if not counts:
        if created:
            os.rmdir(out)
        print(f"emoji_categories.py: no image of emoji.json found under {images}", file=sys.stderr)
        return 1
    for split in ("train", "test"):
        row = {c: n for (s, c), n in sorted(counts.items()) if s == split}
        print(f"{split}: {sum(row.values())} images, " + ", ".join(f"{c} {n}" for c, n in row.items()))
    if missing:
        print(f"{missing} image{'' if missing == 1 else 's'} named in emoji.json {'was' if missing == 1 else 'were'} "
              f"not in {images} (skipped)")
    return 0


def copy_images(emoji, images, out):
    """Copies each emoji's images into out/<split>/<category>/; returns the counts per (split, category) and the
    number of images emoji.json names that are not under images."""
    counts = {}
    missing = 0
    for position, entry in enumerate(emoji):
        category = entry["category"]
        if category in SKIPPED:
            continue
        split = "test" if position % TEST_EVERY == TEST_EVERY - 1 else "train"
        files = []
        if entry.get("has_img_google"):
            files.append(entry["image"])
        for variant in (entry.get("skin_variations") or {}).values():
            if variant.get("has_img_google"):
                files.append(variant["image"])
        for name in files:
            source = os.path.join(images, name)
            if not os.path.isfile(source):
                missing += 1
                continue
            folder = os.path.join(out, split, slug(category))
            os.makedirs(folder, exist_ok=True)
            shutil.copyfile(source, os.path.join(folder, name))
            counts[(split, slug(category))] = counts.get((split, slug(category)), 0) + 1
    return counts, missing


if __name__ == "__main__":
    sys.exit(main(sys.argv))
