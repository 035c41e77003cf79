"""Mentorship: the forms and role models now; pairs, plans and meetings come next."""

from django.db import models

from mentorship.choices import FormCode


class MentorshipForm(models.Model):
    """A form of mentorship (форма наставничества), reference data: seed 003 names four,
    seed 001 §3 describes them with their participants."""

    code = models.CharField("код", max_length=40, choices=FormCode.choices, unique=True)
    name = models.CharField("название", max_length=100, unique=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "форма наставничества"
        verbose_name_plural = "формы наставничества"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RoleModel(models.Model):
    """A role model within a form (ролевая модель, «вариация взаимодействия»), seed 001 §3.x.5."""

    form = models.ForeignKey(MentorshipForm, on_delete=models.CASCADE, related_name="role_models", verbose_name="форма")
    name = models.CharField("ролевая модель", max_length=200)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "ролевая модель"
        verbose_name_plural = "ролевые модели"
        ordering = ["form", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["form", "name"], name="role_model_unique")]

    def __str__(self) -> str:
        return f"{self.form}: {self.name}"
