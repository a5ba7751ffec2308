app_name = "contest"

# Console pages of this app, mounted under /console/contest/.
urlpatterns: list = []
