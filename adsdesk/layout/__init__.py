"""Column geometry, text measuring with the shipped fonts, packing and painting (QtGui only)."""
