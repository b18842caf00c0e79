#!/usr/bin/env python3
"""Checks that the JNI sources define every native method of DJL's PyTorchLibrary with matching parameter types.

    python3 bench/gpu/check_jni.py pytorch-engine-0.35.1.jar DIR_WITH_CC_FILES
"""
import re, subprocess, sys, glob, os
jar = sys.argv[1]; src = sys.argv[2]
out = subprocess.run(["javap", "-s", "-p", "-cp", jar, "ai.djl.pytorch.jni.PyTorchLibrary"], capture_output=True, text=True).stdout
java = {}
lines = out.splitlines()
found = []
for i, l in enumerate(lines):
    m = re.search(r"native .*? (\w+)\(", l)
    if m:
        found.append((m.group(1), lines[i + 1].strip().replace("descriptor: ", "")))
names = [n for n, _ in found]
for n, d in found:
    if names.count(n) > 1:
        args = d[1:d.index(")")]
        n = n + "__" + args.replace("_", "_1").replace("/", "_").replace(";", "_2").replace("[", "_3")
    java[n] = d
def kinds(desc):
    args = desc[1:desc.index(")")]
    res, i = [], 0
    while i < len(args):
        arr = ""
        while args[i] == "[": arr += "["; i += 1
        if args[i] == "L":
            j = args.index(";", i); res.append(arr + "L"); i = j + 1
        else:
            res.append(arr + args[i]); i += 1
    return res
cmap = {"jlong": "J", "jint": "I", "jboolean": "Z", "jfloat": "F", "jdouble": "D", "jbyte": "B", "jstring": "L",
        "jobject": "L", "jlongArray": "[J", "jintArray": "[I", "jfloatArray": "[F", "jdoubleArray": "[D",
        "jbooleanArray": "[Z", "jbyteArray": "[B", "jobjectArray": "[L", "jshort": "S"}
cc = {}
for f in glob.glob(os.path.join(src, "*.cc")):
    text = open(f).read()
    for m in re.finditer(r"Java_ai_djl_pytorch_jni_PyTorchLibrary_(\w+)\s*\(([^)]*)\)", text, re.S):
        params = [p.strip() for p in m.group(2).split(",")][2:]
        ks = []
        for p in params:
            t = p.split()[0] if p else ""
            if p.startswith("const "): t = p.split()[1]
            ks.append(cmap.get(t.rstrip("*"), "?" + t))
        cc[m.group(1)] = ks
bad = 0
for name, d in sorted(java.items()):
    k = kinds(d)
    if name not in cc:
        print("MISSING in .cc:", name, d); bad += 1
    elif [x.replace("[L", "[L") for x in cc[name]] != k:
        print("MISMATCH:", name, "java", k, "cc", cc[name]); bad += 1
extra = sorted(set(cc) - set(java))
print(f"{len(java)} native methods in PyTorchLibrary, {len(cc)} JNI functions, {bad} problems, unused: {extra}")
sys.exit(1 if bad else 0)
