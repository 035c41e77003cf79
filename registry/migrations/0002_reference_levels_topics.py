"""Reference data: mentor levels (seed 002: наставники-специалисты, старшие, ведущий) and
request topics (seed 004 item 2: содержание предмета, методика, воспитание, урочная и
внеурочная деятельность, психологическая поддержка; docs/product.md: адаптация, профориентация …)."""

from django.db import migrations

LEVELS = ["Наставник-специалист", "Старший наставник", "Ведущий наставник"]
TOPICS = [
    "Содержание преподаваемого предмета",
    "Методика преподавания",
    "Воспитательная работа",
    "Организация урочной деятельности",
    "Организация внеурочной деятельности",
    "Психологическая поддержка",
    "Адаптация в коллективе",
    "Профориентация",
    "Учебная успеваемость",
    "Проектная деятельность",
    "Лидерские и коммуникативные навыки",
    "Цифровые навыки",
]


def load(apps, schema_editor):
    MentorLevel = apps.get_model("registry", "MentorLevel")
    RequestTopic = apps.get_model("registry", "RequestTopic")
    for order, name in enumerate(LEVELS, start=1):
        MentorLevel.objects.update_or_create(name=name, defaults={"order": order})
    for order, name in enumerate(TOPICS, start=1):
        RequestTopic.objects.update_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
