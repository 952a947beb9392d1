"""From predictions to one number to gradients: what a loss is for.

A one-weight model guesses y = 0.5 * x when the truth is y = 2 * x. MSELoss scores
the guesses with one number, backward() turns that number into a gradient for each
parameter, and one small step against the gradients makes the number smaller.
"""

import torch
from torch import nn


def main() -> None:
    model = nn.Linear(1, 1)
    with torch.no_grad():  # start from known weights so the numbers can be checked by hand
        model.weight.fill_(0.5)
        model.bias.fill_(0.0)

    x = torch.tensor([[1.0], [2.0], [3.0]])
    y = 2 * x  # the truth: 2, 4, 6
    loss_fn = nn.MSELoss()

    prediction = model(x)
    loss = loss_fn(prediction, y)
    print(f"predictions: {prediction.squeeze(1).tolist()}")
    print(f"loss: {loss.item():.4f} (shape {tuple(loss.shape)}: one number)")

    loss.backward()  # fills .grad of every parameter the loss depends on
    print(f"d loss / d weight: {model.weight.grad.item():.4f}")
    print(f"d loss / d bias:   {model.bias.grad.item():.4f}")

    with torch.no_grad():  # one step downhill, by hand; an optimizer does this for you
        for parameter in model.parameters():
            parameter -= 0.1 * parameter.grad

    print(f"loss after one step: {loss_fn(model(x), y).item():.4f}")


if __name__ == "__main__":
    main()
