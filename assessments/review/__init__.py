"""Review, sign-off and the action plan: workflow transitions, verdicts, notifications and the
project timeline."""
