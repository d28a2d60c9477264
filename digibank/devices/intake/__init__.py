"""Intake: donors, the batches they give and the devices recorded in them, their labels and the
donor's certificate."""
