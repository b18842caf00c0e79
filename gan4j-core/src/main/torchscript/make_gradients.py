#!/usr/bin/python3
"""Writes gan4j-core's TorchScript module for gradients (the resource org/gan4j/training/gradients.pt).

DJL back-propagates into each parameter's .grad: libtorch's AccumulateGrad adds every gradient into the buffer that
the optimizer step zeroed before (a write to zero it, then a read-add-write), and DJL offers no way to unset a
gradient, which is how PyTorch users avoid both (optimizer.zero_grad(set_to_none=True), the default since 2.0). This
module returns the gradients of a loss with respect to a list of parameters instead (torch.autograd.grad), so nothing is
zeroed or accumulated:

  grads(loss, params)          the gradients, as new tensors; parameters the loss does not reach get zeros
  accumulate(loss, params, acc) adds the gradients of a second loss into acc (acc[i] += g[i]), as AccumulateGrad would

Only the gradients asked for are computed: the backward pass through a discriminator for the generator's update
skips the discriminator's weight gradients without freezing them.

Each gradient is returned in its parameter's memory layout (the contract AccumulateGrad keeps for .grad): a gradient
whose strides differ from its parameter's (channels-last weights, views, broadcasts) is copied into a tensor laid out
like the parameter. The fused Adam kernel walks parameter, gradient and moments in memory order, so this matters.

Made with Debian's python3-torch 1.13; libtorch 2.7.1 (DJL's) loads it.

    /usr/bin/python3 gan4j-core/src/main/torchscript/make_gradients.py
"""
import os
from typing import List, Optional

import torch


def laid_out_like(g: Optional[torch.Tensor], p: torch.Tensor) -> torch.Tensor:
    if g is None:
        return torch.zeros_like(p)
    if g.stride() != p.stride():
        return torch.empty_like(p).copy_(g)
    return g


class Gradients(torch.nn.Module):
    @torch.jit.export
    def grads(self, loss: torch.Tensor, params: List[torch.Tensor]) -> List[torch.Tensor]:
        found = torch.autograd.grad([loss], params, allow_unused=True)
        out: List[torch.Tensor] = []
        for i in range(len(params)):
            out.append(laid_out_like(found[i], params[i]))
        return out

    @torch.jit.export
    def accumulate(self, loss: torch.Tensor, params: List[torch.Tensor], acc: List[torch.Tensor]) -> int:
        found = torch.autograd.grad([loss], params, allow_unused=True)
        with torch.no_grad():
            for i in range(len(params)):
                g = found[i]
                if g is not None:
                    acc[i].add_(g)
        return len(params)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


def main():
    module = torch.jit.script(Gradients())
    torch.manual_seed(0)
    w = torch.randn(4, 3, 2, 2).contiguous(memory_format=torch.channels_last).requires_grad_(True)
    b = torch.randn(4, requires_grad=True)
    unused = torch.randn(2, requires_grad=True)
    x, y = torch.randn(2, 3, 5, 5), torch.randn(2, 3, 5, 5)
    params = [w, b, unused]

    def loss_of(inp):
        return torch.nn.functional.conv2d(inp, w, b).square().mean()

    expected = torch.autograd.grad([loss_of(x) + loss_of(y)], [w, b])
    first = module.grads(loss_of(x), params)
    assert first[0].stride() == w.stride(), (first[0].stride(), w.stride())
    assert bool((first[2] == 0).all())
    module.accumulate(loss_of(y), params, first)
    for actual, want in zip(first[:2], expected):
        assert torch.allclose(actual, want, rtol=1e-5, atol=1e-7), (actual, want)
    assert w.grad is None and b.grad is None
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "resources", "org", "gan4j", "training", "gradients.pt")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    module.save(out)
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
