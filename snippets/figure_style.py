"""The figure style of this guide: one colour per thing on every page.

Each colour reads on a white and on a dark background (contrast 4:1 on both).
"""

import matplotlib.pyplot as plt

BLUE, ORANGE, GREEN, PURPLE = "#2b7cee", "#ca602b", "#0c9239", "#ae50f1"
PINK, TEAL, OLIVE = "#d742a5", "#0b8e8e", "#937e15"
COLORS = {
    "MSELoss": BLUE, "L1Loss": ORANGE, "HuberLoss": GREEN, "SmoothL1Loss": PURPLE,
    "SGD": BLUE, "momentum": ORANGE, "Nesterov": GREEN, "Adam": PURPLE, "AdamW": PINK,
    "too small": OLIVE, "good": TEAL, "too large": PINK,
    "StepLR": BLUE, "CosineAnnealingLR": ORANGE, "warm-up + cosine": GREEN, "OneCycleLR": PURPLE,
    "train": BLUE, "validation": ORANGE,
    "healthy": TEAL, "softmax before the loss": ORANGE, "optimizer of another model": PURPLE,
    "plain": BLUE, "label_smoothing": ORANGE, "pos_weight": ORANGE, "clipped": ORANGE,
}  # fmt: skip

plt.rcParams.update({
    "figure.figsize": (5, 3.2),
    "figure.constrained_layout.use": True,
    "font.size": 13,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
})  # fmt: skip
