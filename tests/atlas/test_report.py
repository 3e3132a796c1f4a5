import hashlib
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from neuroalg.atlas.frontier import frontier_search
from neuroalg.atlas.report import write_report
from neuroalg.atlas.store import Store
from neuroalg.atlas.sweep import sweep

REGION = "mlp d0=2 dL=1 depth<=4 width<=4 r=2"


def _tree(root: Path) -> dict:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "a.sqlite") as s:
        sweep(REGION, s, backend="serial")
        frontier_search("mlp d0=2 dL=1 depth=4 width<=4 r=2", s)  # adds implied observations
        yield s


def test_byte_identical_for_identical_data(tmp_path, store):
    n1 = write_report(store, tmp_path / "r1")
    n2 = write_report(store, tmp_path / "r2")
    assert n1 == n2 == 1 + 4 + 16 + 64
    assert _tree(tmp_path / "r1") == _tree(tmp_path / "r2")
    # the same observations in another store file, inserted in another order
    with Store(tmp_path / "b.sqlite") as other:
        other.add(list(reversed(store.observations())))
        write_report(other, tmp_path / "r3")
    assert _tree(tmp_path / "r1") == _tree(tmp_path / "r3")


def test_self_contained_with_working_links(tmp_path, store):
    out = tmp_path / "r"
    n = write_report(store, out)
    index = (out / "index.html").read_text()
    assert index.count("<tr data-status=") == n
    assert "<svg" in index and "http://" not in index.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', index)  # nothing external
    pages = set(re.findall(r'href="(arch/[^"]+)"', index))
    assert len(pages) == n and all((out / unquote(p)).is_file() for p in pages)
    implied = [p for p in (out / "arch").iterdir() if "derived from" in p.read_text()]
    assert implied
    for p in implied:  # an implied value links to the architecture it rests on
        for link in re.findall(r'derived from</th><td><a href="([^"]+)"', p.read_text()):
            assert (p.parent / unquote(link)).is_file()


def test_in_a_headless_browser(tmp_path, store):
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright not installed: browser test skipped")
    # every row of the region is certified (composition certificates): add a Monte Carlo row
    # so that the status filter has something to separate
    sweep("extra", store, labels=["mlp 2,3,30,3,8,2,1 x^2"], backend="serial")
    out = tmp_path / "r"
    n = write_report(store, out)
    with sync_api.sync_playwright() as p:
        # Debian's chromium package (/usr/bin/chromium) or Playwright's own download
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        try:
            browser = p.chromium.launch(**({"executable_path": exe} if exe else {}))
        except Exception as exc:  # no chromium installed
            pytest.skip(f"no headless chromium available: {exc}")
        page = browser.new_page()
        page.goto((out / "index.html").as_uri())
        rows = page.locator("#atlas tbody tr")
        assert rows.count() == n
        page.fill("#q", "2,4,4,4,1")
        assert page.locator("#n").inner_text() == "1"
        page.fill("#q", "")
        page.select_option("#s", "certified")
        shown = int(page.locator("#n").inner_text())
        assert shown == n - 1
        page.select_option("#s", "monte_carlo")
        assert page.locator("#n").inner_text() == "1"
        page.select_option("#s", "")
        page.click("#atlas th:nth-child(3)")  # sort by #params ascending
        first = page.locator("#atlas tbody tr").first.locator("td").nth(2).inner_text()
        assert first == "2"  # mlp 2,1 x has the fewest parameters
        page.locator("#atlas tbody tr").first.locator("a").click()
        assert "mlp 2,1 x" in page.title()
        browser.close()


