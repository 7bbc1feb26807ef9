"""The shipped sample: a seeded generator that assembles a realistic member survey, interview transcripts,
the programme file's inputs and the ground truth from hand-written texts (`texts/`) and planted parameters
(`parameters.py`). `python -m pipeline.sample --help`."""
