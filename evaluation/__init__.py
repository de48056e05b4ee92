"""Evaluation beside the runtime: scorers, harnesses, reports and plots.

- :mod:`toolrag.evaluation.retrieval_metrics` and :mod:`toolrag.evaluation.retrieval`: Recall / COMP / nDCG@K
  of a retriever on labelled instances, split by single, multiple and nested instances.
- :mod:`toolrag.evaluation.plan_metrics`: the Seal-Tools planner scorer (Format accuracy, Tool and
  Parameter P/R/F1) and the strict one that counts each distinct call once.
- :mod:`toolrag.evaluation.candidates`: the candidate lists a planner is scored with (oracle: the gold
  tools plus BM25 distractors; or a retriever's top K).
- :mod:`toolrag.evaluation.planner`: the resumable planner harness and its report tables.
- :mod:`toolrag.evaluation.e2e`: retrieval, then planning on what was retrieved, scored end to end
  (plots where matplotlib is installed).

The runtime (``index``, ``retriever``, ``agent``) never imports this package.
"""
