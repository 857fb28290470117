"""contract.schedule_factor: the learning-rate multipliers of the three schedules, against hand-computed values."""

import pytest

from harmbench.contract import SCHEDULES, TrainRecipe, schedule_factor


def test_linear_hd_is_pix2pixhds_rule():
    # niter 50 constant + niter_decay 50: epoch k (0-based) of the decay runs at lr * (1 - k / 50), 0 after the last
    factor = schedule_factor(TrainRecipe(schedule="linear-hd", decay_epochs=50), 100)
    assert [factor(e) for e in (0, 49, 50, 51, 99, 100)] == pytest.approx([1, 1, 1, 1 - 1 / 50, 1 / 50, 0])
    steps = [factor(e) - factor(e + 1) for e in range(50, 100)]
    assert steps == pytest.approx([1 / 50] * 50)  # lr / niter_decay less after every decay epoch
    assert schedule_factor(TrainRecipe(schedule="linear-hd", decay_epochs=0), 10)(9) == 1


def test_linear_is_pix2pixs_rule_and_differs_from_linear_hd():
    factor = schedule_factor(TrainRecipe(schedule="linear", decay_epochs=100), 200)
    assert [factor(e) for e in (0, 99, 100, 199)] == pytest.approx([1, 1, 1 - 1 / 101, 1 - 100 / 101])
    hd = schedule_factor(TrainRecipe(schedule="linear-hd", decay_epochs=100), 200)
    assert hd(100) == 1 and factor(100) < 1


def test_multistep_is_the_cdtnet_rule():
    multistep = schedule_factor(TrainRecipe(milestones=(50, 100), gamma=0.1), 120)
    assert [multistep(e) for e in (0, 49, 50, 99, 100, 119)] == pytest.approx([1, 1, 0.1, 0.1, 0.01, 0.01])


def test_unknown_schedule_is_one_clear_error():
    assert SCHEDULES == ("multistep", "linear", "linear-hd")
    with pytest.raises(ValueError, match="schedule 'cosine' is not one of multistep, linear, linear-hd"):
        schedule_factor(TrainRecipe(schedule="cosine"), 10)
