"""Word documents: templates built from the schemas (build.py, layout.py), rendering with
docxtpl (render.py), blank forms (blank.py), reading filled forms back (extract.py) and
opening untrusted .docx files safely (safe_docx.py)."""
