"""Full-text search: the outbox, the Whoosh index and the PostgreSQL backend."""