_SHIM = r"""
const data = JSON.parse(require('fs').readFileSync(0, 'utf8'));
function el() { const h = {}; return {value: '', textContent: '', dataset: {}, style: {},
  addEventListener(k, f) { h[k] = f; }, fire(k) { h[k](); }}; }
const rows = data.rows.map(r => Object.assign(el(), {textContent: r.text, dataset: {status: r.status},
  cells: r.values.map(v => ({dataset: {v: v}}))}));
const body = {rows: rows.slice(), appendChild(r) { this.rows.splice(this.rows.indexOf(r), 1); this.rows.push(r); }};
const heads = data.heads.map(() => el());
const ids = {atlas: {tBodies: [body], tHead: {rows: [{cells: heads}]}}, q: el(), s: el(), n: el()};
global.document = {getElementById: id => ids[id]};
eval(data.js);
const out = {initial: ids.n.textContent};
ids.q.value = data.query; ids.q.fire('input'); out.filtered = ids.n.textContent;
ids.q.value = ''; ids.q.fire('input'); ids.s.value = data.status; ids.s.fire('change');
out.by_status = ids.n.textContent; ids.s.value = ''; ids.s.fire('change');
heads[data.sort_col].fire('click'); out.asc = body.rows.map(r => r.cells[data.sort_col].dataset.v);
heads[data.sort_col].fire('click'); out.desc = body.rows.map(r => r.cells[data.sort_col].dataset.v);
process.stdout.write(JSON.stringify(out));
"""


def test_table_script_with_node(tmp_path, store):
    """The sorting/filtering script run by node against a minimal DOM (no browser needed)."""
    import html as htmllib
    import json
    import subprocess

    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node not installed: table script test skipped")
    from neuroalg.atlas.report import _JS

    out = tmp_path / "r"
    n = write_report(store, out)
    index = (out / "index.html").read_text()
    heads = re.findall(r"<th>([^<]+)</th>", index.split("<tbody>")[0].split('<table id="atlas">')[1])
    rows = []
    for status, tr in re.findall(r'<tr data-status="([^"]+)">(.*?)</tr>', index):
        values = [htmllib.unescape(v) for v in re.findall(r'data-v="([^"]*)"', tr)]
        rows.append(dict(status=status, values=values, text=htmllib.unescape(re.sub("<[^>]+>", "", tr))))
    col = heads.index("#params")
    payload = dict(rows=rows, heads=heads, js=_JS, query="2,4,4,4,1", status="certified", sort_col=col)
    res = json.loads(subprocess.run([node, "-e", _SHIM], input=json.dumps(payload), text=True,
                                    capture_output=True, check=True).stdout)
    params = [int(r["values"][col]) for r in rows]
    assert str(res["initial"]) == str(n) and str(res["filtered"]) == "1"
    assert int(res["by_status"]) == sum(r["status"] == "certified" for r in rows)
    assert list(map(int, res["asc"])) == sorted(params)
    assert list(map(int, res["desc"])) == sorted(params, reverse=True)


def test_timings_show_measured_over_predicted_per_task_and_in_summary(tmp_path, store):
    n = write_report(store, tmp_path / "r", timings=True)
    index = (tmp_path / "r" / "index.html").read_text()
    assert "<th>time measured/predicted</th>" in index and "<th>memory measured/predicted</th>" in index
    assert "<li>time measured/predicted: median" in index  # the summary
    computed = {o.label: o for o in store.observations(method="exact")}
    for row in re.findall(r"<tr data-status=.*?</tr>", index):
        lab = re.search(r">([^<]+)</a>", row).group(1)
        cells = re.findall(r'data-v="([^"]*)"', row)
        if lab in computed:  # its own ratio, from the stored measurement and prediction
            assert float(cells[-2]) == computed[lab].seconds / computed[lab].predicted_seconds
        else:  # implied: nothing was measured
            assert cells[-2] == ""
    assert len(re.findall(r"<tr data-status=", index)) == n
    page = next((tmp_path / "r" / "arch").glob("mlp_2,2,2,1_*.html")).read_text()
    assert "measured/predicted" in page and "predicted" in page
    plain = tmp_path / "plain"
    write_report(store, plain)
    assert "measured/predicted" not in (plain / "index.html").read_text()  # only with timings
