"""The append-only audit log of coordinator and admin actions and looks at anonymous authors."""
