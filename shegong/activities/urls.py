app_name = "activities"

# Console pages of this app, mounted under /console/activities/.
urlpatterns: list = []
