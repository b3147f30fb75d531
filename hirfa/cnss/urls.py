from django.urls import path

from hirfa.cnss import views, worklist

app_name = "cnss"

urlpatterns = [
    path("", views.batches, name="batches"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("rejections/", worklist.rejections, name="rejections"),
    path("rejections/<int:pk>/", worklist.rejection, name="rejection"),
    path("export/", views.export_now, name="export"),
    path("import/", views.import_upload, name="import"),
    path("batches/<str:batch_id>/", views.batch, name="batch"),
    path("batches/<str:batch_id>/file", views.batch_file, name="batch_file"),
]
