"""What a block needs from earlier blocks of its page, and its copy that runs alone.

The blocks of a page run top to bottom in one namespace, like a notebook, so most use
names an earlier block made. A block's standalone copy is the earlier blocks it needs,
transitively, in page order, then the block itself, each verbatim: pasted into a fresh
Python, it prints what the page shows under each of those blocks, in order (the test
run checks it: testing/standalone_check.py).

What a block needs is computed from its code with `ast`, reading each block in the order
Python evaluates it:

- a name it loads before binding it comes from the last earlier block that bound it;
- changing an object (`model.load_state_dict(...)`, `optimizer.step()`, `w.data = ...`,
  `losses.append(...)`, `clip_grad_norm_(model.parameters(), 1)`, calling a function
  of the page with it) both uses it and makes it anew, so later blocks need that block
  too. A name made from others (`optimizer = SGD(model.parameters())`,
  `loss = loss_fn(model(x), y)`) is linked to them: changing it (`optimizer.step()`,
  `loss.backward()`) changes them;
- a string that names a file (`"ckpt.pt"`) links the blocks that mention it;
- what a block sets for a whole module (`torch.use_deterministic_algorithms(True)`,
  `torch.set_printoptions(...)`, `torch.backends.cudnn.benchmark = True`) is a name
  too, which every later block that uses the module uses;
- each random number generator (torch's, NumPy's, Python's) is a name too: a block that
  draws from it uses and makes it, one that seeds it makes it. So a copy that draws
  holds every earlier block that drew since the last seed, and draws the same numbers.
  Drawing is calling a random function, building a module with parameters, or using
  something that draws when used: a loader that shuffles, a model with dropout, a
  function or class of the page that draws.

Skipped blocks never go into another block's copy; their own copy is made all the same
(the reader of a GPU-only block copies it to a GPU), but not run by the test run. A
block whose page shows a traceback raises in its last statement (the page shows the
mistake there); what comes before it may make names later blocks use, so a copy takes
that part of it (`BlockSetup`), which must print what the page shows above the
traceback. The test run proves, for every copy, that these rules held.
"""

import ast
import builtins
import copy
import symtable
from dataclasses import dataclass, replace

from .page_model import TRACEBACK_HEADER, CodeBlock, Page

