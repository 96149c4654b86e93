"""The door window: Qt widgets only. Widgets take the door session (or its Qt bridge) in
`__init__` and never touch SQL, HTTP or OpenCV; import contracts keep it so."""
