/*
 * gan4j's answer to MKL's processor-vendor check (the gan4j launcher compiles this file on first use and preloads it).
 *
 * libtorch's BLAS is Intel's oneMKL, linked into libtorch_cpu.so. Before choosing its code for a processor, MKL asks
 * mkl_serv_intel_cpu_true() whether the processor is Intel's; on any other vendor it runs its AVX2 code even where the
 * processor has AVX-512 (AMD Zen 4 and Zen 5). libtorch_cpu.so calls these two functions through the dynamic linker,
 * so a preloaded library that defines them answers first: MKL then chooses its code by the instruction sets the
 * processor reports (cpuid), as it does on Intel's processors. Only the choice of code changes, not what is computed.
 *
 * On the development machine (AMD Zen 5, 2 cores) MKL's sgemm went from 216 to 490 GFLOP/s, generation got 8 % and a
 * DCGAN 28x28 training step 1.6 % faster (docs/PERFORMANCE.md). The launcher preloads it on x86-64 processors that are
 * not Intel's and report AVX-512; GAN4J_MKL=vendor turns it off.
 *
 *     cc -O2 -shared -fPIC -o libgan4j-mkl-cpu.so mkl_cpu_check.c
 */

int mkl_serv_intel_cpu_true(void) { return 1; }

int mkl_serv_intel_cpu(void) { return 1; }
