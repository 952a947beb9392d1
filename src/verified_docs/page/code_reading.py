"""What each statement of a page's blocks uses from before and makes: the analysis
behind each block's standalone copy (standalone_copy.py).

What a block needs is computed from its code with `ast`, reading each block in the order
Python evaluates it:

- a name it loads before binding it comes from the last earlier block that bound it;
- changing an object (`model.load_state_dict(...)`, `optimizer.step()`, `w.data = ...`,
  `losses.append(...)`, `clip_grad_norm_(model.parameters(), 1)`, passing it to a
  function of the page that changes that parameter) both uses it and makes it anew, so
  later blocks need that block too. A name made from others
  (`optimizer = SGD(model.parameters())`, `loss = loss_fn(model(x), y)`) is linked to
  them: changing it (`optimizer.step()`, `loss.backward()`) changes them;
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
"""

import ast
import copy
import symtable

from .torch_effects import (
    BUILTINS,
    CHANGE_ARGUMENTS,
    COMPREHENSIONS,
    DRAWS,
    DRAWS_WHEN_USED,
    FILE,
    FILE_SUFFIXES,
    OWN_SEED,
    PYTHON_RNG,
    READS,
    RNG_OF_MODULE,
    SEEDS,
    TORCH_RNG,
    WITH_PARAMETERS,
)


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
        # function -> (its parameters in order, those a call may change); a function left
        # out may change any argument (a class, a generator, one taking *args)
        self.changes_parameters: dict[str, tuple[list[str], set[str]]] = {}
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
        parameters = changed_parameters(node, self.context)
        if parameters is None:
            self.context.changes_parameters.pop(node.name, None)
        else:
            self.context.changes_parameters[node.name] = parameters
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
                self.change_arguments(changed_arguments(node, self.context))
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
            # (decay if ... else no_decay).append(...): any of them may change; not a
            # function of the page whose new object it is: Net().load_state_dict(...).
            for inner in sorted(loaded_names(function.value) - self.context.functions):
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


def changed_parameters(
    node: ast.FunctionDef | ast.ClassDef, context: PageContext
) -> tuple[list[str], set[str]] | None:
    """A function's parameters in order, and those a call may change: what its code
    changes in place (a method that is not a read, an item or attribute assigned, an
    augmented assignment, a call of a function that changes its arguments), directly or
    through a local name made from it; a parameter called (a module's forward may update
    its running statistics), behind a `backward()`, or naming a file the function
    writes. None where that cannot be told: a class, a generator, a function with *args
    or **kwargs or a function inside."""
    if isinstance(node, ast.ClassDef) or node.args.vararg or node.args.kwarg:
        return None
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
    nested += (ast.Yield, ast.YieldFrom, ast.Global, ast.Nonlocal)
    body = [inner for statement in node.body for inner in ast.walk(statement)]
    if any(isinstance(inner, nested) for inner in body):
        return None
    arguments = node.args
    order = [a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]]
    aliases = {name: {name} for name in order}  # parameter -> local names that may hold it
    bindings = [(target, value) for inner in body for target, value in bound_names(inner)]
    grown = True
    while grown:
        grown = False
        for target, value in bindings:
            for held in aliases.values():
                if loaded_names(value) & held and target not in held:
                    held.add(target)
                    grown = True
    roots = set()
    for inner in body:
        roots |= set(changed_roots(inner, context))
    changed = {name for name, held in aliases.items() if held & roots}
    return order, changed


def bound_names(node: ast.AST) -> list[tuple[str, ast.AST]]:
    """(name, expression) for each name a statement or expression binds from a value."""
    if isinstance(node, ast.Assign):
        pairs = [(target, node.value) for target in node.targets]
    elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
        pairs = [(node.target, node.value)]
    elif isinstance(node, ast.For | ast.comprehension):
        pairs = [(node.target, node.iter)]
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        pairs = [(node.optional_vars, node.context_expr)]
    else:
        return []
    return [
        (inner.id, value)
        for target, value in pairs
        for inner in ast.walk(target)
        if isinstance(inner, ast.Name)
    ]


def changed_roots(node: ast.AST, context: PageContext) -> list[str | None]:
    """The names whose objects `node` may change in place (see `changed_parameters`)."""
    if isinstance(node, ast.Call):
        roots = call_changes(node, context)
        if isinstance(node.func, ast.Name):
            roots.append(node.func.id)  # a parameter called: a module's forward
        if call_name(node) in WRITES_FILES:  # torch.save(state, path): what is at path
            roots += [root_name(argument) for argument in node.args]
        if call_name(node) == "backward":
            roots += list(loaded_names(node.func))
        return roots
    if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
        targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
        return [
            root_name(target)
            for target in targets
            if not isinstance(target, ast.Name) or isinstance(node, ast.AugAssign)
        ]
    return []


# Calls that write a file named by an argument: a function that passes them its
# parameter changes what that parameter names, for a later block that reads the file.
WRITES_FILES = {"save", "savez", "dump", "savefig", "open", "write_text", "write_bytes"}


def changed_arguments(node: ast.Call, context: PageContext) -> list[ast.expr]:
    """The arguments of a call of a function of the page that it may change: those of
    the parameters `changed_parameters` found, or all of them."""
    arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
    known = (
        context.changes_parameters.get(node.func.id) if isinstance(node.func, ast.Name) else None
    )
    if known is None or any(isinstance(argument, ast.Starred) for argument in node.args):
        return arguments
    order, changed = known
    by_position = [arg for name, arg in zip(order, node.args, strict=False) if name in changed]
    by_keyword = [keyword.value for keyword in node.keywords if keyword.arg in changed]
    unknown = [keyword.value for keyword in node.keywords if keyword.arg not in order]
    return by_position + by_keyword + unknown


def call_changes(node: ast.Call, context: PageContext) -> list[str | None]:
    """The names a call may change: the object of a method that is not a read, the
    arguments of an in-place function or of a function of the page."""
    function, final = node.func, call_name(node)
    arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
    if isinstance(function, ast.Name):
        if function.id in context.functions:
            return [root_name(argument) for argument in changed_arguments(node, context)]
        changing = function.id in context.modules and changes_arguments(function.id)
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
        own_generator = isinstance(inner, ast.Call) and any(
            keyword.arg == "generator" for keyword in inner.keywords
        )  # torch.randperm(n, generator=g) draws from g, as call_effects says
        if isinstance(inner, ast.Call) and call_name(inner) in DRAWS and not own_generator:
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


def prints(node: ast.AST, context: PageContext) -> bool:
    """Whether running a statement may print: it calls print, or a function of the page
    that does (defining a function prints nothing)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
        return False
    if isinstance(node, ast.Call) and call_name(node) in {"print", *context.prints_when_called}:
        return True
    return any(prints(child, context) for child in ast.iter_child_nodes(node))


def learn_prints(node: ast.stmt, context: PageContext) -> None:
    """Remember a function or class of the page whose code prints."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        methods = node.body if isinstance(node, ast.ClassDef) else [node]
        bodies = [statement for method in methods for statement in getattr(method, "body", [])]
        if any(prints(statement, context) for statement in bodies):
            context.prints_when_called.add(node.name)
        else:
            context.prints_when_called.discard(node.name)
