"""The archive of Action Learning (AL) projects and their reports."""
