"""The serving side: WSGI layers and files that know HTTP and nothing of Markdown."""
