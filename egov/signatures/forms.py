"""Forms of the signature app; messages are Vietnamese through gettext."""
