"""Reference data: the forms of mentorship and their role models.

Seed 003 names the four forms of the coverage form; seed 001 §3.1.5, §3.2.5 and §3.3.5 list
the role models of «ученик – ученик», «учитель – учитель» and «работодатель – ученик»;
docs/product.md adds «работодатель – студент» and «студент – студент».
"""

from django.db import migrations

FORMS = [
    ("student_student", "Ученик – ученик", [
        "успевающий – неуспевающий", "лидер – пассивный", "равный – равному", "адаптированный – неадаптированный",
    ]),
    ("teacher_teacher", "Учитель – учитель", [
        "опытный педагог – молодой специалист",
        "лидер педагогического сообщества – педагог, испытывающий проблемы",
        "педагог-новатор – консервативный педагог",
        "опытный предметник – неопытный предметник",
    ]),
    ("undergraduate_student", "Студент – ученик", [
        "успевающий – неуспевающий", "лидер – пассивный", "равный – другому", "студент – будущий участник проекта",
    ]),
    ("employer_student", "Работодатель – ученик", [
        "активный профессионал – равнодушный потребитель", "коллега – молодой коллега", "работодатель – будущий сотрудник",
    ]),
    ("employer_undergraduate", "Работодатель – студент", [
        "работодатель – будущий сотрудник", "активный профессионал – равнодушный потребитель",
        "коллега – молодой коллега",
    ]),
    ("undergraduate_undergraduate", "Студент – студент", [
        "успевающий – неуспевающий", "лидер – пассивный", "равный – равному",
    ]),
]


def load(apps, schema_editor):
    MentorshipForm = apps.get_model("mentorship", "MentorshipForm")
    RoleModel = apps.get_model("mentorship", "RoleModel")
    for order, (code, name, role_models) in enumerate(FORMS, start=1):
        form, _ = MentorshipForm.objects.update_or_create(code=code, defaults={"name": name, "order": order})
        for role_order, role_name in enumerate(role_models, start=1):
            RoleModel.objects.update_or_create(form=form, name=role_name, defaults={"order": role_order})


class Migration(migrations.Migration):
    dependencies = [("mentorship", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
