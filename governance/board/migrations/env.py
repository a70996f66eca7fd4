"""Alembic's environment for the register: it always runs on the connection (and inside
the transaction) that governance.board.database hands it, never from a URL of its own."""
from alembic import context

from governance.board.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
