"""What the names a page calls do to the objects they touch: which draw random numbers,
which build parameters that gradients reach, which only read, which change their
arguments. The knowledge the copies' dependency analysis (code_reading.py) stands on:
a name missing here makes a copy that leaves out what it needs, and the test run, which
runs every copy alone, says which.
"""

import ast
import builtins

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
    "to_dict", "read_text", "exists", "stat", "is_file", "extra_repr", "median", "trace",
    "diagonal", "diag", "quantile", "unique", "nonzero", "bincount", "amax", "amin",
    "logsumexp", "cumprod", "add", "sub", "mul", "div", "matmul", "mm", "clamp", "neg",
    "argsort", "isnan", "nanmean", "nan_to_num",
}  # fmt: skip
FILE_SUFFIXES = {
    "pt", "pth", "ckpt", "bin", "safetensors", "json", "csv", "txt", "log", "npy", "npz",
    "pkl", "py", "onnx", "yaml", "png", "svg",
}  # fmt: skip
FILE = "file "  # the key of a file a block names: FILE + its name
# Above an earlier block, or part of one, that prints when a copy runs it.
BUILTINS = set(dir(builtins))  # print, len, range: no block makes them, none changes them
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
