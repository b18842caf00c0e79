#!/usr/bin/python3
"""d2l.ai's toy GAN (chapter "Generative Adversarial Networks"), exactly as the book writes it, in PyTorch.

Prints, per seed, the mean and covariance of 50,000 generated points next to the 1,000 real ones, so gan4j's
configs/d2l-gaussian.yaml can be compared with the original on the same machine:
    /usr/bin/python3 bench/d2l_reference.py --seeds 42 1 2 3 4 5
"""
import argparse

import torch
from torch import nn


def run(seed, epochs=20, lr_d=0.05, lr_g=0.005, batch_size=8, latent_dim=2, init="d2l", beta1=0.9, ema=0.0):
    torch.manual_seed(seed)
    X = torch.normal(0.0, 1, (1000, 2))
    A = torch.tensor([[1, 2], [-0.1, 0.5]])
    b = torch.tensor([1, 2])
    data = torch.matmul(X, A) + b
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(data), batch_size, shuffle=True)

    net_G = nn.Sequential(nn.Linear(2, 2))
    net_D = nn.Sequential(nn.Linear(2, 5), nn.Tanh(), nn.Linear(5, 3), nn.Tanh(), nn.Linear(3, 1))
    if init == "d2l":  # d2l's train() re-initialises every parameter N(0, 0.02)
        for w in net_D.parameters():
            nn.init.normal_(w, 0, 0.02)
        for w in net_G.parameters():
            nn.init.normal_(w, 0, 0.02)
    loss = nn.BCEWithLogitsLoss(reduction="sum")
    trainer_D = torch.optim.Adam(net_D.parameters(), lr=lr_d, betas=(beta1, 0.999))
    trainer_G = torch.optim.Adam(net_G.parameters(), lr=lr_g, betas=(beta1, 0.999))
    ema_G = [p.detach().clone() for p in net_G.parameters()]
    for _ in range(epochs):
        for (x,) in loader:
            n = x.shape[0]
            z = torch.normal(0, 1, size=(n, latent_dim))
            # update_D
            ones, zeros = torch.ones((n,)), torch.zeros((n,))
            trainer_D.zero_grad()
            real_y = net_D(x)
            fake_x = net_G(z)
            fake_y = net_D(fake_x.detach())
            loss_D = (loss(real_y, ones.reshape(real_y.shape)) + loss(fake_y, zeros.reshape(fake_y.shape))) / 2
            loss_D.backward()
            trainer_D.step()
            # update_G
            trainer_G.zero_grad()
            fake_x = net_G(z)
            fake_y = net_D(fake_x)
            loss_G = loss(fake_y, ones.reshape(fake_y.shape))
            loss_G.backward()
            trainer_G.step()
            with torch.no_grad():
                for average, p in zip(ema_G, net_G.parameters()):
                    average.mul_(ema).add_(p, alpha=1 - ema)
    with torch.no_grad():
        if ema > 0:
            for average, p in zip(ema_G, net_G.parameters()):
                p.copy_(average)
        generated = net_G(torch.normal(0, 1, size=(50000, latent_dim)))
    real_mean, real_cov = data.mean(0), torch.cov(data.T)
    gen_mean, gen_cov = generated.mean(0), torch.cov(generated.T)
    return (real_mean, real_cov, gen_mean, gen_cov,
            (gen_mean - real_mean).abs().max().item(), (gen_cov - real_cov).abs().max().item())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 1, 2, 3, 4, 5])
    parser.add_argument("--init", choices=["d2l", "pytorch"], default="d2l")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--lr-d", type=float, default=0.05, help="d2l: 0.05")
    parser.add_argument("--lr-g", type=float, default=0.005, help="d2l: 0.005")
    parser.add_argument("--beta1", type=float, default=0.9, help="d2l: PyTorch's default 0.9")
    parser.add_argument("--epochs", type=int, default=20, help="d2l: 20")
    parser.add_argument("--batch-size", type=int, default=8, help="d2l: 8")
    parser.add_argument("--ema", type=float, default=0.0, help="report an exponential moving average of G (0 = off)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for seed in args.seeds:
        *_, mean_error, cov_error = run(seed, epochs=args.epochs, lr_d=args.lr_d, lr_g=args.lr_g, init=args.init,
                                        beta1=args.beta1, batch_size=args.batch_size, ema=args.ema)
        print(f"seed {seed}: max |mean error| {mean_error:.3f}, max |covariance error| {cov_error:.3f}", flush=True)


if __name__ == "__main__":
    main()
