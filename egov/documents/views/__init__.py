"""Pages of the document system, one module per area; each module lists its ``urlpatterns``."""
