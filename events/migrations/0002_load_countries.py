"""Load every ISO 3166-1 country from pycountry, so the tracker knows them from the start."""

import pycountry
from django.db import migrations


def load_countries(apps, schema_editor):
    Country = apps.get_model("events", "Country")
    existing = set(Country.objects.values_list("alpha3", flat=True))
    Country.objects.bulk_create(
        Country(
            alpha3=country.alpha_3,
            alpha2=country.alpha_2,
            numeric=country.numeric,
            name=country.name,
            official_name=getattr(country, "official_name", ""),
        )
        for country in pycountry.countries
        if country.alpha_3 not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
