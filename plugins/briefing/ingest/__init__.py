"""Ingestion: feeds downloaded politely, parsed and sanitised, archived, and each feed's state.
No Pelican here, and nothing of the site."""
