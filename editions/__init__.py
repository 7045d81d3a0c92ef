"""Editions of the rules (RULEBOOK §12): each edition is one declaration of every rule number, the
account types with their features, and the link roles; a sandbox is played under one of them."""
