"""Offline machine translation into PO drafts: Argos Translate packages run on CTranslate2."""
