"""PyTorch reference for ToyGanTorchGoldenTest: d2l.ai's toy GAN trained for a few steps, written independently of gan4j.

Reads inputs.json (next to this file: initial parameters, real batches and noise), replays five configurations of
configs/d2l-gaussian.yaml in float32 with plain PyTorch and prints the golden values as Java, to paste into
gan4j-core/src/test/java/org/gan4j/training/ToyGanTorchGoldenTest.java. It also replays in float64 and prints how far
float32 is from it, as a guide to the test's tolerances. CI has no torch: the Java test holds the printed numbers.

    /usr/bin/python3 gan4j-core/src/test/resources/org/gan4j/training/toy-gan-golden/toy_gan_golden.py

The game (Goodfellow et al. 2014, as pytorch/examples' dcgan/main.py trains it): one step is dSteps D updates, each on
the next real batch and the noise of index step * dSteps + i (step counted from 1), then gSteps G updates. D minimises
BCE(D(x), realLabel) + BCE(D(G(z)), 0) on detached fakes, with D's real and fake halves in separate forward passes;
the first G update reuses the fakes of the last D update (same z, G unchanged), each later one regenerates them from
that z through the updated G. G minimises -log D(G(z)) (non-saturating) or log(1 - D(G(z))) (minimax). loss_D is the
sum of D's two terms (d2l's update_D halves it; Adam's step does not depend on that factor apart from epsilon), loss_G
and D(G(z)) after D's update are those of the last G update, D(x) and D(G(z)) before it those of the last D update,
the gradient norms the L2 norms over all of a network's parameters of its last update's gradients.
d2l's settings: G = Linear(2, 2); D = Linear(2, 5), tanh, Linear(5, 3), tanh, Linear(3, 1); Adam with lr_D 0.05,
lr_G 0.005, PyTorch's default betas (0.9, 0.999) and eps 1e-8; BCEWithLogitsLoss(reduction='sum'); batch 8.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 5
# name, loss, reduction, real label, dSteps, gSteps (the d2l preset with these changes)
CASES = [
    ("nonSaturating", "nonSaturating", "sum", 1.0, 1, 1),
    ("minimax", "minimax", "sum", 1.0, 1, 1),
    ("twoDiscriminatorSteps", "nonSaturating", "sum", 1.0, 2, 1),
    ("twoGeneratorSteps", "nonSaturating", "sum", 1.0, 1, 2),
    ("meanReductionLabelSmoothing", "nonSaturating", "mean", 0.9, 1, 1),
]


def networks(inputs, dtype):
    net_g = nn.Linear(2, 2)
    net_d = nn.Sequential(nn.Linear(2, 5), nn.Tanh(), nn.Linear(5, 3), nn.Tanh(), nn.Linear(3, 1))
    for net, saved in ((net_g, inputs["generator"]), (net_d, inputs["discriminator"])):
        net.to(dtype)
        params = list(net.parameters())  # weight, bias per layer: gan4j's order
        assert len(params) == len(saved)
        with torch.no_grad():
            for p, s in zip(params, saved):
                assert list(p.shape) == s["shape"], (s["name"], p.shape)
                p.copy_(torch.tensor(s["values"], dtype=torch.float32).reshape(p.shape).to(dtype))
    return net_g, net_d


def flat(net):
    return [float(v) for p in net.parameters() for v in p.detach().flatten()]


def replay(inputs, case, dtype):
    _, loss_name, reduction, real_label, d_steps, g_steps = case
    net_g, net_d = networks(inputs, dtype)
    trainer_g = torch.optim.Adam(net_g.parameters(), lr=0.005)
    trainer_d = torch.optim.Adam(net_d.parameters(), lr=0.05)
    batch, latent = inputs["batch"], inputs["latent"]
    real_batches = iter(inputs["real"])

    def bce(logits, target):
        return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target), reduction=reduction)

    rows, after = [], []
    for step in range(1, STEPS + 1):
        for i in range(d_steps):
            x = torch.tensor(next(real_batches), dtype=torch.float32).reshape(batch, 2).to(dtype)
            z = torch.tensor(inputs["noise"][str(step * d_steps + i)], dtype=torch.float32).reshape(batch, latent)
            z = z.to(dtype)
            fake = net_g(z)
            trainer_d.zero_grad()
            real_logits = net_d(x)
            fake_logits = net_d(fake.detach())
            loss_d = bce(real_logits, real_label) + bce(fake_logits, 0.0)
            loss_d.backward()
            norm_d = math.sqrt(sum(float(p.grad.double().square().sum()) for p in net_d.parameters()))
            trainer_d.step()
            d_real, d_fake = float(torch.sigmoid(real_logits).mean()), float(torch.sigmoid(fake_logits).mean())
        for j in range(g_steps):
            if j > 0:
                fake = net_g(z)
            trainer_g.zero_grad()
            logits = net_d(fake)
            if loss_name == "minimax":
                loss_g = -bce(logits, 0.0)  # log(1 - D(G(z))) = -softplus(logit)
            else:
                loss_g = bce(logits, 1.0)  # -log D(G(z)), never smoothed
            loss_g.backward()
            norm_g = math.sqrt(sum(float(p.grad.double().square().sum()) for p in net_g.parameters()))
            trainer_g.step()
            d_fake_after = float(torch.sigmoid(logits).mean())
        rows.append([float(loss_d), float(loss_g), d_real, d_fake, d_fake_after, norm_d, norm_g])
        after.append((flat(net_g), flat(net_d)))
    return rows, after


def java(values, indent=28, first=24):
    """A Java array initialiser starting at column first, continued at column indent, wrapped at 120 columns."""
    lines, line = [], ""
    for text in (repr(float(v)) for v in values):
        if line and (first if not lines else indent) + 1 + len(line) + len(text) + 2 > 118:
            lines.append(line.rstrip())
            line = ""
        line += text + ", "
    lines.append(line[:-2])
    return "{" + ("\n" + " " * indent).join(lines) + "}"


SATURATED = [-30.0, 30.0]


def saturation():
    """Each loss and its gradient at logits -30 and 30 (D sure of itself), mean reduction, in float32."""
    out = []
    for name, fn in [
        ("generatorNonSaturating", lambda l: F.binary_cross_entropy_with_logits(l, torch.ones_like(l))),
        ("generatorMinimax", lambda l: -F.binary_cross_entropy_with_logits(l, torch.zeros_like(l))),
        ("discriminatorReal", lambda l: F.binary_cross_entropy_with_logits(l, torch.ones_like(l))),
        ("discriminatorRealSmoothed", lambda l: F.binary_cross_entropy_with_logits(l, torch.full_like(l, 0.9))),
        ("discriminatorFake", lambda l: F.binary_cross_entropy_with_logits(l, torch.zeros_like(l))),
    ]:
        logits = torch.tensor(SATURATED, dtype=torch.float32).reshape(2, 1).requires_grad_(True)
        loss = fn(logits)
        loss.backward()
        out.append((name, float(loss), [float(g) for g in logits.grad.flatten()]))
    return out


def main():
    torch.set_num_threads(1)
    with open(os.path.join(HERE, "inputs.json")) as f:
        inputs = json.load(f)
    print(f"// generated by toy_gan_golden.py with torch {torch.__version__}")
    for case in CASES:
        rows, after = replay(inputs, case, torch.float32)
        rows64, after64 = replay(inputs, case, torch.float64)
        worst_scalar = max(abs(a - b) / abs(b) for r, r64 in zip(rows, rows64) for a, b in zip(r, r64))
        worst_param = max(abs(a - b) for (g, d), (g64, d64) in zip(after, after64) for a, b in zip(g + d, g64 + d64))
        print(f"// {case[0]}: float32 against float64, logged values {worst_scalar:.1e} relative, "
              f"parameters {worst_param:.1e}")
        print(f'            case "{case[0]}" -> new Golden(')
        print("                    new double[][] {")
        for r in rows:
            print(f"                        {java(r)},")
        print("                    },")
        print(f"                    new double[] {java(after[0][0], first=34)},")
        print(f"                    new double[] {java(after[0][1], first=34)},")
        print(f"                    new double[] {java(after[-1][0], first=34)},")
        print(f"                    new double[] {java(after[-1][1], first=34)});")
    print("// saturation: loss (mean over the logits -30 and 30) and its gradient with respect to each logit")
    for name, loss, grad in saturation():
        print(f'            case "{name}" -> new double[] {java([loss] + grad, first=50)};')


if __name__ == "__main__":
    main()
