"""Marketing advice: generated drafts, the consultant's review, the owner's feedback, effects."""
