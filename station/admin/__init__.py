"""What the Admin screen changes, without Qt: the settings file (P11-K1), the access-review
export (P11-U5, SEC-9) and sample data for label previews.

* :mod:`station.admin.settings_file` — form text to setting values, the settings file
  written atomically with one ``settings.changed`` audit entry;
* :mod:`station.admin.review_export` — the access review as a formula-guarded CSV, audited;
* :mod:`station.admin.label_samples` — stand-in data to preview a template version.
"""
