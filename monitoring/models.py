"""monitoring: campaigns, coverage and indicators arrive with their issue; the home page (views.py)
summarises the apps below."""
