# src/exec: sources and unit tests
