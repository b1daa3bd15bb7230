"""The layers picture: /opt built layer by layer, the size quota as a stacked bar, deletion."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from lambda_prep.views.sims.common import interview_footer

_BAR_WIDTH = 50
_MARKS = "ABCDEGHIJKLMNOPQRSTU"


def _opt_tree(result, upto: int | None = None, files_of_next: int = 0) -> Tree:
    """/opt after the first `upto` layers (all when None) and `files_of_next` files of the next one."""
    from dataclasses import replace

    from lambda_prep.sims.layers import merge

    layers = result.params.layers if upto is None else result.params.layers[:upto]
    if upto is not None and files_of_next and upto < len(result.params.layers):
        partial = result.params.layers[upto]
        layers = layers + (replace(partial, files=partial.files[:files_of_next]),)
    files, _ = merge(layers, result.params.overlap)
    tree = Tree("/opt" + ("" if files else "  (empty)"))
    nodes: dict[str, Tree] = {}
    for f in files:
        parent = tree
        parts = f.path.split("/")
        for depth in range(1, len(parts)):
            key = "/".join(parts[:depth])
            if key not in nodes:
                nodes[key] = parent.add(parts[depth - 1] + "/")
            parent = nodes[key]
        label = Text(parts[-1])
        label.append(f"   from {f.winner}", style="cyan")
        if f.conflict:
            others = [p for p in f.providers if p != f.winner]
            label.append(f"   ⚠ also in {', '.join(others)}: "
                         + ("overwritten" if result.params.overlap == "later-wins" else "kept out")
                         + " (assumption)", style="yellow")
        parent.add(label)
    return tree


def _merge_table(result) -> Table:
    table = Table(title="Merge order (as added; the console can move a layer earlier or later)",
                  title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("mark")
    table.add_column("layer")
    table.add_column("MB", justify="right")
    table.add_column("adds")
    table.add_column("same path as an earlier layer", style="yellow")
    for i, ((ref, added, collided), layer) in enumerate(zip(result.merge_steps, result.params.layers), 1):
        table.add_row(str(i), _MARKS[i - 1], ref, f"{layer.size_mb:g}", "\n".join(added) or "-",
                      "\n".join(collided) or "-")
    return table


def _size_bar(result) -> Group:
    from lambda_prep.sims.layers import MAX_UNZIPPED_MB

    p = result.params
    scale = max(result.total_mb, MAX_UNZIPPED_MB)
    per_char = scale / _BAR_WIDTH
    bar = Text()
    used = 0.0
    segments = [("F", p.function_mb, "function code")] + [
        (_MARKS[i], layer.size_mb, layer.ref) for i, layer in enumerate(p.layers)]
    position = 0
    for mark, size, _ in segments:
        used += size
        end = round(used / per_char)
        for col in range(position, end):
            over = (col + 0.5) * per_char > MAX_UNZIPPED_MB
            bar.append(mark, style="bold red" if over else ("green" if mark == "F" else "cyan"))
        position = max(position, end)
    limit_col = round(MAX_UNZIPPED_MB / per_char)
    ruler = Text(" " * limit_col + f"^ {MAX_UNZIPPED_MB} MB quota (function + all layers, unzipped)")
    legend = Text("  ".join(f"{m}={name} {size:g} MB" for m, size, name in segments), style="dim")
    title = Text(f"Unzipped size: {result.total_mb:g} MB of {MAX_UNZIPPED_MB} MB", style="bold")
    return Group(title, bar, ruler, legend)


def render(result, width: int = 80) -> list:
    p = result.params
    kind = "a .zip" if p.package == "zip" else "a container image"
    out: list = [Text(f"layers: building /opt for {kind} function from {len(p.layers)} layer(s), "
                      "in merge order", style="bold")]
    if p.layers:
        out.append(_merge_table(result))
        out.append(_opt_tree(result))
    if p.package == "zip":
        out.append(_size_bar(result))

    checks = Table(title="Quotas", title_justify="left")
    checks.add_column("check")
    checks.add_column("value", justify="right")
    checks.add_column("limit", justify="right")
    checks.add_column("result")
    for c in result.checks + ([result.image] if p.package == "zip" else []):
        checks.add_row(c.name, f"{c.value:,g} {c.unit}", f"{c.limit:,g} {c.unit}",
                       Text(c.reason, style="green" if c.ok else "bold red"))
    out.append(checks)
    if result.deployable:
        out.append(Text("Deployable: every quota is met.", style="bold green"))
    else:
        out.append(Text("Deployment REJECTED: " + "; ".join(result.reasons), style="bold red"))
    if result.ways_out:
        out.append(Text("Ways out:\n" + "\n".join("  • " + w for w in result.ways_out)))

    if result.deletion_story:
        story = Table(title="Deleting a layer version", title_justify="left")
        story.add_column("#", justify="right")
        story.add_column("what happens")
        story.add_column("outcome")
        for i, step in enumerate(result.deletion_story, 1):
            story.add_row(str(i), step.action, Text(("✓ " if step.ok else "✗ ") + step.outcome,
                                                    style="green" if step.ok else "red"))
        out.append(story)
    out.append(Text("\n".join("Assumption: " + a if i == 0 else "Note: " + a
                              for i, a in enumerate(result.assumptions)), style="dim"))
    out.append(interview_footer([
        "Layers are zips extracted to /opt in the order you add them, at most 5 per function; the function "
        "and all its layers must fit in 250 MB unzipped. Past that: a container image (up to 10 GB, no layers).",
        "Two layers shipping the same file: the later one is commonly said to win, but AWS does not document "
        "it, so avoid overlaps and pin exact layer versions.",
        "Deleting a layer version does not break functions already using it; new functions just cannot add it. "
        "Versions are immutable: publish a new one.",
    ], explain_topic="layers"))
    return out


def frames(result, width: int = 80) -> list:
    """/opt growing one file at a time, layer after layer, then the verdict."""
    layers = result.params.layers
    shown = [Group(Text("an empty /opt", style="bold"), _opt_tree(result, upto=0))]
    for k, layer in enumerate(layers):
        for j in range(1, max(1, len(layer.files)) + 1):
            heading = Text(f"extracting layer {k + 1} of {len(layers)}: {layer.ref}", style="bold")
            shown.append(Group(heading, _opt_tree(result, upto=k, files_of_next=j)))
    verdict = Text("Deployable" if result.deployable else "REJECTED: " + "; ".join(result.reasons),
                   style="bold green" if result.deployable else "bold red")
    shown.append(Group(_opt_tree(result), verdict))
    return shown
