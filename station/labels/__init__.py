"""Labels: templates, their data, and the filled-in label every renderer draws."""
