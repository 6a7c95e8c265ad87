"""Records and the rules that need no I/O. Imports nothing else of dealflow."""
