#!/usr/bin/env python3
"""PacGAN's 2-D grid/ring experiment (Lin et al. 2018, Table 1) in plain PyTorch, as a yardstick for gan4j.

Follows the authors' Theano/Blocks code (fjxmlzn/PacGAN, synthetic_data_experiments): G = 4 hidden layers of 400
(linear without bias, batch norm, ReLU) and a linear output; D = 3 maxout layers of 200 units × 5 pieces and a linear
logit; every weight N(0, 0.02), biases 0; Adam lr 1e-4, beta1 0.8; a batch is B packed samples, i.e. B·m real points
and B·m generated points (G runs once per pack slot, as in the original); D's and G's gradients are taken at the same
point and applied together (the original's ali_algorithm) unless --alternate. Evaluation uses G in inference mode
(running batch-norm statistics) on 2500 samples: modes captured, high-quality share (within 3 std of the nearest
mode) and reverse KL of the mode histogram to uniform, as gan4j evaluate computes them.

  /usr/bin/python3 bench/mixtures/pacgan_torch.py --data grid --packing 4 --steps 20000 --eval-every 2000
"""
import argparse, json, math, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F


def centres(kind):
    if kind == "grid":
        return torch.tensor([[i, j] for i in range(-4, 5, 2) for j in range(-4, 5, 2)], dtype=torch.float32), 0.05
    angles = torch.arange(8, dtype=torch.float32) * (2 * math.pi / 8)
    return torch.stack([torch.cos(angles), torch.sin(angles)], 1), 0.01


class Maxout(nn.Module):
    def __init__(self, n_in, n_out, pieces):
        super().__init__()
        self.linear = nn.Linear(n_in, n_out * pieces)
        self.n_out, self.pieces = n_out, pieces

    def forward(self, x):
        return self.linear(x).view(x.shape[0], self.n_out, self.pieces).max(2).values


def build(packing, init):
    layers = []
    n = 2
    for _ in range(4):
        layers += [nn.Linear(n, 400, bias=False), nn.BatchNorm1d(400, eps=1e-4, momentum=0.05), nn.ReLU()]
        n = 400
    layers.append(nn.Linear(400, 2))
    g = nn.Sequential(*layers)
    d = nn.Sequential(Maxout(2 * packing, 200, 5), Maxout(200, 200, 5), Maxout(200, 200, 5), nn.Linear(200, 1))
    if init == "pacgan":
        for module in list(g.modules()) + list(d.modules()):
            if isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, 0.0, 0.02)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
    return g, d


def evaluate(g, means, std, n=2500, seed=2333):
    g.eval()
    with torch.no_grad():
        gen = torch.Generator().manual_seed(seed)
        x = g(torch.randn(n, 2, generator=gen))
    g.train()
    dist = torch.cdist(x, means) / std
    nearest = dist.min(1)
    good = nearest.values < 3
    counts = torch.bincount(nearest.indices[good], minlength=len(means)).float()
    modes = int((counts > 0).sum())
    hq = float(good.float().mean())
    p = counts / max(float(counts.sum()), 1.0)
    kl = float(sum(pi * math.log(pi * len(means)) for pi in p.tolist() if pi > 0))
    return modes, hq, kl


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="grid", choices=["grid", "ring"])
    parser.add_argument("--packing", type=int, default=4)
    parser.add_argument("--batch", type=int, default=100, help="packed samples per batch (PacGAN: 100)")
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--beta1", type=float, default=0.8)
    parser.add_argument("--steps", type=int, default=20000)
    parser.add_argument("--eval-every", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--init", default="pacgan", choices=["pacgan", "default"])
    parser.add_argument("--alternate", action="store_true", help="D update, then G update on fresh D (gan4j's order)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    means, std = centres(args.data)
    m = args.packing
    # 100,000 training points; each packed sample draws its m points with replacement, as the original does
    points = means[torch.randint(len(means), (100000,))] + std * torch.randn(100000, 2)
    g, d = build(m, args.init)
    opt_g = torch.optim.Adam(g.parameters(), lr=args.lr, betas=(args.beta1, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=args.lr, betas=(args.beta1, 0.999))
    start = time.time()
    for step in range(1, args.steps + 1):
        real = points[torch.randint(100000, (args.batch * m,))].view(args.batch, 2 * m)
        fake = torch.cat([g(torch.randn(args.batch, 2)) for _ in range(m)], 1)
        if args.alternate:
            logits_real, logits_fake = d(real), d(fake.detach())
            loss_d = F.softplus(-logits_real).mean() + F.softplus(logits_fake).mean()
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            loss_g = F.softplus(-d(fake)).mean()
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            opt_g.step()
        else:
            logits = d(torch.cat([real, fake], 0))
            logits_real, logits_fake = logits[: args.batch], logits[args.batch:]
            loss_d = F.softplus(-logits_real).mean() + F.softplus(logits_fake).mean()
            loss_g = F.softplus(-logits_fake).mean()
            grads_d = torch.autograd.grad(loss_d, list(d.parameters()), retain_graph=True)
            grads_g = torch.autograd.grad(loss_g, list(g.parameters()))
            for p, grad in zip(d.parameters(), grads_d):
                p.grad = grad
            for p, grad in zip(g.parameters(), grads_g):
                p.grad = grad
            opt_d.step()
            opt_g.step()
        if step % args.eval_every == 0 or step == args.steps:
            modes, hq, kl = evaluate(g, means, std)
            print(json.dumps({"step": step, "modes": modes, "hq": round(hq, 4), "kl": round(kl, 4),
                              "loss_d": round(float(loss_d), 4), "loss_g": round(float(loss_g), 4),
                              "seconds": round(time.time() - start, 1)}), flush=True)


if __name__ == "__main__":
    main()
