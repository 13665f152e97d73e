# src/store: sources and unit tests
