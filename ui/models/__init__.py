"""Qt item models over the reader's value objects."""
