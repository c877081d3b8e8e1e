"""`permanence serve`: the web page. Routes and Jinja templates only; every page calls the
functions the commands call (validate_command, audit_command, tracker/command, templates)."""
