app_name = "directory"

# Console pages of this app, mounted under /console/directory/.
urlpatterns: list = []
