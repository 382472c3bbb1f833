"""What the preview serves besides the built files: a failed model's page, a CSP for inline style."""
from __future__ import annotations

import base64
import hashlib
import html
import re

# The preview server's CSP, on every answer (the pages' own, in a meta tag, apply too).
CSP = ("default-src 'none'; img-src 'self' https: data:; media-src 'self' https:; style-src 'self'; "
       "script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'")


def style_csp(page: bytes) -> dict[str, str]:
    """The CSP header for a page whose own <style> block (the 404 page's) must apply, with the
    overlay's stylesheet: that block by its hash, and nothing else inline."""
    found = re.search(rb"<style>(.*?)</style>", page, re.S)
    if not found:
        return {}
    digest = base64.b64encode(hashlib.sha256(found.group(1)).digest()).decode()
    return {"Content-Security-Policy": CSP.replace("style-src 'self'", f"style-src 'self' 'sha256-{digest}'")}


def error_page(model: str, errors: list[str]) -> bytes:
    """The page of a model that never built: what stops it, styled by the overlay's stylesheet."""
    title = f"{model} could not be built" if model else "Page not found"
    lines = "\n".join(errors) or "There is no page at this address."
    note = "Fix the card and save: this page reloads by itself." if model else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)} · sitegen serve</title></head>"
            f'<body class="sitegen-error"><main><h1>{html.escape(title)}</h1>'
            f"<pre>{html.escape(lines)}</pre><p>{note}</p></main></body></html>").encode()
