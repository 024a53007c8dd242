import pytest
from .test_advocacy_loop import *  # noqa
from .conftest import AXE_JS, WCAG_TAGS

@pytest.fixture
def axe_check():
    def check(page, label=""):
        page.add_script_tag(path=str(AXE_JS))
        r = page.evaluate("async (t) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: t}}); return {v: r.violations.length, inc: r.incomplete.map(i => i.id + ':' + i.nodes.length), passes: r.passes.length}; }", WCAG_TAGS)
        css = page.evaluate("() => getComputedStyle(document.body).fontFamily")
        print(label, r, css, page.evaluate("() => document.body.className"))
    return check

def test_probe(page, live_server, people, axe_check):
    page.on("response", lambda r: r.status >= 400 and print("HTTP", r.status, r.url))
    test_a_case_goes_round_the_whole_advocacy_loop_by_clicking_with_no_accessibility_failures(page, live_server, people, axe_check)
