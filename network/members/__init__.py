"""Schools, members, profiles and the directory."""
