"""Train an MLP on scikit-learn's handwritten digits, with validation and checkpoints.

Run it with `python training_loop_train.py`. Each epoch it prints one line, saves
`last.pt` (everything needed to resume) and, when the validation loss improves,
`best.pt` (the best weights). Started again on the same folder, it resumes from
`last.pt`. It stops early after `patience` epochs without improvement, then reports
the best model.
"""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch
from sklearn.datasets import load_digits
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split


@dataclass
class Config:
    epochs: int = 20
    batch_size: int = 64
    lr: float = 3e-3
    patience: int = 5  # epochs without a better validation loss before stopping
    min_delta: float = 1e-3  # a smaller drop of the validation loss is not "better"
    seed: int = 0
    epochs_per_run: int | None = None  # stop after this many (a job's time limit); rerun to resume


DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def make_loaders(config: Config) -> tuple[DataLoader, DataLoader, torch.Generator]:
    images, labels = load_digits(return_X_y=True)
    x = torch.tensor(images, dtype=torch.float32) / 16  # pixels 0..16 -> 0..1
    dataset = TensorDataset(x, torch.tensor(labels))
    split = torch.Generator().manual_seed(config.seed)
    train_set, val_set = random_split(dataset, [0.8, 0.2], generator=split)
    shuffle = torch.Generator().manual_seed(config.seed)
    train_loader = DataLoader(
        train_set, batch_size=config.batch_size, shuffle=True, generator=shuffle
    )
    val_loader = DataLoader(val_set, batch_size=256)
    return train_loader, val_loader, shuffle


def make_model() -> nn.Module:
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))


def train_one_epoch(model, loader, loss_fn, optimizer) -> tuple[float, float]:
    """One pass over `loader` with the four steps; mean loss and accuracy per sample."""
    model.train()
    loss_sum, correct, seen = 0.0, 0, 0
    for x, y in loader:
        x, y = x.to(DEVICE), y.to(DEVICE)
        optimizer.zero_grad()
        logits = model(x)
        loss = loss_fn(logits, y)
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(y)
        correct += (logits.argmax(dim=1) == y).sum().item()
        seen += len(y)
    return loss_sum / seen, correct / seen


def evaluate(model, loader, loss_fn) -> tuple[float, float]:
    """Mean loss and accuracy per sample, in evaluation mode and without a graph."""
    model.eval()
    loss_sum, correct, seen = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(DEVICE), y.to(DEVICE)
            logits = model(x)
            loss_sum += loss_fn(logits, y).item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            seen += len(y)
    return loss_sum / seen, correct / seen


def save(obj, path: Path) -> None:
    """torch.save to a temporary name, then rename: a crash never leaves half a file."""
    partial = path.with_suffix(".partial")
    torch.save(obj, partial)
    os.replace(partial, path)


def fit(config: Config, checkpoint_dir: Path) -> nn.Module:
    """Train (or resume) in `checkpoint_dir`; return the model with its best weights."""
    torch.manual_seed(config.seed)
    train_loader, val_loader, shuffle = make_loaders(config)
    model = make_model().to(DEVICE)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config.epochs)
    start, best_loss, bad_epochs = 1, float("inf"), 0

    last_path, best_path = checkpoint_dir / "last.pt", checkpoint_dir / "best.pt"
    if last_path.exists():
        state = torch.load(last_path, map_location="cpu")  # load_state_dict moves to DEVICE
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        shuffle.set_state(state["shuffle_rng"])
        if "cuda_rng" in state:
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        start, best_loss, bad_epochs = state["epoch"] + 1, state["best_loss"], state["bad_epochs"]
        print(f"resuming after epoch {state['epoch']} (best val loss {best_loss:.3f})")

    last_epoch = config.epochs
    if config.epochs_per_run is not None:
        last_epoch = min(last_epoch, start + config.epochs_per_run - 1)
    for epoch in range(start, last_epoch + 1):
        if bad_epochs >= config.patience:
            break  # early stopping, possibly decided by an earlier run
        train_loss, train_acc = train_one_epoch(model, train_loader, loss_fn, optimizer)
        val_loss, val_acc = evaluate(model, val_loader, loss_fn)
        scheduler.step()

        improved = val_loss < best_loss - config.min_delta
        if improved:
            best_loss, bad_epochs = val_loss, 0
            save({"epoch": epoch, "model": model.state_dict()}, best_path)
        else:
            bad_epochs += 1
        state = {
            "epoch": epoch,
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "torch_rng": torch.get_rng_state(),
            "shuffle_rng": shuffle.get_state(),
            "best_loss": best_loss,
            "bad_epochs": bad_epochs,
        }
        if torch.cuda.is_available():
            state["cuda_rng"] = torch.cuda.get_rng_state_all()  # dropout on the GPU uses it
        save(state, last_path)
        print(
            f"epoch {epoch:2d}/{config.epochs}  "
            f"train loss {train_loss:.3f} acc {100 * train_acc:5.1f}%  "
            f"val loss {val_loss:.3f} acc {100 * val_acc:5.1f}%"
            + ("  -> best.pt" if improved else "")
        )

    if bad_epochs >= config.patience:
        print(f"stopped early: no better validation loss for {config.patience} epochs")
    elif last_epoch < config.epochs:
        print(f"pausing after epoch {last_epoch}: run again to resume")
    best = torch.load(best_path, map_location="cpu")
    model.load_state_dict(best["model"])
    val_loss, val_acc = evaluate(model, val_loader, loss_fn)
    print(
        f"best model: epoch {best['epoch']}, val loss {val_loss:.3f}, val acc {100 * val_acc:.1f}%"
    )
    return model


def main() -> None:
    # A temporary folder keeps this demo clean; use a real path such as
    # Path("checkpoints") to keep the files and resume after an interruption.
    with tempfile.TemporaryDirectory() as directory:
        fit(Config(), Path(directory))


if __name__ == "__main__":
    main()
