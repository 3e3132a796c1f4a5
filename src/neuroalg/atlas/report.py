"""A static, self-contained HTML atlas: ``index.html`` plus one page per architecture.

No server and no network: styles, the sorting/filtering script and the plots (inline SVG) are in
the pages. The summary plots are the dimension against the number of parameters (the line
dim = #params for reference) and the defect (expected - dimension) against the sum of the
hidden widths, one mark per architecture, coloured by status. The table has one row per
architecture (its most reliable observation: certified, implied, Monte Carlo, numerical, then the
rest; neuroalg's own computations before imported ones), sortable by clicking a header and
filtered by a text box and a status selector. Each architecture's page lists every observation
with its provenance (method, library version, seed, primes, what an implied value rests on,
source, evidence). Identical data give byte-identical files: everything is sorted, nothing
depends on the clock, and run times are shown only with ``timings=True``. With timings, the
table also shows each architecture's measured time and the ratios measured/predicted of its
time and peak memory (of its most reliable computed observation), the summary states how the
predictions did over all computed tasks (by status), and each page lists measured and
predicted time and memory.
"""

from __future__ import annotations

import html
import json
import os

from .._version import __version__
from ..errors import SpecError
from .calibration import ratios
from .export import rows as export_rows
from .labels import slug
from .query import is_filling

_RANK = {"certified": 0, "implied": 1, "monte_carlo": 2, "numerical": 3, "timeout": 4,
         "skipped_budget": 5, "failed": 6}
_COLOR = {"certified": "#1a7f37", "implied": "#0969da", "monte_carlo": "#bf8700",
          "numerical": "#cf222e", "timeout": "#6e7781", "skipped_budget": "#8250df",
          "failed": "#000000"}
_CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#1f2328}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #d0d7de;padding:3px 6px}
th{background:#f6f8fa;cursor:pointer;user-select:none}td.n{text-align:right}
.plots{display:flex;flex-wrap:wrap;gap:2em}.legend span{margin-right:1em}
code,pre{background:#f6f8fa;padding:2px 4px}pre{white-space:pre-wrap}"""
_JS = """(function(){
var t=document.getElementById('atlas'),b=t.tBodies[0],q=document.getElementById('q'),
s=document.getElementById('s'),n=document.getElementById('n');
function f(){var x=q.value.toLowerCase(),st=s.value,k=0;for(var r of b.rows){
var ok=(!x||r.textContent.toLowerCase().indexOf(x)>=0)&&(!st||r.dataset.status===st);
r.style.display=ok?'':'none';if(ok)k++;}n.textContent=k;}
q.addEventListener('input',f);s.addEventListener('change',f);
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(h,i){h.addEventListener('click',
function(){var asc=h.dataset.dir!=='asc';h.dataset.dir=asc?'asc':'desc';
var rs=Array.prototype.slice.call(b.rows);rs.sort(function(a,c){
var u=a.cells[i].dataset.v,v=c.cells[i].dataset.v,p=parseFloat(u),w=parseFloat(v),
r=(!isNaN(p)&&!isNaN(w))?p-w:(u<v?-1:u>v?1:0);return asc?r:-r;});
rs.forEach(function(r){b.appendChild(r);});});});f();})();"""


def _e(v) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def best(observations):
    """The most reliable observation of one architecture (see the module docstring)."""
    return min(observations, key=lambda r: (_RANK[r["status"]], r["source"] != "neuroalg",
                                            r["method"], r["version"], r["seed"] or -1))


def _scatter(points, *, xlabel, ylabel, title, diagonal=False, w=460, h=320) -> str:
    """An SVG scatter plot of (x, y, status) points, axes from 0."""
    pad = 48
    xs = [p[0] for p in points] or [1]
    ys = [p[1] for p in points] or [1]
    xmax, ymin, ymax = max(max(xs), 1), min(min(ys), 0), max(max(ys), 1)
    sx = lambda x: pad + (w - pad - 10) * x / xmax  # noqa: E731
    sy = lambda y: h - pad - (h - pad - 20) * (y - ymin) / (ymax - ymin)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
           f'aria-label="{_e(title)}"><title>{_e(title)}</title>',
           f'<text x="{w / 2:.1f}" y="14" text-anchor="middle" font-size="13">{_e(title)}</text>',
           f'<line x1="{pad}" y1="{h - pad}" x2="{w - 10}" y2="{h - pad}" stroke="#444"/>',
           f'<line x1="{pad}" y1="20" x2="{pad}" y2="{h - pad}" stroke="#444"/>']
    for v, lab in ((0, "0"), (xmax, str(xmax))):
        out.append(f'<text x="{sx(v):.1f}" y="{h - pad + 14}" font-size="10" text-anchor="middle">{lab}</text>')
    for v in sorted({ymin, 0, ymax}):
        out.append(f'<text x="{pad - 4}" y="{sy(v) + 3:.1f}" font-size="10" text-anchor="end">{v}</text>')
    out.append(f'<text x="{(w + pad) / 2:.1f}" y="{h - 12}" font-size="11" text-anchor="middle">{_e(xlabel)}</text>')
    out.append(f'<text x="12" y="{h / 2:.1f}" font-size="11" text-anchor="middle" '
               f'transform="rotate(-90 12 {h / 2:.1f})">{_e(ylabel)}</text>')
    if diagonal:
        m = min(xmax, ymax)
        out.append(f'<line x1="{sx(0):.1f}" y1="{sy(0):.1f}" x2="{sx(m):.1f}" y2="{sy(m):.1f}" '
                   f'stroke="#bbb" stroke-dasharray="4 3"/>')
    for x, y, st in sorted(set(points)):
        out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.5" fill="{_COLOR[st]}" '
                   f'fill-opacity="0.6"/>')
    out.append("</svg>")
    return "".join(out)


