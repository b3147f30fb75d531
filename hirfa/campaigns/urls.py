from django.urls import path

from hirfa.campaigns.views import public, staff

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", staff.campaign_list, name="list"),
    path("campaigns/new/", staff.new_campaign, name="new"),
    path("campaigns/count/", staff.count, name="count"),
    path("campaigns/<int:pk>/", staff.detail, name="detail"),
    path("campaigns/<int:pk>/edit/", staff.edit_campaign, name="edit"),
    path("campaigns/<int:pk>/launch/", staff.launch, name="launch"),
    path("campaigns/<int:pk>/cancel/", staff.cancel, name="cancel"),
    path("unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("campaigns/sms/inbound", public.inbound_sms, name="inbound_sms"),
]
