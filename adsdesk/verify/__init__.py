"""Reading a press PDF back and reconciling it with the day's bookings (no Qt, no database)."""
