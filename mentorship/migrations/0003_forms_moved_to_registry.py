"""The forms of mentorship and their role models now belong to `registry` (its 0004): drop them
from this app's state only; the tables are the registry's now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0002_reference_forms"),
        ("registry", "0004_mentorship_forms_from_mentorship"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RoleModel"), migrations.DeleteModel(name="MentorshipForm")]
        )
    ]
