"""Rendering an e-mail's templates: its subject and text part are plain text, its HTML
part is HTML.

Django escapes every template for HTML, and a subject or a text body rendered that way
reads « l&#x27;accueil &amp; la cantine ». `render_text` renders with autoescape off,
whatever the template file says; `render_subject` also puts it on one line (a mail header
has no line breaks). The HTML part goes through `render_to_string`, escaped as usual.
"""

from typing import Any

from django.template import Context, engines


def render_text(template_name: str, context: dict[str, Any]) -> str:
    template = engines["django"].get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def render_subject(template_name: str, context: dict[str, Any]) -> str:
    return " ".join(render_text(template_name, context).split())
