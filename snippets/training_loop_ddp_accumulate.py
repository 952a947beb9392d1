"""Gradient accumulation under DistributedDataParallel: where no_sync() helps and where it hurts.

Launch two processes:  torchrun --nproc_per_node=2 training_loop_ddp_accumulate.py
Run without torchrun (python training_loop_ddp_accumulate.py), it runs as a world of one.
Each way of accumulating takes one optimizer step from the same weights on the same data,
counts the all-reduces DDP makes, and compares the result with one process taking the
whole effective batch at once.
"""

import gc
import os
import sys
from contextlib import nullcontext

import torch
import torch.distributed as dist
from sklearn.datasets import load_digits
from torch import nn
from torch.distributed.algorithms.ddp_comm_hooks import default_hooks
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

MICRO_BATCH = 8  # samples per forward pass in each process
ACCUMULATION_STEPS = 4  # micro-batches per optimizer step


def setup() -> tuple[int, int]:
    """Join the process group: torchrun's, or a world of one when started alone."""
    if "RANK" in os.environ:
        dist.init_process_group(backend="gloo")
    else:
        dist.init_process_group(backend="gloo", store=dist.HashStore(), rank=0, world_size=1)
    return dist.get_rank(), dist.get_world_size()


def make_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))


def counting_allreduce(counter: list[int], bucket):
    """DDP's own averaging all-reduce, counted."""
    counter[0] += 1
    return default_hooks.allreduce_hook(None, bucket)


def micro_loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return nn.functional.cross_entropy(model(x), y) / ACCUMULATION_STEPS


def one_step(loader: DataLoader, how: str) -> tuple[int, torch.Tensor]:
    """One optimizer step over ACCUMULATION_STEPS micro-batches; all-reduces and new weights."""
    model = DistributedDataParallel(make_model())
    counter = [0]
    model.register_comm_hook(counter, counting_allreduce)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    optimizer.zero_grad()
    for i, (x, y) in enumerate(loader, start=1):
        last = i == ACCUMULATION_STEPS
        if how == "no_sync, backward only" and not last:
            loss = micro_loss(model, x, y)  # the forward pass outside no_sync...
            with model.no_sync():
                loss.backward()  # ...has already asked for the all-reduce
            continue
        skip_sync = how == "no_sync on all" or (how != "sync every micro-batch" and not last)
        with model.no_sync() if skip_sync else nullcontext():  # forward and backward inside
            micro_loss(model, x, y).backward()
    optimizer.step()
    return counter[0], torch.cat([p.detach().flatten() for p in model.parameters()])


def train(rank: int, world_size: int) -> None:
    images, labels = load_digits(return_X_y=True)
    effective_batch = MICRO_BATCH * ACCUMULATION_STEPS * world_size
    x = torch.tensor(images[:effective_batch], dtype=torch.float32) / 16
    data = TensorDataset(x, torch.tensor(labels[:effective_batch]))
    sampler = DistributedSampler(data, shuffle=False)  # this process's share
    loader = DataLoader(data, batch_size=MICRO_BATCH, sampler=sampler)

    # The reference: one process, one plain model, the whole effective batch at once.
    reference = make_model()
    optimizer = torch.optim.SGD(reference.parameters(), lr=0.1)
    nn.functional.cross_entropy(reference(x), data.tensors[1]).backward()
    optimizer.step()
    expected = torch.cat([p.detach().flatten() for p in reference.parameters()])

    if rank == 0:
        print(
            f"world size {world_size}: {MICRO_BATCH} samples x {ACCUMULATION_STEPS} "
            f"micro-batches x {world_size} = {effective_batch} per step"
        )
    ways = [
        "sync every micro-batch",
        "no_sync but the last",
        "no_sync, backward only",
        "no_sync on all",
    ]
    for how in ways:
        allreduces, weights = one_step(loader, how)
        everyone = [torch.empty_like(weights) for _ in range(world_size)]
        dist.all_gather(everyone, weights)
        if rank == 0:
            same = all(torch.equal(weights, other) for other in everyone)
            full = torch.allclose(weights, expected, atol=1e-6)
            print(f"{how}: all-reduces {allreduces}")
            print(f"  same weights in every process: {same}, as the full batch: {full}")


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
