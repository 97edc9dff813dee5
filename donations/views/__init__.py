"""The donations app's web pages, one module per audience: donor, imports, documents, workshop."""
