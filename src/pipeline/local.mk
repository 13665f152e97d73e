# src/pipeline: state machine and session
