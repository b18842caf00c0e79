#!/usr/bin/python3
"""PyTorch reference of `gan4j bench`: the same models, shapes, initialisation, losses, Adam settings and batches.

Two formulations of every training step:
  plain  as PyTorch users write it: pytorch/examples dcgan/main.py (nn.ConvTranspose2d, Sigmoid + nn.BCELoss,
         zero_grad(), .item() of every logged value every step) and d2l's toy GAN (update_D / update_G, fakes
         regenerated for G, losses accumulated as Python floats every step).
  best   the fastest formulation found on this machine: transposed convolutions rewritten as ONE stride-phase
         convolution each (the rewrite gan4j used until 29 November 2026), logits + BCEWithLogits, fakes reused for G, gradients set to
         None, multi-tensor Adam (foreach; --adam fused for the fused kernel where the PyTorch has it), values read
         back only on logged steps (every 10th). --readout matmul computes D's last convolution as one matrix product
         (gan4j's MatMulConv2d): slower with Debian's PyTorch 1.13 and channels_last, so not the default.
Prints one JSON line per model, with the fields of `gan4j bench` (median step seconds, GFLOP/s, peak RSS).

    /usr/bin/python3 bench/torch_bench.py --model dcgan28 --variant best --threads 2
    /usr/bin/python3 bench/torch_bench.py --check      (the phase rewrite equals conv_transpose2d and the readout
                                                        conv2d: outputs and gradients)
    python3 bench/torch_bench.py --model dcgan64 --device cuda --variant best --convt native --cudnn-benchmark
        (on a GPU every timed step ends with torch.cuda.synchronize(); bench/gpu/run.sh runs all variants there)
"""
import argparse
import gzip
import json
import math
import os
import resource
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # torch parallelises around BLAS; nested BLAS threads oversubscribe

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

FASHION_MNIST = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
LOG_EVERY = 10  # gan4j's default output.logEvery


# ---------------------------------------------------------------- transposed convolution as a stride-phase conv
# --channels-last: the transposed convolutions give their outputs channels_last too (their matrix product and their
# phase interleave make plain arrays), so that the batch norm and ReLU after them do not get channels_last gradients
# for plain activations: mixed layouts run TensorIterator's strided loops instead of its vectorised ones
CHANNELS_LAST = False
# --d-update summed (default): one backward pass of D's summed loss; in-turn: D's loss on the real batch back-propagated
# before D sees the fakes, as gan4j's trainer and pytorch/examples do (the same gradients; not faster for PyTorch 1.13
# here: 28×28 35.1 / 43.0 / 32.4 against 33.0 / 33.8 / 33.5 ms, 64×64 504 / 481 / 482 against 489 / 481 / 469 ms)
D_IN_TURN = False
# --projection conv: G's first layer (a transposed convolution of the 1×1 latent input, i.e. one matrix product) as a
# 1×1 convolution through oneDNN, which uses every intra-op thread; torch.mm goes to BLAS (Debian: OpenBLAS, one thread)
PROJECTION_CONV = False
# --d-update concurrent: D's real and fake passes at the same time on two threads, half the intra-op threads each.
# The fake pass runs a second D that shares D's parameters but has its own batch-norm buffers, zeroed first and folded
# into D's after (running = 0.9 · running + side), so the running averages are updated as if the fake pass ran after
# the real one, and the two passes never write the same buffer. Slower here (28×28 46.3–52.1 against 41.5–44.6 ms;
# docs/PERFORMANCE-HISTORY.md, "After run V"), so the best variant keeps one thread of passes.
D_PASSES = None


