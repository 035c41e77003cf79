"""Forms of the document packages: the list a campaign asks for, a school's document, the
coordinator's check. They only read the input; `monitoring.packages` decides."""

from django import forms

from core.forms import ServiceForm


class RequirementsForm(ServiceForm):
    titles = forms.CharField(
        label="Документы, которые представляют школы",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="По одному документу на строку, в нужном порядке. Документ, который школы уже "
        "представили, убрать нельзя.",
    )

    def title_list(self) -> list[str]:
        return self.cleaned_data["titles"].splitlines()


class DocumentSendForm(ServiceForm):
    file = forms.FileField(
        label="Скан-копия",
        required=False,
        help_text="PDF, JPEG или PNG до 10 МБ: утверждённый документ с подписью и печатью.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    link = forms.CharField(
        label="или документ портала",
        required=False,
        max_length=500,
        help_text="Адрес документа, сформированного на портале (например, /roadmaps/12/print/).",
    )


class DocumentCheckForm(ServiceForm):
    DECISIONS = [("accept", "Принять"), ("return", "Вернуть на доработку")]

    decision = forms.ChoiceField(label="Решение", choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Комментарий для школы",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Обязателен при возврате: что исправить.",
    )
