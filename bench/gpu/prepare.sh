#!/usr/bin/env bash
# Prepares, on this machine, the bundle that bench/gpu/run.sh needs on a GPU machine (docs/PERFORMANCE.md, "On a GPU").
#
#   bench/gpu/prepare.sh DJL_NATIVE_DIR [BUNDLE]      (BUNDLE defaults to .gpu, which .gitignore ignores)
#
# DJL_NATIVE_DIR holds DJL's PyTorch JNI sources: the folder engines/pytorch/pytorch-native/src/main/native of
# https://github.com/deepjavalibrary/djl (the *.cc files and djl_pytorch_*.h). gan4j does not ship them. DJL publishes
# its JNI binaries only for the libtorch it was built with (2.7.1, CPU or CUDA 12.8); a GPU machine whose PyTorch is
# another version needs the JNI built against that libtorch, which run.sh does there in about 25 s.
#
# The bundle (about 55 MB): a jlink'ed Java 17 runtime (jre.tgz), gan4j's jars without the CPU libtorch (lib/), the JNI
# headers of this JDK (jni-include/), FreeType, fontconfig and two DejaVu fonts for the plots (fonts/; Debian packages
# libfreetype6, libfontconfig1, fonts-dejavu-core), and the JNI sources (djl-native/): DJL's files, gan4j's additions from
# bench/gpu/jni (the helpers and the native methods of DJL 0.35.1 that older DJL sources lack), and the header that
# javac generates from pytorch-engine 0.35.1's PyTorchLibrary. check_jni.py verifies that every native method of
# that class is defined with matching parameter types.
set -euo pipefail

case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
  "") echo "usage: bench/gpu/prepare.sh DJL_NATIVE_DIR [BUNDLE] (see --help)" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
djl="$1"
bundle="${2:-$root/.gpu}"
djl_version=0.35.1
m2="${MAVEN_REPO:-$HOME/.m2/repository}"

for tool in jlink javac javap mvn python3; do
  command -v "$tool" >/dev/null || { echo "prepare.sh: $tool is needed (a JDK 17, Maven, python3)" >&2; exit 2; }
done
ls "$djl"/ai_djl_pytorch_jni_PyTorchLibrary_*.cc >/dev/null 2>&1 ||
  { echo "prepare.sh: $djl holds no ai_djl_pytorch_jni_PyTorchLibrary_*.cc (DJL's pytorch-native/src/main/native)" >&2; exit 2; }

# BUNDLE is emptied first: only a folder that prepare.sh made before (its marker file), an empty one or a new one
if [ -d "$bundle" ] && [ -n "$(ls -A "$bundle")" ] && [ ! -f "$bundle/.gan4j-gpu-bundle" ]; then
  echo "prepare.sh: $bundle exists and is not a bundle this script made (no .gan4j-gpu-bundle in it); name a new or empty folder" >&2
  exit 2
fi

echo "building gan4j…"
(cd "$root" && mvn -B -q -o package -DskipTests 2>/dev/null || mvn -B -q package -DskipTests)
touch "$root/gan4j-cli/target/.gan4j-built"

rm -rf "$bundle" && mkdir -p "$bundle/lib" "$bundle/djl-native" "$bundle/jni-include" && touch "$bundle/.gan4j-gpu-bundle"
cp "$root/gan4j-cli/target/gan4j-cli-0.1.0-SNAPSHOT.jar" "$bundle/lib/"
for jar in "$root"/gan4j-cli/target/lib/*.jar; do
  case "$(basename "$jar")" in pytorch-native-*|pytorch-jni-*) ;; *) cp "$jar" "$bundle/lib/" ;; esac
done

echo "Java runtime…"
jlink --add-modules java.base,java.desktop,java.sql,jdk.httpserver,jdk.management,jdk.unsupported,java.logging,java.xml \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$bundle/jre"
tar czf "$bundle/jre.tgz" -C "$bundle" jre && rm -rf "$bundle/jre"
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
cp -r "$java_home/include/." "$bundle/jni-include/"

echo "fonts for plots…"
# a GPU machine may lack FreeType, fontconfig and fonts, which the JDK needs to draw text in gan4j's plots
mkdir -p "$bundle/fonts/lib" "$bundle/fonts/ttf"
for lib in libfreetype.so.6 libharfbuzz.so.0 libgraphite2.so.3 libglib-2.0.so.0 libpcre2-8.so.0 libpng16.so.16 \
    libbrotlidec.so.1 libbrotlicommon.so.1 libfontconfig.so.1 libexpat.so.1; do
  cp -L "/usr/lib/x86_64-linux-gnu/$lib" "$bundle/fonts/lib/"
done
cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf "$bundle/fonts/ttf/"

echo "JNI sources…"
cp "$djl"/*.cc "$djl"/*.h "$bundle/djl-native/"
cp -r "$here/jni/." "$bundle/djl-native/"
# the optimiser updates change leaf parameters in place: libtorch refuses that while autograd records
sed -i 's|^\(  const auto\* weight_ptr = reinterpret_cast<torch::Tensor\*>(jweight);\)|  torch::NoGradGuard no_grad_guard;  // gan4j\n\1|' \
  "$bundle/djl-native/ai_djl_pytorch_jni_PyTorchLibrary_optim.cc"
sources="$m2/ai/djl/pytorch/pytorch-engine/$djl_version/pytorch-engine-$djl_version-sources.jar"
[ -f "$sources" ] || mvn -B -q dependency:get -Dartifact="ai.djl.pytorch:pytorch-engine:$djl_version:jar:sources" -Dtransitive=false
work="$(mktemp -d)"
(cd "$work" && unzip -q "$sources" ai/djl/pytorch/jni/PyTorchLibrary.java &&
  javac -h "$bundle/djl-native" -d "$work/classes" \
    -cp "$m2/ai/djl/api/$djl_version/api-$djl_version.jar:$m2/ai/djl/pytorch/pytorch-engine/$djl_version/pytorch-engine-$djl_version.jar" \
    ai/djl/pytorch/jni/PyTorchLibrary.java)
rm -rf "$work"
python3 "$here/check_jni.py" "$m2/ai/djl/pytorch/pytorch-engine/$djl_version/pytorch-engine-$djl_version.jar" "$bundle/djl-native"
du -sh "$bundle"
echo "bundle ready: copy the checkout with $bundle to the GPU machine and run bench/gpu/run.sh there"
