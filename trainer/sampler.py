"""Batches that keep all of a query's rows together and never mix up positives across queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import torch
from datasets import Dataset
from sentence_transformers.base.sampler import DefaultBatchSampler

from toolrag.errors import ConfigError


class QueryGroupBatchSampler(DefaultBatchSampler):
    """Packs whole queries (all rows sharing a ``label``) into batches.

    A query is kept out of a batch when one of its positives is already another query's positive
    or hard negative there, or one of its hard negatives is another query's positive: the loss
    would otherwise push a correct tool away. Queries are shuffled per epoch (``seed + epoch``).
    Pass the class itself as ``SentenceTransformerTrainingArguments(batch_sampler=...)``.
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int,
        drop_last: bool,
        valid_label_columns: list[str] | None = None,
        generator: torch.Generator | None = None,
        seed: int = 0,
    ) -> None:
        super().__init__(dataset, batch_size, drop_last, valid_label_columns, generator, seed)
        if "label" not in dataset.column_names:
            raise ConfigError("QueryGroupBatchSampler needs a 'label' column holding the query id")
        groups: dict[int, list[int]] = defaultdict(list)
        for i, label in enumerate(dataset["label"]):
            groups[label].append(i)
        positives = dataset["positive"]
        neg_cols = [c for c in dataset.column_names if c.startswith("negative")]
        negatives = [dataset[c] for c in neg_cols]
        self.groups = []
        for rows in groups.values():
            if len(rows) > batch_size:
                raise ConfigError(
                    f"a query has {len(rows)} positives, more than batch_size={batch_size}; "
                    "raise the batch size"
                )
            pos = {positives[r] for r in rows}
            neg = {col[r] for col in negatives for r in rows}
            self.groups.append((rows, pos, neg))

    def _batches(self) -> list[list[int]]:
        if self.generator is not None and self.seed is not None:
            self.generator.manual_seed(self.seed + self.epoch)
        order = torch.randperm(len(self.groups), generator=self.generator).tolist()
        pending = [self.groups[i] for i in order]
        batches: list[list[int]] = []
        while pending:
            batch: list[int] = []
            pos_in: set[str] = set()
            neg_in: set[str] = set()
            deferred = []
            for rows, pos, neg in pending:
                fits = len(batch) + len(rows) <= self.batch_size
                if fits and not (pos & (pos_in | neg_in)) and not (neg & pos_in):
                    batch.extend(rows)
                    pos_in |= pos
                    neg_in |= neg
                else:
                    deferred.append((rows, pos, neg))
            batches.append(batch)
            pending = deferred
        if self.drop_last:
            batches = [b for b in batches if len(b) == self.batch_size]
        return batches

    def __iter__(self) -> Iterator[list[int]]:
        yield from self._batches()

    def __len__(self) -> int:
        # Packing whole queries leaves gaps, so count the batches this epoch really has.
        return len(self._batches())
