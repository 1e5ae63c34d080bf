"""OpenHands' CodeActAgent (the MLE-bench baseline) on mle-suite's sandbox and LLM layer."""
