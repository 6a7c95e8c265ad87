"""The web console: server-rendered pages over the API, for sales teams and ops."""
