"""Report templates shipped with kkmp (Jinja2 files in this folder)."""
