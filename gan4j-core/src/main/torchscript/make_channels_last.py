#!/usr/bin/python3
"""Writes gan4j-core's TorchScript module for the channels-last memory format (resource org/gan4j/nn/layers/channels_last.pt).

DJL has no memory-format API. MemoryFormat runs this module to give an (N, C, H, W) array channels-last strides
(N, H, W, C in memory; for one channel or a 1×1 map, whose memory is the same in both layouts, a view with those
strides); libtorch's convolutions, batch norm and activations keep that format for their
outputs, and oneDNN then runs its NHWC kernels without converting layouts around every convolution. Autograd records
it (the gradient comes back in the input's format). Made with Debian's python3-torch 1.13; libtorch 2.7.1 (DJL's)
loads it (2.11 loaded the earlier, one-operator version on the GPU machine).

    /usr/bin/python3 gan4j-core/src/main/torchscript/make_channels_last.py
"""
import os

import torch


class ChannelsLast(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x.contiguous(memory_format=torch.channels_last)
        n, c, h, w = y.shape
        if c == 1 or h * w == 1:
            # one channel, or a 1×1 map: both layouts are the same memory, and contiguous() keeps the plain strides,
            # from which libtorch infers the plain format (its default for ambiguous strides). The same memory viewed
            # with the strides channels-last gives, (H·W·C, 1, W·C, C), makes the convolutions run channels-last.
            y = y.as_strided([n, c, h, w], [c * h * w, 1, w * c, c])
        return y


def main():
    module = torch.jit.script(ChannelsLast())
    for shape in [(2, 3, 4, 5), (2, 1, 4, 5), (2, 3, 1, 1), (1, 1, 1, 1)]:
        x = torch.randn(*shape, requires_grad=True)
        y = module(x)
        n, c, h, w = shape
        assert y.is_contiguous(memory_format=torch.channels_last) and torch.equal(x, y), shape
        assert y.stride() == (c * h * w, 1, w * c, c), (shape, y.stride())
        g = torch.randn(*shape)
        (y * g).sum().backward()
        assert torch.equal(x.grad, g), shape
    conv = torch.nn.Conv2d(1, 4, 4, 2, 1, bias=False)
    assert conv(module(torch.randn(2, 1, 8, 8))).is_contiguous(memory_format=torch.channels_last)
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "resources", "org", "gan4j", "nn", "layers", "channels_last.pt")
    module.save(out)
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
