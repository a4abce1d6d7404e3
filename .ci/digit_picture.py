"""Write the first MNIST test digit as a PNG the way a user's picture looks (dark ink on white,
eight times larger) and print its label: `.ci/run` asks the installed app to read it back.

Usage: python digit_picture.py MNIST_DIR OUT.png   (run by the installed wheel's interpreter)
"""

import sys

import numpy as np
from PySide6.QtGui import QImage

from engine.mnist.files import load_split

images, labels = load_split(sys.argv[1], "test")
ink = images[0].reshape(28, 28)
pixels = np.ascontiguousarray(np.kron(255 * (1 - ink), np.ones((8, 8))).astype(np.uint8))
side = pixels.shape[0]
if not QImage(pixels.data, side, side, side, QImage.Format.Format_Grayscale8).save(sys.argv[2]):
    sys.exit(f"could not write {sys.argv[2]}")
print(int(labels[0]))
