app_name = "campaigns"

# Console pages of this app, mounted under /console/campaigns/.
urlpatterns: list = []
