"""The admin's history of a health change request loses the refusal reason it quoted.

Every clerk who lists change requests opens their « Historique ». Until the health data
stayed with its group, refusing a health request wrote « Refusée : <reason> » there, and a
reason often names an allergy or a treatment. Those rows now read « Refusée. », as a
refusal is logged today. Run twice, it changes nothing the second time.
"""

from django.db import migrations

CONFIDENTIAL_RECORDS = (("children", "health"),)  # what children registers as confidential


def redact(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ChangeRequest = apps.get_model("accounts", "ChangeRequest")
    LogEntry = apps.get_model("admin", "LogEntry")
    records = [
        ContentType.objects.filter(app_label=app, model=model).first()
        for app, model in CONFIDENTIAL_RECORDS
    ]
    confidential = ChangeRequest.objects.filter(content_type__in=[r for r in records if r])
    request_type = ContentType.objects.filter(app_label="accounts", model="changerequest").first()
    if request_type is None:
        return
    LogEntry.objects.filter(
        content_type=request_type,
        object_id__in=[str(pk) for pk in confidential.values_list("pk", flat=True)],
        change_message__startswith="Refusée : ",
    ).update(change_message="Refusée.")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_change_request_decision_fields"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(redact, migrations.RunPython.noop)]
