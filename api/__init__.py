"""HTTP only: parse, authorize, call services or workflows, map errors."""
