"""Privacy by design: "Mine data" export, account deletion, retention of old data."""
