app_name = "decals"

urlpatterns: list = []
