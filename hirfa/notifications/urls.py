from django.urls import path

from hirfa.notifications import views

app_name = "notifications"

urlpatterns = [
    path("sms/delivery-report", views.delivery_report, name="sms_delivery_report"),
]
