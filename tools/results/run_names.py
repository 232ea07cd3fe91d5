"""How tools/results/range_sweep_runs.sh names its results files: <model>-<defense without '+'>-<seed>.json."""
import os


def model_of(path, doc):
    """The model's name in a results file's name, given the file's own method and seed (defense names may hold '-')."""
    suffix = f"-{doc['method'].replace('+', '')}-{doc['settings']['seed']}.json"
    base = os.path.basename(path)
    if not base.endswith(suffix):
        raise SystemExit(f"{path}: expected a name ending in {suffix}")
    return base[: -len(suffix)]
