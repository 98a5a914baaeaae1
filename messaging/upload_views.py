"""« Mes justificatifs »: the family's supporting documents, on its account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .files import serve_private
from .models import DocumentStatus, FamilyDocument
from .upload_forms import FamilyDocumentForm
from .upload_services import deposit_document


def get_document_or_404(request: HttpRequest, pk: int) -> FamilyDocument:
    """A document of the user's own family; any other id is a 404."""
    return get_object_or_404(FamilyDocument.objects.for_recipient(request.user.family_id), pk=pk)


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    form = FamilyDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = deposit_document(
            family=request.user.family,
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
            upload=form.cleaned_data["file"],
            checked=form.checked,
            by=request.user,
        )
        messages.success(
            request,
            f"« {document.name} » est bien envoyé : la mairie le vérifiera prochainement.",
        )
        return redirect("messaging:documents")
    family_documents = FamilyDocument.objects.for_recipient(request.user.family_id).select_related(
        "uploaded_by"
    )
    return render(
        request,
        "messaging/documents.html",
        {"form": form, "documents": family_documents, "RECEIVED": DocumentStatus.RECEIVED},
        status=400 if form.errors else 200,
    )


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_document_or_404(request, pk)
    return serve_private(document.file, name=document.name, content_type=document.content_type)


@login_required
@require_POST
def document_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_or_404(request, pk)
    if document.status != DocumentStatus.RECEIVED:
        messages.error(request, "Ce justificatif a déjà été vérifié : il ne peut plus être retiré.")
        return redirect("messaging:documents")
    document.file.delete(save=False)
    document.delete()
    messages.success(request, f"« {document.name} » est retiré.")
    return redirect("messaging:documents")
