#!/usr/bin/python3
"""Writes gan4j-core's TorchScript module for conv_transpose2d (the resource org/gan4j/nn/layers/conv_transpose2d.pt).

DJL's PyTorch engine has no transposed convolution; libtorch has a fast one. TransposedConv2d runs it through this
one-operator TorchScript module, loaded once per device. Stride and padding come as a 2-element int64 CPU tensor, so
one module serves every layer. Made with Debian's python3-torch 1.13; libtorch 2.7.1 (DJL's) and 2.11 load it.

    /usr/bin/python3 gan4j-core/src/main/torchscript/make_conv_transpose2d.py
"""
import os

import torch


class ConvTranspose2d(torch.nn.Module):
    def forward(self, x: torch.Tensor, w: torch.Tensor, stride_padding: torch.Tensor) -> torch.Tensor:
        s = int(stride_padding[0])
        p = int(stride_padding[1])
        return torch.conv_transpose2d(x, w, None, [s, s], [p, p])


def main():
    module = torch.jit.script(ConvTranspose2d())
    x, w = torch.randn(2, 8, 7, 7), torch.randn(8, 4, 4, 4)
    assert torch.allclose(module(x, w, torch.tensor([2, 1])), torch.conv_transpose2d(x, w, None, 2, 1))
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "resources", "org", "gan4j", "nn", "layers", "conv_transpose2d.pt")
    module.save(out)
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
