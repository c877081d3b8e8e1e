"""What a form is: its schema, its labels, how it is loaded and validated."""
