"""Qt widgets only: the door window and its parts. Wiring lives in scanner.app."""
