app_name = "public"

urlpatterns = []
