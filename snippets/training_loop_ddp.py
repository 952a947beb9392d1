"""Train the digits MLP with DistributedDataParallel, one CPU process per rank (gloo).

Launch two processes:  torchrun --nproc_per_node=2 training_loop_ddp.py
Run without torchrun (python training_loop_ddp.py), it trains as a world of one process.
"""

import gc
import os
import sys
import tempfile
from pathlib import Path

import torch
import torch.distributed as dist
from sklearn.datasets import load_digits
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

GLOBAL_BATCH = 32  # samples per optimizer step, over all processes together
EPOCHS = 4
N_TRAIN, N_VAL = 1280, 512  # multiples of 32: every process gets the same full batches


def setup() -> tuple[int, int]:
    """Join the process group: torchrun's, or a world of one when started alone."""
    if "RANK" in os.environ:  # torchrun sets RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT
        dist.init_process_group(backend="gloo")
    else:
        dist.init_process_group(backend="gloo", store=dist.HashStore(), rank=0, world_size=1)
    return dist.get_rank(), dist.get_world_size()


def digits() -> tuple[TensorDataset, TensorDataset]:
    """The same split in every process: a fixed seed, no communication needed."""
    images, labels = load_digits(return_X_y=True)
    x = torch.tensor(images, dtype=torch.float32) / 16
    y = torch.tensor(labels)
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
    train, val = order[:N_TRAIN], order[N_TRAIN : N_TRAIN + N_VAL]
    return TensorDataset(x[train], y[train]), TensorDataset(x[val], y[val])


def summed(*numbers: float) -> list[float]:
    """Each number added up over all processes; every process receives the totals."""
    totals = torch.tensor(numbers, dtype=torch.float64)
    dist.all_reduce(totals, op=dist.ReduceOp.SUM)
    return totals.tolist()


def train(rank: int, world_size: int) -> None:
    train_set, val_set = digits()
    per_process = GLOBAL_BATCH // world_size
    train_sampler = DistributedSampler(train_set, shuffle=True, seed=0)
    train_loader = DataLoader(train_set, batch_size=per_process, sampler=train_sampler)
    val_sampler = DistributedSampler(val_set, shuffle=False)
    val_loader = DataLoader(val_set, batch_size=128, sampler=val_sampler)

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    model = DistributedDataParallel(model)  # copies rank 0's weights to every process
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    if rank == 0:
        print(f"world size {world_size}: {per_process} samples per process per step")

    for epoch in range(1, EPOCHS + 1):
        train_sampler.set_epoch(epoch)  # a new shuffle each epoch, the same in every process
        model.train()
        loss_sum, seen = 0.0, 0
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()  # DDP averages the gradients over all processes here
            optimizer.step()
            loss_sum += loss.item() * len(y)
            seen += len(y)
        train_loss_sum, train_seen = summed(loss_sum, seen)

        model.eval()
        val_loss_sum, correct, count = 0.0, 0, 0
        with torch.no_grad():
            for x, y in val_loader:
                logits = model(x)
                val_loss_sum += loss_fn(logits, y).item() * len(y)
                correct += (logits.argmax(dim=1) == y).sum().item()
                count += len(y)
        val_loss_sum, correct, count = summed(val_loss_sum, correct, count)
        if rank == 0:  # one process reports, or every line appears world_size times
            print(
                f"epoch {epoch}: train loss {train_loss_sum / train_seen:.3f}  "
                f"val loss {val_loss_sum / count:.3f}  "
                f"val acc {100 * correct / count:.1f}% of {int(count)}"
            )

    weights = torch.cat([p.detach().flatten() for p in model.parameters()])
    everyone = [torch.empty_like(weights) for _ in range(world_size)]
    dist.all_gather(everyone, weights)
    if rank == 0:
        same = all(torch.equal(weights, other) for other in everyone)
        print(f"same weights in every process: {same}")
        with tempfile.TemporaryDirectory() as directory:  # only rank 0 writes files
            state = model.module.state_dict()  # .module: the model inside the wrapper
            torch.save(state, Path(directory) / "model.pt")
            print("saved:", list(state))


def main() -> None:
    rank, world_size = setup()
    try:
        train(rank, world_size)
        dist.barrier()  # no process tears the group down while another still uses it
    finally:
        # The DDP model from train() still refers to the process group through
        # reference cycles: free it now. Left to Python's exit, gloo's threads can
        # abort the process ("terminate called without an active exception").
        gc.collect()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
    if "RANK" in os.environ:  # one of torchrun's processes
        # Everything is printed and the group destroyed: leave without the interpreter's
        # teardown, in which gloo's threads can still abort a run that succeeded, now
        # and then ("terminate called without an active exception").
        sys.stdout.flush()
        os._exit(0)
