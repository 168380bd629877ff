import pytest
import torch

from graphcourse import sequences as seq


def test_tokens_and_text_roundtrip():
    assert seq.encode("3141") == [6, 4, 7, 4]
    assert seq.encode([0, 9]) == [3, 12]
    assert seq.decode([1, 6, 4, 2, 5, 0]) == "31"  # stops at EOS, drops BOS
    assert seq.decode(torch.tensor([1, 6, 2, 0]), strip=False) == "<s> 3 </s> _"
    assert seq.token_labels([1, 3, 2, 0]) == ["<s>", "0", "</s>", "_"]
    with pytest.raises(ValueError, match="digits"):
        seq.encode("12a")
    with pytest.raises(ValueError, match="digits"):
        seq.encode([10])


def test_apply_task():
    assert seq.apply_task("reverse", [1, 2, 3]) == [3, 2, 1]
    assert seq.apply_task("sort", [3, 1, 2, 1]) == [1, 1, 2, 3]
    assert seq.apply_task("copy", [5, 4]) == [5, 4]
    with pytest.raises(ValueError, match="task: expected one of 'reverse', 'sort', 'copy'"):
        seq.apply_task("rotate", [1])
    with pytest.raises(ValueError, match=r"digits: 10 is not one of the digits 0-9"):
        seq.apply_task("sort", [3, 10])


@pytest.mark.parametrize("task", seq.TASKS)
def test_make_task_builds_consistent_pairs(task):
    data = seq.make_task(task, 50, length=6, min_length=2, seed=3)
    assert data.src.shape == (50, 6) and data.tgt.shape == (50, 8) and len(data) == 50
    assert data.src.dtype == torch.long
    for src, tgt in zip(data.src.tolist(), data.tgt.tolist()):
        digits = [t - seq.DIGIT_OFFSET for t in src if t != seq.PAD]
        assert 2 <= len(digits) <= 6
        assert src[len(digits):] == [seq.PAD] * (6 - len(digits))  # padding at the end only
        answer = seq.encode(seq.apply_task(task, digits))
        assert tgt[: len(digits) + 2] == [seq.BOS, *answer, seq.EOS]
        assert all(t == seq.PAD for t in tgt[len(digits) + 2:])
    again = seq.make_task(task, 50, length=6, min_length=2, seed=3)
    assert torch.equal(again.src, data.src) and torch.equal(again.tgt, data.tgt)
    assert int(data.src.max()) < seq.VOCAB_SIZE


def test_make_task_bad_arguments():
    with pytest.raises(ValueError, match="min_length"):
        seq.make_task("reverse", 5, length=3, min_length=4)
    with pytest.raises(ValueError, match="num_examples"):
        seq.make_task("reverse", 0)


def test_batches_cover_everything_and_reshuffle():
    data = seq.make_task("copy", 10, length=3, seed=0)
    epoch = seq.batches(data, batch_size=4, seed=1)
    first = list(epoch())
    assert [len(s) for s, _ in first] == [4, 4, 2]
    rows = sorted(map(tuple, torch.cat([s for s, _ in first]).tolist()))
    assert rows == sorted(map(tuple, data.src.tolist()))
    second = torch.cat([s for s, _ in epoch()])
    assert not torch.equal(second, torch.cat([s for s, _ in first]))
    ordered = torch.cat([s for s, _ in seq.batches(data, 4, shuffle=False)()])
    assert torch.equal(ordered, data.src)
    with pytest.raises(TypeError, match="data"):
        seq.batches([1, 2])


class _Oracle:
    """Answers perfectly except that it can stop early."""

    def __init__(self, data, cut=None):
        self.lookup = {tuple(s): t for s, t in zip(data.src.tolist(), data.tgt.tolist())}
        self.cut = cut

    def greedy_decode(self, src, max_len):
        rows = [self.lookup[tuple(s)] for s in src.tolist()]
        out = torch.tensor(rows)
        return out[:, : self.cut] if self.cut else out


def test_greedy_accuracy_counts_tokens_and_sequences():
    data = seq.make_task("reverse", 20, length=4, seed=0)
    assert seq.greedy_accuracy(_Oracle(data), data) == {"token": 1.0, "sequence": 1.0}
    cut = seq.greedy_accuracy(_Oracle(data, cut=3), data)  # BOS + 2 of 5 answer tokens
    assert cut["token"] == pytest.approx(2 / 5) and cut["sequence"] == 0.0


