# src/data: sources and unit tests