TORCH_RNG = "torch's random state"
NUMPY_RNG = "NumPy's random state"
PYTHON_RNG = "Python's random state"
RNG_OF_MODULE = {"np": NUMPY_RNG, "numpy": NUMPY_RNG, "random": PYTHON_RNG}
SEEDS = {"manual_seed", "seed"}
# Calls that draw from torch's generator (functions, in-place methods, initialisers).
DRAWS = {
    "rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like",
    "normal", "bernoulli", "multinomial", "poisson", "dropout", "dropout1d", "dropout2d",
    "normal_", "uniform_", "bernoulli_", "random_", "exponential_", "cauchy_",
    "log_normal_", "geometric_", "kaiming_uniform_", "kaiming_normal_", "xavier_uniform_",
    "xavier_normal_", "trunc_normal_", "orthogonal_", "sparse_", "random_split",
    "reset_parameters", "choice", "shuffle", "permutation", "sample", "gumbel_softmax",
    "Dropout", "Dropout1d", "Dropout2d", "RandomSampler",
    # Modules whose parameters start random.
    "Linear", "Bilinear", "LazyLinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d",
    "ConvTranspose2d", "Embedding", "EmbeddingBag", "RNN", "LSTM", "GRU", "RNNCell",
    "LSTMCell", "GRUCell", "MultiheadAttention", "Transformer", "TransformerEncoderLayer",
    "TransformerDecoderLayer", "PReLU",
}  # fmt: skip
# What keeps drawing each time it is used: dropout, a shuffling loader.
DRAWS_WHEN_USED = {"Dropout", "Dropout1d", "Dropout2d", "dropout", "RandomSampler"}
OWN_SEED = {"DistributedSampler"}  # shuffles with its `seed` argument, not the global state
# Modules built with parameters, whose gradients backward() fills (besides those in DRAWS).
WITH_PARAMETERS = {
    "LayerNorm", "GroupNorm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d",
    "InstanceNorm2d", "RMSNorm", "Parameter", "Sequential", "ModuleList", "ModuleDict",
}  # fmt: skip
# Functions of torch that change their arguments, though their names do not end in _.
CHANGE_ARGUMENTS = {"update_bn"}
# Methods that read an object without changing it; any other method call changes it.
READS = {
    "item", "tolist", "numpy", "size", "dim", "numel", "parameters", "named_parameters",
    "children", "modules", "named_modules", "buffers", "named_buffers", "state_dict",
    "keys", "values", "items", "get", "format", "join", "split", "startswith", "endswith",
    "strip", "mean", "sum", "std", "var", "max", "min", "argmax", "argmin", "norm", "abs",
    "detach", "clone", "float", "double", "long", "int", "half", "bool", "view", "reshape",
    "flatten", "squeeze", "unsqueeze", "softmax", "log_softmax", "sigmoid", "exp", "log",
    "allclose", "equal", "eq", "ne", "lt", "gt", "le", "ge", "isfinite", "any", "all",
    "count", "index", "copy", "is_leaf", "type", "get_last_lr", "tensors", "t", "T",
    "transpose", "permute", "expand", "repeat", "round", "sqrt", "pow", "square", "prod",
    "cumsum", "sort", "topk", "gather", "index_select", "masked_fill", "where", "cpu",
    "to_dict", "read_text", "exists", "stat", "is_file", "extra_repr",
}  # fmt: skip
FILE_SUFFIXES = {
    "pt", "pth", "ckpt", "bin", "safetensors", "json", "csv", "txt", "log", "npy", "npz",
    "pkl", "py", "onnx", "yaml", "png", "svg",
}  # fmt: skip
FILE = "file "  # the key of a file a block names: FILE + its name
# Above an earlier block, or part of one, that prints when a copy runs it.
PRINTS_TOO = "# This part prints too (its output is shown above it on the page).\n"
BUILTINS = set(dir(builtins))  # print, len, range: no block makes them, none changes them
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True)
class Need:
    """Something a block takes from an earlier block: a name, a file or a random state."""

    key: str  # `model`, `file ckpt.pt`, or one of the random states
    source: CodeBlock  # the last earlier block that made it
    imported: bool = False  # a module or a name imported from one

    @property
    def label(self) -> str:
        return self.key.removeprefix(FILE)


@dataclass(frozen=True)
class BlockSetup(CodeBlock):
    """A block that raises, without its last statement: what it does before the error."""

    @property
    def key(self) -> str:
        return f"{self.fence.line} setup"

    @property
    def copied(self) -> str:
        return self.source


@dataclass(frozen=True)
class BlockPart(CodeBlock):
    """The statements of an earlier block that a copy needs, the others left out.

    `source` keeps every line where it was (the others blank), so that a traceback
    names the page's own lines; `copied` is what the copy holds. Its output is not
    compared: the page shows the whole block's. `prints` says it may print some of it.
    """

    statements: tuple[int, ...] = ()  # the indices of its top-level statements
    lines: tuple[int, ...] = ()  # the lines of `source` it keeps, from 1
    prints: bool = False

    @property
    def key(self) -> str:
        return f"{self.fence.line} part {','.join(map(str, self.statements))}"

    @property
    def copied(self) -> str:
        """The kept lines: a statement's own blank lines stay, as do those between two
        statements both kept; the lines left out leave no gap."""
        lines = self.source.splitlines(keepends=True)
        return "".join(lines[number - 1] for number in self.lines)


