"""In-app notifications (the bell) and the mails that go with them."""
