from django.db import migrations, models


def number_per_sandbox(apps, schema_editor):
    """Existing exports are numbered 1, 2, ... in each sandbox, in the order they were made."""
    ExportJob = apps.get_model("lifecycle", "ExportJob")
    taken: dict[int, int] = {}
    rows = ExportJob.objects.order_by("id").values_list("id", "account__sandbox_id")
    for pk, sandbox_id in rows.iterator():
        taken[sandbox_id] = taken.get(sandbox_id, 0) + 1
        ExportJob.objects.filter(pk=pk).update(number=taken[sandbox_id])


class Migration(migrations.Migration):
    dependencies = [
        ("lifecycle", "0012_actor_kind_scenario"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="number",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(number_per_sandbox, migrations.RunPython.noop),
    ]
