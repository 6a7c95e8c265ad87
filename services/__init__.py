"""Database reads and writes of records, shared by the API and the activities."""
