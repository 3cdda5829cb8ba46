from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor, views
from .forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path("accounts/login/",
         auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/verify/", two_factor.verify, name="two-factor-verify"),
    path("accounts/2fa/setup/", two_factor.setup, name="two-factor-setup"),
    path("audit-log/", views.audit_log, name="audit-log"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/invite/", views.staff_invite, name="staff-invite"),
    path("staff/<int:user_id>/", views.staff_edit, name="staff-edit"),
    *views.STAFF.urls(),
    path("accounts/invitation/<str:uidb64>/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("accounts/password/forgotten/", views.password_forgotten, name="password-forgotten"),
    path("accounts/password/<str:uidb64>/<str:token>/", views.password_reset, name="password-reset"),
    path("account/", views.account, name="account"),
]
