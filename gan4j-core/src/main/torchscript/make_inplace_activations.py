#!/usr/bin/python3
"""Writes gan4j-core's TorchScript modules for ReLU and LeakyReLU(0.2) in place (the resources
org/gan4j/nn/relu_inplace.pt and org/gan4j/nn/leaky_relu_inplace.pt).

DJL's PyTorch engine has no in-place activations. The DCGAN networks apply them in place after each batch norm and
after the discriminator's first convolution (Activation.inPlaceBlock), as pytorch/examples' DCGAN does with
nn.ReLU(True) and nn.LeakyReLU(0.2, inplace=True): no new array per activation, and autograd computes the
gradient from the output (exactly the same values for a slope >= 0). Each is a one-operator module, loaded once per
device. Made with Debian's python3-torch 1.13; libtorch 2.7.1 (DJL's) loads them.

    /usr/bin/python3 gan4j-core/src/main/torchscript/make_inplace_activations.py
"""
import os

import torch


class ReluInPlace(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu_(x)


class LeakyReluInPlace(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.leaky_relu_(x, 0.2)


def check(module, reference):
    x = torch.randn(2, 3, 4, 5)
    g = torch.randn(2, 3, 4, 5)
    a = x.clone().requires_grad_()
    y = reference(a)
    y.backward(g)
    b = x.clone().requires_grad_()
    z = module(b * 1)  # in place on a non-leaf, as in the networks
    z.backward(g)
    assert torch.equal(y, z) and torch.equal(a.grad, b.grad)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    folder = os.path.join(here, "..", "resources", "org", "gan4j", "nn")
    for name, module, reference in [
        ("relu_inplace.pt", ReluInPlace(), torch.relu),
        ("leaky_relu_inplace.pt", LeakyReluInPlace(), lambda x: torch.nn.functional.leaky_relu(x, 0.2)),
    ]:
        scripted = torch.jit.script(module)
        check(scripted, reference)
        out = os.path.join(folder, name)
        scripted.save(out)
        print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
