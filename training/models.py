"""The training layer's rows: attempts at scenarios, cohorts and their invitations."""
