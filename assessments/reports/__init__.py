"""The PDF report: build (plain data), render (WeasyPrint), branding, batch ZIP."""
