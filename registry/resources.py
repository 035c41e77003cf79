"""django-import-export resources of the registry: the admin's export of the records.

Imports do not go through these (registry.importers does, with the services' rules and a
query-free check per row); these describe the columns the admin's «Экспорт» writes."""

from import_export import fields, resources

from registry.models import Consent, MenteeRecord, MentorRecord, Person


def _field(attribute: str, header: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=header)


class PersonResource(resources.ModelResource):
    last_name = _field("last_name", "Фамилия")
    first_name = _field("first_name", "Имя")
    middle_name = _field("middle_name", "Отчество")
    birth_date = fields.Field(attribute="birth_date", column_name="Дата рождения")
    organization = _field("organization__short_name", "Организация")
    category = _field("get_category_display", "Категория")
    class_name = _field("class_name", "Класс")
    position = _field("position", "Должность")
    subjects = _field("subjects", "Предметы")
    phone = _field("phone", "Телефон")
    email = _field("email", "E-mail")
    notes = _field("notes", "Примечание")

    class Meta:
        model = Person
        fields = export_order = (
            "last_name", "first_name", "middle_name", "birth_date", "organization", "category", "class_name",
            "position", "subjects", "phone", "email", "notes",
        )  # fmt: skip


class MentorRecordResource(resources.ModelResource):
    person = _field("person__full_name", "ФИО наставника")
    organization = _field("person__organization__short_name", "Организация")
    forms = fields.Field(column_name="Формы наставничества")
    competencies = _field("competencies", "Компетенции")
    level = _field("level__name", "Уровень")
    is_trained = _field("is_trained", "Обучен")

    class Meta:
        model = MentorRecord
        fields = export_order = ("person", "organization", "forms", "competencies", "level", "is_trained")

    def dehydrate_forms(self, record):
        return "; ".join(str(form) for form in record.forms.all())


class MenteeRecordResource(resources.ModelResource):
    person = _field("person__full_name", "ФИО наставляемого")
    organization = _field("person__organization__short_name", "Организация")
    forms = fields.Field(column_name="Формы наставничества")
    requests = fields.Field(column_name="Запрос")
    request_details = _field("request_details", "Запрос подробнее")

    class Meta:
        model = MenteeRecord
        fields = export_order = ("person", "organization", "forms", "requests", "request_details")

    def dehydrate_forms(self, record):
        return "; ".join(str(form) for form in record.forms.all())

    def dehydrate_requests(self, record):
        return "; ".join(str(topic) for topic in record.requests.all())


class ConsentResource(resources.ModelResource):
    person = _field("person__full_name", "ФИО")
    kind = _field("get_kind_display", "Вид согласия")
    signed_on = _field("signed_on", "Подписано")
    representative_name = _field("representative_name", "Представитель")
    withdrawn_on = _field("withdrawn_on", "Отозвано")

    class Meta:
        model = Consent
        fields = export_order = ("person", "kind", "signed_on", "representative_name", "withdrawn_on")
