"""Writes the JPEGs of ImageFolderTest's colour tests and the RGB that Pillow gives for each.

Run from this folder with python3 and Pillow (tested with Pillow 12.3, libjpeg-turbo 3.1):
    python3 make_colour_jpegs.py
Each X.jpg gets X.expected.png: Image.open("X.jpg").convert("RGB"), the reference gan4j matches.

  cmyk-adobe.jpg   CMYK as Photoshop writes it: an Adobe APP14 marker (transform 0), inverted values
  ycck-adobe.jpg   the same bytes with the marker's transform set to 2: the decoder reads the planes as YCCK
  cmyk-plain.jpg   the same bytes without the Adobe marker (decoders still read inverted CMYK, as Pillow does)
  rgb-linear-icc.jpg  an RGB JPEG carrying an ICC profile (Java's linear-RGB one, linear-rgb.icc), which Pillow's
                   convert("RGB") does not apply
"""
from PIL import Image

SIDE = 48


def cmyk_pixels():
    data = []
    for y in range(SIDE):
        for x in range(SIDE):
            data.append(((x * 5) % 256, (y * 5) % 256, ((x + y) * 3) % 256, ((x * y) // 8) % 200))
    return data


def save_expected(name):
    Image.open(name + ".jpg").convert("RGB").save(name + ".expected.png")


cmyk = Image.new("CMYK", (SIDE, SIDE))
cmyk.putdata(cmyk_pixels())
cmyk.save("cmyk-adobe.jpg", quality=95)
data = open("cmyk-adobe.jpg", "rb").read()
start = data.index(b"\xff\xee")  # APP14: FF EE, length (2), "Adobe", version (2), flags0 (2), flags1 (2), transform
length = int.from_bytes(data[start + 2:start + 4], "big")
assert data[start + 4:start + 9] == b"Adobe" and data[start + 15] == 0
open("ycck-adobe.jpg", "wb").write(data[:start + 15] + b"\x02" + data[start + 16:])
open("cmyk-plain.jpg", "wb").write(data[:start] + data[start + 2 + length:])

rgb = Image.new("RGB", (SIDE, SIDE))
rgb.putdata([(x * 5, y * 5, (x + y) * 2) for y in range(SIDE) for x in range(SIDE)])
rgb.save("rgb-linear-icc.jpg", quality=95, icc_profile=open("linear-rgb.icc", "rb").read())

for name in ("cmyk-adobe", "ycck-adobe", "cmyk-plain", "rgb-linear-icc"):
    save_expected(name)
    print(name, Image.open(name + ".jpg").info.get("adobe_transform"), Image.open(name + ".jpg").mode)
