"""One module per edition, each declaring `EDITION` (an `editions.base.Edition`): a third edition
is one more file here (docs/editions.md)."""
