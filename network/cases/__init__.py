"""Cases: dilemmas posted for sparring, replies, and following a case to what happened."""
