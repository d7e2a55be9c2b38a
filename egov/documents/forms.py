"""Forms of the document pages (validation at the edge; the services decide)."""
