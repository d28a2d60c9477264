from digibank.devices import urls_desk, urls_stock

app_name = "devices"
urlpatterns = urls_stock.urlpatterns + urls_desk.urlpatterns
