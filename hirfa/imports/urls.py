from django.urls import path

from hirfa.imports import pages, views

app_name = "imports"

# Included at the site's root: /exports/ (its name kept) and /imports/.
urlpatterns = [
    path("exports/", views.export_page, name="export"),
    path("exports/prepared/", pages.export_queue, name="export_queue"),
    path("exports/prepared/<int:pk>/", pages.export_job_page, name="export_job"),
    path("exports/prepared/<int:pk>/status/", pages.export_job_status, name="export_job_status"),
    path("exports/prepared/<int:pk>/file/", pages.export_job_file, name="export_job_file"),
    path("imports/", pages.imports_page, name="imports"),
    path("imports/<int:pk>/", pages.run_page, name="run"),
    path("imports/<int:pk>/progress/", pages.run_progress, name="run_progress"),
    path("imports/<int:pk>/resume/", pages.run_resume, name="run_resume"),
    path("imports/<int:pk>/report.csv", pages.run_report, name="run_report"),
]
