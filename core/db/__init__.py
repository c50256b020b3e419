"""The database every part of the app shares: which one and how it is opened (database.py), its
tables (schema.py) and Alembic's revisions that bring any copy up to them (migrations/)."""
