from . import urls_desk, urls_figures, urls_stock

app_name = "devices"
urlpatterns = urls_stock.urlpatterns + urls_desk.urlpatterns + urls_figures.urlpatterns