class ConcurrentDPasses:
    """Two worker threads for D's real and fake passes, each with half of the intra-op threads."""

    def __init__(self, netD, threads):
        import concurrent.futures
        import copy
        self.pools = [concurrent.futures.ThreadPoolExecutor(1) for _ in range(2)]
        each = max(1, threads // 2)

        def setup():
            # libtorch sets a thread's count from the process-wide one the first time the thread asks for it (on its
            # first operator big enough to run in parallel), which would undo a setting made before: ask first
            torch.get_num_threads()
            torch.set_num_threads(each)

        for pool in self.pools:
            pool.submit(setup).result()
        torch.set_num_threads(threads)
        self.side = copy.deepcopy(netD)
        for side_module, module in zip(self.side.modules(), netD.modules()):
            for name in list(module._parameters):
                side_module._parameters[name] = module._parameters[name]
        self.netD = netD

    def run(self, real_pass, fake_pass):
        for buffer in self.side.buffers():
            buffer.zero_()
        a = self.pools[0].submit(real_pass, self.netD)
        b = self.pools[1].submit(fake_pass, self.side)
        results = a.result(), b.result()
        with torch.no_grad():
            for (name, buffer), side in zip(self.netD.named_buffers(), self.side.buffers()):
                if name.endswith("num_batches_tracked"):
                    buffer.add_(side)
                else:
                    buffer.mul_(0.9).add_(side)
        return results


def conv_transpose_phase(x, w, stride, padding):
    """conv_transpose2d(x, w, stride, padding) as one stride-1 convolution whose output channels are the s² phases."""
    y = _conv_transpose_phase(x, w, stride, padding)
    return y.contiguous(memory_format=torch.channels_last) if CHANNELS_LAST else y


def _conv_transpose_phase(x, w, stride, padding):
    cin, cout, k, _ = w.shape
    n, _, h, wd = x.shape
    s, p = stride, padding
    hout, wout = (h - 1) * s - 2 * p + k, (wd - 1) * s - 2 * p + k
    if h == 1 and wd == 1:
        if PROJECTION_CONV:
            y = F.conv2d(x, w.reshape(cin, cout * k * k).t().reshape(cout * k * k, cin, 1, 1)).reshape(n, cout, k, k)
        else:
            y = (x.reshape(n, cin) @ w.reshape(cin, cout * k * k)).reshape(n, cout, k, k)
        return y[:, :, p:k - p, p:k - p] if p > 0 else y
    taps = (k + s - 1) // s
    extended = taps * s
    kernel = F.pad(w, (0, extended - k, 0, extended - k)) if extended > k else w
    kernel = (kernel.reshape(cin, cout, taps, s, taps, s).flip(2, 4).permute(3, 5, 1, 0, 2, 4)
              .reshape(s * s * cout, cin, taps, taps))
    g = max(0, taps - 1 - p // s)
    phases = F.conv2d(x, kernel, padding=g)
    ch, cw = h + 2 * g - taps + 1, wd + 2 * g - taps + 1
    full = phases.reshape(n, s, s, cout, ch, cw).permute(0, 3, 4, 1, 5, 2).reshape(n, cout, ch * s, cw * s)
    start = p - (taps - 1 - g) * s
    return full[:, :, start:start + hout, start:start + wout]


class PhaseConvTranspose2d(nn.ConvTranspose2d):
    """nn.ConvTranspose2d (same parameters and initialisation) computed by conv_transpose_phase."""

    def forward(self, x):
        y = conv_transpose_phase(x, self.weight, self.stride[0], self.padding[0])
        return y if self.bias is None else y + self.bias.reshape(1, -1, 1, 1)


class ReadoutConv2d(nn.Conv2d):
    """nn.Conv2d (same parameters and initialisation) computed as one matrix product when the kernel covers the whole
    unpadded input, as D's last layer does (gan4j's MatMulConv2d); any other input runs the convolution."""

    def forward(self, x):
        if (x.shape[2:] == self.weight.shape[2:] and self.padding == (0, 0) and self.groups == 1
                and self.dilation == (1, 1)):
            if x.is_contiguous(memory_format=torch.channels_last) and not x.is_contiguous():
                # flattened (H, W, C), as gan4j's MatMulConv2d does for channels-last input: a view, and a
                # channels_last gradient for the layers before it
                y = F.linear(x.permute(0, 2, 3, 1).flatten(1), self.weight.permute(0, 2, 3, 1).flatten(1), self.bias)
            else:
                y = F.linear(x.flatten(1), self.weight.flatten(1), self.bias)
            return y.view(x.shape[0], self.out_channels, 1, 1)
        return super().forward(x)


class UnfoldConv2d(nn.Conv2d):
    """nn.Conv2d (same parameters and initialisation) as unfold + one matrix product, for D's first layer (1 or 3 input
    channels), where the convolution kernels of both libtorch versions run far below the machine's GEMM rate. The
    output is a channels_last view of the product (N·H·W, Cout)."""

    def forward(self, x):
        n = x.shape[0]
        k, s, p = self.kernel_size[0], self.stride[0], self.padding[0]
        ho = (x.shape[2] + 2 * p - k) // s + 1
        wo = (x.shape[3] + 2 * p - k) // s + 1
        cols = F.unfold(x, k, stride=s, padding=p)  # (N, Cin·k², L)
        y = cols.transpose(1, 2).reshape(n * ho * wo, -1) @ self.weight.reshape(self.out_channels, -1).t()
        y = y.reshape(n, ho, wo, self.out_channels).permute(0, 3, 1, 2)
        return y if self.bias is None else y + self.bias.reshape(1, -1, 1, 1)


class FoldConvTranspose2d(nn.ConvTranspose2d):
    """nn.ConvTranspose2d (same parameters and initialisation) as one matrix product + fold, for G's last layer (1 or 3
    output channels)."""

    def forward(self, x):
        n, cin, h, w = x.shape
        k, s, p = self.kernel_size[0], self.stride[0], self.padding[0]
        cout = self.out_channels
        hout, wout = (h - 1) * s - 2 * p + k, (w - 1) * s - 2 * p + k
        cols = x.permute(0, 2, 3, 1).reshape(n * h * w, cin) @ self.weight.reshape(cin, cout * k * k)
        y = F.fold(cols.reshape(n, h * w, cout * k * k).transpose(1, 2), (hout, wout), k, stride=s, padding=p)
        return y if self.bias is None else y + self.bias.reshape(1, -1, 1, 1)


# ---------------------------------------------------------------- models (identical to gan4j's GanModels)
def dcgan_generator(image_size, channels, nz, ngf, convt, last_convt=None):
    """gan4j's DcganGenerator; at 64×64 exactly pytorch/examples netG."""
    last_convt = last_convt or convt
    base = 7 if image_size == 28 else 4
    strided = int(math.log2(image_size // base))
    width = ngf << (strided - 1)
    layers = [convt(nz, width, base, 1, 0, bias=False), nn.BatchNorm2d(width), nn.ReLU(True)]
    for _ in range(1, strided):
        layers += [convt(width, width // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width // 2), nn.ReLU(True)]
        width //= 2
    layers += [last_convt(width, channels, 4, 2, 1, bias=False), nn.Tanh()]
    return nn.Sequential(*layers)


def dcgan_discriminator(image_size, channels, ndf, sigmoid, readout_matmul=False, first_conv=nn.Conv2d):
    """gan4j's DcganDiscriminator; at 64×64 exactly pytorch/examples netD (with its Sigmoid when sigmoid=True)."""
    base = 7 if image_size == 28 else 4
    strided = int(math.log2(image_size // base))
    layers, width, previous = [], ndf, channels
    for layer in range(1, strided + 1):
        layers.append((first_conv if layer == 1 else nn.Conv2d)(previous, width, 4, 2, 1, bias=False))
        if layer > 1:
            layers.append(nn.BatchNorm2d(width))
        layers.append(nn.LeakyReLU(0.2, inplace=True))
        previous, width = width, width * 2
    # --readout matmul: the logit read out as one matrix product (gan4j's MatMulConv2d); nn.Conv2d otherwise
    readout = ReadoutConv2d if readout_matmul and not sigmoid else nn.Conv2d
    layers.append(readout(previous, 1, base, 1, 0, bias=False))
    if sigmoid:
        layers.append(nn.Sigmoid())
    return nn.Sequential(*layers)


def weights_init(m):
    """pytorch/examples dcgan weights_init (gan4j's Initialization.dcgan)."""
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


def forward_flops(model, x, first=False):
    """2·MACs of Linear, Conv2d and ConvTranspose2d layers for input x (gan4j's FlopCounter); with first=True only
    the first such layer's."""
    layers = []

    def hook(module, inputs, output):
        i = inputs[0]
        if isinstance(module, nn.ConvTranspose2d):
            layers.append(2.0 * i.numel() * module.out_channels * module.kernel_size[0] * module.kernel_size[1])
        elif isinstance(module, nn.Conv2d):
            layers.append(2.0 * output.numel() * i.shape[1] / module.groups * module.kernel_size[0]
                          * module.kernel_size[1])
        elif isinstance(module, nn.Linear):
            layers.append(2.0 * i.shape[-1] * output.numel())

    handles = [m.register_forward_hook(hook) for m in model.modules()]
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    return (layers[0] if layers else 0.0) if first else sum(layers)


def step_flops(netG, z, netD, x):
    """The operations one training step needs (gan4j's FlopCounter.trainingStep): 3G − G₁ + 8D − 2D₁ (no gradients
    with respect to noise, data or detached fakes; none for D's weights in G's update)."""
    g, g1 = forward_flops(netG, z), forward_flops(netG, z, first=True)
    d, d1 = forward_flops(netD, x), forward_flops(netD, x, first=True)
    return 3 * g - g1 + 8 * d - 2 * d1


# ---------------------------------------------------------------- data
def fashion_mnist():
    with gzip.open(FASHION_MNIST, "rb") as f:
        raw = f.read()
    n, rows, cols = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
    return torch.from_numpy(np.frombuffer(raw, np.uint8, offset=16).reshape(n, 1, rows, cols).copy())


def images(model, synthetic):
    if model == "dcgan64":
        return torch.randint(0, 256, (2048, 3, 64, 64), dtype=torch.uint8), "synthetic images [3, 64, 64] × 2048"
    if synthetic or not os.path.exists(FASHION_MNIST):
        return torch.randint(0, 256, (4096, 1, 28, 28), dtype=torch.uint8), "synthetic images [1, 28, 28] × 4096"
    return fashion_mnist(), "Fashion-MNIST " + FASHION_MNIST


def batches(data, batch_size, plain):
    """Endless shuffled batches normalised to [-1, 1] (plain: torch DataLoader as users write it)."""
    data = data.float().div_(127.5).sub_(1) if data.dtype == torch.uint8 else data
    if plain:
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(data), batch_size, shuffle=True,
                                             drop_last=True)
        while True:
            for (x,) in loader:
                yield x
    while True:
        order = torch.randperm(data.shape[0])
        for start in range(0, data.shape[0] - batch_size + 1, batch_size):
            yield data[order[start:start + batch_size]]


# ---------------------------------------------------------------- training steps
def dcgan_step_plain(netG, netD, optimizerG, optimizerD, criterion, real_cpu, nz, step, device):
    """pytorch/examples dcgan/main.py, one iteration, verbatim apart from names of the loop variables."""
    real_label, fake_label = 1, 0
    netD.zero_grad()
    real_cpu = real_cpu.to(device)
    batch_size = real_cpu.size(0)
    label = torch.full((batch_size,), real_label, dtype=real_cpu.dtype, device=device)
    output = netD(real_cpu).view(-1)
    errD_real = criterion(output, label)
    errD_real.backward()
    D_x = output.mean().item()
    noise = torch.randn(batch_size, nz, 1, 1, device=device)
    fake = netG(noise)
    label.fill_(fake_label)
    output = netD(fake.detach()).view(-1)
    errD_fake = criterion(output, label)
    errD_fake.backward()
    D_G_z1 = output.mean().item()
    errD = errD_real + errD_fake
    optimizerD.step()
    netG.zero_grad()
    label.fill_(real_label)
    output = netD(fake).view(-1)
    errG = criterion(output, label)
    errG.backward()
    D_G_z2 = output.mean().item()
    optimizerG.step()
    return errD.item(), errG.item(), D_x, D_G_z1, D_G_z2


def gan_step_best(netG, netD, optimizerG, optimizerD, real, z, ones, zeros, step, discriminator_loss_scale=1.0,
                  reduction="mean"):
    """The same step, fastest formulation: logits, reused fakes, D frozen for G, values read on logged steps only.
    With D_IN_TURN (--d-update in-turn) D's loss on the real batch is back-propagated before D sees the fakes, as
    pytorch/examples does (the same gradients: the two halves add up)."""
    optimizerD.zero_grad(set_to_none=True)
    fake = netG(z)
    if D_PASSES is not None or D_IN_TURN:
        detached = fake.detach()

        def half(d, x, target):
            """One half of D's loss: forward, loss, backward; returns the logits and the loss."""
            logits = d(x).view(-1)
            loss = F.binary_cross_entropy_with_logits(logits, target, reduction=reduction) * discriminator_loss_scale
            loss.backward()
            return logits, loss

        if D_PASSES is not None:
            (real_logits, loss_real), (fake_logits, loss_fake) = D_PASSES.run(
                lambda d: half(d, real, ones), lambda d: half(d, detached, zeros))
        else:
            real_logits, loss_real = half(netD, real, ones)
            fake_logits, loss_fake = half(netD, detached, zeros)
        lossD = loss_real.detach() + loss_fake.detach()
    else:
        real_logits = netD(real).view(-1)
        fake_logits = netD(fake.detach()).view(-1)
        lossD = (F.binary_cross_entropy_with_logits(real_logits, ones, reduction=reduction)
                 + F.binary_cross_entropy_with_logits(fake_logits, zeros, reduction=reduction)) * discriminator_loss_scale
        lossD.backward()
    optimizerD.step()
    optimizerG.zero_grad(set_to_none=True)
    for p in netD.parameters():
        p.requires_grad_(False)
    fake_logits_after = netD(fake).view(-1)
    lossG = F.binary_cross_entropy_with_logits(fake_logits_after, ones, reduction=reduction)
    lossG.backward()
    optimizerG.step()
    for p in netD.parameters():
        p.requires_grad_(True)
    if step % LOG_EVERY == 0:
        values = torch.stack([lossD.detach(), lossG.detach(), torch.sigmoid(real_logits.detach()).mean(),
                              torch.sigmoid(fake_logits.detach()).mean(),
                              torch.sigmoid(fake_logits_after.detach()).mean()]).tolist()
        return values
    return None


def sync(device):
    """Kernels run asynchronously on a GPU: a timed step ends when they have finished."""
    if device.type == "cuda":
        torch.cuda.synchronize()


def train(args):
    torch.manual_seed(42)
    plain = args.variant == "plain"
    device = torch.device(args.device)
    if args.model == "toy":
        batch = args.batch or 8
        X = torch.normal(0.0, 1, (1000, 2))
        data = torch.matmul(X, torch.tensor([[1, 2], [-0.1, 0.5]])) + torch.tensor([1, 2])
        description = "gaussian X = Z·A + b (1000 points)"
        netG = nn.Sequential(nn.Linear(2, 2))
        netD = nn.Sequential(nn.Linear(2, 5), nn.Tanh(), nn.Linear(5, 3), nn.Tanh(), nn.Linear(3, 1))
        nz, lr_g, lr_d, betas = 2, 0.005, 0.05, (0.9, 0.999)
        reduction = "sum"
        z_shape = (batch, nz)
        flops = step_flops(netG, torch.zeros(batch, nz), netD, torch.zeros(batch, 2))
    else:
        batch = args.batch or 64
        size, channels = (28, 1) if args.model == "dcgan28" else (64, 3)
        data, description = images(args.model, args.synthetic)
        convt = nn.ConvTranspose2d if plain or args.convt == "native" else PhaseConvTranspose2d
        gemm_edges = not plain and args.edge_layers == "gemm"
        netG = dcgan_generator(size, channels, 100, args.features, convt,
                               last_convt=FoldConvTranspose2d if gemm_edges else None)
        netD = dcgan_discriminator(size, channels, args.features, sigmoid=plain, readout_matmul=args.readout == "matmul",
                                   first_conv=UnfoldConv2d if gemm_edges else nn.Conv2d)
        netG.apply(weights_init)
        netD.apply(weights_init)
        nz, lr_g, lr_d, betas = 100, 2e-4, 2e-4, (0.5, 0.999)
        reduction = "mean"
        z_shape = (batch, nz, 1, 1)
        flops = step_flops(netG, torch.zeros(z_shape), netD, torch.zeros(batch, channels, size, size))
        if args.channels_last and not plain:
            global CHANNELS_LAST
            CHANNELS_LAST = True
            netG = netG.to(memory_format=torch.channels_last)
            netD = netD.to(memory_format=torch.channels_last)
    netG, netD = netG.to(device), netD.to(device)
    if args.d_update == "concurrent" and not plain and args.model != "toy" and device.type == "cpu":
        global D_PASSES
        D_PASSES = ConcurrentDPasses(netD, torch.get_num_threads())
    if device.type == "cuda" and not plain:
        data = data.to(device)  # the best formulation keeps the (small) dataset on the GPU
    if plain:
        optimizerD = torch.optim.Adam(netD.parameters(), lr=lr_d, betas=betas)
        optimizerG = torch.optim.Adam(netG.parameters(), lr=lr_g, betas=betas)
    else:
        # foreach (multi-tensor) by default; --adam fused: the fused kernel (CUDA since PyTorch 2.0, CPU since 2.4)
        kind = {"fused": True} if args.adam == "fused" else {"foreach": True}
        optimizerD = torch.optim.Adam(netD.parameters(), lr=lr_d, betas=betas, **kind)
        optimizerG = torch.optim.Adam(netG.parameters(), lr=lr_g, betas=betas, **kind)
    source = batches(data, batch, plain)
    ones, zeros = torch.ones(batch, device=device), torch.zeros(batch, device=device)
    toy_loss = nn.BCEWithLogitsLoss(reduction="sum")
    criterion = nn.BCELoss()
    times, waits = [], 0.0
    profiler = None
    for i in range(args.warmup + args.steps):
        if i == args.warmup:
            if args.profile:
                profiler = torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], record_shapes=True)
                profiler.__enter__()
            cpu_start = time.process_time()
        start = time.perf_counter()
        real = next(source)
        waited = time.perf_counter() - start
        if args.model == "toy" and plain:
            # d2l's train(): update_D and update_G, losses accumulated as floats
            real = real.to(device)
            z = torch.normal(0, 1, size=z_shape, device=device)
            trainer_D, trainer_G = optimizerD, optimizerG
            n = real.shape[0]
            o, zr = torch.ones((n,), device=device), torch.zeros((n,), device=device)
            trainer_D.zero_grad()
            real_y = netD(real)
            fake_x = netG(z)
            fake_y = netD(fake_x.detach())
            loss_D = (toy_loss(real_y, o.reshape(real_y.shape)) + toy_loss(fake_y, zr.reshape(fake_y.shape))) / 2
            loss_D.backward()
            trainer_D.step()
            trainer_G.zero_grad()
            fake_x = netG(z)
            fake_y = netD(fake_x)
            loss_G = toy_loss(fake_y, o.reshape(fake_y.shape))
            loss_G.backward()
            trainer_G.step()
            float(loss_D), float(loss_G)
        elif plain:
            dcgan_step_plain(netG, netD, optimizerG, optimizerD, criterion, real, nz, i + 1, device)
        else:
            z = torch.randn(z_shape, device=device)
            if args.channels_last and args.model != "toy":
                real = real.contiguous(memory_format=torch.channels_last)
            gan_step_best(netG, netD, optimizerG, optimizerD, real, z, ones, zeros, i + 1,
                          0.5 if args.model == "toy" else 1.0, reduction)
        sync(device)
        if i >= args.warmup:
            times.append(time.perf_counter() - start)
            waits += waited
            if args.rss_every and (i + 1 - args.warmup) % args.rss_every == 0:
                emit(args, {"step": i + 1, "rssMiB": rss_mib("VmRSS")})
    cpu = (time.process_time() - cpu_start) / args.steps
    if profiler is not None:
        profiler.__exit__(None, None, None)
        profiler.export_chrome_trace(args.profile)
    median = float(np.median(times))
    return {"batch": batch, "data": description, "cpuSecondsPerStep": cpu, "warmup": args.warmup, "steps": args.steps,
            "medianSeconds": median, "p10Seconds": float(np.percentile(times, 10)),
            "p90Seconds": float(np.percentile(times, 90)), "dataWaitShare": waits / sum(times),
            "flopsPerStep": flops, "gflopsPerSecond": flops / median / 1e9}


def generate(args):
    torch.manual_seed(42)
    count = args.batch or 500
    device = torch.device(args.device)
    convt = nn.ConvTranspose2d if args.variant == "plain" or args.convt == "native" else PhaseConvTranspose2d
    netG = dcgan_generator(28, 1, 100, args.features, convt)
    netG.apply(weights_init)
    netG.eval()
    flops = forward_flops(netG, torch.zeros(count, 100, 1, 1))
    if args.channels_last and args.variant == "best":
        global CHANNELS_LAST
        CHANNELS_LAST = True
        netG = netG.to(memory_format=torch.channels_last)
    netG = netG.to(device)
    times = []
    context = torch.no_grad if args.variant == "plain" else torch.inference_mode
    cpu_start = time.process_time()
    for i in range(args.warmup + args.steps):
        if i == args.warmup:
            cpu_start = time.process_time()
        start = time.perf_counter()
        with context():
            samples = netG(torch.randn(count, 100, 1, 1, device=device)).cpu().numpy()
        assert samples.size == count * 28 * 28
        if i >= args.warmup:
            times.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu_start) / args.steps
    median = float(np.median(times))
    return {"batch": count, "cpuSecondsPerStep": cpu, "warmup": args.warmup, "steps": args.steps, "medianSeconds": median,
            "p10Seconds": float(np.percentile(times, 10)), "p90Seconds": float(np.percentile(times, 90)),
            "samplesPerSecond": count / median, "secondsPer10000": 10000 / count * median,
            "flopsPerStep": flops, "gflopsPerSecond": flops / median / 1e9}


def matmul(args):
    """torch.mm (BLAS) and the same product as a 1×1 convolution (oneDNN / cuDNN), as `gan4j bench --model matmul`."""
    device = torch.device(args.device)
    a, b = torch.rand(args.size, args.size, device=device), torch.rand(args.size, args.size, device=device)
    image, kernels = b.reshape(1, args.size, 1, args.size), a.reshape(args.size, args.size, 1, 1)

    def timed(product):
        times = []
        for i in range(args.warmup + args.steps):
            start = time.perf_counter()
            product()
            sync(device)
            if i >= args.warmup:
                times.append(time.perf_counter() - start)
        return times

    times = timed(lambda: torch.mm(a, b))
    conv_times = timed(lambda: F.conv2d(image, kernels))
    error = (F.conv2d(image, kernels).reshape(args.size, args.size) - torch.mm(a, b)).abs().max()
    assert error <= 0.01 * torch.mm(a, b).abs().max(), f"the 1×1 convolution differs from mm by {error}"
    flops = 2.0 * args.size ** 3
    median, conv_median = float(np.median(times)), float(np.median(conv_times))
    return {"size": args.size, "warmup": args.warmup, "steps": args.steps, "medianSeconds": median,
            "flopsPerStep": flops, "gflopsPerSecond": flops / median / 1e9, "bestGflopsPerSecond": flops / min(times) / 1e9,
            "convMedianSeconds": conv_median, "convGflopsPerSecond": flops / conv_median / 1e9,
            "sustainedGflopsPerSecond": flops / min(median, conv_median) / 1e9}


def rss_mib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def emit(args, values):
    line = {"side": "pytorch-" + args.variant, "model": args.model, "threads": torch.get_num_threads(),
            "device": args.device}
    if args.channels_last and args.variant == "best" and (args.model.startswith("dcgan") or args.model == "generate"):
        line["channelsLast"] = True
    if args.variant == "best" and args.projection == "conv" and args.model != "toy" and args.model != "matmul":
        line["projection"] = "conv"
    if args.variant == "best" and args.convt == "native" and args.model != "toy":
        line["convTranspose"] = "native"
    if torch.backends.cudnn.benchmark:
        line["cudnnBenchmark"] = True
    if args.variant == "best" and args.readout == "matmul" and args.model.startswith("dcgan"):
        line["readout"] = "matmul"
    if args.variant == "best" and args.d_update == "in-turn" and args.model not in ("generate", "matmul"):
        line["dUpdate"] = "in-turn"
    if args.variant == "best" and args.adam == "fused" and args.model not in ("generate", "matmul"):
        line["adam"] = "fused"
    if os.environ.get("MALLOC_MMAP_THRESHOLD_"):
        line["mallocMmapThreshold"] = int(os.environ["MALLOC_MMAP_THRESHOLD_"])
    line.update(values)
    print(json.dumps(line), flush=True)


def compare(label, x, weight, reference, formulation, relative=False):
    """Exits 1 unless formulation(x) equals reference(x) (output and the gradients with respect to x and weight) within
    1e-4: absolute, or relative to each expected array's largest |value|."""
    ref, out = reference(x), formulation(x)
    g = torch.randn_like(ref)
    expected = [ref, *torch.autograd.grad(ref, (x, weight), g)]
    actual = [out, *torch.autograd.grad(out, (x, weight), g)]
    scale = (lambda e: e.abs().max().clamp_min(1e-12)) if relative else (lambda e: 1.0)
    error = max(((a - e).abs().max() / scale(e)).item() for e, a in zip(expected, actual))
    print(f"{label}: max |difference|{' / max |value|' if relative else ''} {error:.2e}")
    if error > 1e-4:
        sys.exit(1)


def check():
    """The phase rewrite equals F.conv_transpose2d, the unfold / fold edge layers and the matmul readout their
    convolutions: outputs and both gradients."""
    torch.manual_seed(0)
    for (cin, cout, k, s, p, h) in [(8, 4, 4, 2, 1, 7), (100, 16, 7, 1, 0, 1), (6, 3, 4, 2, 1, 14), (4, 5, 3, 2, 1, 5)]:
        x = torch.randn(2, cin, h, h, requires_grad=True)
        w = torch.randn(cin, cout, k, k, requires_grad=True)
        compare(f"cin={cin} cout={cout} k={k} s={s} p={p} h={h}", x, w,
                lambda x: F.conv_transpose2d(x, w, stride=s, padding=p), lambda x: conv_transpose_phase(x, w, s, p))
    global PROJECTION_CONV
    for projection_conv in (False, True):  # G's first layer as torch.mm and as a 1×1 convolution
        PROJECTION_CONV = projection_conv
        x = torch.randn(3, 100, 1, 1, requires_grad=True)
        w = torch.randn(100, 128, 7, 7, requires_grad=True)
        compare(f"projection as {'1×1 convolution' if projection_conv else 'mm'}", x, w,
                lambda x: F.conv_transpose2d(x, w), lambda x: conv_transpose_phase(x, w, 1, 0))
    PROJECTION_CONV = False
    for (cin, cout, size) in [(1, 64, 28), (3, 64, 64)]:
        conv = UnfoldConv2d(cin, cout, 4, 2, 1, bias=False)
        compare(f"unfold conv cin={cin} {size}×{size}", torch.randn(2, cin, size, size, requires_grad=True),
                conv.weight, lambda x: F.conv2d(x, conv.weight, stride=2, padding=1), conv, relative=True)
        convt = FoldConvTranspose2d(cout, cin, 4, 2, 1, bias=False)
        compare(f"fold transposed conv cout={cin} {size}×{size}",
                torch.randn(2, cout, size // 2, size // 2, requires_grad=True), convt.weight,
                lambda x: F.conv_transpose2d(x, convt.weight, stride=2, padding=1), convt, relative=True)
    for (cin, k, layout) in [(128, 7, "plain"), (512, 4, "plain"), (128, 7, "channels_last"), (512, 4, "channels_last")]:
        readout = ReadoutConv2d(cin, 1, k, 1, 0, bias=False)
        x = torch.randn(3, cin, k, k)
        if layout == "channels_last":
            x = x.contiguous(memory_format=torch.channels_last)
        compare(f"readout cin={cin} k={k} {layout}", x.requires_grad_(True), readout.weight,
                lambda x: F.conv2d(x, readout.weight), readout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=["toy", "dcgan28", "dcgan64", "generate", "matmul"], default="toy")
    parser.add_argument("--variant", choices=["plain", "best"], default="best")
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--batch", type=int, default=0)
    parser.add_argument("--features", type=int, default=64)
    parser.add_argument("--size", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=0, help="0 = os.cpu_count()")
    parser.add_argument("--synthetic", action="store_true")
    parser.add_argument("--channels-last", action="store_true", help="best variant: channels_last memory format")
    parser.add_argument("--rss-every", type=int, default=0)
    parser.add_argument("--profile", metavar="FILE", help="training models: write a Chrome trace of the timed steps")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (a GPU run: kernels synchronised every step)")
    parser.add_argument("--convt", choices=["phase", "native"], default="phase",
                        help="best variant: transposed convolutions as one stride-phase conv (CPU's best) or "
                             "nn.ConvTranspose2d (cuDNN on a GPU)")
    parser.add_argument("--cudnn-benchmark", action="store_true", help="torch.backends.cudnn.benchmark = True")
    parser.add_argument("--adam", choices=["foreach", "fused"], default="foreach",
                        help="best variant: torch.optim.Adam(foreach=True) or (fused=True), the fused kernel (CUDA "
                             "since PyTorch 2.0, CPU since 2.4; not in Debian's 1.13 on the CPU)")
    parser.add_argument("--edge-layers", choices=["conv", "gemm"], default="conv",
                        help="best variant: D's first convolution and G's last transposed convolution (1 or 3 image "
                             "channels) as libtorch's convolutions, or as unfold / fold around one matrix product")
    parser.add_argument("--readout", choices=["matmul", "conv"], default="conv",
                        help="best variant: D's last convolution as nn.Conv2d (the faster with Debian's PyTorch 1.13 "
                             "and channels_last) or as one matrix product (gan4j's MatMulConv2d)")
    parser.add_argument("--projection", choices=["mm", "conv"], default="mm",
                        help="best variant: G's first layer (from the 1×1 latent input) as torch.mm (BLAS) or as a 1×1 "
                             "convolution (oneDNN, all intra-op threads)")
    parser.add_argument("--d-update", choices=["in-turn", "summed", "concurrent"], default="summed",
                        help="best variant: D's loss on real and fake batches back-propagated in turn, each right after "
                             "its forward pass (as pytorch/examples does), summed into one backward pass, or the two "
                             "passes at the same time on two threads with half the intra-op threads each")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    torch.backends.cudnn.benchmark = args.cudnn_benchmark
    global PROJECTION_CONV, D_IN_TURN
    PROJECTION_CONV = args.projection == "conv"
    D_IN_TURN = args.d_update == "in-turn"
    if args.check:
        check()
        return
    torch.set_num_threads(args.threads or os.cpu_count())
    torch.set_num_interop_threads(1)
    result = {"matmul": matmul, "generate": generate}.get(args.model, train)(args)
    result["peakRssMiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    result["torch"] = torch.__version__
    result["blas"] = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    emit(args, result)


if __name__ == "__main__":
    main()
