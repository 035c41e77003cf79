"""Mentorship: pairs and groups, their plans, meetings and completion (the forms of mentorship
and their role models are reference data of the registry: `registry.models.MentorshipForm`)."""
