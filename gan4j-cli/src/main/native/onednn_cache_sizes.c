/*
 * gan4j's correction of the cache sizes oneDNN reads on processors that hide them (the gan4j launcher compiles this
 * file on first use and preloads it; GAN4J_ONEDNN_CACHES=off turns it off).
 *
 * libtorch runs its CPU convolutions in oneDNN, which sizes its kernels' blocking by the per-core cache sizes that
 * Xbyak reads from CPUID. On AMD processors Xbyak reads leaf 0x8000001D without first checking that the processor has
 * it (the TOPOEXT bit of leaf 0x80000001). Some virtual machines clear that bit and leave the leaf all zeros (Linux
 * then lists no caches in /sys/devices/system/cpu/cpu0/cache); Xbyak decodes each empty descriptor as a cache of
 * (0+1)*(0+1)*(0+1)*(0+1) = 1 byte, and oneDNN sizes its kernels for three 1-byte caches. With libtorch 2.7.1 (oneDNN 3.7.1) that declines the fast brgemm kernels, and the older ones it falls back
 * to compute the input gradient of convolutions with few channels wrongly (docs/RELIABILITY.md, "Machines whose
 * libtorch miscomputes convolutions").
 *
 * This library gives oneDNN the sizes the processor reports in AMD's older cache leaves instead: L1 data from
 * 0x80000005 and L2 from 0x80000006, which such virtual machines still fill (48 KiB and 1 MiB on Zen 5), and for L3
 * oneDNN's own default of 1 MiB per core (or the L2 size, if larger): the L3 field of 0x80000006 is not credible there
 * (508 MiB). Where those leaves are missing too, it makes oneDNN treat the caches as unknown, which is what oneDNN
 * does on any processor that reports none: 32 KiB of L1, 512 KiB of L2 and 1 MiB of L3 per core (its platform.cpp).
 * It waits for the JVM to load libtorch_cpu.so (it wraps dlopen), checks that the loaded file is the libtorch build
 * gan4j ships (its GNU build ID), gets oneDNN's processor description through oneDNN's own accessor, and changes it
 * only if it holds an impossible L1 data cache (under 1 KiB). Any other libtorch, or a processor that reports its
 * caches, is left alone. Nothing that is computed changes, only how oneDNN blocks the work (docs/PERFORMANCE.md,
 * "Machines that hide their cache sizes").
 *
 * GAN4J_ONEDNN_CACHES_DEBUG=1 prints what it found and did on standard error (the tests read it); a libtorch that is
 * not the known build gets a one-line warning there in any case.
 *
 *     cc -O2 -shared -fPIC -o libgan4j-onednn-caches.so onednn_cache_sizes.c -ldl
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One libtorch build: DJL's pytorch-native-cpu 2.7.1, linux-x86_64 (the file DJL unpacks as libtorch_cpu.so). */
struct known_build {
    unsigned char build_id[20];
    uintptr_t cpu_function;    /* dnnl::impl::cpu::x64::cpu(), which returns oneDNN's Xbyak::util::Cpu */
    uintptr_t cpu_object;      /* the function's static Xbyak::util::Cpu object it returns */
    uintptr_t cache_sizes;     /* offset in that object: uint32_t dataCacheSize_[10] */
    uintptr_t cache_sharing;   /* offset in that object: uint32_t coresSharignDataCache_[10] */
    uintptr_t cache_levels;    /* offset in that object: uint32_t dataCacheLevels_ */
};

static const struct known_build KNOWN[] = {
    {{0x79, 0x60, 0x43, 0xbc, 0xfc, 0xdb, 0x6c, 0x76, 0x7c, 0x32,
      0x57, 0xbf, 0x0a, 0x1b, 0xb0, 0x94, 0xbe, 0xcc, 0x6b, 0xe7},
     0xef3c9a0, 0x14d97f40, 0x1c, 0x44, 0x6c},
};

static const char LIBRARY[] = "/libtorch_cpu.so";

struct found {
    uintptr_t base;
    const struct known_build *build;
    int unknown;               /* libtorch_cpu.so is loaded but is not a known build */
};

static int debug(void) {
    const char *value = getenv("GAN4J_ONEDNN_CACHES_DEBUG");
    return value != NULL && strcmp(value, "1") == 0;
}

/* The GNU build ID of a loaded object, from its PT_NOTE segments; NULL when it has none of 20 bytes. */
static const unsigned char *build_id(const struct dl_phdr_info *info) {
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_NOTE) {
            continue;
        }
        const unsigned char *note = (const unsigned char *) (info->dlpi_addr + segment->p_vaddr);
        const unsigned char *end = note + segment->p_memsz;
        while (note + 12 <= end) {
            uint32_t name_size, desc_size, type;
            memcpy(&name_size, note, 4);
            memcpy(&desc_size, note + 4, 4);
            memcpy(&type, note + 8, 4);
            const unsigned char *name = note + 12;
            const unsigned char *desc = name + ((name_size + 3u) & ~3u);
            if (desc + desc_size > end) {
                break;
            }
            if (type == NT_GNU_BUILD_ID && name_size == 4 && memcmp(name, "GNU", 4) == 0) {
                return desc_size == 20 ? desc : NULL;
            }
            note = desc + ((desc_size + 3u) & ~3u);
        }
    }
    return NULL;
}

