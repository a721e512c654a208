"""Label Studio round trip: config from schema/labels.json, tasks, export import, live server."""
