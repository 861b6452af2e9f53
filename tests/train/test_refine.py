"""The role refiner: its numpy twin computes what the trained torch module does."""

from __future__ import annotations

import io

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from propwatch.model.heads import RoleRefiner  # noqa: E402
from propwatch.model.runtime import RefinerSession  # noqa: E402
from propwatch.train.config import TrainConfig  # noqa: E402
from propwatch.train.export import save_refiner_onnx  # noqa: E402
from propwatch.train.refine import RefinerNet, distil  # noqa: E402


def _roles(tokens: int) -> torch.Tensor:
    return torch.softmax(torch.randn(tokens, 3, 3), -1)


def test_numpy_twin_matches_torch():
    torch.manual_seed(0)
    net = RefinerNet(states=16, channels=4, hidden=8, width=5)
    torch.nn.init.normal_(net.out.weight)
    torch.nn.init.normal_(net.out.bias)
    states, roles = torch.randn(7, 16), _roles(7)
    base = torch.log(roles.clamp_min(1e-6)).reshape(7, 9)
    expected = torch.softmax(net(states, base).reshape(7, 3, 3), -1).detach().numpy()
    assert np.allclose(net.export().refine(states.numpy(), roles.numpy()), expected, atol=1e-5)


def test_an_untrained_refiner_keeps_the_taggers_roles():
    torch.manual_seed(1)
    states, roles = torch.randn(4, 16), _roles(4)
    refined = RefinerNet(states=16, channels=4, hidden=8, width=3).export().refine(states.numpy(), roles.numpy())
    assert np.allclose(refined, roles.numpy(), atol=1e-5)


def test_a_one_token_text_is_refined_too():
    refiner = RefinerNet(states=16, channels=4, hidden=8, width=5).export()
    refined = refiner.refine(np.zeros((1, 16), np.float32), _roles(1).numpy())
    assert refined.shape == (1, 3, 3) and np.allclose(refined.sum(-1), 1.0)


def test_an_ensemble_averages_its_members_corrections():
    torch.manual_seed(2)
    nets = [RefinerNet(states=16, channels=4, hidden=8, width=3) for _ in range(2)]
    for net in nets:
        torch.nn.init.normal_(net.out.weight)
    states, roles = torch.randn(6, 16), _roles(6)
    base = torch.log(roles.clamp_min(1e-6)).reshape(6, 9)
    mean_logits = (nets[0](states, base) + nets[1](states, base)) / 2
    expected = torch.softmax(mean_logits.reshape(6, 3, 3), -1).detach().numpy()
    ensemble = RoleRefiner.ensemble([net.export() for net in nets])
    assert np.allclose(ensemble.refine(states.numpy(), roles.numpy()), expected, atol=1e-5)


def test_an_even_refiner_width_is_refused():
    with pytest.raises(ValueError, match="role_refiner_width = 4"):
        TrainConfig(role_refiner_width=4)


def test_dilated_layers_have_their_numpy_twin_and_survive_saving(tmp_path):
    torch.manual_seed(3)
    nets = [RefinerNet(states=16, channels=4, hidden=8, width=5, dilations=(2, 3)) for _ in range(2)]
    for net in nets:
        torch.nn.init.normal_(net.out.weight)
        for layer in net.deep:
            torch.nn.init.normal_(layer.weight)
    states, roles = torch.randn(11, 16), _roles(11)
    base = torch.log(roles.clamp_min(1e-6)).reshape(11, 9)
    mean_logits = (nets[0](states, base) + nets[1](states, base)) / 2
    expected = torch.softmax(mean_logits.reshape(11, 3, 3), -1).detach().numpy()
    RoleRefiner.ensemble([net.export() for net in nets]).save(tmp_path / RoleRefiner.FILE)
    loaded = RoleRefiner.load(tmp_path / RoleRefiner.FILE)
    assert loaded.dilations == (2, 3)
    assert np.allclose(loaded.refine(states.numpy(), roles.numpy()), expected, atol=1e-5)


def test_a_distilled_refiner_is_one_member_that_follows_its_ensemble():
    torch.manual_seed(4)
    nets = [RefinerNet(states=16, channels=4, hidden=8, width=3, dilations=(2,)) for _ in range(3)]
    for net in nets:
        torch.nn.init.normal_(net.out.weight, std=0.5)
    teacher = RoleRefiner.ensemble([net.export() for net in nets])
    examples = []
    for _ in range(4):
        states, roles = torch.randn(20, 16), _roles(20)
        examples.append((states, torch.log(roles).reshape(20, 9), torch.zeros(20, 3, dtype=torch.long)))
    config = TrainConfig(
        role_refiner_distil_epochs=40,
        role_refiner_channels=4,
        role_refiner_hidden=8,
        role_refiner_width=3,
        role_refiner_dilations=(2,),
        weight_decay=0.0,
    )
    student = distil(config, teacher, examples, log=io.StringIO())
    assert student.proj_w.shape[0] == 1 and student.dilations == (2,)

    def distance(refiner: RoleRefiner | None) -> float:
        total = 0.0
        for states, base, _ in examples:
            roles = np.exp(base.numpy()).reshape(-1, 3, 3)
            ours = roles if refiner is None else refiner.refine(states.numpy(), roles)
            total += float(np.abs(ours - teacher.refine(states.numpy(), roles)).sum())
        return total

    assert distance(student) < 0.75 * distance(None)


@pytest.mark.parametrize("tokens", [1, 3, 40])
def test_the_refiners_graph_computes_what_its_numpy_twin_does(tmp_path, tokens):
    torch.manual_seed(3)
    nets = [RefinerNet(states=16, channels=4, hidden=8, width=5, dilations=(2, 8)) for _ in range(2)]
    for net in nets:
        for parameter in net.parameters():
            torch.nn.init.normal_(parameter, std=0.5)
    refiner = RoleRefiner.ensemble([net.export() for net in nets])
    save_refiner_onnx(refiner, tmp_path / RefinerSession.FILE)
    states, roles = torch.randn(tokens, 16).numpy(), _roles(tokens).numpy()
    graph = RefinerSession(tmp_path / RefinerSession.FILE, threads=1).refine(states, roles)
    assert graph.shape == (tokens, 3, 3)
    assert np.allclose(graph, refiner.refine(states, roles), atol=1e-5)
