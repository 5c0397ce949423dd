app_name = "ward"

urlpatterns = []