def _page(title: str, body: str, *, script: str = "") -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>\n{body}\n"
            + (f"<script>{script}</script>" if script else "") + "</body></html>\n")


def _value(r) -> str:
    if r["value"] is not None and r["lower"] == r["upper"] == r["value"]:
        return str(r["value"])
    if r["value"] is not None:
        return f"{r['value']} (bounds [{_b(r['lower'])}, {_b(r['upper'])}])"
    if r["upper"] is not None:
        return f"&le; {r['upper']}"
    return "&ndash;"


def _b(v):
    return "?" if v is None else v


def check_folder(out, name: str = "out") -> str:
    """``out`` as a folder the report can be written to, checked before any work: an existing
    writable folder, or a new one inside an existing writable folder (nothing is created)."""
    out = os.fspath(out)
    parent = os.path.dirname(os.path.abspath(out))
    if os.path.exists(out) and not os.path.isdir(out):
        raise SpecError(f"{name}: '{out}' is a file; give a folder for the report")
    if not os.path.exists(out) and not os.path.isdir(parent):
        raise SpecError(f"{name}: folder '{parent}' does not exist; create it first")
    where = out if os.path.exists(out) else parent
    if not os.access(where, os.W_OK | os.X_OK):
        raise SpecError(f"{name}: '{where}' is not writable")
    return out


def write_report(store, out, *, region=None, title: str = "neuroalg atlas",
                 timings: bool = False) -> int:
    """Write the atlas of ``store`` (optionally one region) to the folder ``out``; returns the
    number of architectures."""
    out = check_folder(out)
    data = export_rows(store, region=region, timings=timings)
    by_label: dict[str, list[dict]] = {}
    for r in data:
        by_label.setdefault(r["label"], []).append(r)
    os.makedirs(os.path.join(out, "arch"), exist_ok=True)
    top = {lab: best(rs) for lab, rs in by_label.items()}
    counts: dict[str, int] = {}
    for r in top.values():
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    p1 = [(r["n_params"], r["value"], r["status"]) for r in top.values() if r["value"] is not None]
    p2 = [(sum(map(int, r["widths"].split(",")[1:-1])), r["expected"] - r["value"], r["status"])
          for r in top.values() if r["value"] is not None and r["widths"]]
    legend = "".join(f'<span style="color:{_COLOR[s]}">&#9679; {s} ({counts[s]})</span>'
                     for s in _RANK if s in counts)
    cols: tuple[str, ...] = ("architecture", "depth", "#params", "ambient", "expected", "dimension",
                             "defect", "filling", "status", "method")
    if timings:
        cols += ("time (s)", "time measured/predicted", "memory measured/predicted")
    head = "".join(f"<th>{c}</th>" for c in cols)
    trs = []
    for lab in sorted(top):
        r = top[lab]
        fill = is_filling(r)
        defect = None if r["value"] is None else r["expected"] - r["value"]
        cells = [(f'<a href="arch/{_e(slug(lab))}.html">{_e(lab)}</a>', lab, False),
                 (r["depth"], r["depth"], True), (r["n_params"], r["n_params"], True),
                 (r["ambient"], r["ambient"], True), (r["expected"], r["expected"], True),
                 (_value(r), "" if r["value"] is None else r["value"], True),
                 (defect, defect, True),
                 ({True: "yes", False: "no", None: "?"}[fill], str(fill), False),
                 (r["status"], r["status"], False), (_e(r["method"]), r["method"], False)]
        if timings:
            m = _measured(by_label[lab])
            cells += [(_num(m.get("seconds")), m.get("seconds"), True),
                      (_num(m.get("time_ratio")), m.get("time_ratio"), True),
                      (_num(m.get("memory_ratio")), m.get("memory_ratio"), True)]
        tds = "".join(f'<td{" class=n" if num else ""} data-v="{_e(v)}">'
                      f'{c if isinstance(c, str) else _e(c)}</td>' for c, v, num in cells)
        trs.append(f'<tr data-status="{r["status"]}">{tds}</tr>')
    options = "".join(f'<option value="{s}">{s}</option>' for s in _RANK if s in counts)
    body = (f"<h1>{_e(title)}</h1>"
            f"<p>{len(top)} architectures, {len(data)} observations; dimensions are affine "
            f"(of the cone) over C; neuroalg {__version__}. Statuses: certified (proven), implied "
            f"(by monotonicity from the architecture named on its page), monte_carlo (proven lower "
            f"bound, value with a Schwartz&ndash;Zippel error bound), numerical, timeout, "
            f"skipped_budget, failed.</p>"
            + (_calibration(data) if timings else "")
            + f'<p class="legend">{legend}</p><div class="plots">'
            + _scatter(p1, xlabel="number of parameters", ylabel="dimension",
                       title="dimension against parameters (dashed: dim = #params)", diagonal=True)
            + _scatter(p2, xlabel="sum of hidden widths", ylabel="defect",
                       title="defect (expected - dimension) against widths")
            + "</div>"
            f'<p>Filter: <input id="q" placeholder="text in any column"> <select id="s">'
            f'<option value="">any status</option>{options}</select> '
            f'<span id="n">{len(top)}</span> rows shown; click a header to sort.</p>'
            f'<table id="atlas"><thead><tr>{head}</tr></thead><tbody>\n'
            + "\n".join(trs) + "\n</tbody></table>")
    _write(os.path.join(out, "index.html"), _page(title, body, script=_JS))
    for lab, rs in sorted(by_label.items()):
        _write(os.path.join(out, "arch", slug(lab) + ".html"), _arch_page(lab, rs, timings))
    return len(top)


