"""The code behind every lesson's view (one module per group of lessons), written from the same
declarations and core functions that run the page: core/code/listing.py says how."""
