"""A self-contained HTML page of the search tree (no CDN): click a node to see its plan, code,
output, review and metric. The layout is computed here; the page only shows and switches panels."""

from __future__ import annotations

import html
import json

from scaffolds.aide.journal import Journal, Node

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;display:flex;height:100vh}
#tree{flex:1;overflow:auto;border-right:1px solid #ccc;padding:8px}
#panel{flex:1;overflow:auto;padding:12px}
pre{background:#f5f5f5;padding:8px;white-space:pre-wrap;font-size:12px}
circle{cursor:pointer;stroke:#333;stroke-width:1}
.buggy{fill:#e57373}.good{fill:#81c784}.best{fill:#ffd54f;stroke-width:3}
text{font-size:10px}
"""

_SCRIPT = """
const nodes = JSON.parse(document.getElementById('data').textContent);
function esc(s){return String(s).replace(/[&<>]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));}
function show(id){
  const n = nodes[id];
  document.getElementById('panel').innerHTML =
    `<h2>Step ${n.step}: ${n.stage} ${esc(n.id)}</h2>`+
    `<p><b>Status:</b> ${n.is_buggy?'buggy':'working'} &middot; <b>Metric:</b> ${n.metric===null?'none':n.metric}`+
    ` &middot; <b>Exec:</b> ${n.exec_time_s.toFixed(1)} s &middot; <b>Cost:</b> $${n.usage.cost_usd.toFixed(4)}</p>`+
    `<h3>Plan</h3><pre>${esc(n.plan)}</pre><h3>Review</h3><pre>${esc(n.analysis)}</pre>`+
    `<h3>Bug reasons</h3><pre>${esc((n.bug_reasons||[]).join('\\n'))}</pre>`+
    `<h3>Code</h3><pre>${esc(n.code)}</pre><h3>Output</h3><pre>${esc(n.output)}</pre>`;
}
document.querySelectorAll('circle').forEach(c=>c.addEventListener('click',()=>show(c.dataset.id)));
"""


def _layout(journal: Journal) -> dict[str, tuple[float, float]]:
    """x from leaf order (parents centred over their children), y from depth. Iterative: a 500-step
    run can make a chain 500 nodes deep."""
    kids: dict[str | None, list[Node]] = {}
    for node in journal.nodes:
        kids.setdefault(node.parent_id, []).append(node)
    pos: dict[str, tuple[float, float]] = {}
    next_x = 0.0
    stack: list[tuple[Node, int, bool]] = [(root, 0, False) for root in reversed(kids.get(None, []))]
    while stack:
        node, depth, expanded = stack.pop()
        children = kids.get(node.id, [])
        if not children:
            pos[node.id] = (next_x, depth)
            next_x += 1
        elif expanded:
            xs = [pos[c.id][0] for c in children]
            pos[node.id] = (sum(xs) / len(xs), depth)
        else:
            stack.append((node, depth, True))
            stack.extend((c, depth + 1, False) for c in reversed(children))
    return pos


def render_tree_html(journal: Journal, title: str = "AIDE run") -> str:
    pos = _layout(journal)
    best = journal.best_node()
    sx, sy, margin = 48, 70, 30
    width = int(max((x for x, _ in pos.values()), default=0) * sx + 2 * margin)
    height = int(max((y for _, y in pos.values()), default=0) * sy + 2 * margin)
    svg = []
    for node in journal.nodes:
        parent = journal.get(node.parent_id)
        if parent and parent.id in pos and node.id in pos:
            (x1, y1), (x2, y2) = pos[parent.id], pos[node.id]
            svg.append(f'<line x1="{x1*sx+margin}" y1="{y1*sy+margin}" x2="{x2*sx+margin}" '
                       f'y2="{y2*sy+margin}" stroke="#999"/>')
    for node in journal.nodes:
        if node.id not in pos:
            continue
        x, y = pos[node.id]
        cls = "best" if best and node.id == best.id else ("buggy" if node.is_buggy else "good")
        label = "bug" if node.is_buggy else f"{node.metric:.4g}" if node.metric is not None else "?"
        svg.append(f'<circle r="11" cx="{x*sx+margin}" cy="{y*sy+margin}" class="{cls}" '
                   f'data-id="{html.escape(node.id)}"><title>step {node.step} {node.stage}</title></circle>')
        svg.append(f'<text x="{x*sx+margin+13}" y="{y*sy+margin+4}">{node.step}: {html.escape(label)}</text>')
    data = json.dumps({n.id: n.to_dict() for n in journal.nodes}).replace("</", "<\\/")
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<div id='tree'><h3>{html.escape(title)}</h3><p>{len(journal)} nodes; click one.</p>"
        f"<svg width='{max(width, 200)}' height='{max(height, 100)}'>{''.join(svg)}</svg></div>"
        f"<div id='panel'><p>Select a node.</p></div>"
        f"<script type='application/json' id='data'>{data}</script>"
        f"<script>{_SCRIPT}</script></body></html>"
    )
