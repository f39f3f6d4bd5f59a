#!/usr/bin/env python3
"""Cut a font to the character ranges the page needs (cmake/assemble_site.cmake runs this).

    subset_font.py SOURCE.ttf OUTPUT.ttf --unicodes U+3000-30FF,U+4E00-9FFF [--rename "Family Name"]

No hinting, no OpenType layout features (ImGui draws glyph by glyph). --rename gives the cut font
a name of its own in every name record that carried the source's names: a font under the SIL Open
Font License with Reserved Font Names (Nanum) may not keep them once modified (OFL 1.1, §3).
"""
import argparse
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

# name IDs that hold the font's name: family, unique ID, full name, PostScript name, typographic
# family, WWS family, and the compatible full name on the Mac.
NAME_IDS = {1: "{family}", 3: "{family} (subset by spexlens)", 4: "{family}", 6: "{postscript}",
            16: "{family}", 18: "{family}", 21: "{family}"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("output")
    parser.add_argument("--unicodes", required=True, help="comma-separated U+XXXX or U+XXXX-YYYY ranges")
    parser.add_argument("--rename", help="family name of the cut font")
    args = parser.parse_args()

    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.notdef_outline = True
    font = TTFont(args.source, lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(args.unicodes))
    subsetter.subset(font)
    if args.rename:
        family = args.rename
        postscript = "".join(ch for ch in family if ch.isalnum())
        table = font["name"]
        table.names = [r for r in table.names if r.nameID not in NAME_IDS and r.nameID not in (17,)]
        for name_id, template in NAME_IDS.items():
            table.setName(template.format(family=family, postscript=postscript), name_id, 3, 1, 0x409)
        table.setName("Regular", 2, 3, 1, 0x409)
    font.save(args.output)
    covered = len(font.getBestCmap())
    if covered == 0:
        sys.exit(f"subset_font: {args.source} has no glyph in {args.unicodes}")
    print(f"subset_font: {args.output}: {covered} characters")


if __name__ == "__main__":
    main()
