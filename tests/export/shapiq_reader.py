"""A strict reader of shapiq's InteractionValues JSON, written from the format as documented in
docs/result-schema.md ("shapiq export"), which was read off shapiq's own writer and loader
(InteractionValues.to_json_file / from_json_file, shapiq/utils/saving.py). Python 3 standard
library only: shapiq itself is not installed to check spexlens' export.

It accepts what shapiq writes and refuses, with a message naming the field, anything shapiq's
loader would fail on or silently change: a missing or mistyped field, an index name shapiq does
not know, a key that is not "Empty" or sorted distinct player indices ("0,3"), a player outside
0..n_players-1, a key whose size lies outside [min_order, max_order], an "Empty" value that
disagrees with baseline_value (shapiq would overwrite one with the other), NaN or infinity, a
repeated key.

    python3 tests/export/shapiq_reader.py FILE.json   # prints a summary, exit 1 with the reason

    from shapiq_reader import read_shapiq_file
    iv = read_shapiq_file(path)   # iv["values"]: {(): v0, (0,): v1, (0, 3): v2, ...}
"""
import json
import re
import sys
from pathlib import Path

# shapiq's index names (shapiq/typing.py IndexType).
SHAPIQ_INDICES = frozenset([
    "SII", "BII", "CHII", "Co-Moebius", "SGV", "BGV", "CHGV", "IGV", "EGV", "k-SII", "STII", "FSII",
    "kADD-SHAP", "FBII", "SV", "BV", "JointSV", "Moebius", "ELC",
])
# Indices that generalize the Shapley / Banzhaf value (game_theory/indices.py): at max_order 1
# shapiq reads them as "SV" / "BV".
GENERALIZES_SV = frozenset(["SII", "CHII", "SGV", "CHGV", "k-SII", "STII", "FSII", "kADD-SHAP", "JointSV"])
GENERALIZES_BV = frozenset(["BII", "BGV", "FBII"])
# The header to_json_file writes before "metadata" and "data" (utils/saving.py make_file_metadata).
HEADER_FIELDS = ("object_name", "data_type", "version", "created_from", "description", "parameters", "timestamp")
METADATA_FIELDS = ("n_players", "index", "max_order", "min_order", "estimated", "estimation_budget", "baseline_value")
KEY = re.compile(r"^(0|[1-9][0-9]{0,17})(,(0|[1-9][0-9]{0,17}))*$")
MAX_BYTES = 256 << 20  # a larger file is refused before it is parsed


