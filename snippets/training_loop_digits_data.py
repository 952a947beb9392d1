"""The digits data as tensors, split 80/20 with a seeded generator as in the worked example.

Pages that train on the digits embed this file, so every one of them uses the same split.
"""

import torch
from sklearn.datasets import load_digits
from torch.utils.data import TensorDataset, random_split

images, labels = load_digits(return_X_y=True)
dataset = TensorDataset(torch.tensor(images, dtype=torch.float32) / 16, torch.tensor(labels))
train_set, val_set = random_split(dataset, [0.8, 0.2], generator=torch.Generator().manual_seed(0))
train_x, train_y = dataset[train_set.indices]
val_x, val_y = dataset[val_set.indices]
print(f"train {tuple(train_x.shape)}, val {tuple(val_x.shape)}")
