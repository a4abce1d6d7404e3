"""One module per tab; each holds a QWidget with a small public API (constructor + ``shutdown``)."""
