import django.core.validators
import followup.personal_data
from django.db import migrations, models


class Migration(migrations.Migration):
    """The summary's validators as the model has them (no schema change in the database)."""

    dependencies = [
        ('followup', '0004_remove_followups_of_meetings_not_held'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalseizurefeedback',
            name='summary',
            field=models.TextField(help_text='Högst 1 000 tecken. Inga personuppgifter: inga namn, adresser, ärendenummer eller annat som pekar ut en person.', max_length=1000, validators=[django.core.validators.MaxLengthValidator(1000), followup.personal_data.validate_no_personal_data], verbose_name='sammanfattning'),
        ),
        migrations.AlterField(
            model_name='seizurefeedback',
            name='summary',
            field=models.TextField(help_text='Högst 1 000 tecken. Inga personuppgifter: inga namn, adresser, ärendenummer eller annat som pekar ut en person.', max_length=1000, validators=[django.core.validators.MaxLengthValidator(1000), followup.personal_data.validate_no_personal_data], verbose_name='sammanfattning'),
        ),
    ]
