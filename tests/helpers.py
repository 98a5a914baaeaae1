import html


def page_text(response) -> str:
    """The page as a person reads it: HTML entities turned back into characters."""
    return html.unescape(response.content.decode())
