# src/codegen: sources and unit tests
