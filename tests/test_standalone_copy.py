"""Each block's standalone copy: the earlier blocks it needs, and the check that runs it."""

import json
import textwrap
from pathlib import Path

from verified_docs.page.page_model import Page, parse_page
from verified_docs.page.standalone_copy import BlockPart, standalone_copies
from verified_docs.page.torch_effects import TORCH_RNG
from verified_docs.test_run.standalone_check import copy_failure, copy_failures, reports
from verified_docs.verifier.standalone_run import checked_copies, copy_paths, run_page


def page_of(*blocks: str, root: Path = Path(".")):
    """A page of Python blocks; a block may carry its own Markdown before or after."""
    parts = []
    for block in blocks:
        before, _, rest = block.rpartition("<<")
        code, _, after = rest.partition(">>")
        parts.append(f"{before}```python\n{textwrap.dedent(code).strip()}\n```\n{after}\n")
    return parse_page("\n".join(parts), "docs/page.md", root)


def copied(page, number: int) -> list[int]:
    """The 1-based numbers of the blocks in the copy of block `number` (a setup counts as
    its block)."""
    copy = standalone_copies(page)[number - 1]
    fences = [block.fence for block in page.blocks]
    return [fences.index(block.fence) + 1 for block in copy.blocks]


def test_a_block_takes_the_imports_and_names_it_uses_and_nothing_else():
    page = page_of(
        "<<import torch>>",
        "<<x = torch.ones(2)>>",
        "<<y = torch.zeros(3)>>",
        "<<print(x)>>",
        "<<print(1 + 1)>>",
        "<<x = 5\nprint(x)>>",
    )
    assert copied(page, 4) == [1, 2, 4]
    assert copied(page, 5) == [5]
    assert copied(page, 6) == [6]  # binds x before it reads it
    copy = standalone_copies(page)[3]
    assert copy.text == "import torch\n\nx = torch.ones(2)\n\nprint(x)\n"
    assert [(need.label, need.source.fence.line) for need in copy.needs] == [("x", 6)]
    assert copy.continues and not standalone_copies(page)[4].continues


def test_functions_and_classes_bring_the_globals_they_read_not_their_locals():
    page = page_of(
        "<<scale = 3>>",
        "<<x = 10>>",
        "<<import math>>",
        "<<def f(x):\n    return math.floor(x * scale)>>",
        "<<class Net:\n    size = scale>>",
        "<<print(f(2), Net.size)>>",
    )
    assert copied(page, 4) == [1, 3, 4]  # x is f's own argument; the import is needed
    assert copied(page, 6) == [1, 3, 4, 5, 6]


def test_changing_an_object_is_a_use_and_makes_it_anew():
    page = page_of(
        "<<import torch\nmodel = torch.nn.Linear(1, 1, bias=False)>>",
        "<<optimizer = torch.optim.SGD(model.parameters(), lr=0.1)>>",
        "<<model(torch.ones(1, 1)).sum().backward()>>",
        "<<optimizer.step()>>",
        "<<print(model.weight.shape)>>",
        "<<losses = []>>",
        "<<losses.append(1)>>",
        "<<print(len(losses))>>",
        "<<with torch.no_grad():\n    model.weight[0] = 1.0>>",
        "<<print(model.weight)>>",
    )
    assert copied(page, 4) == [1, 2, 3, 4]
    assert copied(page, 5) == [1, 2, 3, 4, 5]  # step() changed the model through optimizer
    assert copied(page, 8) == [6, 7, 8]
    assert copied(page, 10)[-2:] == [9, 10]


def test_a_function_of_the_page_changes_what_it_is_given_and_what_it_reads():
    page = page_of(
        "<<counts = {}\nlog = []>>",
        "<<def record(target):\n    target['n'] = 1\n    log.append(1)>>",
        "<<record(counts)>>",
        "<<print(counts, log)>>",
    )
    assert copied(page, 4) == [1, 2, 3, 4]