@dataclass(frozen=True)
class StandaloneCopy:
    """A block with what it needs from earlier blocks: the code that runs alone."""

    block: CodeBlock
    blocks: tuple[CodeBlock, ...]  # the earlier blocks it needs, in page order, then it
    needs: tuple[Need, ...]  # what the block itself takes from earlier blocks
    skipped: str | None = None  # why the test run skips the block: its copy is not run

    @property
    def text(self) -> str:
        """The copy: the code of each block, or the statements of it that are needed,
        verbatim, a blank line between blocks; an earlier one that prints says so."""
        parts = []
        for block in self.blocks[:-1]:
            prints = block.prints if isinstance(block, BlockPart) else bool(printed(block))
            parts.append((PRINTS_TOO if prints else "") + copied(block))
        return "\n".join([*parts, self.block.source])

    @property
    def continues(self) -> bool:
        """Whether the block needs earlier blocks (the page then says so)."""
        return len(self.blocks) > 1

    @property
    def is_program(self) -> bool:
        """Whether the copy is one program of snippets/ and nothing else, which
        tests/test_snippets.py runs alone (`python snippets/name.py`) and checks."""
        return len(self.blocks) == 1 and bool(self.block.snippets)

    @property
    def steps(self) -> tuple[str, ...]:
        """What the copy runs, one key per block: its line, and "setup" for a setup."""
        return tuple(step_key(block) for block in self.blocks)


def step_key(block: CodeBlock) -> str:
    return block.key if isinstance(block, BlockSetup | BlockPart) else str(block.fence.line)


def copied(block: CodeBlock) -> str:
    """What a copy holds of `block`: all of it, or the part of it that is needed."""
    return block.copied if isinstance(block, BlockSetup | BlockPart) else block.source


def printed(block: CodeBlock) -> str:
    """What the page shows `block` printing, a traceback aside."""
    shown = block.output.source if block.output is not None else ""
    return shown.partition(TRACEBACK_HEADER)[0].strip()


@dataclass(frozen=True, eq=False)
class Statement:
    """One top-level statement of a block: what a copy takes, or leaves out."""

    block: CodeBlock
    index: int
    node: ast.stmt
    prints: bool  # it calls print, or a function of the page that prints


def standalone_copies(page: Page) -> dict[int, StandaloneCopy]:
    """{index in `page.blocks`: its copy} for every block; a skipped one's says why.

    A block is read statement by statement: each statement needs the earlier statements
    that made what it uses, transitively. A block's copy is the statements its own
    statements need, of each earlier block all of it (or, of a block that raises, all
    but its last statement) where all are needed, else only those, then the block.
    """
    context = PageContext()
    made_by: dict[str, Statement] = {}  # key -> the last statement that made it
    closures: dict[Statement, set[Statement]] = {}  # a statement and all it needs
    copies: dict[int, StandaloneCopy] = {}
    for index, block in enumerate(page.blocks):
        skipped = page.reason_skipped(block)
        # What a skipped block defines teaches later blocks nothing: they run without it.
        reading_context = context if skipped is None else copy.deepcopy(context)
        labels = BlockReading(copy.deepcopy(reading_context))
        labels.read(block.source)
        needs = tuple(
            Need(key, made_by[key].block, key in reading_context.modules)
            for key in labels.uses
            if key in made_by
        )
        statements = ast.parse(block.source).body
        own: set[Statement] = set()
        for number, node in enumerate(statements):
            reading = BlockReading(reading_context)
            reading.read_nodes([node])
            statement = Statement(block, number, node, prints(node, reading_context))
            closures[statement] = {statement}.union(
                *(closures[made_by[key]] for key in reading.uses if key in made_by)
            )
            own |= closures[statement]
            raises_here = block.expects_error and number == len(statements) - 1
            if skipped is None and not raises_here:
                made_by.update(dict.fromkeys(reading.makes, statement))
            learn_prints(node, reading_context)
        earlier = copied_blocks({each for each in own if each.block is not block}, page)
        copies[index] = StandaloneCopy(block, (*earlier, block), needs, skipped)
    return copies


def copied_blocks(statements: set[Statement], page: Page) -> list[CodeBlock]:
    """The earlier blocks, or parts of them, that hold `statements`, in page order."""
    result = []
    for block in page.blocks:
        taken = sorted(
            (statement for statement in statements if statement.block is block),
            key=lambda statement: statement.index,
        )
        if taken:
            result.append(block_taking(block, taken))
    return result


