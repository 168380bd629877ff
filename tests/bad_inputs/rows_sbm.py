from graphcourse import data

from . import Bad

S = "graphcourse.data.sbm"

ROWS = [
    Bad(f"{S}:cluster", "no graphs",
        lambda: data.cluster(0), ValueError, r"num_graphs: expected an int >= 1"),
    Bad(f"{S}:cluster", "float count",
        lambda: data.cluster(2.5), TypeError, r"num_graphs: expected an int"),
    Bad(f"{S}:cluster", "negative seed",
        lambda: data.cluster(2, seed=-1), ValueError, r"seed: expected an int >= 0"),
    Bad(f"{S}:cluster", "None as seed",
        lambda: data.cluster(2, seed=None), TypeError, r"seed: expected an int"),
    Bad(f"{S}:pattern", "a string count",
        lambda: data.pattern("10"), TypeError, r"num_graphs: expected an int, got str"),
    Bad(f"{S}:pattern", "float seed",
        lambda: data.pattern(2, seed=1.0), TypeError, r"seed: expected an int"),
    Bad(f"{S}:pattern", "negative count",
        lambda: data.pattern(-3), ValueError, r"num_graphs: expected an int >= 1"),
]
