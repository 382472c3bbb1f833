"""The Hub's facts: the task table, task and library inference, metadata, evaluations, lints."""
