from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class TelInput(forms.TextInput):
    """A phone number field: phones show the number keypad."""

    input_type = "tel"


def crispy(form, submit_label: str, *, form_tag: bool = True, form_action: str = "", submit_id: str | None = None):
    """Attach a crispy helper with one submit button to a form built elsewhere.

    The helper writes the form tag itself (``{% crispy form %}``, never inside a template's own
    ``<form>``); ``form_action`` is a URL name or path when the form posts elsewhere than its page,
    and ``submit_id`` keeps the button's id unique when one page shows several such forms."""
    form.helper = FormHelper()
    form.helper.form_tag = form_tag
    form.helper.form_action = form_action
    form.helper.add_input(Submit("submit", submit_label, css_id=submit_id))
    return form


class CrispyMixin:
    """Forms get a crispy helper with a submit button named by ``submit_label``."""

    submit_label = _("Spara")
    form_action = ""  # a URL name, when the form posts to another page than the one showing it

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        crispy(self, self.submit_label, form_action=self.form_action)


class QuickSelect(forms.Select):
    """A plain single select that writes its options in Python.

    Django's Select renders one template per option, which costs milliseconds for a list
    of a few hundred workplaces; the markup here is the same (value, label, ``selected``).
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) == chosen else "", label) for key, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)
