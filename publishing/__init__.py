"""Domain logic of the Insights site: reading articles, rendering Markdown, charts and diagrams."""