class _DeviceSpy(torch.nn.Module):
    """A model whose weights live on ``device``; it records where each batch it decodes lives
    and answers perfectly, on the CPU (the batches come in order; a meta tensor has a shape
    but no data)."""

    def __init__(self, data, device):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.zeros(1, device=device))
        self.answers, self.done = data.tgt, 0
        self.seen = []

    def greedy_decode(self, src, max_len):
        self.seen.append(src.device)
        rows = self.answers[self.done:self.done + src.size(0)]
        self.done += src.size(0)
        return rows


def test_greedy_accuracy_moves_batches_to_the_model_device():
    data = seq.make_task("reverse", 30, length=4, seed=2)
    spy = _DeviceSpy(data, "meta")  # a device without data: only where tensors go is visible
    scores = seq.greedy_accuracy(spy, data, batch_size=8)
    assert spy.seen == [torch.device("meta")] * 4  # 30 strings in batches of 8
    assert scores == {"token": 1.0, "sequence": 1.0}
    assert all(type(value) is float for value in scores.values())
    assert data.src.device.type == "cpu"  # the caller's data stays where it was
    with pytest.raises(ValueError, match="batch_size"):
        seq.greedy_accuracy(spy, data, batch_size=0)


@pytest.mark.cuda
def test_greedy_accuracy_on_cuda():
    from graphcourse.nn import Seq2SeqTransformer, TransformerConfig

    data = seq.make_task("reverse", 12, length=4, seed=0)
    model = Seq2SeqTransformer(TransformerConfig(d_model=16, heads=2, d_ff=32)).eval()
    on_cpu = seq.greedy_accuracy(model, data)
    on_gpu = seq.greedy_accuracy(model.cuda(), data)
    assert all(type(value) is float for value in on_gpu.values())
    assert on_gpu == pytest.approx(on_cpu, abs=0.1)  # kernels differ; the same untrained model


def test_tokens_are_never_truncated_or_made_up():
    with pytest.raises(TypeError, match=r"digits: expected digits 0-9 \(ints\), got float"):
        seq.encode([3, 1.9])
    with pytest.raises(TypeError, match=r"tokens: expected token ids \(ints\), got float"):
        seq.decode([1, 6.0, 2])
    with pytest.raises(ValueError, match=r"tokens: 13 is not one of the token ids: expected "
                                         r"ints in \[0, 12\]"):
        seq.decode([1, 13, 2], strip=False)
    with pytest.raises(ValueError, match=r"tokens: 99 is not one of the token ids"):
        seq.token_labels(torch.tensor([1, 99]))


def test_numpy_and_tensor_ints_are_tokens_too():
    import numpy as np

    assert seq.encode(np.array([0, 9])) == [3, 12]
    assert seq.encode(torch.tensor([3, 1])) == [6, 4]
    assert seq.decode(np.array([1, 6, 2])) == "3"
    assert seq.apply_task("reverse", torch.tensor([1, 2])) == [2, 1]
    assert seq.make_task("copy", np.int64(4), length=np.int32(3)).src.shape == (4, 3)


def test_a_sequence_task_checks_its_tensors():
    data = seq.make_task("copy", 3, length=2)
    with pytest.raises(ValueError, match=r"tgt: expected shape \[3, 4\]"):
        seq.SequenceTask("copy", data.src, data.tgt[:, :3])
    with pytest.raises(ValueError, match="data: expected at least one example"):
        seq.greedy_accuracy(_Oracle(data), seq.SequenceTask("copy", data.src[:0], data.tgt[:0]))


def test_greedy_accuracy_refuses_a_negative_batch_size_and_a_model_without_decoding():
    data = seq.make_task("reverse", 5, length=3, seed=0)
    with pytest.raises(ValueError, match="batch_size: expected an int >= 1, got -1"):
        seq.greedy_accuracy(_Oracle(data), data, batch_size=-1)
    with pytest.raises(TypeError, match=r"model: expected a model with a greedy_decode"):
        seq.greedy_accuracy(torch.nn.Linear(2, 2), data)
