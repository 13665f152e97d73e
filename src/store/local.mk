# src/store: sqlite schema and queries
