"""Cross-school meetups (netværksmøder): RSVP with waitlist, date polls, calendars, reminders."""
