"""MLAB: MLAgentBench's ResearchAgent (as MLE-bench ran it) on the shared sandbox and LLM layer,
with the weaknesses found in MLE-bench fixed behind config switches. See README.md."""
