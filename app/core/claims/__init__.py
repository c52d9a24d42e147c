"""Claims: suggestions, anchoring, and what a user does with them."""
