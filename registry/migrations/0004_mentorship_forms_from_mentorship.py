"""The forms of mentorship and their role models move from `mentorship` to `registry`.

The bases of mentors and mentees (registry) name forms, and apps import downward only, so the
reference data belongs to the registry. The tables stay (renamed in 0005); only Django's state
moves, and the content types follow so that permissions given on them are kept."""

import django.db.models.deletion
from django.db import migrations, models

FORM_CHOICES = [
    ("student_student", "Ученик – ученик"),
    ("teacher_teacher", "Учитель – учитель"),
    ("undergraduate_student", "Студент – ученик"),
    ("employer_student", "Работодатель – ученик"),
    ("employer_undergraduate", "Работодатель – студент"),
    ("undergraduate_undergraduate", "Студент – студент"),
]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("mentorshipform", "rolemodel"):
        if not ContentType.objects.filter(app_label="registry", model=model).exists():
            ContentType.objects.filter(app_label="mentorship", model=model).update(app_label="registry")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("mentorship", "0002_reference_forms"),
        ("registry", "0003_drop_covered_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MentorshipForm",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.CharField(choices=FORM_CHOICES, max_length=40, unique=True, verbose_name="код")),
                        ("name", models.CharField(max_length=100, unique=True, verbose_name="название")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="порядок")),
                    ],
                    options={
                        "verbose_name": "форма наставничества",
                        "verbose_name_plural": "формы наставничества",
                        "ordering": ["order", "name"],
                        "db_table": "mentorship_mentorshipform",
                    },
                ),
                migrations.CreateModel(
                    name="RoleModel",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=200, verbose_name="ролевая модель")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="порядок")),
                        (
                            "form",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="role_models",
                                to="registry.mentorshipform",
                                verbose_name="форма",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ролевая модель",
                        "verbose_name_plural": "ролевые модели",
                        "ordering": ["form", "order", "name"],
                        "db_table": "mentorship_rolemodel",
                        "constraints": [models.UniqueConstraint(fields=("form", "name"), name="role_model_unique")],
                    },
                ),
                migrations.AlterField(
                    model_name="mentorrecord",
                    name="forms",
                    field=models.ManyToManyField(
                        blank=True, related_name="mentor_records", to="registry.mentorshipform",
                        verbose_name="формы наставничества",
                    ),
                ),
                migrations.AlterField(
                    model_name="menteerecord",
                    name="forms",
                    field=models.ManyToManyField(
                        blank=True, related_name="mentee_records", to="registry.mentorshipform",
                        verbose_name="формы наставничества",
                    ),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
