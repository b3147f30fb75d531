from django.contrib.auth import views as auth_views
from django.urls import path

from hirfa.accounts import views, views_otp, views_recovery

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # A forgotten password, recovered by SMS (docs/decisions/0052).
    path("password-recovery/", views_recovery.password_recovery, name="password_recovery"),
    path(
        "password-recovery/code/",
        views_recovery.password_recovery_code,
        name="password_recovery_code",
    ),
    path(
        "password-recovery/resend/",
        views_recovery.password_recovery_resend,
        name="password_recovery_resend",
    ),
    path("signup/", views.signup, name="signup"),
    path("signup/confirm/", views.signup_confirm, name="signup_confirm"),
    path("signup/resend/", views.signup_resend, name="signup_resend"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/provinces/<str:code>/", views.province, name="province"),
    path("workspace/organisations/<slug:code>/", views.organisation, name="organisation"),
    path("workspace/staff/", views.staff, name="staff"),
    path("workspace/staff/<str:username>/", views.staff_member, name="staff_member"),
    # The second factor (docs/decisions/0038).
    path("2fa/", views_otp.overview, name="second_factor"),
    path("2fa/verify/", views_otp.verify, name="second_factor_verify"),
    path("2fa/enrol/", views_otp.enrol, name="second_factor_enrol"),
    path(
        "2fa/recovery-codes/",
        views_otp.recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path(
        "2fa/recovery-codes/new/",
        views_otp.new_recovery_codes,
        name="second_factor_new_recovery_codes",
    ),
    path("2fa/turn-off/", views_otp.turn_off, name="second_factor_turn_off"),
    # The password (and code) again before a sensitive action (docs/decisions/0077).
    path("confirm/", views_otp.reauthenticate, name="reauthenticate"),
]
