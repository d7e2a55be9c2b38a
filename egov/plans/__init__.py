"""The IT plan's targets and the service index (Decision 766/QĐ-TTg), measured from live data."""
