from django.urls import path

from hirfa.stats import views, views_open

app_name = "statistics"

urlpatterns = [
    path("statistics/", views.statistics, name="registrations"),
    path("statistics/<slug:page>/", views.statistics, name="page"),
    path("statistics/<slug:page>/<slug:key>.<str:fmt>", views.download, name="download"),
    path("open-data/", views_open.open_data_page, name="open_data"),
    path("open-data/methodology/", views_open.methodology, name="methodology"),
    path("open-data/catalogue.jsonld", views_open.catalogue, name="catalogue"),
    path("open-data/<slug:key>.csv", views_open.csv_file, name="open_csv"),
    path("open-data/<slug:key>.csv-metadata.json", views_open.csv_metadata, name="open_csvw"),
]
