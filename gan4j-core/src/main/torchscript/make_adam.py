#!/usr/bin/python3
"""Writes gan4j-core's TorchScript module for Adam (the resource org/gan4j/training/adam.pt).

DJL's Adam update is one engine call per parameter, each about ten tensor operations with temporaries, followed by a
second call that zeroes the gradient. GanAdam instead runs this module once per optimizer step for all parameters:

  fused    libtorch's fused Adam kernel (torch.optim.Adam(fused=True)): one pass over each parameter's memory on the
           CPU (libtorch >= 2.4), one multi-tensor kernel on a GPU; then the gradients are zeroed.
  foreach  the same update as multi-tensor operations (torch.optim.Adam(foreach=True)), for a libtorch without the
           fused kernel on the device.

fused_update and foreach_update are the same without zeroing the gradients: GanTrainer passes gradients that
torch.autograd.grad returned (gradients.pt, make_gradients.py), which live only for the step.

The fused kernel walks parameter, gradient and moments in memory order (the moments must share the parameter's
layout: GanAdam gives them it), and first copies any gradient that is not plain-contiguous (libtorch 2.7.1's
grad.contiguous(), whose result it does not even use). Channels-last parameters (the DCGAN weights on the CPU) are
therefore passed, with their gradients and moments, as the plain-contiguous (N, H, W, C) views of the same memory:
the same update, no copies.

Both take the update count t as a float (the same as torch.optim.Adam's float32 step tensor) and compute
torch.optim.Adam's formula, w <- w - lr/(1 - beta1^t) * m / (sqrt(v)/sqrt(1 - beta2^t) + eps). Made with Debian's
python3-torch 1.13; libtorch 2.7.1 (DJL's) and 2.11 load it.

    /usr/bin/python3 gan4j-core/src/main/torchscript/make_adam.py
"""
import math
import os
from typing import List

import torch


def channels_last(t: torch.Tensor) -> bool:
    return t.dim() == 4 and not t.is_contiguous() and t.is_contiguous(memory_format=torch.channels_last)


class Adam(torch.nn.Module):
    @torch.jit.export
    def fused(self, params: List[torch.Tensor], grads: List[torch.Tensor], exp_avgs: List[torch.Tensor],
              exp_avg_sqs: List[torch.Tensor], step: torch.Tensor, hyper: List[float]) -> int:
        return self.zeroed(grads, self.fused_update(params, grads, exp_avgs, exp_avg_sqs, step, hyper))

    @torch.jit.export
    def fused_update(self, params: List[torch.Tensor], grads: List[torch.Tensor], exp_avgs: List[torch.Tensor],
                     exp_avg_sqs: List[torch.Tensor], step: torch.Tensor, hyper: List[float]) -> int:
        lr, beta1, beta2, eps, t = hyper[0], hyper[1], hyper[2], hyper[3], hyper[4]
        with torch.no_grad():
            step.fill_(t)
            steps = [step for _ in params]
            empty: List[torch.Tensor] = []
            # the views replace the list entries (the lists are the caller's, which keeps the in-place kernel call
            # alive for the graph executor: on lists built here it was dropped as dead code)
            for i in range(len(params)):
                if channels_last(params[i]) and channels_last(grads[i]) and channels_last(exp_avgs[i]) \
                        and channels_last(exp_avg_sqs[i]):
                    params[i] = params[i].permute(0, 2, 3, 1)
                    grads[i] = grads[i].permute(0, 2, 3, 1)
                    exp_avgs[i] = exp_avgs[i].permute(0, 2, 3, 1)
                    exp_avg_sqs[i] = exp_avg_sqs[i].permute(0, 2, 3, 1)
            torch._fused_adam_(params, grads, exp_avgs, exp_avg_sqs, empty, steps, lr=lr, beta1=beta1, beta2=beta2,
                               weight_decay=0.0, eps=eps, amsgrad=False, maximize=False)
        return len(params)

    @torch.jit.export
    def foreach(self, params: List[torch.Tensor], grads: List[torch.Tensor], exp_avgs: List[torch.Tensor],
                exp_avg_sqs: List[torch.Tensor], step: torch.Tensor, hyper: List[float]) -> int:
        return self.zeroed(grads, self.foreach_update(params, grads, exp_avgs, exp_avg_sqs, step, hyper))

    def zeroed(self, grads: List[torch.Tensor], count: int) -> int:
        with torch.no_grad():
            torch._foreach_zero_(grads)
        return count

    @torch.jit.export
    def foreach_update(self, params: List[torch.Tensor], grads: List[torch.Tensor], exp_avgs: List[torch.Tensor],
                       exp_avg_sqs: List[torch.Tensor], step: torch.Tensor, hyper: List[float]) -> int:
        lr, beta1, beta2, eps, t = hyper[0], hyper[1], hyper[2], hyper[3], hyper[4]
        with torch.no_grad():
            step.fill_(t)
            torch._foreach_mul_(exp_avgs, beta1)
            torch._foreach_add_(exp_avgs, grads, alpha=1 - beta1)
            torch._foreach_mul_(exp_avg_sqs, beta2)
            torch._foreach_addcmul_(exp_avg_sqs, grads, grads, 1 - beta2)
            bias_correction1 = 1 - beta1 ** t
            bias_correction2_sqrt = math.sqrt(1 - beta2 ** t)
            denom = torch._foreach_sqrt(exp_avg_sqs)
            torch._foreach_div_(denom, bias_correction2_sqrt)
            torch._foreach_add_(denom, eps)
            torch._foreach_addcdiv_(params, exp_avgs, denom, -lr / bias_correction1)
        return len(params)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


def reference(w, g, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    return w - lr / (1 - beta1 ** t) * m / ((v.sqrt() / math.sqrt(1 - beta2 ** t)) + eps), m, v


def main():
    module = torch.jit.script(Adam())
    torch.manual_seed(0)
    w, g = [torch.randn(5, 3), torch.randn(4)], [torch.randn(5, 3), torch.randn(4) * 1e-9]
    m, v = [torch.randn(5, 3) * 0.1, torch.randn(4) * 0.1], [torch.rand(5, 3), torch.rand(4) * 1e-17]
    hyper = [2e-4, 0.5, 0.999, 1e-8, 3.0]
    expected = [reference(w[i], g[i], m[i], v[i], 3.0, *hyper[:4]) for i in range(2)]
    w, g, m, v = [[x.clone() for x in xs] for xs in (w, g, m, v)]
    module.foreach(w, g, m, v, torch.zeros(()), hyper)
    for i in range(2):
        for actual, want in zip((w[i], m[i], v[i]), expected[i]):
            assert torch.allclose(actual, want, rtol=1e-5, atol=1e-7), (actual, want)
        assert bool((g[i] == 0).all())
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "resources", "org", "gan4j", "training", "adam.pt")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    module.save(out)
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
