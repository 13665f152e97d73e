# src/pipeline: sources and unit tests
