"""Set up and tear down the namespace that the blocks of one page share."""

import sys


def setup(namespace: dict) -> None:
    # Snippets end in `if __name__ == "__main__": main()`, as the reader runs them.
    namespace["__name__"] = "__main__"


def teardown(namespace: dict) -> None:
    """Undo global settings a page may change, so the next page starts as a reader's would."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_printoptions(profile="default")
        torch.use_deterministic_algorithms(False)
        torch.set_default_dtype(torch.float32)
        torch.set_grad_enabled(True)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
    namespace.clear()
