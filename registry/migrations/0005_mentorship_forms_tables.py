"""The moved reference tables take the registry's names (mentorship_* → registry_*)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0003_forms_moved_to_registry"),
        ("registry", "0004_mentorship_forms_from_mentorship"),
    ]

    operations = [
        migrations.AlterModelTable(name="mentorshipform", table=None),
        migrations.AlterModelTable(name="rolemodel", table=None),
    ]
