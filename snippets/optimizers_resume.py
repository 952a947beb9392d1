"""Stop a training run halfway, save it, resume it: with and without the optimizer's state.

Three runs of 60 Adam steps on the same data, from the same starting weights:
- straight through, never stopped;
- stopped after 40 steps, model and optimizer saved, both restored, 20 more steps;
- stopped after 40 steps, only the model restored, a fresh optimizer, 20 more steps.
"""

import io

import torch
from torch import nn, optim

STEPS = 60
STOP_AT = 40
LR = 0.05


def make_data():
    torch.manual_seed(0)
    x = torch.randn(32, 4)
    y = torch.sin(x.sum(dim=1, keepdim=True))
    return x, y


def make_model_and_optimizer():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
    return model, optim.Adam(model.parameters(), lr=LR)


def train(model, optimizer, x, y, steps):
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def save(model, optimizer):
    buffer = io.BytesIO()  # a file path such as "checkpoint.pt" works the same way
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, buffer)
    buffer.seek(0)
    return buffer


def main():
    x, y = make_data()

    model, optimizer = make_model_and_optimizer()
    straight = train(model, optimizer, x, y, STEPS)
    straight_weights = model[0].weight.detach().clone()

    model, optimizer = make_model_and_optimizer()
    first_half = train(model, optimizer, x, y, STOP_AT)
    checkpoint = save(model, optimizer)

    # resume with everything
    saved = torch.load(checkpoint)
    model, optimizer = make_model_and_optimizer()
    model.load_state_dict(saved["model"])
    optimizer.load_state_dict(saved["optimizer"])
    full = first_half + train(model, optimizer, x, y, STEPS - STOP_AT)
    full_weights = model[0].weight.detach().clone()

    # resume with the model only: a fresh Adam, its moments and step count at zero
    model, optimizer = make_model_and_optimizer()
    model.load_state_dict(saved["model"])
    model_only = first_half + train(model, optimizer, x, y, STEPS - STOP_AT)

    print("step  straight  resumed: model+optimizer  resumed: model only")
    for step in [*range(STOP_AT - 2, STOP_AT + 6), STEPS - 1]:
        print(f"{step:4} {straight[step]:9.5f} {full[step]:25.5f} {model_only[step]:20.5f}")
    same = torch.equal(full_weights, straight_weights)
    print("model+optimizer resume ends on the same weights as the straight run:", same)


if __name__ == "__main__":
    main()
