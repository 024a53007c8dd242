from django.urls import path

from . import account

app_name = "account"

urlpatterns = [
    path("account/", account.councillor_account, name="councillor-account"),
    path("account/councillors/", account.supported_councillors, name="supported-councillors"),
    path("account/councillors/<int:pk>/", account.councillor_account_for, name="councillor-account-for"),
]
