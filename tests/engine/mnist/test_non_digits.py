"""The six kinds of non-digits: what each looks like, reproducible, and never shared between
teaching the "not a digit" class and judging it."""

import numpy as np
import pytest

from engine.mnist.non_digits import KINDS, TEACHING_WEIGHTS, mixed_non_digits, non_digit_images


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_a_batch_of_28x28_grey_images_from_its_seed(kind):
    images = non_digit_images(kind, 50, seed=4)
    assert images.shape == (50, 784) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    np.testing.assert_array_equal(images, non_digit_images(kind, 50, seed=4))
    assert not np.array_equal(images, non_digit_images(kind, 50, seed=5))
    assert not np.array_equal(images, non_digit_images(kind, 50, seed=4, purpose="train"))


def test_the_kinds_look_like_their_names():
    uniform = non_digit_images("uniform", 200, 0)
    assert uniform.mean() == pytest.approx(0.5, abs=0.01) and uniform.std() == pytest.approx(12 ** -0.5, abs=0.01)
    gaussian = non_digit_images("gaussian", 200, 0)
    assert np.ptp(gaussian.mean(axis=1)) > 0.4                   # means of their own
    sparse = non_digit_images("sparse", 200, 0)
    assert 0.005 < np.mean(sparse > 0) < 0.25                     # a few dots on black
    grey = non_digit_images("grey", 200, 0)
    assert np.all(np.ptp(grey, axis=1) == 0)                      # one level per image
    assert 0.1 < np.mean(grey.max(axis=1) == 0) < 0.3              # a fifth of them blank pages
    stripes = non_digit_images("stripes", 200, 0).reshape(-1, 28, 28)
    assert np.all(np.unique(stripes[0]).size == 2)                # ink and black, nothing between
    assert np.all(stripes.reshape(200, -1).max(axis=1) >= 0.5)
    shapes = non_digit_images("shapes", 200, 0)
    inked = np.mean(shapes > 0, axis=1)
    assert np.median(inked) > 0.1 and np.mean(inked > 0.7) < 0.05   # solid shapes, not full pages


def test_mixed_non_digits_share_the_count_between_the_kinds():
    images, kind = mixed_non_digits(20, seed=1)
    assert images.shape == (20, 784) and np.bincount(kind).tolist() == [4, 4, 3, 3, 3, 3]
    np.testing.assert_array_equal(images[:4], non_digit_images("uniform", 4, 1))
    images, kind = mixed_non_digits(6, seed=1, kinds=("grey", "shapes"))
    assert [KINDS[k] for k in kind] == ["grey"] * 3 + ["shapes"] * 3
    _, kind = mixed_non_digits(9000, seed=1, weights=TEACHING_WEIGHTS)         # as the class is taught
    assert np.bincount(kind).tolist() == [1000, 1000, 1000, 1000, 1000, 4000]


def test_bad_requests_are_refused():
    with pytest.raises(ValueError, match="unknown kind of non-digit 'letters'"):
        non_digit_images("letters", 3)
    with pytest.raises(ValueError, match="zero or more"):
        non_digit_images("grey", -1)
    with pytest.raises(ValueError, match="'train' or 'judge'"):
        non_digit_images("grey", 3, purpose="test")
