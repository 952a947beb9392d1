"""A token-weighted loss under DistributedDataParallel: each process's own mean, or its
summed loss divided by the real tokens of all processes together.

Launch two processes:  torchrun --nproc_per_node=2 losses_token_weighted_ddp.py
Run without torchrun (python losses_token_weighted_ddp.py), it runs as a world of one.
Each way takes one backward pass from the same weights on the same four sequences, and
compares the gradient with one process computing the mean over every real target at once.
"""

import gc
import os
import sys

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel

VOCAB = 12
LENGTHS = [9, 8, 4, 3]  # real tokens in each of four sequences; padding after them


def setup() -> tuple[int, int]:
    """Join the process group: torchrun's, or a world of one when started alone."""
    if "RANK" in os.environ:
        dist.init_process_group(backend="gloo")
    else:
        dist.init_process_group(backend="gloo", store=dist.HashStore(), rank=0, world_size=1)
    return dist.get_rank(), dist.get_world_size()


def the_batch() -> tuple[torch.Tensor, torch.Tensor]:
    """The same four padded sequences in every process, and their labels."""
    generator = torch.Generator().manual_seed(0)
    tokens = torch.randint(1, VOCAB, (len(LENGTHS), max(LENGTHS)), generator=generator)
    labels = tokens.clone()
    for row, length in enumerate(LENGTHS):
        tokens[row, length:] = 0  # the padding token
        labels[row, length:] = -100  # ignored by the loss
    return tokens, labels


def make_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Embedding(VOCAB, 16), nn.Linear(16, VOCAB))


def next_token(model: nn.Module, tokens: torch.Tensor, labels: torch.Tensor):
    """Logits at positions 0..T-2 against the tokens at 1..T-1, flattened to (N*(T-1), C)."""
    logits = model(tokens)[:, :-1]
    return logits.reshape(-1, VOCAB), labels[:, 1:].reshape(-1)


def gradient(model: nn.Module) -> torch.Tensor:
    return torch.cat([p.grad.flatten() for p in model.parameters()])


def summed(value: torch.Tensor) -> torch.Tensor:
    """`value` added up over all processes (a copy: all_reduce works in place)."""
    total = value.detach().clone()
    dist.all_reduce(total, op=dist.ReduceOp.SUM)
    return total


def compare(rank: int, world_size: int) -> None:
    tokens, labels = the_batch()

    # The reference: one process, a plain model, the mean over every real target.
    reference = make_model()
    loss = F.cross_entropy(*next_token(reference, tokens, labels))
    loss.backward()
    expected_loss, expected = loss.item(), gradient(reference)

    rows = len(LENGTHS) // world_size  # this process's share of the sequences
    mine = slice(rank * rows, (rank + 1) * rows)
    my_tokens, my_labels = tokens[mine], labels[mine]
    count = (my_labels[:, 1:] != -100).sum()  # real targets here, after the shift
    counts = [torch.zeros_like(count) for _ in range(world_size)]
    dist.all_gather(counts, count)
    global_count = summed(count)  # real targets in all processes together
    if rank == 0:
        print(f"world size {world_size}, real targets per process: {[int(c) for c in counts]}")
        print(f"one process, all {int(global_count)} targets: loss {expected_loss:.4f}")

    # 1. Each process averages over its own tokens; DDP averages the processes.
    model = DistributedDataParallel(make_model())
    local_mean = F.cross_entropy(*next_token(model, my_tokens, my_labels))
    local_mean.backward()  # DDP divides the summed gradients by world_size
    logged = summed(local_mean) / world_size
    results = [("mean of each process's mean", logged, gradient(model))]

    # 2. Each process sums over its tokens and divides by the tokens of all processes,
    #    times world_size, which DDP's division by world_size undoes.
    model = DistributedDataParallel(make_model())
    local_sum = F.cross_entropy(*next_token(model, my_tokens, my_labels), reduction="sum")
    (local_sum / global_count * world_size).backward()
    logged = summed(local_sum) / global_count
    results.append(("sum / all targets x world size", logged, gradient(model)))

    if rank == 0:
        for name, logged, grad in results:
            same = torch.allclose(grad, expected)
            error = (grad - expected).norm() / expected.norm()
            print(
                f"{name}: loss {logged.item():.4f}, gradient as one process: "
                f"{same} (relative error {error.item():.2f})"
            )


def main() -> None:
    rank, world_size = setup()
    try:
        compare(rank, world_size)
        dist.barrier()  # no process tears the group down while another still uses it
    finally:
        gc.collect()  # free the DDP models before the group (see training_loop_ddp.py)
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
    if "RANK" in os.environ:  # one of torchrun's processes: skip gloo's shutdown
        sys.stdout.flush()
        os._exit(0)
