"""The coordinator's overview of the network's health."""
