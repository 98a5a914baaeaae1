"""What a PDF worker process runs: HTML in, PDF bytes out.

Nothing here imports Django: the workers never touch the database nor the storage (the
parent process reads the invoices, renders their HTML and keeps the files), so they need
no settings and hold no connection.
"""


def warm_up() -> None:
    """Load WeasyPrint (Pango, fonts) once per worker rather than on its first invoice."""
    html_to_pdf("<p>.</p>", "")


def html_to_pdf(html: str, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url or None).write_pdf()
