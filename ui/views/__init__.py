"""The station screens and dialogs."""