def test_a_call_changes_only_the_arguments_the_function_changes_itself_or_through_a_name():
    page = page_of(
        "<<import torch\nx = torch.ones(3)\nmodel = torch.nn.Linear(3, 1)>>",
        "<<def total(values):\n    order = values.argsort()\n    return values[order].sum()>>",
        "<<def reset(net):\n    layer = net\n    layer.reset_parameters()>>",
        "<<def forward(net, inputs):\n    return net(inputs)>>",
        "<<print(total(x))\nreset(model)\nprint(forward(model, x).shape)>>",
        "<<print(x, model.weight.shape)>>",
    )
    copy = standalone_copies(page)[5]
    assert copied(page, 6) == [1, 3, 4, 5, 6]  # not total, which only reads
    # Only the statements that change model: not the print of total(x), which reads x.
    assert copy.blocks[3].copied == "reset(model)\nprint(forward(model, x).shape)\n"


def test_a_method_of_a_new_object_changes_no_class_and_an_own_generator_no_global_state():
    page = page_of(
        "<<import torch\ntorch.manual_seed(0)>>",
        "<<class Net(torch.nn.Module):\n    pass>>",
        "<<def shuffled(n, seed):\n"
        "    return torch.randperm(n, generator=torch.Generator().manual_seed(seed))>>",
        "<<print(Net().training, shuffled(3, 0))>>",
        "<<print(Net(), torch.rand(1))>>",
    )
    assert copied(page, 5) == [1, 2, 5]  # block 4 neither changes Net nor draws


def test_a_function_that_writes_the_file_its_parameter_names_changes_it():
    page = page_of(
        '<<import torch\npath = "ckpt.pt">>',
        "<<def save(where):\n    torch.save({'step': 3}, where)>>",
        "<<save(path)>>",
        "<<print(torch.load(path))>>",
    )
    assert copied(page, 4) == [1, 2, 3, 4]


def test_a_file_written_by_one_block_and_read_by_another_links_them():
    page = page_of(
        "<<import torch>>",
        '<<torch.save({"step": 3}, "ckpt.pt")>>',
        "<<print(sorted(['a.pt', 'b']))>>",
        '<<print(torch.load("ckpt.pt"))>>',
    )
    assert copied(page, 4) == [1, 2, 4]
    assert copied(page, 3) == [3]


def test_a_copy_that_draws_holds_every_draw_since_the_last_seed():
    page = page_of(
        "<<import torch\ntorch.manual_seed(0)>>",
        "<<a = torch.randn(2)>>",
        "<<layer = torch.nn.Linear(2, 2)>>",
        "<<loss_fn = torch.nn.MSELoss()>>",
        "<<b = torch.randn(2)\nprint(b)>>",
        "<<torch.manual_seed(1)\nc = torch.rand(1)\nprint(c)>>",
        "<<g = torch.Generator().manual_seed(0)>>",
        "<<print(torch.rand(1))>>",
    )
    assert copied(page, 5) == [1, 2, 3, 5]  # not the loss, which draws nothing
    assert copied(page, 6) == [1, 6]
    assert copied(page, 8) == [1, 6, 8]  # a generator's own seed is not torch's
    assert TORCH_RNG in [need.key for need in standalone_copies(page)[4].needs]


def test_something_that_draws_each_time_it_is_used_draws_in_the_block_that_uses_it():
    page = page_of(
        "<<import torch\nfrom torch.utils.data import DataLoader\ntorch.manual_seed(0)>>",
        "<<loader = DataLoader(list(range(4)), batch_size=2, shuffle=True)>>",
        "<<data = [1, 2]>>",
        "<<print([batch.tolist() for batch in loader])>>",
        "<<print(torch.randn(1))>>",
    )
    assert copied(page, 5) == [1, 2, 4, 5]


def test_skipped_blocks_are_no_ones_dependency_and_a_block_that_raises_only_its_setup():
    page = page_of(
        "<<x = 1>>",
        '<!-- skip: next "needs a GPU" -->\n<<x = x + 1>>',
        "<<y = 5>>",
        "<<x = 3\nprint(x)\nraise ValueError(y)>>```output\n3\nTraceback (most recent call "
        "last):\n  ...\nValueError: 5\n```\n",
        "<<print(x)>>",
        "<<print(y)>>",
    )
    copies = standalone_copies(page)
    assert copies[1].skipped == "needs a GPU"  # a copy for the reader, which no one runs
    assert copies[1].text == "x = 1\n\nx = x + 1\n"
    assert copies[1] not in checked_copies(page)
    assert copied(page, 4) == [3, 4]
    part = copies[4].blocks[0]
    assert copies[4].text == "x = 3\n\nprint(x)\n"  # not the print before the error
    assert isinstance(part, BlockPart) and part.expected_output is None
    assert copied(page, 6) == [3, 6]  # the setup made x only


