"""Printed reports: context.py gathers the data, charts.py draws SVG figures, pdf.py renders
tagged PDFs with WeasyPrint, archive.py keeps signed-off copies, tasks.py runs long reports
in the background."""
