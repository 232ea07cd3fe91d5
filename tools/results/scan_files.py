"""What the scan tables share: a folder's corpus, one scan's section by model and variant, and whether a verdict is
right for a corpus entry. Imported by scan_seeds_table.py, scan_margins_table.py and scan_machine_table.py."""
import json
import os
import sys


def corpus(folder):
    """DIR/corpus.json: model name → {model, deployment, truth, target, role, …}."""
    return json.load(open(os.path.join(folder, 'corpus.json')))


def section(folder, name, variant):
    """The `scan` section of FOLDER/<name>-<variant>.json, or None; a variant written OTHER:VARIANT is read from folder
    OTHER instead."""
    other, _, v = variant.rpartition(':')
    path = os.path.join(other or folder, f'{name}-{v}.json')
    return json.load(open(path))['scan'] if os.path.exists(path) else None


def right(entry, s):
    """A QCB flagged with its true target, a clean model with no QCB found, an FP backdoor as one."""
    if entry['truth'] == 'clean':
        return s['kind'] == 'no_qcb'
    if entry['truth'] == 'fp_backdoor':
        return s['kind'] == 'fp_backdoor'
    return s['kind'] == 'qcb_suspected' and s.get('target') == entry['target']


def folder_and_variants(usage):
    """The command line DIR VARIANT...: DIR, its corpus and, per model, the scans of the variants in order (None where
    a variant has no file); exits with USAGE when no variant is given."""
    if len(sys.argv) < 3:
        sys.exit(usage)
    d, variants = sys.argv[1], sys.argv[2:]
    entries = corpus(d)
    return d, variants, entries, {name: [section(d, name, v) for v in variants] for name in entries}