def _arch_page(lab: str, rs: list[dict], timings: bool) -> str:
    a = rs[0]
    facts = (("family", a["family"]), ("widths", a["widths"]), ("depth", a["depth"]),
             ("activation", a["activation"]), ("bias", a["bias"]), ("parameters", a["n_params"]),
             ("ambient dimension", a["ambient"]), ("expected dimension", a["expected"]))
    body = [f'<p><a href="../index.html">atlas</a></p><h1><code>{_e(lab)}</code></h1><table>']
    body += [f"<tr><th>{k}</th><td>{_e(v)}</td></tr>" for k, v in facts]
    body.append("</table><h2>Observations</h2>")
    for r in sorted(rs, key=lambda r: (_RANK[r["status"]], r["method"], r["version"], r["seed"] or -1)):
        items = [("value", _value(r)), ("status", _e(r["status"])), ("method", _e(r["method"])),
                 ("library version", _e(r["version"])), ("seed", _e(r["seed"])),
                 ("primes", _e(", ".join(map(str, r["primes"])) or "none")),
                 ("source", _e(r["source"]))]
        if r["derived_from"]:
            items.append(("derived from", ", ".join(
                f'<a href="{_e(slug(s))}.html">{_e(s)}</a>' for s in r["derived_from"])))
        if timings:
            items += [("time", _ratio_cell(r.get("seconds"), r.get("predicted_seconds"),
                                           r.get("time_ratio"), "s")),
                      ("peak memory", _ratio_cell(_mib(r.get("peak_memory")),
                                                  _mib(r.get("predicted_memory")),
                                                  r.get("memory_ratio"), "MiB"))]
        items.append(("evidence", f"<pre>{_e(json.dumps(r['detail'], sort_keys=True, indent=1))}</pre>"))
        body.append(f"<h3>{_e(r['invariant'])} &mdash; {_e(r['status'])}</h3><table>"
                    + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in items) + "</table>")
    return _page(lab, "\n".join(body))


def _measured(rs: list[dict]) -> dict:
    """The most reliable observation of an architecture with a measured time and a prediction
    (an empty dict if none: imported and implied observations have neither)."""
    timed = [r for r in rs if r.get("time_ratio") is not None]
    return best(timed) if timed else {}


def _calibration(data: list[dict]) -> str:
    """The summary of measured over predicted time and memory of the computed tasks."""
    done = [r for r in data if r["status"] in ("certified", "monte_carlo", "numerical")]
    items = [str(ratios("time", ((r["seconds"], r["predicted_seconds"]) for r in done))),
             str(ratios("memory", ((r["peak_memory"], r["predicted_memory"]) for r in done)))]
    for st in ("certified", "monte_carlo", "numerical"):
        rs = [r for r in done if r["status"] == st]
        if rs:
            items.append(f"{st}: " + str(ratios("time", ((r["seconds"], r["predicted_seconds"])
                                                          for r in rs))))
    return ("<p>Predictions (time of one core if the bounds meet at the first trial; peak "
            "resident memory) against measurements:</p><ul>"
            + "".join(f"<li>{_e(x)}</li>" for x in items) + "</ul>")


def _num(v) -> str:
    return "" if v is None else f"{v:.3g}"


def _mib(v):
    return None if v is None else v / 2**20


def _ratio_cell(measured, predicted, ratio, unit: str) -> str:
    m = "&ndash;" if measured is None else f"{measured:.3g} {unit}"
    if predicted is None:
        return m
    r = "" if ratio is None else f", measured/predicted {ratio:.3g}"
    return f"{m} (predicted {predicted:.3g} {unit}{r})"


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
