"""AIDE: tree search over whole-script solutions (draft / improve / debug), after WecoAI/aideml."""
