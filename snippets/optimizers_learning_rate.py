"""Train one small linear regression with four learning rates and print the losses.

Each step is one full-batch gradient step with plain SGD, so the only thing that
differs between the runs is the learning rate.
"""

import torch
from torch import nn, optim

LEARNING_RATES = [0.001, 0.1, 0.9, 3.0]
STEPS = 60
PRINT_EVERY = 5


def make_data():
    torch.manual_seed(0)
    x = torch.randn(64, 2)
    y = x @ torch.tensor([[2.0], [-3.0]]) + 1.0 + 0.1 * torch.randn(64, 1)
    return x, y


def train(lr, x, y):
    """Return the loss before each step, and one more after the last step."""
    torch.manual_seed(1)  # the same starting weights for every learning rate
    model = nn.Linear(2, 1)
    optimizer = optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    losses.append(nn.functional.mse_loss(model(x), y).item())
    return losses


def largest_stable_lr(x):
    """2 / (largest curvature): above this, plain gradient descent on this loss diverges."""
    features = torch.cat([x, torch.ones(len(x), 1)], dim=1)  # the bias is a weight on 1
    hessian = 2 / len(x) * features.T @ features
    return 2 / torch.linalg.eigvalsh(hessian).max().item()


def main():
    x, y = make_data()
    runs = {lr: train(lr, x, y) for lr in LEARNING_RATES}
    print("step " + "".join(f"{'lr=' + str(lr):>12}" for lr in LEARNING_RATES))
    for step in range(0, STEPS + 1, PRINT_EVERY):
        print(f"{step:4} " + "".join(f"{runs[lr][step]:12.4g}" for lr in LEARNING_RATES))
    print(f"largest stable lr for this problem: {largest_stable_lr(x):.3f}")


if __name__ == "__main__":
    main()