def block_taking(block: CodeBlock, taken: list[Statement]) -> CodeBlock:
    """`block` whole, its setup, or the part of it that holds the statements `taken`."""
    count = len(ast.parse(block.source).body)
    indices = tuple(statement.index for statement in taken)
    if indices == tuple(range(count)):
        return block
    if block.expects_error and indices == tuple(range(count - 1)):
        return block_setup(block) or block
    source_lines = block.source.splitlines(keepends=True)
    lines: set[int] = set()
    for statement in taken:
        first, last = statement_lines(statement.node, source_lines)
        lines.update(range(first, last + 1))
        if statement.index + 1 in indices:  # the blank lines up to the next one, too
            following = statement_lines(statements_of(block)[statement.index + 1], source_lines)
            lines.update(range(last + 1, following[0]))
    kept = [line if number in lines else "\n" for number, line in enumerate(source_lines, 1)]
    return BlockPart(
        block.page,
        block.fence,
        "".join(kept),
        None,
        block.time_limit_s,
        statements=indices,
        lines=tuple(sorted(lines)),
        prints=any(statement.prints for statement in taken),
    )


def statements_of(block: CodeBlock) -> list[ast.stmt]:
    return ast.parse(block.source).body


def statement_lines(node: ast.stmt, source_lines: list[str]) -> tuple[int, int]:
    """The first and last line of a statement, with its decorators and the comment lines
    right above it."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    while first > 1 and source_lines[first - 2].lstrip().startswith("#"):
        first -= 1
    return first, node.end_lineno


def prints(node: ast.AST, context: "PageContext") -> bool:
    """Whether running a statement may print: it calls print, or a function of the page
    that does (defining a function prints nothing)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
        return False
    if isinstance(node, ast.Call) and call_name(node) in {"print", *context.prints_when_called}:
        return True
    return any(prints(child, context) for child in ast.iter_child_nodes(node))


def learn_prints(node: ast.stmt, context: "PageContext") -> None:
    """Remember a function or class of the page whose code prints."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        methods = node.body if isinstance(node, ast.ClassDef) else [node]
        bodies = [statement for method in methods for statement in getattr(method, "body", [])]
        if any(prints(statement, context) for statement in bodies):
            context.prints_when_called.add(node.name)
        else:
            context.prints_when_called.discard(node.name)


def block_setup(block: CodeBlock) -> BlockSetup | None:
    """The block without its last statement, and with its output without the traceback."""
    statements = ast.parse(block.source).body
    if len(statements) < 2:
        return None
    last = statements[-1]
    first_line = min([last.lineno, *(d.lineno for d in getattr(last, "decorator_list", []))])
    source = "".join(block.source.splitlines(keepends=True)[: first_line - 1])
    printed = block.output.source.partition(TRACEBACK_HEADER)[0]
    output = replace(block.output, source=printed) if printed.strip() else None
    return BlockSetup(block.page, block.fence, source, output, block.time_limit_s)


class PageContext:
    """What reading a page's earlier blocks taught about its names."""

    def __init__(self) -> None:
        self.modules: set[str] = set()  # names bound by imports
        self.functions: set[str] = set()  # functions and classes the page defines
        self.links: dict[str, set[str]] = {}  # name -> names its object may hold
        self.draws: set[str] = set()  # names that draw random numbers when used
        self.draws_when_called: set[str] = set()  # functions and classes that draw
        self.seeds_when_called: set[str] = set()  # functions that seed torch before drawing
        self.prints_when_called: set[str] = set()  # functions and classes that print
        self.changes_when_called: dict[str, set[str]] = {}  # function -> globals it changes
        self.grad: set[str] = set()  # names that may hold tensors backward() gives a .grad
        self.fixed: set[str] = set()  # names of numbers and strings, which nothing changes
        self.makes_grad: set[str] = set()  # functions and classes that build such

    def link(self, name: str, names: set[str]) -> None:
        """What `name` now holds may be, or hold, the objects of `names` (not the
        functions and classes that made it: `model = make_model()` holds no function)."""
        self.links[name] = names - self.modules - BUILTINS - {name} - self.functions - self.fixed

    def reach(self, name: str) -> set[str]:
        """`name` and every name linked to it, transitively."""
        reached, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in reached:
                reached.add(current)
                todo += self.links.get(current, ())
        return reached


