#!/usr/bin/python3
"""Writes gan4j-core's TorchScript modules for the channels-last memory format (resources
org/gan4j/nn/layers/channels_last.pt, weights_channels_last.pt and match_layout.pt).

DJL has no memory-format API. MemoryFormat runs this module to give an (N, C, H, W) array channels-last strides
(N, H, W, C in memory; for one channel or a 1×1 map, whose memory is the same in both layouts, a view with those
strides); libtorch's convolutions, batch norm and activations keep that format for their
outputs, and oneDNN then runs its NHWC kernels without converting layouts around every convolution. Autograd records
it (the gradient comes back in the input's format). Made with Debian's python3-torch 1.13; libtorch 2.7.1 (DJL's)
loads it (2.11 loaded the earlier, one-operator version on the GPU machine).

The second module stores a parameter (or an optimizer moment) channels-last in place: the same tensor, values and
shape, its storage re-laid N, H, W, C (`set_` without autograd). libtorch would otherwise copy every plain weight to
channels-last on each convolution call, forward and backward, and its weight gradient back. Only 4-D arrays whose
layouts differ (more than one channel and more than one element per map) change; the rule depends on the shape
alone. The third gives an array the memory layout of another of the same shape, in place: the optimizer's moments
take their parameter's (the fused Adam kernel walks parameter, gradient and moments in memory order, so a plain moment
next to a channels-last parameter would pair the wrong elements).

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


class WeightsChannelsLast(torch.nn.Module):
    def forward(self, p: torch.Tensor) -> torch.Tensor:
        if p.dim() == 4 and p.size(1) > 1 and p.size(2) * p.size(3) > 1:
            with torch.no_grad():
                p.set_(p.contiguous(memory_format=torch.channels_last))
        return p


class MatchLayout(torch.nn.Module):
    def forward(self, target: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            if like.dim() == 4 and like.is_contiguous(memory_format=torch.channels_last) and not like.is_contiguous():
                if not target.is_contiguous(memory_format=torch.channels_last) or target.is_contiguous():
                    target.set_(target.contiguous(memory_format=torch.channels_last))
            elif like.is_contiguous() and not target.is_contiguous():
                target.set_(target.contiguous())
        return target


def check_match(module):
    like = torch.randn(8, 4, 3, 3).contiguous(memory_format=torch.channels_last)
    t = torch.randn(8, 4, 3, 3)
    before = t.clone()
    module(t, like)
    assert t.stride() == like.stride() and torch.equal(t, before)
    module(t, torch.randn(8, 4, 3, 3))
    assert t.is_contiguous() and torch.equal(t, before)
    v = torch.randn(5)
    module(v, torch.randn(5))
    assert v.is_contiguous()


def check_weights(module):
    w = torch.nn.Parameter(torch.randn(8, 4, 3, 3))
    before = w.detach().clone()
    assert module(w) is not None
    assert w.is_contiguous(memory_format=torch.channels_last) and not w.is_contiguous()
    assert torch.equal(w, before) and w.requires_grad
    y = torch.nn.functional.conv2d(torch.randn(2, 4, 5, 5).contiguous(memory_format=torch.channels_last), w)
    y.sum().backward()
    assert w.grad.stride() == w.stride()
    for shape in [(8, 1, 3, 3), (8, 4, 1, 1), (8, 4)]:
        v = torch.randn(*shape)
        stride = v.stride()
        module(v)
        assert v.stride() == stride, shape


def main():
    weights = torch.jit.script(WeightsChannelsLast())
    check_weights(weights)
    match = torch.jit.script(MatchLayout())
    check_match(match)
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
    out = os.path.join(here, "..", "resources", "org", "gan4j", "nn", "layers", "weights_channels_last.pt")
    weights.save(out)
    print("wrote", os.path.normpath(out))
    out = os.path.join(here, "..", "resources", "org", "gan4j", "nn", "layers", "match_layout.pt")
    match.save(out)
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