def test_a_snippet_block_is_copied_expanded(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "style.py").write_text("COLORS = {'train': 'red'}\n")
    page = page_of('<<--8<-- "snippets/style.py">>', "<<print(COLORS)>>", root=tmp_path)
    copies = standalone_copies(page)
    assert copies[1].text == "COLORS = {'train': 'red'}\n\nprint(COLORS)\n"
    assert copies[0].is_program and not copies[1].is_program  # test_snippets runs it alone


def test_copies_that_share_a_beginning_run_it_once():
    page = page_of("<<a = 1>>", "<<b = a>>", "<<print(b)>>", "<<print(a)>>")
    tree, _ = copy_paths(page)
    assert tree == {
        (): ["1"],
        ("1",): ["6", "16"],
        ("1", "6"): ["11"],
        ("1", "6", "11"): [],
        ("1", "16"): [],
    }


def run_copies(text: str, root: Path) -> tuple[Page, dict[tuple, str | None]]:
    """Run the copies of a page of `text` in `root`: the page, and each step's problem."""
    page = parse_page(text, "docs/page.md", root)
    results = root / "results.jsonl"
    run_page(page, root, results)
    return page, {tuple(r["step"]): r["problem"] for r in map(json.loads, results.open())}


def test_the_check_fails_a_copy_that_does_not_run_alone(tmp_path):
    """The analysis cannot see a name made through globals(): the copy raises NameError."""
    text = (
        "```python\nglobals()['x'] = 2\n```\n\n```python\nprint(x)\n```\n\n"
        "```output\n2\n```\n\n```python\nprint('alone')\n```\n\n```output\nalone\n```\n"
    )
    page, problems = run_copies(text, tmp_path)
    copies = standalone_copies(page)
    [failure] = reports(copy_failures(list(copies.values()), problems))
    assert failure.startswith("docs/page.md:5: the standalone copy of this block")
    assert "NameError: name 'x' is not defined" in failure
    assert copy_failure(copies[2], problems) is None


def test_a_wrong_output_is_reported_once_with_the_copies_it_stops(tmp_path):
    text = (
        "```python\nx = 0\nfor i in range(3):\n    x += i\n    print(x)\n```\n\n"
        "```output\n0\n1\n4\n```\n\n"  # the wrong fence: the loop prints 0, 1, 3
        "```python\nprint(x)\n```\n\n```output\n3\n```\n\n"
        "```python\nprint(x * 2)\n```\n\n```output\n6\n```\n"
    )
    page, problems = run_copies(text, tmp_path)
    [failure] = reports(copy_failures(checked_copies(page), problems))
    assert failure.startswith("docs/page.md:1: the standalone copy of this block")
    assert failure.count("the output differs") == 1
    assert failure.endswith("\nThe same failure stops the copies of the blocks at lines 14, 22.")


def test_each_copy_runs_in_a_folder_of_its_own(tmp_path):
    """A file that one copy writes is not there for another copy (its name is not a
    literal here, so the copies do not share a block)."""
    text = (
        "```python\nimport os\n```\n\n"
        "```python\nopen('made' + '.txt', 'w').close()\n```\n\n"
        "```python\nprint(os.path.exists('made' + '.txt'))\n```\n\n```output\nFalse\n```\n"
    )
    _, problems = run_copies(text, tmp_path)
    assert problems == {("1",): None, ("5",): None, ("1", "9"): None}


def test_a_process_with_threads_does_not_fork_its_parent_runs_it_again(tmp_path):
    """torch.compile leaves worker threads: what follows runs in a child of the parent,
    which runs the threaded step again first, and every copy is still checked."""
    text = (
        "```python\nimport threading, time\nworker = threading.Thread(target=time.sleep,"
        " args=(60,), daemon=True)\nworker.start()\n"
        f"n = worker.is_alive() * open({str(tmp_path / 'runs')!r}, 'a').write('x')\n```\n\n"
        "```python\nprint(n + 1)\n```\n\n```output\n2\n```\n\n"
        "```python\nprint(n * 10)\n```\n\n```output\n10\n```\n"
    )
    _, problems = run_copies(text, tmp_path)
    assert problems == {("1",): None, ("1", "8"): None, ("1", "16"): None}
    assert (tmp_path / "runs").read_text() == "xxx"  # once, then once before each step


