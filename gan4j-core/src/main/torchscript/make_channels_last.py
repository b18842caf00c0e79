#!/usr/bin/python3
"""Writes gan4j-core's TorchScript module for the channels-last memory format (resource org/gan4j/nn/layers/channels_last.pt).

DJL has no memory-format API. MemoryFormat runs this one-operator module to give an (N, C, H, W) array channels-last
strides (N, H, W, C in memory); libtorch's convolutions, batch norm and activations keep that format for their
outputs, and oneDNN then runs its NHWC kernels without converting layouts around every convolution. Autograd records
it (the gradient comes back in the input's format). Made with Debian's python3-torch 1.13; libtorch 2.7.1 (DJL's)
and 2.11 load it.

    /usr/bin/python3 gan4j-core/src/main/torchscript/make_channels_last.py
"""
import os

import torch


class ChannelsLast(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.contiguous(memory_format=torch.channels_last)


def main():
    module = torch.jit.script(ChannelsLast())
    x = torch.randn(2, 3, 4, 5)
    y = module(x)
    assert y.is_contiguous(memory_format=torch.channels_last) and torch.equal(x, y)
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "resources", "org", "gan4j", "nn", "layers", "channels_last.pt")
    module.save(out)
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
