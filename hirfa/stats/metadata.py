"""Machine-readable descriptions of the open data: CSVW (W3C) for each CSV, a DCAT-3
catalogue in JSON-LD for them all. Column names are stable English identifiers; the names in
the rows follow the request's language."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from django.utils import timezone

from hirfa.stats import open_data
from hirfa.stats.open_data import Published, Query

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "Ministère du Tourisme, de l'Artisanat et de l'Économie Sociale et Solidaire"
HEADER = ("area_code", "area_name", "column_code", "column_name", "artisans", "suppressed")

_TITLES = {
    "region": "region",
    "province": "province or prefecture",
    "branch": "crafts branch",
    "category": "category of registration",
    "sex": "sex (E: cooperatives and enterprises)",
    "month": "month of registration",
}


def title_of(query: Query) -> str:
    return (
        f"Registered artisans (active or suspended registrations) by {_TITLES[query.rows]} "
        f"and {_TITLES[query.columns]}"
    )


def csv_text(published: Published) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for area, area_name, code, name, value in published.long_rows():
        writer.writerow(
            [area, area_name, code, name, "" if value is None else value, value is None]
        )
    return buffer.getvalue().replace("True\r\n", "true\r\n").replace("False\r\n", "false\r\n")


def csvw(query: Query, *, base: str = "") -> dict:
    """The CSVW metadata of a published CSV (its `url` relative to the metadata's)."""
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": f"{query.key}.csv",
        "dc:title": title_of(query),
        "dc:license": {"@id": LICENCE},
        "dc:publisher": PUBLISHER,
        "dc:modified": {"@value": timezone.now().isoformat(), "@type": "xsd:dateTime"},
        "dc:description": (
            "Counts under 10 are suppressed, with complementary suppression; other counts are "
            "rounded to the nearest 5 (ONS 10-5 rule). Totals are rounded from the true "
            "totals, so cells may not add up to them. See /open-data/methodology/."
        ),
        "dialect": {"header": True, "encoding": "utf-8", "lineTerminators": ["\r\n"]},
        "tableSchema": {
            "columns": [
                {
                    "name": "area_code",
                    "titles": "area_code",
                    "datatype": "string",
                    "dc:description": "HCP code of the " + _TITLES[query.rows] + "; _T: total",
                },
                {"name": "area_name", "titles": "area_name", "datatype": "string"},
                {
                    "name": "column_code",
                    "titles": "column_code",
                    "datatype": "string",
                    "dc:description": "Code of the " + _TITLES[query.columns] + "; _T: total",
                },
                {"name": "column_name", "titles": "column_name", "datatype": "string"},
                {
                    "name": "artisans",
                    "titles": "artisans",
                    "null": "",
                    "datatype": {"base": "integer", "minimum": 0},
                    "dc:description": "Registered artisans, rounded to 5; empty when suppressed",
                },
                {"name": "suppressed", "titles": "suppressed", "datatype": "boolean"},
            ],
            "primaryKey": ["area_code", "column_code"],
        },
    }


def catalogue(request) -> dict:
    """The DCAT-3 catalogue of the open data, in JSON-LD."""
    absolute = request.build_absolute_uri
    datasets = []
    for query in open_data.PUBLISHED:
        csv_url = absolute(reverse("statistics:open_csv", args=[query.key]))
        meta_url = absolute(reverse("statistics:open_csvw", args=[query.key]))
        datasets.append(
            {
                "@id": csv_url + "#dataset",
                "@type": "dcat:Dataset",
                "dct:title": title_of(query),
                "dct:license": {"@id": LICENCE},
                "dct:publisher": {"@type": "foaf:Organization", "foaf:name": PUBLISHER},
                "dct:spatial": {"@id": "http://www.wikidata.org/entity/Q1028"},
                "dct:modified": {"@value": timezone.now().isoformat(), "@type": "xsd:dateTime"},
                "dcat:keyword": ["crafts", "artisans", "register", "Morocco"],
                "dcat:theme": {
                    "@id": "http://publications.europa.eu/resource/authority/data-theme/SOCI"
                },
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dcat:downloadURL": {"@id": csv_url},
                        "dcat:accessURL": {"@id": csv_url},
                        "dcat:mediaType": {
                            "@id": "https://www.iana.org/assignments/media-types/text/csv"
                        },
                        "dct:license": {"@id": LICENCE},
                        "dct:conformsTo": {"@id": meta_url},
                    },
                    {
                        "@type": "dcat:Distribution",
                        "dcat:downloadURL": {"@id": meta_url},
                        "dcat:mediaType": {
                            "@id": "https://www.iana.org/assignments/media-types/application/csvm+json"
                        },
                        "dct:conformsTo": {"@id": "http://www.w3.org/ns/csvw"},
                        "dct:license": {"@id": LICENCE},
                    },
                ],
            }
        )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": absolute(reverse("statistics:catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": "hirfa — open data of the National Register of Traditional Crafts",
        "dct:license": {"@id": LICENCE},
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": PUBLISHER},
        "foaf:homepage": {"@id": absolute(reverse("statistics:open_data"))},
        "dct:description": "Protected counts (10-5 rule); methodology: "
        + absolute(reverse("statistics:methodology")),
        "dcat:dataset": datasets,
    }