class ShapiqFormatError(ValueError):
    """The file is not InteractionValues JSON that shapiq would load unchanged."""


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _no_duplicates(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise ShapiqFormatError(f"key {key!r} appears twice in one object")
        out[key] = value
    return out


def _no_constant(name):
    raise ShapiqFormatError(f"{name} is not a JSON number (JSON has no NaN or infinity)")


def _require(obj, fields, where):
    for field in fields:
        if field not in obj:
            raise ShapiqFormatError(f"{where}: the required field {field!r} is missing")


def _check_header(doc):
    _require(doc, HEADER_FIELDS + ("metadata", "data"), "top level")
    if doc["object_name"] != "InteractionValues":
        raise ShapiqFormatError(f"object_name: expected 'InteractionValues', got {doc['object_name']!r}")
    if doc["data_type"] != "interaction_values":
        raise ShapiqFormatError(f"data_type: expected 'interaction_values', got {doc['data_type']!r}")
    for field in ("version", "created_from", "description"):
        if doc[field] is not None and not isinstance(doc[field], str):
            raise ShapiqFormatError(f"{field}: expected a string or null, got {type(doc[field]).__name__}")
    if not isinstance(doc["timestamp"], str):
        raise ShapiqFormatError(f"timestamp: expected a string, got {type(doc['timestamp']).__name__}")
    if not isinstance(doc["parameters"], dict):
        raise ShapiqFormatError(f"parameters: expected an object, got {type(doc['parameters']).__name__}")


def _check_metadata(meta):
    if not isinstance(meta, dict):
        raise ShapiqFormatError(f"metadata: expected an object, got {type(meta).__name__}")
    _require(meta, METADATA_FIELDS, "metadata")
    for field in ("n_players", "max_order", "min_order"):
        if not _is_int(meta[field]) or meta[field] < 0:
            raise ShapiqFormatError(f"metadata.{field}: expected a non-negative integer, got {meta[field]!r}")
    if meta["max_order"] < 1:
        raise ShapiqFormatError(f"metadata.max_order: expected at least 1, got {meta['max_order']}")
    if meta["min_order"] > meta["max_order"]:
        raise ShapiqFormatError(f"metadata.min_order {meta['min_order']} is above max_order {meta['max_order']}")
    if not isinstance(meta["index"], str) or meta["index"] not in SHAPIQ_INDICES:
        raise ShapiqFormatError(f"metadata.index: {meta['index']!r} is not one of shapiq's indices "
                                f"({', '.join(sorted(SHAPIQ_INDICES))})")
    if not isinstance(meta["estimated"], bool):
        raise ShapiqFormatError(f"metadata.estimated: expected true or false, got {meta['estimated']!r}")
    budget = meta["estimation_budget"]
    if budget is not None and (not _is_int(budget) or budget < 0):
        raise ShapiqFormatError(f"metadata.estimation_budget: expected a non-negative integer or null, got {budget!r}")
    if not _is_number(meta["baseline_value"]):
        raise ShapiqFormatError(f"metadata.baseline_value: expected a number, got {meta['baseline_value']!r}")


def _parse_key(key, meta):
    """The players of one "data" key, checked against n_players and the order range."""
    if key == "Empty":
        players = ()
    elif KEY.match(key):
        players = tuple(int(p) for p in key.split(","))
    else:
        raise ShapiqFormatError(f"data key {key!r}: expected 'Empty' or player indices joined by ',' (e.g. '0,3')")
    if any(b <= a for a, b in zip(players, players[1:])):
        raise ShapiqFormatError(f"data key {key!r}: players must be distinct and in increasing order")
    if players and players[-1] >= meta["n_players"]:
        raise ShapiqFormatError(f"data key {key!r}: player {players[-1]} is out of range for "
                                f"n_players = {meta['n_players']}")
    if not meta["min_order"] <= len(players) <= meta["max_order"]:
        raise ShapiqFormatError(f"data key {key!r}: order {len(players)} is outside min_order..max_order = "
                                f"{meta['min_order']}..{meta['max_order']}")
    return players


def shapiq_index_as_loaded(index, max_order):
    """The index name shapiq gives the loaded object (get_index_from_computation_index)."""
    if max_order == 1 and index in GENERALIZES_BV:
        return "BV"
    if max_order == 1 and index in GENERALIZES_SV:
        return "SV"
    return index


def read_shapiq_text(text):
    """Checks InteractionValues JSON text; returns {"values": {players: value}, "index",
    "shapiq_index", "n_players", "min_order", "max_order", "estimated", "estimation_budget",
    "baseline_value", "header": {the seven header fields}}. Raises ShapiqFormatError."""
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise ShapiqFormatError(f"not valid JSON: {e}") from None
    except RecursionError:
        raise ShapiqFormatError("not InteractionValues JSON: nested too deeply") from None
    if not isinstance(doc, dict):
        raise ShapiqFormatError(f"expected a JSON object at the top level, got {type(doc).__name__}")
    _check_header(doc)
    meta = doc["metadata"]
    _check_metadata(meta)
    data = doc["data"]
    if not isinstance(data, dict):
        raise ShapiqFormatError(f"data: expected an object, got {type(data).__name__}")
    values = {}
    for key, value in data.items():
        players = _parse_key(key, meta)
        if not _is_number(value):
            raise ShapiqFormatError(f"data[{key!r}]: expected a number, got {value!r}")
        values[players] = float(value)
    baseline = float(meta["baseline_value"])
    index = meta["index"]
    # shapiq keeps an "Empty" value only where it agrees with the baseline (SII excepted); else it
    # overwrites one with the other. Without "Empty" and min_order 0 it inserts the baseline.
    if () in values and index != "SII" and values[()] != baseline:
        raise ShapiqFormatError(f"data['Empty'] = {values[()]!r} disagrees with metadata.baseline_value = "
                                f"{baseline!r}; shapiq would replace one with the other")
    if () not in values and meta["min_order"] == 0:
        values[()] = baseline
    return {
        "values": values,
        "index": index,
        "shapiq_index": shapiq_index_as_loaded(index, meta["max_order"]),
        "n_players": meta["n_players"],
        "min_order": meta["min_order"],
        "max_order": meta["max_order"],
        "estimated": meta["estimated"],
        "estimation_budget": meta["estimation_budget"],
        "baseline_value": baseline,
        "header": {field: doc[field] for field in HEADER_FIELDS},
    }


def read_shapiq_file(path):
    """read_shapiq_text on a file whose name ends in ".json" (shapiq's load refuses others)."""
    path = Path(path)
    if not path.name.endswith(".json"):
        raise ShapiqFormatError(f"{path}: shapiq loads only files whose name ends in .json")
    if path.stat().st_size > MAX_BYTES:
        raise ShapiqFormatError(f"{path}: larger than {MAX_BYTES >> 20} MiB")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ShapiqFormatError(f"{path}: not UTF-8 ({e})") from None
    return read_shapiq_text(text)


def main(argv):
    if len(argv) != 2:
        print("usage: shapiq_reader.py FILE.json", file=sys.stderr)
        return 2
    try:
        iv = read_shapiq_file(argv[1])
    except (ShapiqFormatError, OSError) as e:
        print(f"shapiq_reader: {argv[1]}: {e}", file=sys.stderr)
        return 1
    largest = sorted(((abs(v), k, v) for k, v in iv["values"].items() if k), reverse=True)[:5]
    print(json.dumps({
        "index": iv["index"], "shapiq_index": iv["shapiq_index"], "n_players": iv["n_players"],
        "orders": [iv["min_order"], iv["max_order"]], "values": len(iv["values"]),
        "baseline_value": iv["baseline_value"],
        "largest": [{"players": list(k), "value": v} for _, k, v in largest],
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
