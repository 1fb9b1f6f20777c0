"""The `station` command (placeholder body replaced below in this session)."""
