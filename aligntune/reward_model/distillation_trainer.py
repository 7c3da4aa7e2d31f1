"""The default reward-model objective for rule-scored texts: one head per rule, each text encoded once.

The rules give every training text its exact score on each component, so a text can teach
more than its rank in a pair. The model is a sequence classifier with one linear head per
component (``num_labels=K``) trained on

* a regression term: each head predicts its rule's raw score; the squared error of
  component ``k`` is divided by that component's variance on the training texts, so every
  axis counts, however narrow its score range; and
* an in-batch Bradley-Terry term on the predicted composite (``sum_k w_k * head_k``) over
  every pair of texts in the batch whose composite scores differ by at least
  ``min_score_gap``.

The heads start from a ridge least-squares fit on frozen pooled features of a sample of the
training texts (one forward pass), so a fresh head does not have to crawl from zero at a
fine-tuning learning rate, and they have a learning rate of their own. At save time the K
heads collapse into the single ``num_labels=1`` head of a plain ``...ForSequenceClassification``
(a weighted sum of linear maps of one vector is one linear map): with heads that predict raw
rule scores and the composite's normalised weights, the saved model predicts the composite.

Built on ``transformers.Trainer`` (a ``compute_loss`` override, a collator, ``create_optimizer``
for the head learning rate), so logging, ``report_to``, checkpoints, resume and
``accelerate launch`` work as for any Trainer. This module imports torch and transformers;
:mod:`aligntune.reward_model.pipeline` imports it only when a model trains.

Measured choices (docs/reward-model-training.md has the table): random batches beat
length-grouped ones (the length axis is only learned from mixed-length batches); more
distinct texts once beat more epochs over fewer.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from transformers import PreTrainedModel, Trainer

from aligntune.reward_model.chunks import forward_in_chunks, length_chunks
from aligntune.reward_model.steps import StepTimer

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DistillationObjective:
    """What the loss sees: component names, composite weights and loss weights.

    ``weights`` are normalised to sum to 1 (as :class:`CompositeReward` does).
    ``target_std`` is each component's standard deviation on the training texts
    (the regression error of component ``k`` is divided by ``target_std[k]**2``);
    ``target_mean`` initialises each head's bias.
    """

    names: tuple[str, ...]
    weights: tuple[float, ...]
    target_mean: tuple[float, ...]
    target_std: tuple[float, ...]
    regression_weight: float = 1.0
    composite_regression_weight: float = 0.0
    pairwise_weight: float = 0.0
    pairwise_scale: float = 10.0
    min_score_gap: float = 0.02

    @classmethod
    def from_scores(
        cls, components: Mapping[str, Sequence[float]], weights: Sequence[float], **kwargs: Any
    ) -> DistillationObjective:
        """Build from the training texts' component scores (one list per component, in weight order)."""
        names = tuple(components)
        if len(names) != len(weights):
            raise ValueError(f"{len(names)} components but {len(weights)} weights")
        total = float(sum(weights))
        arr = np.asarray([components[n] for n in names], dtype=np.float64)
        std = np.maximum(arr.std(axis=1), 1e-3)
        return cls(
            names=names,
            weights=tuple(float(w) / total for w in weights),
            target_mean=tuple(arr.mean(axis=1).tolist()),
            target_std=tuple(std.tolist()),
            **kwargs,
        )

    def loss(self, heads: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """Loss for head outputs ``heads`` (B, K) against rule scores ``targets`` (B, K); and its parts."""
        w = heads.new_tensor(self.weights)
        std = heads.new_tensor(self.target_std)
        parts: dict[str, torch.Tensor] = {}
        total = heads.new_zeros(())
        if self.regression_weight:
            per_component = (((heads - targets) / std) ** 2).mean(dim=0)
            parts["regression"] = per_component.mean()
            total = total + self.regression_weight * parts["regression"]
        pred = heads @ w
        true = targets @ w
        if self.composite_regression_weight:
            comp_std = float(np.sqrt(np.sum((np.asarray(self.weights) * np.asarray(self.target_std)) ** 2)))
            parts["composite_regression"] = (((pred - true) / comp_std) ** 2).mean()
            total = total + self.composite_regression_weight * parts["composite_regression"]
        if self.pairwise_weight:
            bt, n_pairs = in_batch_bradley_terry(pred, true, scale=self.pairwise_scale, min_gap=self.min_score_gap)
            parts["pairwise"] = bt
            parts["pairs"] = heads.new_tensor(float(n_pairs))
            total = total + self.pairwise_weight * bt
        return total, parts


def in_batch_bradley_terry(
    pred: torch.Tensor, true: torch.Tensor, *, scale: float = 10.0, min_gap: float = 0.02
) -> tuple[torch.Tensor, int]:
    """Mean ``-log sigmoid(scale * (s_better - s_worse))`` over every pair in the batch whose
    true scores differ by at least ``min_gap``; (0, 0) when there is none."""
    d_true = true[:, None] - true[None, :]
    keep = d_true >= max(min_gap, 1e-12)  # ordered pairs, better first: each unordered pair once
    n = int(keep.sum())
    if n == 0:
        return pred.sum() * 0.0, 0
    d_pred = (pred[:, None] - pred[None, :])[keep]
    return -nn.functional.logsigmoid(scale * d_pred).mean(), n


# --------------------------------------------------------------------------- data


class RuleScoreCollator:
    """Pads ``input_ids`` per batch (to the longest row, optionally a multiple of
    ``pad_to_multiple_of``) and stacks the K rule scores into ``labels`` (B, K).

    No ``token_type_ids``: aligntune scores with ``input_ids``/``attention_mask`` only,
    and training must see what scoring sees.
    """

    def __init__(self, pad_token_id: int, names: Sequence[str], pad_to_multiple_of: int | None = None) -> None:
        self.pad_token_id = int(pad_token_id)
        self.names = list(names)
        self.pad_to_multiple_of = pad_to_multiple_of

    def __call__(self, rows: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        width = max(len(r["input_ids"]) for r in rows)
        if self.pad_to_multiple_of:
            width = int(math.ceil(width / self.pad_to_multiple_of) * self.pad_to_multiple_of)
        ids = torch.full((len(rows), width), self.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            n = len(r["input_ids"])
            ids[i, :n] = torch.as_tensor(r["input_ids"], dtype=torch.long)
            mask[i, :n] = 1
        labels = torch.tensor([[float(r[n]) for n in self.names] for r in rows], dtype=torch.float32)
        return {"input_ids": ids, "attention_mask": mask, "labels": labels}


#: Token-count column (sorts the warm-start batches). Not ``length``: that is the name of a bundled
#: reward function, and a component column of that name would be overwritten.
LENGTH_COLUMN = "_n_tokens"


def build_dataset(input_ids: Sequence[Sequence[int]], components: Mapping[str, Sequence[float]]) -> Any:
    """A ``datasets.Dataset`` with ``input_ids``, one column per component and ``LENGTH_COLUMN``."""
    if LENGTH_COLUMN in components or "input_ids" in components:
        raise ValueError(f"A component may not be named {LENGTH_COLUMN!r} or 'input_ids'")
    from datasets import Dataset

    columns: dict[str, Any] = {"input_ids": [list(x) for x in input_ids]}
    for name, values in components.items():
        columns[name] = [float(v) for v in values]
    columns[LENGTH_COLUMN] = [len(x) for x in input_ids]
    return Dataset.from_dict(columns)


# --------------------------------------------------------------------------- model


def head_module(model: PreTrainedModel) -> nn.Linear:
    """The final ``Linear`` of a sequence classifier (``classifier`` for BERT, ``score`` for GPT-2 style)."""
    for attr in ("classifier", "score"):
        head = getattr(model, attr, None)
        if isinstance(head, nn.Linear):
            return head
    raise TypeError(f"{type(model).__name__} has no single Linear classification head to collapse")


def init_heads(model: PreTrainedModel, objective: DistillationObjective, weight_std: float | None = None) -> None:
    """Bias of head k = mean rule score k (the heads start at the mean, not at 0)."""
    head = head_module(model)
    with torch.no_grad():
        if head.bias is not None:  # GPT-2-style score heads have none
            head.bias.copy_(torch.tensor(objective.target_mean, dtype=head.bias.dtype))
        if weight_std is not None:
            head.weight.normal_(0.0, weight_std)


@torch.no_grad()
def warm_start_heads_least_squares(
    model: PreTrainedModel,
    dataset: Any,
    collator: RuleScoreCollator,
    *,
    batch_size: int = 32,
    ridge: float = 0.04,
    max_rows: int | None = 512,
) -> None:
    """Fit the K heads by ridge least squares on the frozen pooled features of (a sample of)
    the training texts: one forward pass, no gradient. For BERT the pooled vector is
    ``model.bert.pooler`` output, which feeds ``classifier`` through dropout."""
    feats, ys = [], []
    was_training = model.training
    model.eval()
    rows = range(len(dataset)) if max_rows is None else range(min(len(dataset), max_rows))
    order = sorted(rows, key=lambda i: dataset[i][LENGTH_COLUMN])
    captured: list[torch.Tensor] = []
    hook = head_module(model).register_forward_hook(lambda m, inp, out: captured.append(inp[0].detach()))
    try:
        for start in range(0, len(order), batch_size):
            batch = collator([dataset[i] for i in order[start : start + batch_size]])
            model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
            feature = captured.pop()
            if feature.dim() == 3:  # a GPT-2-style head scores every position: take each row's last real token
                last = batch["attention_mask"].sum(dim=1) - 1
                feature = feature[torch.arange(len(last)), last]
            feats.append(feature)
            ys.append(batch["labels"])
    finally:
        hook.remove()
        model.train(was_training)
    x = torch.cat(feats).double()
    y = torch.cat(ys).double()
    head = head_module(model)
    bias = head.bias is not None
    x1 = torch.cat([x, torch.ones(len(x), 1, dtype=x.dtype)], dim=1) if bias else x
    # The ridge is relative to the features' own spread (``ridge`` times their mean centred sum of
    # squares), so the fit does not depend on the encoder's scale: 0.04 is what 1.0 is for MiniLM.
    spread = float(((x - x.mean(dim=0)) ** 2).sum(dim=0).mean())
    reg = ridge * max(spread, 1e-12) * torch.eye(x1.shape[1], dtype=x.dtype)
    if bias:
        reg[-1, -1] = 0.0  # the intercept is not shrunk
    sol = torch.linalg.solve(x1.T @ x1 + reg, x1.T @ y)  # (H(+1), K)
    head.weight.copy_((sol[:-1] if bias else sol).T.to(head.weight.dtype))
    if bias:
        head.bias.copy_(sol[-1].to(head.bias.dtype))
    logger.info("Heads warm-started by least squares on %d texts' pooled features", len(x))


def collapse_heads(model: PreTrainedModel, weights: Sequence[float]) -> PreTrainedModel:
    """Turn the K-head classifier into a ``num_labels=1`` one predicting ``sum_k w_k head_k``, in place.

    ``weights`` are used as given (pass the normalised composite weights so the single
    output is the composite's own scale). ``config.num_labels``, ``id2label`` and
    ``problem_type`` are updated so the saved model reloads with
    ``AutoModelForSequenceClassification`` as a plain reward model.
    """
    head = head_module(model)
    w = torch.as_tensor(list(weights), dtype=head.weight.dtype, device=head.weight.device)
    if w.numel() != head.out_features:
        raise ValueError(f"{w.numel()} weights for a head with {head.out_features} outputs")
    new = nn.Linear(head.in_features, 1, bias=head.bias is not None, device=head.weight.device, dtype=head.weight.dtype)
    with torch.no_grad():
        new.weight.copy_(w[None, :] @ head.weight)
        if head.bias is not None:
            new.bias.copy_((w @ head.bias).reshape(1))
    for attr in ("classifier", "score"):
        if getattr(model, attr, None) is head:
            setattr(model, attr, new)
    model.num_labels = 1
    model.config.num_labels = 1  # also resets id2label/label2id
    model.config.problem_type = "regression"
    return model


# --------------------------------------------------------------------------- trainer


class RuleDistillationTrainer(Trainer):
    """``transformers.Trainer`` with the distillation loss (see the module docstring).

    Each batch is forwarded in length-sorted chunks (:func:`length_chunks`; off with
    ``chunk_by_length=False``; always one call under ``DistributedDataParallel``, whose reducer
    expects one forward per backward), so a random batch of texts costs about its real tokens, not
    its size times its longest text.

    ``head_learning_rate`` (default: ``args.learning_rate``) is the learning rate of the
    classification head alone, so a freshly initialised head can train fast while the
    encoder moves at a fine-tuning rate.
    """

    def __init__(
        self,
        *args: Any,
        objective: DistillationObjective,
        head_learning_rate: float | None = None,
        step_timer: StepTimer | None = None,
        chunk_by_length: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.objective = objective
        self.chunk_by_length = chunk_by_length
        self.head_learning_rate = head_learning_rate
        self.step_timer = step_timer
        self._parts: dict[str, list[float]] = {}

    def compute_loss(
        self,
        model: nn.Module,
        inputs: dict[str, torch.Tensor],
        return_outputs: bool = False,
        num_items_in_batch: Any = None,
    ) -> Any:
        targets = inputs.pop("labels")
        lengths = inputs["attention_mask"].sum(dim=1).tolist()
        # one call under DistributedDataParallel: its reducer expects one forward per backward
        chunked = self.chunk_by_length and not isinstance(model, nn.parallel.DistributedDataParallel)
        chunks = length_chunks(lengths) if chunked else [list(range(len(lengths)))]
        heads = forward_in_chunks(model, inputs["input_ids"], inputs["attention_mask"], chunks).float()
        loss, parts = self.objective.loss(heads, targets.to(heads.dtype))
        if model.training:
            for key, value in parts.items():
                self._parts.setdefault(key, []).append(float(value.detach()))
            if self.step_timer is not None:
                self.step_timer.tokens += int(sum(lengths))
                self.step_timer.padded += sum(len(rows) * max(lengths[i] for i in rows) for rows in chunks)
        return (loss, {"logits": heads}) if return_outputs else loss

    def create_optimizer(self, model: nn.Module | None = None) -> torch.optim.Optimizer:
        if self.optimizer is not None or self.head_learning_rate is None:
            return super().create_optimizer(model)
        opt_model = self.model if model is None else model
        head_ids = {id(p) for p in head_module(opt_model).parameters()}
        decay = set(self.get_decay_parameter_names(opt_model))
        groups: list[dict[str, Any]] = []
        for is_head in (False, True):
            for decayed in (True, False):
                params = [p for n, p in opt_model.named_parameters()
                          if p.requires_grad and (id(p) in head_ids) == is_head and (n in decay) == decayed]
                if params:
                    group: dict[str, Any] = {"params": params, "weight_decay": self.args.weight_decay if decayed else 0.0}
                    if is_head:
                        group["lr"] = self.head_learning_rate
                    groups.append(group)
        optimizer_cls, optimizer_kwargs = self.get_optimizer_cls_and_kwargs(self.args, opt_model)
        self.optimizer = optimizer_cls(groups, **optimizer_kwargs)
        return self.optimizer

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        for key, values in self._parts.items():
            if values:
                logs[f"loss_{key}"] = float(np.mean(values))
        self._parts = {}
        super().log(logs, start_time)
