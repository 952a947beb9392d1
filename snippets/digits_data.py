"""The handwritten digits that the training-loop pages share: a dataset and a fixed split.

scikit-learn ships the 1,797 images (8 x 8 pixels, values 0 to 16) and their labels, so
nothing is downloaded. The pixels are scaled to [0, 1] and the labels become class
indices (int64); the same seeded generator gives the same 80/20 split on every run.
"""

import torch
from sklearn.datasets import load_digits
from torch.utils.data import TensorDataset, random_split

images, labels = load_digits(return_X_y=True)
digits = TensorDataset(torch.tensor(images, dtype=torch.float32) / 16, torch.tensor(labels))
train_set, val_set = random_split(digits, [0.8, 0.2], generator=torch.Generator().manual_seed(0))
print(len(digits), len(train_set), len(val_set))
