"""`mnist backprop`, `mnist saliency` and `mnist adversarial`: JSON shapes, tables, bounds."""

import json

import numpy as np
import pytest

import cli
from engine.mnist.models import pretrained_file
from tests.cli.test_cli_mnist import assert_one_line_error, run, write_png

WIDE = str(pretrained_file("wide"))


@pytest.fixture
def seven(tmp_path):
    """A picture of a plain "7", dark on light and larger than 28×28, as a user would save one."""
    canvas = np.zeros((140, 140))
    canvas[20:32, 20:120] = 1.0                       # the bar
    for row in range(32, 125):                        # the stem, slanting left
        col = int(110 - (row - 32) * 0.45)
        canvas[row, col - 6:col + 6] = 1.0
    path = tmp_path / "seven.png"
    write_png(path, 255 * (1 - canvas))
    return str(path)


def test_backprop_json_has_every_layer_the_cost_and_a_passing_gradient_check(capsys, seven):
    code, out, err = run(capsys, "mnist", "backprop", seven, "--label", "3", "--check", "40", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert set(result) == {"file", "prediction", "label", "loss", "layers", "gradient_check"}
    assert result["prediction"] == 7 and result["label"] == 3 and result["loss"] > 0.5
    assert [layer["name"] for layer in result["layers"]] == ["input", "hidden 1", "hidden 2", "output"]
    assert all(set(layer) == {"name", "activation_norm", "delta_norm"} for layer in result["layers"])
    assert all(layer["delta_norm"] > 0 for layer in result["layers"])
    assert result["gradient_check"]["weights_checked"] == 40
    assert result["gradient_check"]["max_relative_error"] < 1e-6
    # without --label the cost is against the network's own answer, which it is sure of: small
    code, out, _ = run(capsys, "mnist", "backprop", seven, "--check", "5", "--json")
    assert json.loads(out)["label"] == 7 and json.loads(out)["loss"] < result["loss"]


def test_backprop_table_names_the_layers_and_the_cost_of_numerical_derivatives(capsys, seven):
    code, out, _ = run(capsys, "mnist", "backprop", seven, "--model", WIDE, "--check", "10")
    assert code == 0
    assert "hidden 2" in out and "235,146 gradients" in out and "relative error over the checked weights" in out


def test_saliency_json_is_a_28_by_28_map_and_smoothing_changes_it(capsys, seven):
    code, out, err = run(capsys, "mnist", "saliency", seven, "--model", WIDE, "--json")
    assert code == 0, err
    plain = json.loads(out)
    assert set(plain) == {"file", "prediction", "label", "saliency"}
    assert plain["prediction"] == plain["label"] == 7
    grid = np.array(plain["saliency"])
    assert grid.shape == (28, 28) and np.abs(grid).max() > 0
    code, out, _ = run(capsys, "mnist", "saliency", seven, "--model", WIDE, "--smooth", "20", "--label", "1", "--json")
    smooth = json.loads(out)
    assert smooth["label"] == 1 and not np.allclose(np.array(smooth["saliency"]), grid)
    code, again, _ = run(capsys, "mnist", "saliency", seven, "--model", WIDE, "--smooth", "20", "--label", "1", "--json")
    assert json.loads(again) == smooth                                  # seeded
    code, out, _ = run(capsys, "mnist", "saliency", seven)
    assert code == 0 and len(out.splitlines()) == 2 + 28 and "##" in out


def test_adversarial_json_has_the_issue_shape_and_the_gradient_wins(capsys, mnist_dir):
    code, out, err = run(capsys, "mnist", "adversarial", "--model", WIDE, "--epsilons", "0,0.05,0.1",
                         "--count", "500", "--seed", "0", "--mnist-dir", str(mnist_dir), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert set(result) == {"epsilons", "accuracy_gradient", "accuracy_random", "count"}
    assert result["epsilons"] == [0.0, 0.05, 0.1] and result["count"] == 500
    assert result["accuracy_gradient"][0] == result["accuracy_random"][0] > 0.95
    assert result["accuracy_gradient"][2] < 0.5 * result["accuracy_random"][2]
    code, out, _ = run(capsys, "mnist", "adversarial", "--epsilons", "0.1", "--count", "50",
                       "--mnist-dir", str(mnist_dir))
    assert code == 0 and "gradient sign" in out and "random sign" in out and "50 test digits" in out


@pytest.mark.parametrize("argv, fragment", [
    (["mnist", "adversarial", "--epsilons", "0,2"], "between 0 and 1"),
    (["mnist", "adversarial", "--epsilons", "0,a"], "numbers separated by commas"),
    (["mnist", "adversarial", "--epsilons", ",".join(["0.1"] * 21)], "at most 20"),
    (["mnist", "adversarial", "--count", "0"], "from 1 to 10,000"),
    (["mnist", "adversarial", "--count", "20000"], "from 1 to 10,000"),
    (["mnist", "adversarial", "--mnist-dir", "/nonexistent/mnist"], "no MNIST files"),
    (["mnist", "saliency", "SEVEN", "--smooth", "0"], "--smooth"),
    (["mnist", "saliency", "SEVEN", "--smooth", "5000"], "--smooth"),
    (["mnist", "saliency", "SEVEN", "--noise", "0"], "above 0"),
    (["mnist", "saliency", "SEVEN", "--noise", "nan"], "--noise"),
    (["mnist", "saliency", "SEVEN", "--label", "11"], "from 0 to 10"),
    (["mnist", "saliency", "SEVEN", "--label", "10"], "not a class of this model"),
    (["mnist", "backprop", "SEVEN", "--check", "0"], "--check"),
    (["mnist", "backprop", "SEVEN", "--label", "-1"], "--label"),
    (["mnist", "backprop", "/nonexistent/picture.png"], "picture.png: no such file"),
    (["mnist", "backprop", "BLANK"], "nothing drawn"),
    (["mnist", "saliency", "BROKEN"], "not a picture"),
])
def test_bad_requests_give_one_line_and_exit_2(capsys, tmp_path, seven, argv, fragment):
    blank, broken = tmp_path / "blank.png", tmp_path / "broken.png"
    write_png(blank, np.full((50, 50), 255))
    broken.write_bytes(b"not a picture")
    argv = [{"SEVEN": seven, "BLANK": str(blank), "BROKEN": str(broken)}.get(a, a) for a in argv]
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(cli.run(argv))
    assert_one_line_error(exit_info.value.code, capsys.readouterr().err, fragment)


def test_the_label_of_an_eleven_class_model_may_be_not_a_digit(capsys, tmp_path, seven):
    from engine.network import build_mlp
    model = tmp_path / "eleven.npz"
    build_mlp([784, 16, 11], activation="relu", loss="softmax_ce", seed=0).save(model)
    code, out, err = run(capsys, "mnist", "backprop", seven, "--model", str(model), "--label", "10",
                         "--check", "12", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["label"] == 10 and result["layers"][-1]["name"] == "output"
