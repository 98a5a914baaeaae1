from .broadcasts import Broadcast
from .contact import (
    PostAttachment,
    Service,
    Thread,
    ThreadPost,
    readable_emails,
    readable_messages,
)
from .email import EmailStatus, OutgoingEmail
from .inbox import Kind, Message, MessageAttachment, attachment_path
from .publications import FormDocument, News
from .uploads import DocumentKind, DocumentStatus, FamilyDocument

__all__ = [
    "Broadcast",
    "DocumentKind",
    "DocumentStatus",
    "EmailStatus",
    "FamilyDocument",
    "FormDocument",
    "Kind",
    "Message",
    "MessageAttachment",
    "News",
    "OutgoingEmail",
    "PostAttachment",
    "Service",
    "Thread",
    "ThreadPost",
    "attachment_path",
    "readable_emails",
    "readable_messages",
]
