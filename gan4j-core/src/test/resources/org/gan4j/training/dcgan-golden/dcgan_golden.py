"""PyTorch reference for DcganTorchGoldenTest: a small DCGAN (pytorch/examples' dcgan/main.py, sized for 28x28) trained
for three steps, written independently of gan4j.

Reads inputs.json (next to this file: initial parameters and noise), replays three configurations in float32 with
plain PyTorch, writes expected.json (every parameter and batch-norm running average after the last step) and prints
the logged values as Java, to paste into gan4j-core/src/test/java/org/gan4j/training/DcganTorchGoldenTest.java. It
also replays in float64 and prints how far float32 is from it. CI has no torch: the Java test reads the numbers.

    /usr/bin/python3 gan4j-core/src/test/resources/org/gan4j/training/dcgan-golden/dcgan_golden.py

The networks (DCGAN, Radford et al. 2016, as pytorch/examples builds them, with a 7x7 first/last layer for 28x28):
G: z (8) -> ConvTranspose2d(8, 8, 7) -> BatchNorm2d -> ReLU -> ConvTranspose2d(8, 4, 4, 2, 1) -> BatchNorm2d -> ReLU
   -> ConvTranspose2d(4, 1, 4, 2, 1) -> tanh;
D: Conv2d(1, 4, 4, 2, 1) -> LeakyReLU(0.2) -> Conv2d(4, 8, 4, 2, 1) -> BatchNorm2d -> LeakyReLU(0.2) -> Conv2d(8, 1, 7)
   -> logit; no biases; batch norm with PyTorch's defaults (momentum 0.1, eps 1e-5), always in training mode.
Adam(lr 2e-4, betas (0.5, 0.999), eps 1e-8) for both; BCEWithLogitsLoss with mean reduction; batch 4.
The step is that of toy_gan_golden.py (pytorch/examples' order): dSteps D updates, each on the next real batch and the
noise of index step * dSteps + i, D seeing the real batch and the detached fakes in two forward passes; then gSteps G
updates, the first on the last D update's fakes, later ones regenerated from the same z.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 3
IMAGE = 28 * 28
# name, generator loss, dSteps, gSteps
CASES = [
    ("nonSaturating", "nonSaturating", 1, 1),
    ("minimaxTwoDiscriminatorSteps", "minimax", 2, 1),
    ("twoGeneratorSteps", "nonSaturating", 1, 2),
]


class Logit(nn.Module):
    def forward(self, x):
        return x.reshape(x.shape[0], 1)


def networks(inputs, dtype):
    nz, ngf, ndf = 8, 4, 4
    net_g = nn.Sequential(
        nn.Unflatten(1, (nz, 1, 1)),
        nn.ConvTranspose2d(nz, ngf * 2, 7, 1, 0, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(),
        nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(),
        nn.ConvTranspose2d(ngf, 1, 4, 2, 1, bias=False), nn.Tanh())
    net_d = nn.Sequential(
        nn.Conv2d(1, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),
        nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2),
        nn.Conv2d(ndf * 2, 1, 7, 1, 0, bias=False), Logit())
    for net, saved in ((net_g, inputs["generator"]), (net_d, inputs["discriminator"])):
        net.to(dtype)
        tensors = state(net)
        assert len(tensors) == len(saved)
        with torch.no_grad():
            for t, s in zip(tensors, saved):
                assert list(t.shape) == s["shape"], (s["name"], t.shape)
                t.copy_(torch.tensor(s["values"], dtype=torch.float32).reshape(t.shape).to(dtype))
    return net_g, net_d


def state(net):
    """gan4j's order: each layer's weight; each batch norm's scale, shift, running mean, running variance."""
    out = []
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            out.append(m.weight)
        elif isinstance(m, nn.BatchNorm2d):
            out += [m.weight, m.bias, m.running_mean, m.running_var]
    return out


def real_batch(b, dtype):
    values = [math.sin(0.37 * i + 1.3 * b) for i in range(4 * IMAGE)]
    return torch.tensor(values, dtype=torch.float32).reshape(4, 1, 28, 28).to(dtype)


def replay(inputs, case, dtype):
    _, loss_name, d_steps, g_steps = case
    net_g, net_d = networks(inputs, dtype)
    net_g.train()
    net_d.train()
    opt_g = torch.optim.Adam(net_g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(net_d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    consumed = 0
    rows = []
    for step in range(1, STEPS + 1):
        for i in range(d_steps):
            x = real_batch(consumed, dtype)
            consumed += 1
            z = torch.tensor(inputs["noise"][str(step * d_steps + i)], dtype=torch.float32).reshape(4, 8).to(dtype)
            fake = net_g(z)
            opt_d.zero_grad()
            out_real = net_d(x)
            err_real = bce(out_real, torch.ones_like(out_real))
            err_real.backward()
            out_fake = net_d(fake.detach())
            err_fake = bce(out_fake, torch.zeros_like(out_fake))
            err_fake.backward()
            norm_d = math.sqrt(sum(float(p.grad.double().square().sum()) for p in net_d.parameters()))
            opt_d.step()
            loss_d = float(err_real) + float(err_fake)
            d_x, d_g_z1 = float(torch.sigmoid(out_real).mean()), float(torch.sigmoid(out_fake).mean())
        for j in range(g_steps):
            if j > 0:
                fake = net_g(z)
            opt_g.zero_grad()
            out = net_d(fake)
            if loss_name == "minimax":
                err_g = -bce(out, torch.zeros_like(out))  # log(1 - D(G(z)))
            else:
                err_g = bce(out, torch.ones_like(out))  # -log D(G(z))
            err_g.backward()
            norm_g = math.sqrt(sum(float(p.grad.double().square().sum()) for p in net_g.parameters()))
            opt_g.step()
            d_g_z2 = float(torch.sigmoid(out).mean())
        rows.append([loss_d, float(err_g), d_x, d_g_z1, d_g_z2, norm_d, norm_g])
    # 8 decimals: the test's tolerance is 1e-6
    final = {"generator": [[round(float(v), 8) for v in t.detach().flatten()] for t in state(net_g)],
             "discriminator": [[round(float(v), 8) for v in t.detach().flatten()] for t in state(net_d)]}
    return rows, final


def main():
    torch.set_num_threads(1)
    with open(os.path.join(HERE, "inputs.json")) as f:
        inputs = json.load(f)
    expected = {"comment": "written by dcgan_golden.py: parameters and running averages after step "
                           f"{STEPS}, in gan4j's order, per configuration", "torch": torch.__version__}
    print(f"// generated by dcgan_golden.py with torch {torch.__version__}")
    for case in CASES:
        rows, final = replay(inputs, case, torch.float32)
        rows64, final64 = replay(inputs, case, torch.float64)
        worst_scalar = max(abs(a - b) / abs(b) for r, r64 in zip(rows, rows64) for a, b in zip(r, r64))
        worst_param = max(abs(a - b) for net in final for t, t64 in zip(final[net], final64[net])
                          for a, b in zip(t, t64))
        print(f"            // float32 against float64: logged values {worst_scalar:.1e} relative, "
              f"parameters {worst_param:.1e}")
        print(f'            case "{case[0]}" -> new double[][] {{')
        for r in rows:
            print("                {" + ", ".join(repr(v) for v in r[:4]) + ",")
            print("                    " + ", ".join(repr(v) for v in r[4:]) + "},")
        print("            };")
        expected[case[0]] = final
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
