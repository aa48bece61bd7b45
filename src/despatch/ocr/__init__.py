"""OCR for scanned records: page images, Tesseract words with boxes and confidences, redaction boxes,
release furniture. The reader that uses it is `despatch.readers.scan`; docs/ocr.md says how and why."""
