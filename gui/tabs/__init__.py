"""One package per lesson: its tab module (``tab.py``) and the widgets only that lesson uses."""
