from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
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
