"""Live sparring rooms and reflecting-team sessions (Socket.IO namespace /rooms)."""
