"""One self-contained HTML page that steps through a graph: inline SVG, JavaScript and CSS.

The page needs no kernel and makes no network request: open it from disk (``file://``), share
it with students, put it in slides. It plays a :class:`~autograd.playback.Playback` with the
same script as the notebook widget (``autograd/web/stepper.js``).

>>> from autograd import Stepper, Value
>>> from autograd.playback import playback
>>> x = Value(3.0, label="x")
>>> page = page_html(playback(Stepper(x * x), renderer="wasm"), title="x times x")
>>> page.startswith("<!DOCTYPE html>"), "<title>x times x</title>" in page, "src=" in page
(True, True, False)
"""

from __future__ import annotations

import html
import json
from functools import cache
from importlib import resources
from typing import Any

from autograd.playback import Playback

__all__ = ["asset", "check_interval", "page_html", "script_json"]


@cache
def asset(name: str) -> str:
    """The text of one of the player's files shipped in the package (``stepper.js``, ``.css``).

    >>> "export default" in asset("stepper.js")
    True
    """
    if name not in ("stepper.js", "stepper.css"):
        raise ValueError(f"no player file called {name!r}; there are stepper.js and stepper.css")
    return resources.files("autograd").joinpath("web", name).read_text(encoding="utf-8")


def script_json(data: Any) -> str:
    """``data`` as JSON safe inside an HTML ``<script>`` element: no ``<``, ``>`` or ``&``.

    >>> script_json({"label": "</script><b>&"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # Line and paragraph separators are fine in JSON but end a line in older JavaScript.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def check_interval(interval: object) -> None:
    """Refuse a play interval that is not a whole number of milliseconds, at least 50.

    >>> check_interval(0.5)
    Traceback (most recent call last):
    ...
    ValueError: interval must be a whole number of milliseconds, at least 50, not 0.5
    """
    if isinstance(interval, bool) or not isinstance(interval, int) or interval < 50:
        raise ValueError(
            f"interval must be a whole number of milliseconds, at least 50, not {interval!r}"
        )


_BOOT = """
const host = document.getElementById("chainrule");
const data = JSON.parse(document.getElementById("chainrule-data").textContent);
const player = mount(host, { data, interval: %d, position: data.position || 0 });
document.addEventListener("keydown", (event) => {
  if (event.target === document.body) player.key(event);
});
host.focus();
"""


def page_html(played: Playback, *, title: str = "chainrule", interval: int = 1200) -> str:
    """The HTML text of a page that plays ``played``: one file, nothing fetched.

    ``title`` is the page's title and heading (shown as typed); the play button steps every
    ``interval`` milliseconds. The picture is inline SVG, shown even where scripts are off.
    """
    check_interval(interval)
    if not isinstance(title, str):
        raise TypeError(f"title must be a str, not {type(title).__name__}")
    heading = html.escape(title)
    # The inline module is the widget's own script, with the lines that start it appended.
    script = asset("stepper.js") + _BOOT % interval
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # No request may leave the page: everything it needs is inline.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{heading}</title>\n"
        f"<style>\nbody {{ margin: 1em 1.5em; background: #fff; }}\n"
        f"h1 {{ font: 600 18px Helvetica, Arial, sans-serif; margin: 0 0 0.6em; }}\n"
        f"{asset('stepper.css')}</style>\n"
        "</head>\n<body>\n"
        f"<h1>{heading}</h1>\n"
        f'<div id="chainrule">\n{played.svg}\n</div>\n'
        f'<script type="application/json" id="chainrule-data">{script_json(played.data)}</script>\n'
        f'<script type="module">\n{script}</script>\n'
        "</body>\n</html>\n"
    )
