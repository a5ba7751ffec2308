app_name = "helpdesk"

# Console pages of this app, mounted under /console/helpdesk/.
urlpatterns: list = []
