"""Checks the layering of src/ (docs/architecture.md): each library includes only the layers
below it, the engine includes no I/O, text, UI or Emscripten header, and only the browser front
ends include Emscripten or Dear ImGui. Run by CTest (the `layering` test); first checks itself on
a planted tree with one breach of each kind, then prints one line per breach of src/ and exits 1,
or prints a summary and exits 0.

    python3 scripts/check_layers.py [SRC_DIR]
"""
import re
import sys
from pathlib import Path

# Which project directories each layer may include from (its own always allowed).
ALLOWED = {
    "spex": set(),
    "json": set(),
    "defaults": set(),
    "report": {"spex", "json"},
    "planted": {"spex", "report", "json"},
    "probe": {"json"},
    "attention": set(),
    "probing": {"spex"},
    "layer_probe": {"probing", "text", "spex", "json"},
    "text": {"spex", "json"},
    "components": {"spex", "text", "json"},
    "explain": {"spex", "text", "components", "report", "json", "defaults"},
    "app": {"spex", "text", "components", "explain", "report", "planted", "probe", "attention", "json", "defaults"},
    "cli": {"spex", "text", "components", "explain", "report", "planted", "json", "defaults"},
    "wasm": {"spex", "text", "components", "explain", "report", "probe", "probing", "layer_probe", "attention", "json", "defaults",
             "app"},  # app: its model only (exports), checked below
    "bench": {"spex"},
}
# Sub-layers of the app: the model (results read back, exports) knows nothing of the views or
# the browser; the views nothing of the browser.
APP_ALLOWED = {
    "model": set(),
    "ui": {"model"},
    "web": {"model", "ui"},
}
# System headers the engine must not include: I/O, JSON, UI, the browser.
ENGINE_BANNED = re.compile(r"^(iostream|fstream|sstream|cstdio|stdio\.h|filesystem|nlohmann/|imgui|emscripten|"
                           r"GLFW|utf8proc|oniguruma|zlib)")
# Only the browser front ends may include these.
BROWSER_ONLY = re.compile(r"^(emscripten|GLFW|imgui_impl_)")
IMGUI = re.compile(r"^imgui")
BROWSER_DIRS = {("app", "web"), ("wasm",)}
IMGUI_DIRS = {("app", "ui"), ("app", "web")}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(path, src):
    parts = path.relative_to(src).parts
    return parts[0], parts[1] if parts[0] == "app" and len(parts) > 2 else None


def check(src):
    problems = []
    files = sorted(p for p in src.rglob("*") if p.suffix in (".h", ".hpp", ".cpp", ".cc"))
    layers = {p.name for p in src.iterdir() if p.is_dir()}
    unknown = layers - set(ALLOWED)
    if unknown:
        problems.append(f"{src}: directories with no layering rule: {', '.join(sorted(unknown))} "
                        "(add them to scripts/check_layers.py)")
    edges = 0
    for path in files:
        layer, sub = layer_of(path, src)
        if layer not in ALLOWED:
            continue
        where = path.relative_to(src.parent)
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            quote, target = m.groups()
            at = f"{where}:{number}"
            if quote == '"':
                first = target.split("/")[0] if "/" in target else None
                if first in ALLOWED:
                    edges += 1
                    if first != layer and first not in ALLOWED[layer]:
                        problems.append(f"{at}: {layer}/ may not include {target} "
                                        f"(allowed: {', '.join(sorted(ALLOWED[layer] | {layer}))})")
                    if layer == "wasm" and first == "app" and not target.startswith("app/model/"):
                        problems.append(f"{at}: wasm/ may include only the app's model (app/model/), not {target}")
                    if layer == "app" and first == "app":
                        parts = target.split("/")
                        target_sub = parts[1] if len(parts) > 2 else None
                        if sub and target_sub and target_sub != sub and target_sub not in APP_ALLOWED.get(sub, set()):
                            problems.append(f"{at}: app/{sub}/ may not include {target}")
                elif "/" not in target and not (path.parent / target).exists():
                    problems.append(f"{at}: \"{target}\" is neither beside the file nor under a layer directory")
                continue
            # <...>: system and third-party headers.
            if layer == "spex" and ENGINE_BANNED.match(target):
                problems.append(f"{at}: the engine may not include <{target}> (no I/O, JSON, UI or browser)")
            home = (layer,) if layer != "app" else ("app", sub)
            if BROWSER_ONLY.match(target) and home not in BROWSER_DIRS:
                problems.append(f"{at}: <{target}> belongs in the browser front ends (src/app/web, src/wasm) only")
            if IMGUI.match(target) and not BROWSER_ONLY.match(target) and home not in IMGUI_DIRS:
                problems.append(f"{at}: <{target}>: Dear ImGui belongs in src/app/ui and src/app/web only")
    return problems, len(files), edges


def self_test():
    """The checker must see each kind of breach (a checker that finds nothing proves nothing)."""
    import tempfile
    breaches = {
        "spex/a.h": '#include "text/model_manifest.h"\n',
        "spex/b.cpp": "#include <iostream>\n",
        "text/c.cpp": '#include "app/ui/views.h"\n',
        "app/model/d.cpp": '#include "app/ui/views.h"\n',
        "wasm/w.cpp": '#include "app/ui/views.h"\n',
        "app/model/e.cpp": "#include <imgui.h>\n",
        "explain/f.cpp": "#include <emscripten/bind.h>\n",
        "report/g.cpp": '#include "nowhere.h"\n',
    }
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        for name in list(ALLOWED) + ["app/model", "app/ui", "app/web"]:
            (src / name).mkdir(parents=True, exist_ok=True)
        (src / "app/ui/views.h").write_text("#include <imgui.h>\n")
        for name, text in breaches.items():
            (src / name).write_text(text)
        problems, _, _ = check(src)
        for name in breaches:
            if not any(p.startswith(f"src/{name}:") for p in problems):
                print(f"check_layers: self-test: the breach in {name} was not reported")
                return 1
        if len(problems) != len(breaches):
            print("check_layers: self-test: unexpected reports: " + "; ".join(problems))
            return 1
    return 0


def main():
    if self_test() != 0:
        return 1
    src = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "src")
    problems, files, edges = check(src)
    for p in problems:
        print(p)
    if problems:
        print(f"check_layers: {len(problems)} breach(es) of the layering (docs/architecture.md)")
        return 1
    print(f"check_layers: {files} files, {edges} project includes, all within the layering")
    return 0


if __name__ == "__main__":
    sys.exit(main())
