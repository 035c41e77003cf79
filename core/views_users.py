"""Role holders' names and positions (issue 10): «Мой профиль» for everyone, «Пользователи» for the
coordinator (the role holders of the municipality; observers read the list). Passwords and roles
stay with the password page and the admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from core.filters import RoleHolderFilter
from core.forms import ProfileForm
from core.profiles import can_edit_holder, full_name, role_holders, stored_profile
from core.services import profile_save
from core.tables import RoleHolderTable
from core.views import ScopedListView, ScopeMixin


class ProfileFormMixin(ScopeMixin):
    """A form of a holder's name and position, saved by `core.services.profile_save`."""

    form_class = ProfileForm
    template_name = "core/form.html"
    success_message = "Сохранено."

    def get_holder(self):
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        holder = self.get_holder()
        profile = stored_profile(holder)
        return {
            "last_name": holder.last_name,
            "first_name": holder.first_name,
            "middle_name": profile.middle_name if profile else "",
            "position": profile.position if profile else "",
        }

    def form_valid(self, form):
        try:
            profile_save(holder=self.get_holder(), user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.apply_error(error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["cancel_url"] = self.get_success_url()
        return context


class ProfileView(ProfileFormMixin, generic.FormView):
    """«Мой профиль»: the user's own surname, first name, patronymic and position."""

    title = "Мой профиль"
    success_message = "Профиль сохранён."

    def get_holder(self):
        return self.request.user

    def get_success_url(self):
        return reverse("profile")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("home")
        context["intro"] = (
            "Фамилия, имя, отчество и должность печатаются в документах, которые вы готовите и подписываете."
        )
        return context


class UserListView(ScopedListView):
    """The role holders of the coordinator's municipality: its coordinators and observers, the
    curators and directors of its organizations (issue 10); the coordinator edits their names and
    positions. Observers read it; a curator or a director reads the holders of their school."""

    model = get_user_model()
    table_class = RoleHolderTable
    filterset_class = RoleHolderFilter
    title = "Пользователи"
    empty_hint = "Пользователей с ролями в муниципалитете пока нет: их заводит администратор."

    def get_queryset(self):
        return role_holders(self.request.user)

    def get_table_kwargs(self):
        scope = self.scope
        return {"editable": scope.is_superuser or bool(scope.write_municipality_ids)}


class UserUpdateView(ProfileFormMixin, generic.FormView):
    """A coordinator corrects a role holder's name and position; another municipality's user
    answers 404, an observer 403."""

    title = "Изменение пользователя"

    def get_queryset(self):
        return role_holders(self.request.user)

    def get_holder(self):
        if not hasattr(self, "_holder"):
            holder = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
            if not can_edit_holder(self.request.user, holder):
                raise PermissionDenied("Изменять данные пользователей может только координатор муниципалитета.")
            self._holder = holder
        return self._holder

    def get(self, request, *args, **kwargs):
        self.get_holder()
        return super().get(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("user_list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = f"{self.title}: {full_name(self.get_holder())}"
        context["list_crumb"] = {"url": reverse("user_list"), "label": "Пользователи"}
        context["intro"] = "Пароль и роли пользователя меняет администратор."
        return context
