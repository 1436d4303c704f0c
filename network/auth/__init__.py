"""Joining the closed network: invites, sign-in, password reset and API tokens."""
