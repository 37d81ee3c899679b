"""What goes to the print shop: the print order beside the PDFs."""
