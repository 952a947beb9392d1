"""A custom loss as an nn.Module: the quantile (pinball) loss, checked and trained.

Under-predicting by one unit costs q, over-predicting costs 1 - q. With q = 0.9, running
short is nine times worse than having too much, and the best prediction is the 90th
percentile of the targets instead of their mean.
"""

import torch
from torch import nn


class QuantileLoss(nn.Module):
    """Pinball loss, with the same call signature and `reduction` as the built-in losses."""

    def __init__(self, q: float = 0.5, reduction: str = "mean") -> None:
        super().__init__()
        if not 0 < q < 1:
            raise ValueError(f"q must be between 0 and 1, got {q}")
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
        self.q = q
        self.reduction = reduction

    def forward(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if prediction.shape != target.shape:  # refuse to broadcast, unlike MSELoss
            raise ValueError(
                f"prediction shape {tuple(prediction.shape)} differs from "
                f"target shape {tuple(target.shape)}"
            )
        error = target - prediction
        loss = torch.maximum(self.q * error, (self.q - 1) * error)
        if self.reduction == "mean":
            return loss.mean()
        if self.reduction == "sum":
            return loss.sum()
        return loss


def main() -> None:
    target = torch.tensor([10.0, 10.0])
    prediction = torch.tensor([8.0, 12.0])  # 2 short, then 2 over
    per_sample = QuantileLoss(q=0.9, reduction="none")(prediction, target)
    print("per sample:", [round(value, 4) for value in per_sample.tolist()])
    print(f"mean: {QuantileLoss(q=0.9)(prediction, target).item():.4f}")

    # Autograd's gradient against finite differences: float64, random points.
    torch.manual_seed(0)
    points = torch.randn(5, dtype=torch.float64, requires_grad=True)
    goals = torch.randn(5, dtype=torch.float64)
    print("gradcheck:", torch.autograd.gradcheck(QuantileLoss(q=0.9), (points, goals)))

    # Train one number on the demands 1, 2, ..., 10: it settles at the 90th percentile.
    demand = torch.arange(1.0, 11.0)
    guess = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([guess], lr=0.1)
    loss_fn = QuantileLoss(q=0.9)
    for _ in range(300):
        optimizer.zero_grad()
        loss = loss_fn(guess.expand_as(demand), demand)
        loss.backward()
        optimizer.step()
    print(f"learned: {guess.item():.2f}, MSE would learn the mean: {demand.mean().item():.2f}")


if __name__ == "__main__":
    main()
