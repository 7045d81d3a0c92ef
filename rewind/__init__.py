"""Checkpoints, restores and rewound attempts of a sandbox (RULEBOOK §11, issue 26).

A checkpoint is a copy of every row the sandbox holds (`rewind.owned` finds them from the
foreign keys), kept as JSON beside the sandbox; a restore writes the copy into a new sandbox or
back into the same one. docs/architecture.md, "Checkpoints and rewind", says why a copy and not
a replay of the recorded steps.
"""