def test_a_process_that_took_its_last_step_itself_and_then_has_threads_is_run_again(tmp_path):
    """A process forks a child for each step that follows its own but the last, which
    it runs itself: there it starts a thread, so the two steps after it run in children
    of the process that forked it, each running again both steps it had run."""
    runs = str(tmp_path / "runs")
    text = (
        "```python\nx = 1\n```\n\n"
        "```python\nprint(x)\n```\n\n```output\n1\n```\n\n"
        "```python\nimport threading, time\n"
        "worker = threading.Thread(target=time.sleep, args=(60,), daemon=True)\n"
        f"worker.start()\nn = x + worker.is_alive() * open({runs!r}, 'a').write('x')\n```\n\n"
        "```python\nprint(n + 1)\n```\n\n```output\n3\n```\n\n"
        "```python\nprint(n * 10)\n```\n\n```output\n20\n```\n"
    )
    _, problems = run_copies(text, tmp_path)
    ran = [("1",), ("1", "5"), ("1", "13"), ("1", "13", "20"), ("1", "13", "28")]
    assert problems == dict.fromkeys(ran)
    assert Path(runs).read_text() == "xxx"  # once, then once before each of its two steps


def test_a_program_that_seeds_before_it_draws_needs_no_earlier_draws():
    page = page_of(
        "<<import torch>>",
        "<<torch.manual_seed(0)\nnoise = torch.randn(3)>>",
        "<<def main():\n    torch.manual_seed(1)\n    print(len(torch.randn(2)))\n\n\nmain()>>",
        "<<def sample():\n    print(len(torch.randn(2)))\n\n\nsample()>>",
        "<<print(len([1, 2]))>>",
    )
    assert copied(page, 3) == [1, 3]  # the import only: main() seeds first
    assert copied(page, 4) == [1, 3, 4]  # draws on from where main() left the generator
    assert copied(page, 5) == [5]  # calling functions that print does not change print


def test_a_distributed_sampler_shuffles_with_its_own_seed():
    page = page_of(
        "<<import torch\nfrom torch.utils.data.distributed import DistributedSampler\n"
        "torch.manual_seed(0)>>",
        "<<a = torch.randn(1)>>",
        "<<sampler = DistributedSampler(range(4), num_replicas=2, rank=0, shuffle=True)\n"
        "print(list(sampler))>>",
    )
    assert copied(page, 3) == [1, 3]


def test_what_a_block_sets_for_a_whole_module_is_used_by_every_later_block_using_it():
    page = page_of(
        "<<import torch>>",
        "<<torch.set_printoptions(precision=2)>>",
        "<<x = [1, 2]>>",
        "<<print(x)>>",
        "<<print(torch.ones(1) / 3)>>",
    )
    assert copied(page, 4) == [3, 4]
    assert copied(page, 5) == [1, 2, 5]


def test_a_copy_takes_the_statements_it_needs_not_what_earlier_blocks_print():
    page = page_of(
        "<<import torch\nprint(torch.ones(1))\nmodel = torch.nn.Linear(2, 1)\nprint(model)>>",
        "<<for step in range(3):\n    model.weight.data += 1\n    print(step)\nplot = 1>>",
        "<<print(model.weight.shape)>>",
    )
    copy = standalone_copies(page)[2]
    assert copy.text == (
        "import torch\nmodel = torch.nn.Linear(2, 1)\n\n"
        "# This part prints too (its output is shown above it on the page).\n"
        "for step in range(3):\n    model.weight.data += 1\n    print(step)\n\n"
        "print(model.weight.shape)\n"
    )
    first = copy.blocks[0]
    assert first.source == "import torch\n\nmodel = torch.nn.Linear(2, 1)\n\n"  # lines kept
    assert (first.statements, first.prints) == ((0, 2), False)