class BlockReading(ast.NodeVisitor):
    """One block read in evaluation order: what it uses from before, and what it makes."""

    def __init__(self, context: PageContext) -> None:
        self.context = context
        self.uses: dict[str, None] = {}  # ordered: the note lists them as used
        self.makes: set[str] = set()
        self.deferred: set[str] = set()  # globals of its functions, used when called

    def read(self, source: str) -> None:
        self.read_nodes(ast.parse(source).body)

    def read_nodes(self, statements: list[ast.stmt]) -> None:
        for statement in statements:
            self.visit(statement)
        for name in sorted(self.deferred - self.makes):
            self.uses.setdefault(name)

    def use(self, key: str) -> None:
        if key not in self.makes:
            self.uses.setdefault(key)

    def make(self, key: str) -> None:
        self.makes.add(key)

    def change(self, name: str) -> None:
        """The object of `name` (and what it holds) changes: used, and made anew."""
        if name in self.context.modules:
            return
        for reached in sorted(self.context.reach(name)):
            if reached not in self.context.modules:
                self.use(reached)
                self.make(reached)

    def change_gradients(self, loss: ast.expr) -> None:
        """`loss.backward()`, `loss_fn(w, y).backward()`: the tensors that need a gradient,
        among those the loss was computed from, change (their .grad); the loss itself is
        spent; the loss function and the targets do not change."""
        spent = {loss.id} if isinstance(loss, ast.Name) else set()
        for name in sorted(loaded_names(loss)):
            for reached in sorted(self.context.reach(name)):
                if reached in spent or reached in self.context.grad:
                    self.use(reached)
                    self.make(reached)

    def draw(self, state: str = TORCH_RNG) -> None:
        self.use(state)
        self.make(state)

    def bind(self, target: ast.AST, value: ast.AST | None) -> None:
        """Visit an assignment's target after its value; link the names it binds."""
        self.visit(target)
        names = [node.id for node in ast.walk(target) if isinstance(node, ast.Name)]
        roots = loaded_names(value) if value is not None else set()
        for name in names:
            self.context.link(name, roots)
            if value is not None and carries_grad(value, self.context):
                self.context.grad.add(name)
            else:
                self.context.grad.discard(name)
            if value is not None and is_fixed(value, self.context) and name not in roots:
                self.context.fixed.add(name)
            else:
                self.context.fixed.discard(name)
            if value is not None and draws_when_used(value, self.context):
                self.context.draws.add(name)
            else:
                self.context.draws.discard(name)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            self.make(node.id)
        else:
            self.use_name(node.id)

    def use_name(self, name: str, drawing: bool = True) -> None:
        self.use(name)
        if name in self.context.modules:  # what an earlier block set for the whole module
            self.use(settings(name))
        if not drawing:
            return
        if name in self.context.seeds_when_called:
            self.make(TORCH_RNG)
        elif name in self.context.draws or name in self.context.draws_when_called:
            self.draw()

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name) and isinstance(node.value.ctx, ast.Load):
            # model.parameters, loader.dataset: a model with dropout draws when it is
            # called, a shuffling loader when it is iterated, not when an attribute is read.
            self.use_name(node.value.id, drawing=False)
        else:
            self.visit(node.value)
        if not isinstance(node.ctx, ast.Load):
            self.change_root(node.value)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)
        self.visit(node.slice)
        if not isinstance(node.ctx, ast.Load):
            self.change_root(node.value)

    def change_root(self, node: ast.AST) -> None:
        name = root_name(node)
        if name in self.context.modules:  # torch.backends.cudnn.benchmark = True
            self.make(settings(name))
        elif name is not None:
            self.change(name)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.bind(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self.bind(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            self.use(node.target.id)
            self.make(node.target.id)
        else:
            self.visit(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self.bind(node.target, node.value)

    def visit_For(self, node: ast.For) -> None:
        self.visit(node.iter)
        self.bind(node.target, node.iter)
        for statement in node.body + node.orelse:
            self.visit(statement)

    visit_AsyncFor = visit_For

    def visit_withitem(self, node: ast.withitem) -> None:
        self.visit(node.context_expr)
        if node.optional_vars is not None:
            self.bind(node.optional_vars, node.context_expr)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            name = alias.asname or alias.name.split(".")[0]
            self.context.modules.add(name)
            self.make(name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            name = alias.asname or alias.name
            self.context.modules.add(name)
            self.make(name)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.ClassDef) -> None:
        """A def uses its decorators and defaults now, and its globals when called."""
        outer = [*node.decorator_list]
        if isinstance(node, ast.ClassDef):
            outer += [*node.bases, *(keyword.value for keyword in node.keywords)]
        else:
            outer += [*node.args.defaults, *filter(None, node.args.kw_defaults)]
        for expression in outer:
            self.visit(expression)
        names = scope_globals(node)
        self.deferred |= names
        self.context.functions.add(node.name)
        self.context.link(node.name, names)
        if isinstance(node, ast.ClassDef) and draws_when_used(node, self.context):
            self.context.draws.add(node.name)  # its instances draw: dropout
        self.context.draws_when_called.discard(node.name)
        self.context.seeds_when_called.discard(node.name)
        if not isinstance(node, ast.ClassDef) and seeds_before_drawing(node, self.context):
            self.context.seeds_when_called.add(node.name)  # a program's main(), say
        elif draws_when_called(node, self.context):
            self.context.draws_when_called.add(node.name)
        self.context.changes_when_called[node.name] = changed_globals(node, self.context)
        if carries_grad(node, self.context):
            self.context.makes_grad.add(node.name)
        else:
            self.context.makes_grad.discard(node.name)
        self.make(node.name)

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for name in sorted(scope_globals(node)):
            self.use_name(name)

    def visit_ListComp(self, node: ast.AST) -> None:
        # What a comprehension calls or iterates draws (a dropout model, a shuffling
        # loader); what it only reads (model.parameters()) does not.
        called = {
            inner.func.id
            for inner in ast.walk(node)
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
        }
        called |= {g.iter.id for g in node.generators if isinstance(g.iter, ast.Name)}
        for name in sorted(scope_globals(node)):
            self.use_name(name, drawing=name in called)
        # [layer.register_forward_hook(f) for layer in model]: a call that changes an
        # item changes what it was taken from.
        items = {
            target.id: loaded_names(generator.iter)
            for generator in node.generators
            for target in ast.walk(generator.target)
            if isinstance(target, ast.Name)
        }
        used, made = set(self.uses), set(self.makes)
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call):
                self.call_effects(inner)
                item = root_name(inner.func)
                if item in items and call_name(inner) not in READS:
                    for name in sorted(items[item]):
                        self.change(name)
        for local in set(items) - used:  # the comprehension's own names are not the page's
            self.uses.pop(local, None)
        self.makes -= set(items) - made

    visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_ListComp

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and names_file(node.value):
            self.use(FILE + node.value)
            self.make(FILE + node.value)

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        self.call_effects(node)

    def call_effects(self, node: ast.Call) -> None:
        """What a call changes: the object whose method it is, its arguments, an RNG."""
        function = node.func
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        name = root_name(function)
        final = function.attr if isinstance(function, ast.Attribute) else None
        if isinstance(function, ast.Name):
            final = function.id
            if function.id in self.context.functions:
                for changed in sorted(self.context.changes_when_called.get(function.id, ())):
                    self.change(changed)
                self.change_arguments(arguments)
            elif function.id in ("next", "setattr", "delattr") and arguments:
                self.change_root(arguments[0])
            elif function.id in self.context.modules and changes_arguments(function.id):
                self.change_arguments(arguments)  # an imported clip_grad_norm_, update_bn
        elif name in self.context.modules:
            if final and changes_arguments(final):
                self.change_arguments(arguments)
            if final and final.startswith(("set_", "use_")):  # torch.set_default_dtype
                self.make(settings(name))
        elif name is not None and final == "backward":  # the gradients of what it came from
            self.change_gradients(function.value)
        elif name is not None and final not in READS and name not in self.context.functions:
            self.change(name)
        elif isinstance(function, ast.Attribute) and final not in READS:
            # (decay if ... else no_decay).append(...): any of them may change.
            for inner in sorted(loaded_names(function.value)):
                self.change(inner)
        generators = [keyword.value for keyword in node.keywords if keyword.arg == "generator"]
        self.change_arguments(generators)  # torch.randn(3, generator=g) draws from g
        if not generators:
            self.random_effects(function, final)

    def change_arguments(self, arguments: list[ast.expr]) -> None:
        for argument in arguments:
            made_by = root_name(argument)
            if isinstance(argument, ast.Call) and (
                made_by in self.context.modules or made_by in self.context.functions
            ):
                continue  # a new object, torch.optim.Adam(...), rates(...): nothing changes
            self.change_root(argument)

    def random_effects(self, function: ast.expr, final: str | None) -> None:
        chain = attribute_chain(function)
        module = RNG_OF_MODULE.get(chain[0]) if chain and chain[0] in self.context.modules else None
        global_function = chain is not None and chain[0] in self.context.modules
        if global_function and final in SEEDS:  # torch.manual_seed, np.random.seed
            self.make(module or TORCH_RNG)
        elif module is not None and (module == PYTHON_RNG or "random" in chain):
            self.draw(module)
        elif final in DRAWS:
            self.draw()


def changes_arguments(function: str) -> bool:
    """Whether a function of torch changes its arguments: in-place ones end in _."""
    return function.endswith("_") or function in CHANGE_ARGUMENTS


def settings(module: str) -> str:
    """The key of what a block sets for a whole module (torch.use_deterministic_algorithms)."""
    return f"{module}'s settings"


def root_name(node: ast.AST) -> str | None:
    """`model` for `model`, `model.fc.weight`, `model.fc(x).sum` or `losses[0]`."""
    while True:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return None


def attribute_chain(node: ast.AST) -> list[str] | None:
    """["torch", "nn", "Linear"] for `torch.nn.Linear`; None if a call or index is in it."""
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.insert(0, node.attr)
        node = node.value
    return [node.id, *names] if isinstance(node, ast.Name) else None


def loaded_names(node: ast.AST) -> set[str]:
    return {inner.id for inner in ast.walk(node) if isinstance(inner, ast.Name)}


def scope_globals(node: ast.AST) -> set[str]:
    """The global names a def, class, lambda or comprehension reads, by Python's rules."""
    table = symtable.symtable(ast.unparse(ast.Module([node], [])), "<block>", "exec")
    names: set[str] = set()
    todo = list(table.get_children())
    if isinstance(node, (ast.Lambda, *COMPREHENSIONS)):
        # An expression parses as a statement: its names at top level are read too.
        names |= {s.get_name() for s in table.get_symbols() if s.is_referenced()}
    while todo:
        scope = todo.pop()
        todo += scope.get_children()
        names |= {s.get_name() for s in scope.get_symbols() if s.is_global() and s.is_referenced()}
    return names - {"__name__"}


def changed_globals(node: ast.FunctionDef | ast.ClassDef, context: PageContext) -> set[str]:
    """What calling a function of the page changes besides its arguments: the globals its
    code changes directly (`losses.append(...)`, `optimizer.step()` on a global
    optimizer, `state["step"] = 1`), and what the functions it calls change; files it
    names, module settings. Reading a global changes nothing; building a class, nothing."""
    if isinstance(node, ast.ClassDef):
        return set()
    names = scope_globals(node) - context.modules
    declared = {
        name for inner in ast.walk(node) if isinstance(inner, ast.Global) for name in inner.names
    }
    changed: set[str] = set()
    for inner in ast.walk(node):
        roots: list[str | None] = []
        if isinstance(inner, ast.Call):
            roots += call_changes(inner, context)
            if isinstance(inner.func, ast.Name) and inner.func.id != node.name:
                changed |= context.changes_when_called.get(inner.func.id, set())
        elif isinstance(inner, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
            roots += [
                root_name(t) for t in targets if not isinstance(t, ast.Name) or t.id in declared
            ]
        elif (
            isinstance(inner, ast.Constant)
            and isinstance(inner.value, str)
            and names_file(inner.value)
        ):
            changed.add(FILE + inner.value)
        for root in roots:
            if root in names or root in declared:
                changed |= context.reach(root) - context.modules
            elif root in context.modules:
                changed.add(settings(root))
    return changed


def call_changes(node: ast.Call, context: PageContext) -> list[str | None]:
    """The names a call may change: the object of a method that is not a read, the
    arguments of an in-place function or of a function of the page."""
    function, final = node.func, call_name(node)
    arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
    if isinstance(function, ast.Name):
        changing = function.id in context.functions or (
            function.id in context.modules and changes_arguments(function.id)
        )
        return [root_name(argument) for argument in arguments] if changing else []
    owner = root_name(function)
    if final == "backward":  # the gradients of the tensors the loss came from
        return [name for name in loaded_names(function.value) if name in context.grad]
    if owner in context.functions:  # a method of what a function returned
        return []
    if owner in context.modules:
        if final and final.startswith(("set_", "use_")):
            return [owner]
        return (
            [root_name(argument) for argument in arguments]
            if changes_arguments(final or "")
            else []
        )
    return [owner] if final not in READS else []


def seeds_before_drawing(node: ast.FunctionDef, context: PageContext) -> bool:
    """Whether a function seeds torch's generator before it draws from it."""
    reading = BlockReading(copy.deepcopy(context))
    for statement in node.body:
        reading.visit(statement)
    return TORCH_RNG in reading.makes and TORCH_RNG not in reading.uses


def draws_when_called(node: ast.AST, context: PageContext) -> bool:
    """Whether calling a function, or building a class, of the page draws random numbers."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call) and call_name(inner) in DRAWS:
            return True
        if isinstance(inner, ast.Name) and (
            inner.id in context.draws or inner.id in context.draws_when_called
        ):
            return True
    return False


def draws_when_used(value: ast.AST, context: PageContext) -> bool:
    """Whether what `value` makes draws each time it is used (dropout, a shuffle; a
    DistributedSampler shuffles with its own seed)."""
    for inner in ast.walk(value):
        if isinstance(inner, ast.Call) and call_name(inner) in OWN_SEED:
            continue
        if isinstance(inner, ast.Call) and any(
            keyword.arg == "shuffle" and not is_false(keyword.value) for keyword in inner.keywords
        ):
            return True
        if isinstance(inner, ast.Call) and call_name(inner) in DRAWS_WHEN_USED:
            return True
        if isinstance(inner, ast.Name) and inner.id in context.draws:
            return True
    return False


def carries_grad(value: ast.AST, context: PageContext) -> bool:
    """Whether what `value` makes may hold tensors that backward() gives a gradient: a
    module with parameters, a tensor that requires grad, or what is made from one."""
    for inner in ast.walk(value):
        if isinstance(inner, ast.Call):
            name = call_name(inner)
            if name in DRAWS or name in WITH_PARAMETERS or name in context.makes_grad:
                return True
            if name == "requires_grad_" or any(
                keyword.arg == "requires_grad" and not is_false(keyword.value)
                for keyword in inner.keywords
            ):
                return True
        if isinstance(inner, ast.Name) and inner.id in context.grad:
            return True
    return False


def is_fixed(value: ast.AST, context: PageContext) -> bool:
    """Whether `value` is a number or string that nothing can change: a constant, or
    arithmetic on constants and such names (lr = 0.1, steps = 2 * epochs)."""
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, ast.Name):
        return value.id in context.fixed
    if isinstance(value, ast.UnaryOp):
        return is_fixed(value.operand, context)
    if isinstance(value, ast.BinOp):
        return is_fixed(value.left, context) and is_fixed(value.right, context)
    return False


def is_false(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and not node.value


def call_name(node: ast.Call) -> str | None:
    function = node.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else None


def names_file(text: str) -> bool:
    """Whether a string literal looks like a file name (`ckpt.pt`, `runs/log.json`)."""
    stem, dot, suffix = text.rpartition(".")
    return bool(dot and stem) and suffix in FILE_SUFFIXES and " " not in text and "\n" not in text
