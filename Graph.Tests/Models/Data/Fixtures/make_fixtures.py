"""Writes the JPEG fixtures that ImageSharp 2.1 cannot encode itself (CMYK, progressive).

Run with Debian's Pillow (apt-get install python3-pil): /usr/bin/python3 make_fixtures.py
Each image is 32×32 with four solid 16×16 quadrants, aligned to JPEG's blocks so colours do not bleed.
"""
from PIL import Image

def quadrants(mode, colors):
    image = Image.new(mode, (32, 32))
    for i, color in enumerate(colors):
        x, y = 16 * (i % 2), 16 * (i // 2)
        image.paste(color, (x, y, x + 16, y + 16))
    return image

# CMYK: cyan, magenta / yellow, black (top-left, top-right / bottom-left, bottom-right).
quadrants("CMYK", [(255, 0, 0, 0), (0, 255, 0, 0), (0, 0, 255, 0), (0, 0, 0, 255)]).save("cmyk.jpg", quality=95)
# Progressive RGB: red, green / blue, white.
quadrants("RGB", [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)]).save(
    "progressive.jpg", quality=95, progressive=True, subsampling=0)

for name in ("cmyk.jpg", "progressive.jpg"):
    image = Image.open(name)
    print(name, image.mode, image.info.get("progressive", 0), [image.convert("RGB").getpixel((x, y)) for y in (8, 24) for x in (8, 24)])
