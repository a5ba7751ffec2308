# Public pages of this app, mounted at the site root. Their URLs are kept forever (SPEC 7).
urlpatterns: list = []