static int find_libtorch(struct dl_phdr_info *info, size_t size, void *data) {
    (void) size;
    struct found *found = data;
    size_t length = strlen(info->dlpi_name);
    if (length < sizeof LIBRARY - 1 || strcmp(info->dlpi_name + length - (sizeof LIBRARY - 1), LIBRARY) != 0) {
        return 0;
    }
    const unsigned char *id = build_id(info);
    for (size_t i = 0; id != NULL && i < sizeof KNOWN / sizeof KNOWN[0]; i++) {
        if (memcmp(id, KNOWN[i].build_id, 20) == 0) {
            found->base = info->dlpi_addr;
            found->build = &KNOWN[i];
            return 1;
        }
    }
    found->unknown = 1;
    return 1;
}

/*
 * The L1 data and L2 sizes in bytes from AMD's older cache leaves (0x80000005 ECX bits 31-24 and 0x80000006 ECX bits
 * 31-16, in KiB); 0 when the processor lacks those leaves or their values are not credible.
 */
static int legacy_sizes(uint32_t *l1, uint32_t *l2) {
    unsigned a, b, c, d;
    *l1 = *l2 = 0;
    if (__get_cpuid(0x80000000, &a, &b, &c, &d) == 0 || a < 0x80000006) {
        return 0;
    }
    __get_cpuid(0x80000005, &a, &b, &c, &d);
    uint32_t l1_kib = c >> 24;
    __get_cpuid(0x80000006, &a, &b, &c, &d);
    uint32_t l2_kib = c >> 16;
    if (l1_kib < 4 || l2_kib < l1_kib || l2_kib > 65536) {
        return 0;
    }
    *l1 = l1_kib * 1024;
    *l2 = l2_kib * 1024;
    return 1;
}

/* Returns 1 once libtorch_cpu.so has been found (corrected or not), 0 while it is not loaded yet. */
static int correct(void) {
    struct found found = {0, NULL, 0};
    if (dl_iterate_phdr(find_libtorch, &found) == 0) {
        return 0;
    }
    if (found.build == NULL) {
        fprintf(stderr, "gan4j: warning: libtorch_cpu.so is not the build gan4j knows, so oneDNN's cache sizes are"
                        " left as CPUID gives them (docs/PERFORMANCE.md, \"Machines that hide their cache sizes\")\n");
        return 1;
    }
    unsigned char *(*cpu)(void) = (unsigned char *(*)(void)) (found.base + found.build->cpu_function);
    unsigned char *object = cpu();
    if (object != (unsigned char *) (found.base + found.build->cpu_object)) {
        fprintf(stderr, "gan4j: warning: oneDNN's processor description is not where expected; cache sizes left"
                        " alone\n");
        return 1;
    }
    uint32_t sizes[3];
    uint32_t levels;
    memcpy(sizes, object + found.build->cache_sizes, sizeof sizes);
    memcpy(&levels, object + found.build->cache_levels, sizeof levels);
    int impossible = levels > 0 && sizes[0] < 1024;
    uint32_t l1 = 0, l2 = 0;
    int legacy = impossible && legacy_sizes(&l1, &l2);
    if (debug()) {
        fprintf(stderr, "gan4j: oneDNN's data caches from CPUID: %u levels, L1 %u, L2 %u, L3 %u bytes: ", levels,
                levels > 0 ? sizes[0] : 0, levels > 1 ? sizes[1] : 0, levels > 2 ? sizes[2] : 0);
        if (legacy) {
            fprintf(stderr, "impossible, now L1 %u and L2 %u KiB (AMD's older cache leaves), L3 %u KiB per core\n",
                    l1 / 1024, l2 / 1024, (l2 > 1048576u ? l2 : 1048576u) / 1024);
        } else {
            fprintf(stderr, "%s\n", impossible ? "impossible, now unknown to oneDNN (its defaults: 32 KiB, 512 KiB,"
                                                 " 1 MiB per core)" : "left as they are");
        }
    }
    if (legacy) {
        uint32_t corrected[3] = {l1, l2, l2 > 1048576u ? l2 : 1048576u};
        uint32_t alone[3] = {1, 1, 1};
        uint32_t three = 3;
        memcpy(object + found.build->cache_sizes, corrected, sizeof corrected);
        memcpy(object + found.build->cache_sharing, alone, sizeof alone);
        memcpy(object + found.build->cache_levels, &three, sizeof three);
    } else if (impossible) {
        uint32_t none = 0;
        memcpy(object + found.build->cache_levels, &none, sizeof none);
    }
    return 1;
}

void *dlopen(const char *file, int mode) {
    static void *(*real_dlopen)(const char *, int);
    static int done;
    if (real_dlopen == NULL) {
        real_dlopen = (void *(*)(const char *, int)) dlsym(RTLD_NEXT, "dlopen");
        if (real_dlopen == NULL) {
            return NULL;
        }
    }
    void *handle = real_dlopen(file, mode);
    /* two threads loading libraries at once may both correct: the second finds nothing impossible left */
    if (handle != NULL && !__atomic_load_n(&done, __ATOMIC_ACQUIRE) && correct()) {
        __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
    }
    return handle;
}
