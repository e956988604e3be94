from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


def crispy(form, submit_label: str, *, form_tag: bool = True):
    """Attach a crispy helper with one submit button to a form built elsewhere."""
    form.helper = FormHelper()
    form.helper.form_tag = form_tag
    form.helper.add_input(Submit("submit", submit_label))
    return form


class CrispyMixin:
    """Forms get a crispy helper with a submit button named by ``submit_label``."""

    submit_label = _("Spara")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        crispy(self, self.submit_label)


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
