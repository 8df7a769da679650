"""Demo content and seeding: the reference article (reference.py) loaded by `make run`
(loader.py), and realistic articles in bulk for `make bench` (seed.py)."""
